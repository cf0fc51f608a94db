"""Fonts from Debian packages (installed by ``scripts/install_fonts.sh``) and glyph rendering."""

from __future__ import annotations

import glob
from functools import lru_cache
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError

FONT_ROOT = "/usr/share/fonts"
TEXMF_FONTS = "/usr/share/texmf/fonts/opentype/public/tex-gyre"  # fonts-texgyre installs here, not under FONT_ROOT

# Handwriting-like faces, plus a few plain sans faces for neat print. Names are file stems.
HANDWRITING_FONTS = [
    "dkg", "dkgBd", "dkgIt", "dkgBI", "Breip", "breipfont", "Delphine", "SteveHand", "femkeklaver",
    "Rufscript010", "Humor-Sans", "DancingScript-Regular", "DancingScript-Bold", "KaushanScript-Regular",
    "Kristi", "Ecolier-court", "ComicNeue-Regular", "ComicNeue-Bold", "ComicNeue-Italic", "ComicNeue-Light",
    "ComicNeue-BoldItalic", "ComicNeue-LightItalic", "Purisa", "Purisa-Bold", "Purisa-Oblique",
    "Purisa-BoldOblique", "BecauseWeBuild-Regular", "BecauseWeConnect-Regular", "BecauseWeCreate-Regular",
    "BecauseWeLearn-Regular", "BecauseWeMentor-Regular", "BecauseWeOrganize-Regular", "KleeOne-Regular",
    "KleeOne-SemiBold", "DejaVuSans", "DejaVuSans-Bold", "LiberationSans-Regular", "LiberationSerif-Regular",
]
# These draw their lowercase letters as capitals: only their digits and capitals are used.
CAPS_ONLY_FONTS = {"Humor-Sans", "BecauseWeBuild-Regular", "BecauseWeConnect-Regular", "BecauseWeCreate-Regular",
                   "BecauseWeLearn-Regular", "BecauseWeMentor-Regular", "BecauseWeOrganize-Regular"}
# Printed faces whose glyph skeletons teach the touch model more letter shapes (``--printed-strokes``): every
# skeleton of a face is a neat hand's drawing of it. Never the families the Draw screen is checked on by hand
# (Cantarell, Carlito, Caladea, B612, Charis SIL, Open Sans, Gentium, DejaVu Serif, FreeMono, Go Mono).
PRINTED_STROKE_FONTS = [
    "LiberationSans-Bold", "LiberationSans-Italic", "LiberationSerif-Italic", "LiberationMono-Regular",
    "LiberationSansNarrow-Regular", "Roboto-Regular", "Roboto-Italic", "Roboto-Light", "Roboto-Thin",
    "RobotoCondensed-Regular", "RobotoSlab-Regular", "NimbusRoman-Regular", "NimbusRoman-Italic",
    "NimbusSans-Regular", "NimbusMonoPS-Regular", "NimbusSansNarrow-Regular", "texgyreadventor-regular",
    "texgyrebonum-regular", "texgyrechorus-mediumitalic", "texgyrecursor-regular", "texgyreheros-italic",
    "texgyrepagella-regular", "texgyrepagella-italic", "texgyreschola-regular", "texgyretermes-italic",
    "URWBookman-Light", "URWGothic-Book", "C059-Roman", "C059-Italic", "P052-Roman", "P052-Italic",
    "Z003-MediumItalic", "AccanthisADFStd-Regular", "BaskervaldADFStd", "BerenisADFPro-Regular",
    "TribunADFStd-Regular", "UniversalisADFStd-Regular", "UniversalisADFStd-Italic", "EBGaramond12-Regular",
    "EBGaramond12-Italic", "FreeSans", "FreeSerif", "FreeSerifItalic", "FreeSansOblique", "LinBiolinum_R",
    "LinLibertine_R", "LinLibertine_RI", "DejaVuSans-Oblique", "DejaVuSansCondensed", "DejaVuSansMono",
    "GFSDidot", "STIXGeneral-Regular", "OSP-DIN",
]
# Never trained on: the validation set is rendered from these.
HELD_OUT_FONTS = ["Humor-Sans", "Purisa-Oblique", "BecauseWeMentor-Regular", "ComicNeue-LightItalic", "dkgBI"]


@lru_cache(maxsize=1)
def installed_fonts() -> dict[str, Path]:
    """Map file stem -> path for every .ttf/.otf under /usr/share/fonts, and TeX Gyre's faces."""
    paths = glob.glob(f"{FONT_ROOT}/**/*.[ot]tf", recursive=True) + glob.glob(f"{TEXMF_FONTS}/*.otf")
    return {Path(p).stem: Path(p) for p in sorted(paths)}


def font_paths(names: list[str], kind: str = "handwriting") -> list[Path]:
    """Paths of the named fonts that are installed; none at all is an error naming the fix."""
    have = installed_fonts()
    found = [have[n] for n in names if n in have]
    if not found:
        raise EdgeOCRError(f"no {kind} fonts installed: run scripts/install_fonts.sh (apt packages fonts-…)")
    return found


def installed_font_files(names: list[str]) -> list[str]:
    """File names of the named fonts that are installed, in ``names``' order (for cache keys; never raises)."""
    have = installed_fonts()
    return [have[n].name for n in names if n in have]


def draws_as_labelled(path: Path, ch: str) -> bool:
    """False where a font's glyph for ``ch`` looks like another class (lowercase in a caps-only font)."""
    return not (ch.islower() and path.stem in CAPS_ONLY_FONTS)


@lru_cache(maxsize=64)
def _font(path: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


def render_text(text: str, path: Path, size: int = 56, pad: int = 8) -> np.ndarray | None:
    """Render ``text`` as float32 ink in [0, 1] (white on black), tightly padded; None if the font lacks it."""
    from PIL import Image, ImageDraw

    font = _font(str(path), size)
    if any(not _has_glyph(str(path), ch) for ch in text if not ch.isspace()):
        return None
    x0, y0, x1, y1 = font.getbbox(text)
    w, h = x1 - x0 + 2 * pad, y1 - y0 + 2 * pad
    if w <= 2 * pad or h <= 2 * pad:
        return None
    img = Image.new("L", (w, h), 0)
    ImageDraw.Draw(img).text((pad - x0, pad - y0), text, font=font, fill=255)
    arr = np.asarray(img, dtype=np.float32) / 255.0
    return arr if arr.max() > 0 else None


@lru_cache(maxsize=256)
def _cmap(path: str) -> frozenset[int] | None:
    """The code points a font maps (fontTools, optional); None when fontTools is missing."""
    try:
        from fontTools.ttLib import TTFont
    except ImportError:
        return None
    return frozenset(TTFont(path, lazy=True).getBestCmap())


@lru_cache(maxsize=8192)
def _has_glyph(path: str, ch: str) -> bool:
    """True unless the font draws ``ch`` as its missing-glyph box."""
    cmap = _cmap(path)
    if cmap is not None:
        return ord(ch) in cmap
    font = _font(path, 40)
    mask = np.asarray(font.getmask(ch))
    missing = np.asarray(font.getmask("\u0378"))
    return mask.size > 0 and not (mask.shape == missing.shape and np.array_equal(mask, missing))
