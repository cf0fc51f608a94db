"""Realistic synthetic licence plates: a plate drawn flat (colours, region name, slogan, stickers,
emblems, bolts, frames, one or two lines of characters), then seen by a camera (perspective,
rotation, blur, light, noise, JPEG, tight or loose crop).

    plate, label = render_plate(rng, fonts)          # BGR uint8, flat plate
    crop = camera_crop(plate, rng)                   # gray uint8, like a detector's crop
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np

from .fonts import font_paths, render_text
from .plate_text import SEPARATORS, random_plate_text

# Character faces (file stems). FHWA road faces, DIN and narrow/condensed sans like real plates.
PLATE_FONTS = [
    "RG2014B", "RG2014C", "RG2014D", "RG2014E", "RG2014F", "RG2014EEM", "OSP-DIN",
    "DejaVuSans", "DejaVuSans-Bold", "DejaVuSansCondensed", "DejaVuSansMono", "DejaVuSansMono-Bold",
    "DejaVuSerif", "DejaVuSerif-Bold", "LiberationSans-Regular", "LiberationSans-Bold", "LiberationSansNarrow-Bold",
    "LiberationMono-Regular", "NimbusSansNarrow-Bold", "NimbusSansNarrow-Regular", "NimbusSans-Bold",
    "FreeSans", "FreeSansBold", "FreeMonoBold", "RobotoCondensed-Regular", "RobotoCondensed-Bold", "Roboto-Medium",
    "BebasNeue-Regular", "BebasNeue-Bold", "B612-Bold", "B612Mono-Regular", "Cantarell-Bold", "OpenSans-CondBold",
    "OpenSans-Semibold", "Carlito-Bold", "NimbusMonoPS-Bold",
]
# Never trained on: validation and the bench's fresh digits5 images are drawn with these.
PLATE_HELD_OUT_FONTS = ["RG2014EM", "DejaVuSansCondensed-Bold", "LiberationSansNarrow-Regular",
                        "LiberationMono-Bold", "RobotoCondensed-Medium", "BebasNeue-Book"]
# Region names and slogans: any face, including scripts and serifs.
DECO_FONTS = [
    "DejaVuSerif-Bold", "DejaVuSerif", "LiberationSerif-Bold", "LiberationSerif-Italic", "NimbusRoman-Bold",
    "NimbusRoman-Italic", "FreeSerifBold", "FreeSerifItalic", "DancingScript-Bold", "KaushanScript-Regular",
    "DejaVuSans-Bold", "LiberationSans-Bold", "FreeSans", "Roboto-Bold", "OpenSans-Regular", "Cantarell-Regular",
    "RobotoCondensed-Bold", "OSP-DIN", "RG2014D", "Kristi", "ComicNeue-Bold",
]
REGIONS = ["Alabama", "Alaska", "Arizona", "Arkansas", "California", "Colorado", "Connecticut", "Delaware",
           "Florida", "Georgia", "Hawaii", "Idaho", "Illinois", "Indiana", "Iowa", "Kansas", "Kentucky",
           "Louisiana", "Maine", "Maryland", "Massachusetts", "Michigan", "Minnesota", "Mississippi", "Missouri",
           "Montana", "Nebraska", "Nevada", "New Hampshire", "New Jersey", "New Mexico", "New York",
           "North Carolina", "North Dakota", "Ohio", "Oklahoma", "Oregon", "Pennsylvania", "Rhode Island",
           "South Carolina", "South Dakota", "Tennessee", "Texas", "Utah", "Vermont", "Virginia", "Washington",
           "West Virginia", "Wisconsin", "Wyoming", "Ontario", "Quebec", "Puerto Rico", "Guam"]
SLOGANS = ["Sunshine State", "Land of Lincoln", "First in Flight", "Garden State", "Ocean State", "Empire State",
           "The Natural State", "Great Lakes", "Live Free or Die", "Famous Potatoes", "Grand Canyon State",
           "America's Dairyland", "Keystone State", "Lone Star State", "Big Sky Country", "Green Mountains",
           "Centennial", "Land of Enchantment", "The Silver State", "Wild Wonderful", "Pure Michigan",
           "Explore", "Support Education", "Protect Wildlife", "Choose Life", "In God We Trust", "Veteran",
           "Collector", "Dealer", "Commercial", "Apportioned", "Official", "Trailer", "Bicentennial", "Heart of Dixie",
           "Discover", "Spirit of America", "Peace Garden State", "Aloha State", "Evergreen State"]
COUNTRIES = ["D", "F", "NL", "I", "E", "B", "PL", "CZ", "A", "P", "S", "FIN", "IRL", "GR", "RO", "H"]

LIGHT = [(245, 245, 245), (235, 240, 240), (215, 235, 245), (180, 230, 250), (240, 225, 200), (225, 225, 225),
         (200, 220, 200), (245, 235, 225), (40, 210, 250), (200, 200, 200)]
DARK_INK = [(20, 20, 20), (90, 30, 10), (120, 40, 20), (30, 80, 20), (30, 30, 130), (40, 40, 200), (60, 60, 60),
            (110, 60, 20), (20, 20, 90)]
DARK = [(90, 30, 10), (20, 20, 20), (30, 70, 20), (30, 30, 110), (120, 60, 20), (70, 70, 70)]
LIGHT_INK = [(250, 250, 250), (60, 220, 250), (220, 240, 245), (200, 200, 200)]


@lru_cache(maxsize=4096)
def _glyph(font: str, ch: str) -> np.ndarray | None:
    return render_text(ch, Path(font), size=96, pad=0)


def _pick(rng: np.random.Generator, seq: list):
    return seq[int(rng.integers(len(seq)))]


def _jitter(color: tuple[int, int, int], rng: np.random.Generator, amount: float = 18) -> np.ndarray:
    return np.clip(np.array(color, np.float32) + rng.normal(0, amount, 3), 0, 255)


def _paint(img: np.ndarray, ink: np.ndarray, x: int, y: int, color: np.ndarray, alpha: float = 1.0) -> None:
    """Alpha-blend ``color`` through ``ink`` (float [0,1]) at (x, y), clipped to the image."""
    h, w = ink.shape
    H, W = img.shape[:2]
    x0, y0, x1, y1 = max(0, x), max(0, y), min(W, x + w), min(H, y + h)
    if x1 <= x0 or y1 <= y0:
        return
    a = ink[y0 - y : y1 - y, x0 - x : x1 - x, None] * alpha
    img[y0:y1, x0:x1] = img[y0:y1, x0:x1] * (1 - a) + color * a


def _fit_text(text: str, font: Path, height: float, max_width: float) -> np.ndarray | None:
    ink = render_text(text, font, size=max(8, int(height * 1.3)), pad=0)
    if ink is None:
        return None
    s = min(height / ink.shape[0], max_width / ink.shape[1])
    return cv2.resize(ink, (max(1, int(ink.shape[1] * s)), max(1, int(ink.shape[0] * s))), interpolation=cv2.INTER_AREA)


def _deco(img: np.ndarray, text: str, fonts: list[Path], cy: float, height: float, color: np.ndarray,
          rng: np.random.Generator) -> None:
    H, W = img.shape[:2]
    text = text.upper() if rng.random() < 0.5 else text
    ink = _fit_text(text, _pick(rng, fonts), height, W * rng.uniform(0.5, 0.92))
    if ink is not None:
        x = int((W - ink.shape[1]) / 2 + rng.normal(0, W * 0.03))
        _paint(img, ink, x, int(cy - ink.shape[0] / 2), color)


def _background(H: int, W: int, base: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    img = np.empty((H, W, 3), np.float32)
    img[:] = base
    if rng.random() < 0.5:  # vertical gradient to a second tint
        other = _jitter(base, rng, 40)
        t = np.linspace(0, 1, H, dtype=np.float32)[:, None, None] ** rng.uniform(0.5, 2)
        img = img * (1 - t) + other * t
    for _ in range(int(rng.integers(0, 4))):  # scenery: hills, sun, waves, at low contrast
        layer = np.zeros((H, W), np.float32)
        kind = rng.integers(3)
        if kind == 0:
            cv2.ellipse(layer, (int(rng.integers(W)), int(rng.integers(H))), (int(rng.integers(10, W // 2)),
                        int(rng.integers(5, H // 2))), 0, 0, 360, 1.0, -1)
        elif kind == 1:
            pts = np.array([[0, H]] + [[x, int(rng.integers(H // 3, H))] for x in np.linspace(0, W, 6)] + [[W, H]])
            cv2.fillPoly(layer, [pts.astype(np.int32)], 1.0)
        else:
            y = int(rng.integers(H))
            cv2.rectangle(layer, (0, y), (W, y + int(rng.integers(3, H // 4))), 1.0, -1)
        layer = cv2.GaussianBlur(layer, (0, 0), rng.uniform(0.5, 4))
        _paint(img, layer, 0, 0, rng.uniform(0, 255, 3).astype(np.float32), rng.uniform(0.1, 0.45))
    return img


def _emblem(img: np.ndarray, cx: int, cy: int, size: int, rng: np.random.Generator) -> None:
    color = tuple(float(v) for v in rng.uniform(0, 255, 3))
    kind = rng.integers(4)
    if kind == 0:
        cv2.circle(img, (cx, cy), size // 2, color, -1, cv2.LINE_AA)
    elif kind == 1:
        pts = [(cx + size / 2 * np.cos(a) * (1 if i % 2 else 0.45), cy + size / 2 * np.sin(a) * (1 if i % 2 else 0.45))
               for i, a in enumerate(np.linspace(0, 2 * np.pi, 11)[:-1])]
        cv2.fillPoly(img, [np.array(pts, np.int32)], color, cv2.LINE_AA)
    elif kind == 2:
        cv2.rectangle(img, (cx - size // 3, cy - size // 2), (cx + size // 3, cy + size // 2), color, -1)
        cv2.circle(img, (cx, cy), size // 4, tuple(255 - c for c in color), -1, cv2.LINE_AA)
    else:  # a two-disc sticker, as between German groups
        cv2.circle(img, (cx, cy - size // 3), size // 4, color, -1, cv2.LINE_AA)
        cv2.circle(img, (cx, cy + size // 3), size // 4, (60, 60, 60), -1, cv2.LINE_AA)


def _main_line(groups: list[str], font: Path, char_h: float, sep: str, rng: np.random.Generator
               ) -> tuple[np.ndarray, list[int]] | None:
    """Ink of one line of characters and the x centres of its emblem slots."""
    glyphs = {ch: _glyph(str(font), ch) for ch in set("".join(groups))}
    if any(g is None for g in glyphs.values()):
        return None
    ref = max(g.shape[0] for g in glyphs.values())
    s = char_h / ref
    squeeze = rng.uniform(0.7, 1.15)
    gap = rng.uniform(0.03, 0.22) * char_h
    parts: list[np.ndarray | str] = []
    for i, group in enumerate(groups):
        if i:
            parts.append(sep)
        for ch in group:
            g = glyphs[ch]
            parts.append(cv2.resize(g, (max(1, int(g.shape[1] * s * squeeze)), max(1, int(g.shape[0] * s))),
                                    interpolation=cv2.INTER_AREA))
    h = int(char_h)
    widths = []
    for p in parts:
        if isinstance(p, str):
            widths.append(int(char_h * {"-": 0.45, "·": 0.3, " ": 0.4, "": 0.15, "emblem": 0.6}[p]))
        else:
            widths.append(p.shape[1])
    width = int(sum(widths) + gap * (len(parts) - 1)) + 2
    ink = np.zeros((h + 2, width), np.float32)
    slots, x = [], 0.0
    for p, w in zip(parts, widths):
        if isinstance(p, str):
            cx, cy = int(x + w / 2), h // 2
            if p == "-":
                cv2.rectangle(ink, (int(x + w * 0.15), int(cy - char_h * 0.05)), (int(x + w * 0.85),
                              int(cy + char_h * 0.05)), 1.0, -1)
            elif p == "·":
                cv2.circle(ink, (cx, cy), max(1, int(char_h * 0.07)), 1.0, -1, cv2.LINE_AA)
            elif p == "emblem":
                slots.append(cx)
        else:
            y = h - p.shape[0]
            ink[max(0, y) : max(0, y) + p.shape[0], int(x) : int(x) + w] = np.maximum(
                ink[max(0, y) : max(0, y) + p.shape[0], int(x) : int(x) + w], p[: h + 2 - max(0, y)])
        x += w + gap
    return ink, slots


def render_plate(rng: np.random.Generator, fonts: list[Path], deco_fonts: list[Path],
                 region: str | None = None) -> tuple[np.ndarray, str]:
    """Draw one flat plate (BGR uint8) and return it with its label (characters only)."""
    region = region or str(rng.choice(["us", "eu", "br"], p=[0.6, 0.25, 0.15]))
    two_line = rng.random() < 0.07
    lines, label = random_plate_text(region, rng, two_line)
    size = {"us": (320, 160), "eu": (int(rng.uniform(400, 520)), 110), "br": (400, 130)}[region]
    if two_line:
        size = {"us": (240, 170), "eu": (300, 200), "br": (240, 190)}[region]
    W, H = size
    r = rng.random()
    if region == "us" and r < 0.15:
        bg, ink_c = _pick(rng, DARK), _pick(rng, LIGHT_INK)
    elif (region == "us" and r < 0.25) or (region == "eu" and r < 0.3):  # yellow plates
        bg, ink_c = (40, 200, 245), (20, 20, 20)
    elif region == "br" and r < 0.3:
        bg, ink_c = (170, 170, 170), (40, 40, 40)
    else:
        bg, ink_c = (_pick(rng, LIGHT) if region == "us" else (240, 240, 240)), _pick(rng, DARK_INK)
    if region != "us":
        ink_c = (20, 20, 20) if rng.random() < 0.85 else ink_c
    bg, ink_c = _jitter(bg, rng), _jitter(ink_c, rng)
    img = _background(H, W, bg, rng) if region == "us" else np.full((H, W, 3), bg, np.float32)
    accent = rng.uniform(0, 200, 3).astype(np.float32) if rng.random() < 0.5 else ink_c
    top, bottom, left = 0.0, float(H), 0.0
    if region == "us":
        if rng.random() < 0.85:
            top = H * rng.uniform(0.17, 0.27)
            _deco(img, _pick(rng, REGIONS), deco_fonts, top * 0.52, top * rng.uniform(0.6, 0.85), accent, rng)
        if rng.random() < 0.7:
            bottom = H * rng.uniform(0.78, 0.86)
            _deco(img, _pick(rng, SLOGANS), deco_fonts, (bottom + H) / 2, (H - bottom) * rng.uniform(0.55, 0.8),
                  accent if rng.random() < 0.5 else ink_c, rng)
        for _ in range(int(rng.integers(0, 3))):  # registration stickers in the corners
            sw, sh = int(W * rng.uniform(0.08, 0.16)), int(H * rng.uniform(0.1, 0.2))
            sx = int(rng.choice([rng.uniform(0.01, 0.06), rng.uniform(0.8, 0.9)]) * W)
            sy = int(rng.choice([rng.uniform(0.02, 0.08), rng.uniform(0.75, 0.85)]) * H)
            cv2.rectangle(img, (sx, sy), (sx + sw, sy + sh), tuple(float(v) for v in rng.uniform(0, 255, 3)), -1)
            t = _fit_text(str(rng.integers(1, 99)), _pick(rng, fonts), sh * 0.6, sw * 0.8)
            if t is not None:
                _paint(img, t, sx + 2, sy + 2, np.zeros(3, np.float32))
    elif region == "eu":
        left = W * rng.uniform(0.07, 0.1)
        cv2.rectangle(img, (0, 0), (int(left), H), (150 + rng.normal(0, 20), 50, 0), -1)
        for a in np.linspace(0, 2 * np.pi, 13)[:-1]:
            cv2.circle(img, (int(left / 2 + left * 0.3 * np.cos(a)), int(H * 0.3 + left * 0.3 * np.sin(a))), 2,
                       (0, 200, 250), -1)
        t = _fit_text(_pick(rng, COUNTRIES), _pick(rng, fonts), H * 0.25, left * 0.8)
        if t is not None:
            _paint(img, t, int((left - t.shape[1]) / 2), int(H * 0.62), np.full(3, 250, np.float32))
    else:
        if rng.random() < 0.7:  # Mercosul: a blue band with the country name
            top = H * rng.uniform(0.2, 0.26)
            cv2.rectangle(img, (0, 0), (W, int(top)), (140 + rng.normal(0, 20), 60, 10), -1)
            _deco(img, "BRASIL", fonts, top / 2, top * 0.6, np.full(3, 250, np.float32), rng)
        elif rng.random() < 0.7:
            top = H * rng.uniform(0.15, 0.22)
            _deco(img, _pick(rng, REGIONS).upper(), fonts, top / 2, top * 0.6, ink_c, rng)
    font = _pick(rng, fonts)
    area_h = bottom - top
    n_lines = len(lines)
    char_h = area_h * (rng.uniform(0.6, 0.85) if n_lines == 1 else rng.uniform(0.36, 0.44))
    sep = _pick(rng, SEPARATORS) if region == "us" else str(rng.choice(["-", " ", "", "emblem", "·"]))
    room = W - left
    for i, groups in enumerate(lines):
        made = _main_line(groups, font, char_h, sep, rng)
        if made is None:  # this face lacks a glyph: fall back to the first face
            made = _main_line(groups, fonts[0], char_h, sep, rng)
        ink, slots = made  # type: ignore[misc]
        fit = min(1.0, room * rng.uniform(0.8, 0.95) / ink.shape[1])
        ink = cv2.resize(ink, (max(1, int(ink.shape[1] * fit)), ink.shape[0]), interpolation=cv2.INTER_AREA)
        x = int(left + (room - ink.shape[1]) / 2 + rng.normal(0, room * 0.015))
        cy = top + area_h * ((i + 0.5) / n_lines) + rng.normal(0, area_h * 0.03)
        y = int(cy - ink.shape[0] / 2)
        if rng.random() < 0.4:  # embossed: a soft shadow under raised characters
            _paint(img, cv2.GaussianBlur(ink, (0, 0), 1.2), x + 2, y + 2, ink_c * 0.4, 0.6)
        _paint(img, ink, x, y, ink_c)
        for cx in slots:
            _emblem(img, x + int(cx * fit), int(cy), int(char_h * 0.55), rng)
    if rng.random() < 0.6:  # bolts
        for bx in (0.25, 0.75):
            for by in ((0.08, 0.92) if rng.random() < 0.5 else (0.08,)):
                cv2.circle(img, (int(W * bx), int(H * by)), max(2, H // 30), (70, 70, 70), -1, cv2.LINE_AA)
    if rng.random() < 0.7:
        cv2.rectangle(img, (1, 1), (W - 2, H - 2), tuple(float(c) for c in ink_c), int(rng.integers(1, 4)))
    if bottom < H and rng.random() < 0.2:  # a dealer frame over the slogan
        fh = int(H * rng.uniform(0.08, 0.14))
        cv2.rectangle(img, (0, H - fh), (W, H), (20, 20, 20), -1)
        _deco(img, _pick(rng, ["AUTO MALL", "TOYOTA", "HONDA OF", "FORD", "CHEVROLET", "CARMAX"]), fonts,
              H - fh / 2, fh * 0.6, np.full(3, 230, np.float32), rng)
    return np.clip(img, 0, 255).astype(np.uint8), label


def _car(h: int, w: int, rng: np.random.Generator) -> np.ndarray:
    """A car-body-like surround: a flat paint colour with light falloff, edges and noise."""
    img = np.empty((h, w, 3), np.float32)
    img[:] = rng.uniform(0, 255, 3)
    yy = np.linspace(-1, 1, h, dtype=np.float32)[:, None, None]
    img *= 1 - rng.uniform(0, 0.4) * yy ** 2
    for _ in range(int(rng.integers(0, 4))):
        y = int(rng.integers(h))
        cv2.line(img, (0, y), (w, y + int(rng.integers(-h // 8, h // 8 + 1))),
                 tuple(float(v) for v in rng.uniform(0, 255, 3)), int(rng.integers(1, 6)))
    return img


def camera_crop(plate: np.ndarray, rng: np.random.Generator, out_hw: tuple[int, int] = (64, 128)) -> np.ndarray:
    """See a flat plate through a camera and crop it like a plate finder would; gray uint8 ``out_hw``."""
    H, W = plate.shape[:2]
    CH, CW = int(H * 2.2), int(W * 1.7)
    canvas = _car(CH, CW, rng)
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    angle = float(np.clip(rng.normal(0, 4), -15, 15)) if rng.random() < 0.9 else rng.uniform(-15, 15)
    t = np.deg2rad(angle)
    rot = np.array([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]], np.float32)
    centred = (src - [W / 2, H / 2]) @ rot.T
    jitter = rng.normal(0, 0.035, (4, 2)) * [W, H] if rng.random() < 0.7 else np.zeros((4, 2))
    dst = (centred + jitter + [CW / 2, CH / 2]).astype(np.float32)
    m = cv2.getPerspectiveTransform(src, dst)
    warped = cv2.warpPerspective(plate.astype(np.float32), m, (CW, CH), flags=cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((H, W), np.float32), m, (CW, CH), flags=cv2.INTER_LINEAR)[..., None]
    canvas = canvas * (1 - mask) + warped * mask
    x0, y0 = dst.min(axis=0)
    x1, y1 = dst.max(axis=0)
    bw, bh = x1 - x0, y1 - y0
    loose = rng.random() < 0.2
    m_lo, m_hi = (0.05, 0.3) if loose else (-0.04, 0.1)
    mx0, mx1 = rng.uniform(m_lo, m_hi, 2) * bw
    my0, my1 = rng.uniform(m_lo, m_hi, 2) * bh
    cx0, cy0 = int(max(0, x0 - mx0)), int(max(0, y0 - my0))
    cx1, cy1 = int(min(CW, x1 + mx1)), int(min(CH, y1 + my1))
    crop = canvas[cy0:cy1, cx0:cx1]
    res_w = int(np.exp(rng.uniform(np.log(70), np.log(300))))  # far or near: how many pixels the plate really had
    res_h = max(8, int(res_w * crop.shape[0] / max(crop.shape[1], 1)))
    img = cv2.resize(crop, (res_w, res_h), interpolation=cv2.INTER_AREA)
    if rng.random() < 0.25:  # shadow across part of the plate
        sh = np.ones(img.shape[:2], np.float32)
        a, b = rng.uniform(0, res_w, 2)
        pts = np.array([[a, 0], [b, res_h], [res_w if rng.random() < 0.5 else 0, res_h],
                        [res_w if rng.random() < 0.5 else 0, 0]], np.int32)
        cv2.fillPoly(sh, [pts], float(rng.uniform(0.35, 0.75)))
        img *= cv2.GaussianBlur(sh, (0, 0), 1 + res_w / 100)[..., None]
    if rng.random() < 0.2:  # glare
        g = np.zeros(img.shape[:2], np.float32)
        cv2.ellipse(g, (int(rng.uniform(0, res_w)), int(rng.uniform(0, res_h))),
                    (int(rng.uniform(0.1, 0.4) * res_w), int(rng.uniform(0.1, 0.5) * res_h)),
                    rng.uniform(0, 180), 0, 360, 1.0, -1)
        img += cv2.GaussianBlur(g, (0, 0), res_w / 15)[..., None] * rng.uniform(60, 200)
    if rng.random() < 0.25:  # low light
        img = img * rng.uniform(0.2, 0.6)
    if rng.random() < 0.35:
        img = cv2.GaussianBlur(img, (0, 0), rng.uniform(0.4, 1.3))
    if rng.random() < 0.2:  # motion blur
        k = int(rng.integers(3, 8))
        kern = np.zeros((k, k), np.float32)
        kern[k // 2] = 1.0 / k
        kern = cv2.warpAffine(kern, cv2.getRotationMatrix2D((k / 2 - 0.5, k / 2 - 0.5), rng.uniform(0, 180), 1), (k, k))
        img = cv2.filter2D(img, -1, kern / max(kern.sum(), 1e-6))
    img = img + rng.normal(0, rng.uniform(0, 8), img.shape).astype(np.float32)
    img = np.clip(img, 0, 255).astype(np.uint8)
    if rng.random() < 0.5:
        ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, int(rng.integers(25, 92))])
        img = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    gray = cv2.cvtColor(img, cv2.COLOR_BGR2GRAY)
    return cv2.resize(gray, (out_hw[1], out_hw[0]), interpolation=cv2.INTER_AREA)


def plate_fonts(held_out: bool = False) -> tuple[list[Path], list[Path]]:
    """(character faces, decoration faces) that are installed; ``held_out`` gives the validation faces."""
    return font_paths(PLATE_HELD_OUT_FONTS if held_out else PLATE_FONTS), font_paths(DECO_FONTS)
