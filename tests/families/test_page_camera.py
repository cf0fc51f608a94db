"""Issue 15: what a camera photo adds after the paper is cut out: a shadow band across the text, a receipt's
prices standing apart from its words."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from bench.page_bench import normalise
from edge_app.families.page.reader import PageReader
from edge_app.families.page.segment import segment_page
from edge_app.families.page.shade import flat_ink
from edge_app.preprocess import ink_map
from edge_app.text_metrics import cer
from tests.conftest import text_card

LINES = ["The quick brown fox jumps", "over the lazy dog while", "seven wizards quietly hex", "a jolly big sphinx"]


def _band(shape: tuple[int, ...], width: float) -> np.ndarray:
    """Distance (in ``width`` units) of each pixel from a diagonal line through the image's middle."""
    h, w = shape[:2]
    ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
    return np.abs((xs - w / 2) + 0.6 * (ys - h / 2)) / (width * w)


def _shadowed(card: np.ndarray, depth: float = 0.6) -> np.ndarray:
    """The card with a soft diagonal band ``depth`` darker across its middle (a phone's shadow)."""
    light = 1.0 - depth * np.clip(1.5 - _band(card.shape, 0.1), 0.0, 1.0)
    return (card.astype(np.float32) * light[..., None]).clip(0, 255).astype(np.uint8)


@pytest.fixture(scope="module")
def reader():
    return PageReader(num_threads=2)


def test_a_shadow_band_leaves_no_ink_and_its_letters_as_dark_as_the_others():
    card = text_card(LINES)
    gray = cv2.cvtColor(_shadowed(card), cv2.COLOR_BGR2GRAY)
    letters = cv2.cvtColor(card, cv2.COLOR_BGR2GRAY) < 128
    ink = flat_ink(gray, letter=30)
    paper = ~cv2.dilate(letters.astype(np.uint8), np.ones((9, 9), np.uint8)).astype(bool)
    band = np.percentile(ink[paper], 99.5)  # the band's edges, where its light changes fastest
    assert band < 0.25 and band < 0.5 * np.percentile(ink_map(gray)[paper], 99.5)
    shade = _band(gray.shape, 0.1) < 0.5
    assert (letters & shade).sum() > 100
    assert np.median(ink[letters & shade]) > 0.8 * np.median(ink[letters & ~shade])


def test_a_card_with_a_shadow_band_reads_whole(reader):
    result = reader.read(_shadowed(text_card(LINES)), paper="off")
    assert len(result.text.split("\n")) == len(LINES)
    assert cer([normalise(result.text)], [normalise("\n".join(LINES))]) < 0.03


def _receipt() -> np.ndarray:
    """Item lines in capitals with their prices far to the right, past the words' column."""
    rows = ["FRESH MILK AND EGGS", "WHITE BREAD TWO LOAVES", "COFFEE BEANS DARK", "RED APPLES FROM KENT",
            "HAND SOAP AND TOWEL", "TOTAL OF THE ITEMS"]
    prices = ["1.19", "2.49", "8.99", "3.20", "1.75", "17.62"]
    img = np.full((60 * len(rows) + 80, 1200), 240, np.uint8)
    for i, (row, price) in enumerate(zip(rows, prices)):
        cv2.putText(img, row, (40, 80 + 60 * i), cv2.FONT_HERSHEY_DUPLEX, 1.2, 25, 2, cv2.LINE_AA)
        cv2.putText(img, price, (1060, 80 + 60 * i), cv2.FONT_HERSHEY_DUPLEX, 1.2, 25, 2, cv2.LINE_AA)
    return img


def test_a_paper_keeps_the_prices_beside_its_column_a_photo_drops_them_as_a_facing_page():
    on_paper = segment_page(_receipt(), paper=True)
    assert len(on_paper.lines) == 6 and all(ln.box[2] > 1050 for ln in on_paper.lines)
    in_photo = segment_page(_receipt())  # the narrow band past the column could be the facing page's line ends
    assert all(ln.box[2] < 1050 for ln in in_photo.lines)


def test_a_mark_standing_apart_before_a_price_goes_with_the_price(reader):
    """A mark lower than a letter (here an 'x') more than a letter before the word of its chunk is read
    with it, not lost between the line's chunks."""
    img = np.full((260, 1300), 240, np.uint8)
    for i, (item, price) in enumerate([("FRESH BREAD", "2.10"), ("TWO COFFEES", "7.80")]):
        y = 90 + 80 * i
        for text, x in ((item, 40), ("x", 900), (price, 990)):
            cv2.putText(img, text, (x, y), cv2.FONT_HERSHEY_SIMPLEX, 1.4, 25, 2, cv2.LINE_AA)
    lines = reader.read(img, paper="off").text.split("\n")
    assert len(lines) == 2 and all(" x " in ln for ln in lines), lines
