"""Results as CSV files the visitor can download, served as static files, and deleted
``privacy.EXPORT_MAX_AGE`` seconds after they were last made (at most
``privacy.EXPORT_MAX_FILES`` at a time): a CSV names the artists behind each recommendation."""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd

from ui import privacy

CSV_DIR = Path(tempfile.gettempdir()) / "lastfm-recommender-csv"
_sweeper: threading.Thread | None = None
_written = 0  # files made since the last sweep (a sweep runs early when they could overflow)
_kept = 0  # files the last sweep left


def serve_csv_files() -> None:
    """Serve the CSV folder as static files: Gradio then sends a result's CSV link as it is,
    instead of hashing and copying every file into its cache (a fifth of a request's time).
    A background thread deletes old files (see ``sweep``)."""
    global _sweeper
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    gr.set_static_paths([CSV_DIR])
    sweep()  # what an earlier run left
    if _sweeper is None:
        _sweeper = threading.Thread(target=_sweep_forever, name="csv-sweeper", daemon=True)
        _sweeper.start()


def sweep(
    max_age: float | None = None, max_files: int | None = None, now: float | None = None
) -> int:
    """Delete the CSVs last made more than ``max_age`` seconds ago, then the oldest beyond
    ``max_files`` (defaults: ui.privacy); returns how many are left."""
    global _written, _kept
    max_age = privacy.EXPORT_MAX_AGE if max_age is None else max_age
    max_files = privacy.EXPORT_MAX_FILES if max_files is None else max_files
    now = time.time() if now is None else now
    found = []
    for folder in CSV_DIR.iterdir() if CSV_DIR.is_dir() else []:
        try:
            found.append((folder.stat().st_mtime, folder))
        except OSError:
            continue  # deleted meanwhile
    found.sort(reverse=True)  # newest first
    doomed = [f for i, (made, f) in enumerate(found) if now - made > max_age or i >= max_files]
    for folder in doomed:
        shutil.rmtree(folder, ignore_errors=True)
    _written, _kept = 0, len(found) - len(doomed)
    return _kept


def _sweep_forever() -> None:
    while True:
        time.sleep(max(1.0, min(60.0, privacy.EXPORT_MAX_AGE / 4)))
        with contextlib.suppress(OSError):  # the folder is gone or unreadable: next time
            sweep()


def export_csv(results: pd.DataFrame, stem: str, rows: list[dict] | None = None) -> str:
    """Write the results as CSV (lists joined by '|') and return the file's path.

    Files are named by their content's hash in one folder, so repeated requests reuse a file
    instead of leaving a new temporary folder behind on every click. Written with the csv module:
    pandas' writer costs more than the whole recommendation for ten rows. ``rows``: the table
    as ``ui.cards.records`` gives it, when the caller has it already.
    """
    global _written
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(results.columns)
    if rows is not None:
        values = [tuple(row.values()) for row in rows]
    else:  # column lists: itertuples costs 3× more
        values = list(zip(*(results[c].tolist() for c in results.columns), strict=True))
    for row in values:
        writer.writerow(
            "|".join(map(str, v)) if isinstance(v, (list, tuple, np.ndarray)) else _cell(v)
            for v in row
        )
    text = buffer.getvalue()
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]
    path = CSV_DIR / digest / f"{stem}.csv"
    with contextlib.suppress(OSError):  # (a sweep may be deleting it: then it is made again)
        os.utime(path.parent)  # made again: its age starts again
        if path.is_file():
            return str(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)
    _written += 1
    if _kept + _written > privacy.EXPORT_MAX_FILES:  # rare: more requests than a sweep allows
        sweep()
    return str(path)


def file_data(path: str) -> dict[str, object]:
    """A CSV path as a DownloadButton sends it (what its postprocess makes), for events that
    skip Gradio's postprocessing."""
    return {"path": path, "orig_name": Path(path).name, "meta": {"_type": "gradio.FileData"}}


def _cell(value: object) -> object:
    """Missing values as empty cells, as pandas writes them."""
    return (
        ""
        if value is None or value is pd.NA or (isinstance(value, float) and value != value)
        else value
    )
