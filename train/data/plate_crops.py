"""Real plate crops for the plate reader, labelled by agreement (``edgeocr train plate-crops``).

Every plate-photos train box at least ``min_width`` px wide is cropped as the device crops a detected
plate (the box grown by :data:`edge_app.families.plate.reader.MARGIN`) and read twice: by a teacher,
RapidOCR's recogniser (Apache-2.0; a training-time tool, never on the device), and by our own reader.
A crop gets a label only when both read the same text and it looks like a registration (4-8 letters
and digits, at least one digit); the rest are kept unlabelled, with both readings, for the next round
(a better reader agrees on more crops).
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
REGISTRATION = re.compile(r"(?=.*[0-9])[A-Z0-9]{4,8}")
_KEEP = set(string.ascii_uppercase + string.digits)


def clean(text: str) -> str:
    """Upper case, letters and digits only (how plate texts are compared)."""
    return "".join(c for c in text.upper() if c in _KEEP)


def agreed(teacher: str, ours: str) -> str | None:
    """The label two readings give: their common text when it looks like a registration, else None."""
    a, b = clean(teacher), clean(ours)
    return a if a == b and REGISTRATION.fullmatch(a) else None


def crop_box(image: np.ndarray, box: list[int]) -> np.ndarray:
    """The box grown as the device grows a detected plate, clipped to the photo."""
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
                ours: Callable[[np.ndarray], str], min_width: int = 24) -> dict[str, int]:
    """Crop and label the train split's plates into ``out`` (crops/NNNNN.png, labels.csv); returns counts."""
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
            t, o = clean(teacher(crop)), clean(ours(crop))
            label = agreed(t, o)
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
