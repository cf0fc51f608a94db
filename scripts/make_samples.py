"""Render the demo images in edge_app/samples/ from held-out fonts (never trained on): handwriting,
handwritten words and a page, and street scenes with synthetic licence plates.

    python scripts/make_samples.py
"""

from __future__ import annotations

from pathlib import Path

import cv2
import numpy as np

from train.data import augment
from train.data.fonts import HELD_OUT_FONTS, font_paths, render_text
from train.data.handwriting import compose_page, font_ink, photograph_word
from train.data.plate_render import plate_fonts, render_plate
from train.data.plate_scenes import compose_scene

OUT = Path(__file__).resolve().parent.parent / "edge_app" / "samples"


def photo_of(text: str, font: Path, rng: np.random.Generator, height: int) -> np.ndarray:
    ink = render_text(text, font, size=64)
    ink = augment.affine(augment.elastic(ink, rng, alpha=0.01), rng, rot=3, shear=0.1, scale=(0.95, 1.05))
    return augment.photograph(ink, rng, out_size=(height, height))


def main() -> None:
    rng = np.random.default_rng(3)
    fonts = font_paths(HELD_OUT_FONTS)
    OUT.mkdir(parents=True, exist_ok=True)
    for i, ch in enumerate("7Kq"):
        cv2.imwrite(str(OUT / f"char_{i}_{ch}.png"), photo_of(ch, fonts[i % len(fonts)], rng, 96))
    for i, (text, font) in enumerate([("Pi 2026", "Purisa-Oblique"), ("Edge OCR", "ComicNeue-LightItalic")]):
        ink = render_text(text, font_paths([font])[0], size=64)
        cv2.imwrite(str(OUT / f"chars_{i}.png"), augment.photograph(ink, rng, out_size=(700, 700)))
    rng = np.random.default_rng(5)
    plate_faces, deco = plate_fonts(held_out=True)
    for i, region in enumerate(("us", "eu")):
        plate, _ = render_plate(rng, plate_faces, deco, region)
        scene, _ = compose_scene(rng, plate, deco, plate_width=(200, 260))
        cv2.imwrite(str(OUT / f"plate_{i}.jpg"), scene, [cv2.IMWRITE_JPEG_QUALITY, 85])
    rng = np.random.default_rng(9)
    word = font_ink("Morning", font_paths(["Purisa-Oblique"])[0], rng)
    cv2.imwrite(str(OUT / "handwriting_0.png"), photograph_word(word, rng))
    page, _ = compose_page(["Dear Sam, the garden", "looks lovely in May.", "See you at 4 pm!"],
                           font_paths(["ComicNeue-LightItalic"]), rng)
    cv2.imwrite(str(OUT / "handwriting_1.png"), page)
    print(f"wrote samples to {OUT}")


if __name__ == "__main__":
    main()
