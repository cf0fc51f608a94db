"""Line segmentation for handwriting: pages, lines and words -> lines -> the reader's chunks."""

from __future__ import annotations

import cv2
import numpy as np

from edge_app.families.handwriting.preprocess import line_input
from edge_app.families.handwriting.segment import segment_lines
from edge_app.families.handwriting.spec import LINE_SIZE


def page_photo(texts: list[str], seed: int = 4):
    from train.data.handwriting import compose_page, word_fonts

    return compose_page(texts, word_fonts("test"), np.random.default_rng(seed))


def test_a_blank_page_has_no_lines():
    rng = np.random.default_rng(0)
    paper = np.clip(rng.normal(200, 3, (600, 400)), 0, 255).astype(np.uint8)
    assert segment_lines(paper) == []
    assert segment_lines(np.full((50, 50), 255, np.uint8)) == []


def test_page_lines_come_back_top_to_bottom_with_model_sized_chunks():
    page, written = page_photo(["first line here", "the second one", "3rd: 42 apples", "end."])
    lines = segment_lines(page)
    assert len(lines) == len(written) == 4
    tops = [ln.box[1] for ln in lines]
    assert tops == sorted(tops)
    for ln in lines:
        assert ln.chunks and all(c.shape == LINE_SIZE and c.max() == 1.0 for c in ln.chunks)


def test_a_word_photo_gives_what_training_gave():
    """One preprocessing: the reader's chunk for a word photo is the training input of that photo."""
    from train.data.handwriting import draw_sample, word_fonts

    rng = np.random.default_rng(11)
    same = 0
    for _ in range(20):
        img, _ = draw_sample("font", rng, word_fonts("val"), None, "word")
        lines = segment_lines(img)
        if len(lines) == 1 and len(lines[0].chunks) == 1:
            same += float(np.abs(lines[0].chunks[0] - line_input(img)).mean()) < 0.02
    assert same >= 12  # the rest differ by specks away from the word, which segmentation leaves out


def test_a_faint_letter_beside_bold_ones_stays_in_the_word():
    """A letter a third as dark as its neighbours (another pen, a lighter stroke) is read with them: the
    line's chunk and the training input both start with it (at Otsu's own threshold it was masked out,
    and the word began at the first bold letter)."""
    img = np.full((60, 220), 230, np.uint8)
    cv2.circle(img, (30, 32), 12, 170, 3)  # a faint 'o' at the left
    cv2.putText(img, "ayes", (52, 44), cv2.FONT_HERSHEY_SIMPLEX, 1.1, 40, 3)  # bold letters
    (line,) = segment_lines(img)
    assert line.box[0] <= 20
    (chunk,) = line.chunks
    for inp in (chunk, line_input(img)):
        cols = np.flatnonzero(inp.max(axis=0) > 0.05)
        first = inp[:, cols[0] : cols[0] + 4].max()
        assert 0.15 < first < 0.6  # the faint 'o' first, not the bold 'a' (1.0)


def test_the_faint_mask_never_drops_ink_otsu_keeps():
    """On a noisy ink map (the noise floor above Otsu's threshold) the sensitive mask keeps at least what
    Otsu's keeps; it used to take the noise floor and lose the letters."""
    from edge_app.preprocess import line_mask

    rng = np.random.default_rng(0)
    ink = np.clip(rng.normal(0.12, 0.06, (60, 200)), 0, 1).astype(np.float32)
    ink[20:40, 20:180:6] = 0.42  # strokes
    otsu, faint = line_mask(ink) > 0, line_mask(ink, 0.5) > 0
    assert otsu.sum() >= 500 and (faint | ~otsu).all()


def test_a_page_keeps_otsus_outline_and_gains_only_the_faint_letters():
    """On a page the lower threshold only adds what Otsu misses entirely (a faint letter, whole), not the
    blur around the letters Otsu found (it would thicken small writing)."""
    from edge_app.preprocess import with_faint_parts

    strong = np.zeros((20, 40), np.uint8)
    strong[5:15, 5:8] = 255
    faint = strong.copy()
    faint[4:16, 4:9] = 255  # the same stroke with its blur
    faint[6:14, 25:28] = 255  # a letter only the lower threshold finds
    out = with_faint_parts(strong, faint) > 0
    assert out[5:15, 5:8].all() and not out[4, 4:9].any() and not out[:, 4].any()
    assert out[6:14, 25:28].all() and out.sum() == 30 + 24


def test_a_big_i_dot_above_its_word_is_read_with_it():
    """A dot as high as half a letter, a little above its stem, was a line of its own (read as 'a');
    it belongs to the line just below it."""
    img = np.full((90, 200), 235, np.uint8)
    cv2.line(img, (30, 35), (30, 60), 30, 4)  # r
    cv2.ellipse(img, (42, 40), (12, 6), 0, 180, 330, 30, 4)
    cv2.line(img, (75, 35), (75, 60), 30, 4)  # i and its dot
    cv2.circle(img, (75, 22), 8, 30, -1)
    for x in (95, 119, 143):  # m
        cv2.line(img, (x, 35 if x == 95 else 42), (x, 60), 30, 4)
    for x in (107, 131):
        cv2.ellipse(img, (x, 42), (12, 8), 0, 180, 360, 30, 4)
    (line,) = segment_lines(img)
    assert line.box[1] <= 14 and len(line.chunks) == 1


def test_a_dot_between_two_letters_does_not_part_them():
    """Chaining left to right, a word overlapping a letter and a dot equally (both inside its height)
    joins the letter's line: a tie went to the later line, the dot's, leaving the letter alone."""
    img = np.full((80, 170), 235, np.uint8)
    cv2.polylines(img, [np.int32([(20, 35), (27, 60), (35, 40), (43, 60), (50, 35)])], False, 30, 4)  # w
    cv2.circle(img, (72, 22), 7, 30, -1)  # i's dot, at the height of the d's ascender
    cv2.line(img, (72, 35), (72, 60), 30, 4)
    cv2.circle(img, (92, 48), 11, 30, 4)  # d
    cv2.line(img, (103, 10), (103, 60), 30, 4)
    cv2.circle(img, (123, 48), 11, 30, 4)  # o
    (line,) = segment_lines(img)
    assert line.box[0] <= 20 and line.box[2] >= 130


def test_a_long_line_is_cut_between_words():
    page, _ = page_photo(["one two three four five six seven eight nine ten eleven"], seed=2)
    (line,) = segment_lines(page)
    assert len(line.chunks) >= 2
    for chunk in line.chunks:  # each chunk keeps its natural width: none is squeezed to the edge
        assert not chunk[:, -2:].any()


def test_ruled_paper_lines_are_not_text():
    page, _ = page_photo(["ruled paper"], seed=5)
    ruled = page.copy()
    for y in range(10, page.shape[0], 37):
        ruled[y : y + 2, :] = (ruled[y : y + 2, :] * 0.6).astype(np.uint8)
    lines = segment_lines(ruled)
    assert len(lines) == 1


def test_a_small_word_in_a_big_photo_is_found():
    """Ink under 0.1% of the frame, on paper lit unevenly: polarity and contrast come from the ink itself."""
    from train.data import augment
    from train.data.handwriting import font_ink, word_fonts

    rng = np.random.default_rng(1)
    ink = font_ink("hello", word_fonts("test")[1], rng)
    ys, xs = np.nonzero(ink > 0.3)
    ink = ink[ys.min() : ys.max() + 1, xs.min() : xs.max() + 1]
    canvas = np.zeros((1000, 1000), np.float32)
    canvas[500 : 500 + ink.shape[0], 300 : 300 + ink.shape[1]] = ink
    paper = augment.paper(1000, 1000, rng)
    photo = np.clip(paper - canvas * 0.7 * paper.mean() + rng.normal(0, 2, paper.shape), 0, 255).astype(np.uint8)
    assert (canvas > 0.3).mean() < 0.001
    (line,) = segment_lines(photo)
    x0, y0, x1, y1 = line.box
    assert abs(x0 - 300) < 6 and abs(y0 - 500) < 6 and abs(x1 - (300 + ink.shape[1])) < 6


def shadowed(page: np.ndarray, depth: float = 0.5, width: float = 0.12) -> np.ndarray:
    """The page under a soft vertical shadow band (a Gaussian profile ``width`` of the page wide) at its middle."""
    h, w = page.shape[:2]
    x = (np.arange(w, dtype=np.float32) - 0.5 * w) / (width * w)
    return np.clip(page.astype(np.float32) * (1 - depth * np.exp(-(x**2)))[None, :], 0, 255).astype(np.uint8)


def test_a_narrow_shadow_is_background_given_a_narrower_estimate():
    from edge_app.preprocess import ink_map

    paper = shadowed(np.full((600, 900), 220, np.uint8))
    assert ink_map(paper).max() > 0.5  # a third of the side wide: the band stays, as ink
    assert ink_map(paper, background=40).max() < 0.1


def test_a_shadow_band_across_a_page_leaves_its_lines():
    texts = ["first line here", "the second one", "3rd: 42 apples", "end."]
    page, _ = page_photo(texts)
    page = cv2.copyMakeBorder(page, 0, 0, 200, 200, cv2.BORDER_REPLICATE)
    clean = segment_lines(page)
    lines = segment_lines(shadowed(page))
    assert len(lines) == len(clean) == 4
    for a, b in zip(lines, clean):
        assert np.allclose(a.box, b.box, atol=6)


def test_fragments_join_the_line_they_lie_in_or_go_at_the_border():
    from edge_app.families.handwriting.segment import _without_fragments
    from edge_app.textlines import Blob, Line

    word = Line(words=[Blob(1, (100, 100, 600, 160))])  # letters 50 px high
    stroke = Line(words=[Blob(2, (560, 120, 580, 140))])  # a pen stroke parted from its letter, inside it
    scrap = Line(words=[Blob(3, (300, 0, 330, 20))])  # cut off by the frame's top
    lone = Line(words=[Blob(4, (300, 300, 330, 330))])  # a lone small letter on its own line
    out = _without_fragments([scrap, word, stroke, lone], typical=50.0, shape=(400, 800))
    assert out == [word, lone] and [m.label for m in word.marks] == [2]


def test_lines_touching_through_long_strokes_come_apart():
    """Closely spaced lines whose descenders reach the ascenders below (one blob without the waist cut:
    2 lines found of 4) come apart line by line."""
    import edge_app.families.handwriting.segment as segment

    texts = ["jolly gypsy hedge", "lofty frog leaps", "big yellow kite", "happy puppy"]
    for seed in (0, 13, 20):
        page, written = page_photo(texts, seed)
        lines = segment_lines(page)
        assert len(lines) == len(written) == 4
        tops = [ln.box[1] for ln in lines]
        assert tops == sorted(tops)
    passes = segment.CUT_PASSES
    try:
        segment.CUT_PASSES = 0
        assert len(segment_lines(page_photo(texts, 0)[0])) == 2
    finally:
        segment.CUT_PASSES = passes
