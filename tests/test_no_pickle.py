"""Nothing in a bundle is a pickle, judged by content (not file names), and loading one never
unpickles: every file is JSON, parquet without binary columns, or safetensors, as its own bytes
show; loading and serving every model never calls torch.load, pickle, joblib or numpy's
allow_pickle, nor imports torch at all."""

from __future__ import annotations

import io
import json
import pickle
import struct
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest

import recommenders
from recommenders.models import MODEL_NAMES, model_class

ROOT = Path(__file__).resolve().parents[1]
SAFETENSORS_DTYPES = {"BOOL", "U8", "I8", "I16", "U16", "I32", "U32", "I64", "U64", "F16", "BF16",
                      "F32", "F64"}  # fmt: skip
PICKLE_PROTOCOLS = {2, 3, 4, 5}  # a pickle of protocol 2+ starts with b"\x80" and the protocol


def file_format(path: Path) -> str:
    """By content: "json", "parquet" or "safetensors" when the bytes are that and nothing else,
    else what they are ("pickle (protocol 4)", "zip with archive/data.pkl", ...)."""
    data = path.read_bytes()
    if len(data) >= 2 and data[0] == 0x80 and data[1] in PICKLE_PROTOCOLS:
        return f"pickle (protocol {data[1]})"
    if data.startswith(b"\x93NUMPY"):
        return "numpy .npy"  # may hold an object array, read back only with allow_pickle
    if data.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            pickled = [n for n in archive.namelist() if n.endswith(".pkl")]
        return f"zip with {', '.join(pickled)}" if pickled else "zip (.npz or other)"
    if data.startswith(b"PAR1") and data.endswith(b"PAR1"):
        return _parquet(path)
    if path.suffix == ".json":
        try:
            json.loads(data)
        except ValueError:
            return "not JSON"
        return "json"
    return _safetensors(data)


def _parquet(path: Path) -> str:
    import pyarrow.parquet as pq

    schema = str(pq.read_schema(path))
    return "parquet with a binary column (could hold pickles)" if "binary" in schema else "parquet"


def _safetensors(data: bytes) -> str:
    """safetensors: 8-byte little-endian header size, a JSON header, then exactly the tensors."""
    if len(data) < 8:
        return "unknown bytes"
    (size,) = struct.unpack("<Q", data[:8])
    try:
        header = json.loads(data[8 : 8 + size])
    except ValueError:
        return "unknown bytes"
    tensors = {k: v for k, v in header.items() if k != "__metadata__"}
    ends = [t["data_offsets"][1] for t in tensors.values()]
    if not all(t.get("dtype") in SAFETENSORS_DTYPES for t in tensors.values()):
        return "safetensors with an unknown dtype"
    return "safetensors" if 8 + size + max(ends, default=0) == len(data) else "unknown bytes"


@contextmanager
def unpickling_forbidden(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every way a loader could unpickle raises (and is recorded) inside the block."""
    import joblib
    import pandas as pd
    import torch

    calls: list[str] = []

    def forbidden(name: str):
        def call(*args, **kwargs):
            calls.append(name)
            raise AssertionError(f"{name} called while loading a bundle")

        return call

    real_np_load = np.load

    def np_load(*args, allow_pickle: bool = False, **kwargs):
        if allow_pickle:
            return forbidden("numpy.load(allow_pickle=True)")()
        return real_np_load(*args, allow_pickle=False, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(torch, "load", forbidden("torch.load"))
        for name in ("load", "loads", "Unpickler"):
            patch.setattr(pickle, name, forbidden(f"pickle.{name}"))
        patch.setattr(joblib, "load", forbidden("joblib.load"))
        patch.setattr(pd, "read_pickle", forbidden("pandas.read_pickle"))
        patch.setattr(np, "load", np_load)
        yield calls


# -- the check itself can fail --------------------------------------------------------------------
def test_the_format_check_recognises_pickles_in_any_disguise(tmp_path: Path) -> None:
    import torch
    from safetensors.numpy import save_file

    disguised = {
        "pickle": lambda p: p.write_bytes(pickle.dumps({"w": [1.0]}, protocol=2)),
        "pickle5": lambda p: p.write_bytes(pickle.dumps({"w": [1.0]}, protocol=5)),
        "torch": lambda p: torch.save({"w": torch.zeros(2)}, p),
        "npy": lambda p: p.write_bytes(_npy(np.array([{"a": 1}], dtype=object))),
        "json": lambda p: p.write_bytes(pickle.dumps([1], protocol=4)),
    }
    seen = {}
    for name, write in disguised.items():
        path = tmp_path / ("config.json" if name == "json" else "weights.safetensors")
        write(path)
        seen[name] = file_format(path)
    assert seen["pickle"] == "pickle (protocol 2)" and seen["pickle5"] == "pickle (protocol 5)"
    assert seen["torch"].startswith("zip with ") and "data.pkl" in seen["torch"]
    assert seen["npy"] == "numpy .npy" and seen["json"] == "pickle (protocol 4)"

    save_file({"w": np.zeros((2, 3), dtype=np.float32)}, tmp_path / "ok.safetensors")
    assert file_format(tmp_path / "ok.safetensors") == "safetensors"
    (tmp_path / "ok.safetensors").write_bytes((tmp_path / "ok.safetensors").read_bytes() + b"\0")
    assert file_format(tmp_path / "ok.safetensors") == "unknown bytes"  # trailing bytes


def _npy(array: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, array, allow_pickle=True)
    return buffer.getvalue()


def test_the_trap_catches_every_way_to_unpickle(monkeypatch: pytest.MonkeyPatch) -> None:
    import torch

    blob = pickle.dumps([1])
    with unpickling_forbidden(monkeypatch) as calls:
        for attempt in (
            lambda: pickle.loads(blob),
            lambda: pickle.load(io.BytesIO(blob)),
            lambda: torch.load(io.BytesIO(b"")),
            lambda: np.load(io.BytesIO(_npy(np.arange(3))), allow_pickle=True),
        ):
            with pytest.raises(AssertionError, match="called while loading"):
                attempt()
        assert np.load(io.BytesIO(_npy(np.arange(3)))).tolist() == [0, 1, 2]  # plain arrays ok
    assert calls == [
        "pickle.loads", "pickle.load", "torch.load", "numpy.load(allow_pickle=True)"
    ]  # fmt: skip
    assert pickle.loads(blob) == [1]  # restored after the block


# -- the bundle -----------------------------------------------------------------------------------
@pytest.mark.slow
def test_every_bundle_file_is_json_parquet_or_safetensors_by_content(fast_bundle_dir) -> None:
    formats = {
        p.relative_to(fast_bundle_dir).as_posix(): file_format(p)
        for p in sorted(fast_bundle_dir.rglob("*"))
        if p.is_file()
    }
    listed = json.loads((fast_bundle_dir / "manifest.json").read_text())["files"]
    assert set(formats) == {*listed, "manifest.json"}  # every file checked is part of the bundle
    assert set(formats.values()) == {"json", "parquet", "safetensors"}, formats
    for model in MODEL_NAMES:
        assert formats[f"models/{model}/weights.safetensors"] == "safetensors"
        assert formats[f"models/{model}/config.json"] == "json"


@pytest.mark.slow
def test_loading_and_serving_never_unpickles(fast_bundle_dir, monkeypatch) -> None:
    with unpickling_forbidden(monkeypatch) as calls:
        bundle = recommenders.load(fast_bundle_dir)
        for model in bundle.model_names:
            model_class(model).load(fast_bundle_dir / "models" / model)
            assert len(bundle.recommend(model, liked=["Radiohead", "Muse"], k=5)) == 5
            assert len(bundle.similar_artists(model, "Radiohead", k=5)) == 5
    assert calls == []


@pytest.mark.slow
def test_serving_does_not_even_import_torch(fast_bundle_dir) -> None:
    script = (
        "import sys, recommenders; "
        f"b = recommenders.load({str(fast_bundle_dir)!r}); "
        "[b.recommend(m, liked=['Radiohead'], k=3) for m in b.model_names]; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('torch', 'joblib')))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]", out.stdout
