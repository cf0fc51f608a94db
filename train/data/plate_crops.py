"""Real plate crops for the plate reader, labelled by agreement (``edgeocr train plate-crops``).

Every plate-photos train box at least ``min_width`` px wide is cropped with a little around it (the
hand-drawn box grown by :data:`edge_app.families.plate.reader.MARGIN`; the device reads a detected box,
whose sides are less exact, at the tighter ``DETECTED_MARGINS``) and read twice: by a teacher,
RapidOCR's recogniser (Apache-2.0; a training-time tool, never on the device), and by our own reader.
A crop gets a label only when the teacher's reading looks like a registration (4-8 letters and digits,
at least one digit) and our reader agrees: its best reading is the same, or its beam search gives the
teacher's reading at least :data:`PLAUSIBLE` of its probability (one unsure character, where the
teacher settles it). The rest are kept unlabelled, with both readings, for the next round (a better
reader agrees on more crops).
"""

from __future__ import annotations

import csv
import re
import string
import sys
from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.plate.reader import MARGIN

from .plate_photos import read_boxes

MIN_SIDE = 8  # px: a crop thinner than this is not read (the runtime refuses such frames)
PLAUSIBLE = 0.05  # share of our beam a teacher's reading other than our best needs to count as agreed
REGISTRATION = re.compile(r"(?=.*[0-9])[A-Z0-9]{4,8}")
_KEEP = set(string.ascii_uppercase + string.digits)


def clean(text: str) -> str:
    """Upper case, letters and digits only (how plate texts are compared)."""
    return "".join(c for c in text.upper() if c in _KEEP)


def agreed(teacher: str, ours: str, shares: dict[str, float] | None = None) -> str | None:
    """The label two readings give: the teacher's text when it looks like a registration and is our best
    reading, or one our beam gives at least ``PLAUSIBLE`` of its probability (``shares``); else None."""
    a, b = clean(teacher), clean(ours)
    if not REGISTRATION.fullmatch(a):
        return None
    return a if a == b or (shares or {}).get(a, 0.0) >= PLAUSIBLE else None


def crop_box(image: np.ndarray, box: list[int]) -> np.ndarray:
    """The hand-drawn box grown by :data:`MARGIN`, clipped to the photo."""
    x, y, w, h = box
    mx, my = int(round(w * MARGIN[0])), int(round(h * MARGIN[1]))
    return image[max(0, y - my) : y + h + my, max(0, x - mx) : x + w + mx]


def rapidocr_teacher() -> Callable[[np.ndarray], str]:
    """RapidOCR's recogniser on a BGR crop (``pip install rapidocr-onnxruntime``)."""
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError:
        raise EdgeOCRError("the teacher is RapidOCR: pip install rapidocr-onnxruntime") from None
    engine = RapidOCR()

    def read(crop: np.ndarray) -> str:
        result, _ = engine(crop, use_det=False, use_cls=False, use_rec=True)
        return "".join(r[0] for r in result) if result else ""

    return read


def label_crops(photos: str | Path, out: str | Path, teacher: Callable[[np.ndarray], str],
                ours: Callable[[np.ndarray], tuple[str, dict[str, float]]], min_width: int = 24) -> dict[str, int]:
    """Crop and label the train split's plates into ``out`` (crops/NNNNN.png, labels.csv); returns counts.
    ``ours`` gives our best reading of a crop and its beam's readings with their shares."""
    out = Path(out)
    (out / "crops").mkdir(parents=True, exist_ok=True)
    rows, counts = [], {"crops": 0, "agreed": 0, "teacher_only": 0, "skipped_small": 0}
    for name, boxes in sorted(read_boxes(photos, "train").items()):
        image = cv2.imread(str(Path(photos) / "images" / name), cv2.IMREAD_COLOR)
        if image is None:
            raise EdgeOCRError(f"cannot read {Path(photos) / 'images' / name}")
        for box in boxes:
            if box[2] < min_width:
                counts["skipped_small"] += 1
                continue
            crop = crop_box(image, box)
            if min(crop.shape[:2]) < MIN_SIDE:
                counts["skipped_small"] += 1
                continue
            file = f"crops/{counts['crops']:05d}.png"
            cv2.imwrite(str(out / file), crop)
            t, (o, shares) = clean(teacher(crop)), ours(crop)
            o = clean(o)
            label = agreed(t, o, shares)
            counts["crops"] += 1
            counts["agreed"] += label is not None
            counts["teacher_only"] += label is None and bool(REGISTRATION.fullmatch(t))
            rows.append([file, label or "", name, *box, t, o])
            if counts["crops"] % 250 == 0:
                print(f"{counts['crops']} crops, {counts['agreed']} agreed", file=sys.stderr, flush=True)
    with open(out / "labels.csv", "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["file", "text", "photo", "x", "y", "w", "h", "teacher", "ours"])
        w.writerows(rows)
    return counts


REAL_VAL_EVERY = 10  # every 10th labelled photo's crops validate instead of training


def read_labelled(folder: str | Path) -> list[tuple[np.ndarray, str, str]]:
    """The labelled crops of a ``label_crops`` folder: (BGR crop, text, photo) per crop with a label."""
    folder = Path(folder)
    if not (folder / "labels.csv").is_file():
        raise EdgeOCRError(f"{folder / 'labels.csv'} not found (make it with edgeocr train plate-crops)")
    out = []
    with open(folder / "labels.csv", newline="") as f:
        for row in csv.DictReader(f):
            if row["text"]:
                crop = cv2.imread(str(folder / row["file"]), cv2.IMREAD_COLOR)
                if crop is None:
                    raise EdgeOCRError(f"cannot read {folder / row['file']}")
                out.append((crop, row["text"], row["photo"]))
    return out


def is_val_photo(photo: str) -> bool:
    """Whether a photo's crops are held out for validation (a stable split by the photo's name)."""
    import zlib

    return zlib.crc32(photo.encode()) % REAL_VAL_EVERY == 0


def jitter_crop(crop: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A real crop as another detection and exposure of the same plate might give it: each side moved by up
    to the grown margin (tighter or looser), a small rotation, contrast, brightness, blur or low resolution."""
    h, w = crop.shape[:2]
    mx, my = w * MARGIN[0] / (1 + 2 * MARGIN[0]), h * MARGIN[1] / (1 + 2 * MARGIN[1])
    pad = int(np.ceil(max(mx, my))) + 2
    big = cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_REPLICATE)
    left, right = (pad + rng.uniform(-1, 1, 2) * mx).round().astype(int)  # > pad: tighter, < pad: looser
    top, bottom = (pad + rng.uniform(-1, 1, 2) * my).round().astype(int)
    out = big[top : h + 2 * pad - bottom, left : w + 2 * pad - right]
    angle = rng.uniform(-3, 3)
    m = cv2.getRotationMatrix2D((out.shape[1] / 2, out.shape[0] / 2), angle, 1.0)
    out = cv2.warpAffine(out, m, (out.shape[1], out.shape[0]), borderMode=cv2.BORDER_REPLICATE)
    out = cv2.convertScaleAbs(out, alpha=rng.uniform(0.7, 1.3), beta=rng.uniform(-30, 30))
    if rng.random() < 0.3:
        out = cv2.GaussianBlur(out, (0, 0), rng.uniform(0.5, 1.3))
    if rng.random() < 0.3:
        s = rng.uniform(0.4, 0.8)
        small = cv2.resize(out, (max(8, int(out.shape[1] * s)), max(4, int(out.shape[0] * s))),
                           interpolation=cv2.INTER_AREA)
        out = cv2.resize(small, (out.shape[1], out.shape[0]), interpolation=cv2.INTER_LINEAR)
    return out
