"""MNIST from the four official IDX ``.gz`` files in a local folder (no downloads)."""

from __future__ import annotations

import gzip
import struct
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError

FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}


def read_idx(path: Path) -> np.ndarray:
    """Read one IDX file (gzip-compressed or plain) into an array."""
    if not path.is_file():
        alt = path.with_suffix("") if path.suffix == ".gz" else None
        if alt is not None and alt.is_file():
            path = alt
        else:
            raise EdgeOCRError(f"MNIST file {path} not found (pass the folder holding the IDX files with --mnist)")
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(path, "rb") as f:
            data = f.read()
    except (OSError, EOFError) as exc:
        raise EdgeOCRError(f"cannot read {path}: {exc}") from None
    if len(data) < 8:
        raise EdgeOCRError(f"{path} is not an IDX file")
    zero, dtype_code, ndim = struct.unpack(">HBB", data[:4])
    if zero != 0 or dtype_code != 0x08:
        raise EdgeOCRError(f"{path} is not an unsigned-byte IDX file")
    dims = struct.unpack(">" + "I" * ndim, data[4 : 4 + 4 * ndim])
    arr = np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * ndim)
    if arr.size != int(np.prod(dims)):
        raise EdgeOCRError(f"{path} is truncated")
    return arr.reshape(dims)


def load_mnist(folder: str | Path, split: str = "train") -> tuple[np.ndarray, np.ndarray]:
    """Return (images uint8 (N, 28, 28) white-on-black, labels uint8 (N,)) for ``train`` or ``test``."""
    folder = Path(folder)
    if not folder.is_dir():
        raise EdgeOCRError(f"MNIST folder {folder} not found")
    img_name, lab_name = FILES[split]
    images, labels = read_idx(folder / img_name), read_idx(folder / lab_name)
    if len(images) != len(labels):
        raise EdgeOCRError(f"MNIST {split}: {len(images)} images but {len(labels)} labels")
    return images, labels
