"""Results as CSV files the visitor can download, served as static files."""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
import threading
from pathlib import Path

import gradio as gr
import numpy as np
import pandas as pd

CSV_DIR = Path(tempfile.gettempdir()) / "lastfm-recommender-csv"


def serve_csv_files() -> None:
    """Serve the CSV folder as static files: Gradio then sends a result's CSV link as it is,
    instead of hashing and copying every file into its cache (a fifth of a request's time)."""
    CSV_DIR.mkdir(parents=True, exist_ok=True)
    gr.set_static_paths([CSV_DIR])


def export_csv(results: pd.DataFrame, stem: str, rows: list[dict] | None = None) -> str:
    """Write the results as CSV (lists joined by '|') and return the file's path.

    Files are named by their content's hash in one folder, so repeated requests reuse a file
    instead of leaving a new temporary folder behind on every click. Written with the csv module:
    pandas' writer costs more than the whole recommendation for ten rows. ``rows``: the table
    as ``ui.cards.records`` gives it, when the caller has it already.
    """
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
    if not path.is_file():
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, path)
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
