"""The shipped handwriting reader: words, lines, pages and strokes in faces it never trained on;
decoders, lexicons and bad input."""

from __future__ import annotations

import json

import cv2
import numpy as np
import pytest

from edge_app.errors import EdgeOCRError
from edge_app.families.handwriting.reader import HandwritingReader
from edge_app.families.handwriting.spec import ENSEMBLE
from tests.conftest import MODELS, assert_clean_error, run_cli

WORDS = ["house", "water", "Morning", "little", "people", "garden"]


@pytest.fixture(scope="module")
def reader() -> HandwritingReader:
    return HandwritingReader(MODELS, num_threads=1)


def _photo(text: str, seed: int) -> np.ndarray:
    """``text`` in a held-out face, gently photographed."""
    from train.data.handwriting import font_ink, photograph_word, word_fonts

    rng = np.random.default_rng(seed)
    fonts = [f for f in word_fonts("test") if f.stem not in ("Humor-Sans", "BecauseWeMentor-Regular")]
    ink = font_ink(text, fonts[seed % len(fonts)], rng)
    return photograph_word(ink, rng)


def test_words_in_unseen_faces_are_read(reader):
    read = [reader.read(_photo(w, i)).text for i, w in enumerate(WORDS)]
    assert sum(r == w for r, w in zip(read, WORDS)) >= 5, read


def test_decoders_agree_on_a_clear_word_and_give_alternatives():
    img = _photo("garden", 1)
    for decoder in ("greedy", "beam", "lexicon"):
        assert HandwritingReader(MODELS, decoder=decoder).read(img).text == "garden", decoder
    item = HandwritingReader(MODELS, decoder="beam").read(img).items[0]
    assert item.alternatives[0][0] == "garden" and len(item.char_confidences) == 6


def test_the_lexicon_repairs_what_the_model_half_saw():
    img = _photo("question", 2)
    assert HandwritingReader(MODELS, decoder="greedy").read(img).text != "question"
    assert HandwritingReader(MODELS).read(img).text == "question"


def test_a_page_reads_line_by_line(reader):
    from train.data.handwriting import compose_page, word_fonts

    page, written = compose_page(["the garden", "is green", "in spring"], word_fonts("test")[1:2],
                                 np.random.default_rng(3))
    result = reader.read(page)
    assert len(result.items) == 3 and result.text.count("\n") == 2
    tops = [i.box[1] for i in result.items]
    assert tops == sorted(tops)
    right = sum(r == w for r, w in zip(result.text.split("\n"), written))
    assert right >= 2, result.text


def test_touch_strokes_of_a_word_are_read(reader):
    from train.data.fonts import font_paths
    from train.data.glyph_strokes import ink_strokes
    from train.data.handwriting import font_ink

    ink = font_ink("hello", font_paths(["Purisa-Oblique"])[0], np.random.default_rng(0))
    strokes = ink_strokes(cv2.resize(ink, None, fx=2, fy=2))
    assert reader.read_strokes(strokes).text == "hello"
    flipped = [[(x, 1000 - y, t) for x, y, t in s] for s in strokes]  # a Kivy canvas: y grows upwards
    assert reader.read_strokes(flipped, canvas=(1200, 1000), y_up=True).text == "hello"


def test_nothing_to_read_gives_no_text(reader):
    rng = np.random.default_rng(0)
    assert reader.read(np.clip(rng.normal(210, 3, (900, 700)), 0, 255).astype(np.uint8)).text == ""
    assert reader.read(np.zeros((40, 40), np.uint8)).items == []
    assert reader.read_strokes([]).text == ""
    assert reader.read_strokes([[(5.0, 5.0, 0.0)]], canvas=(800, 480)).text == ""  # a tap
    with pytest.raises(EdgeOCRError, match="not a finite number"):
        reader.read_strokes([[(float("nan"), 1.0, 0.0), (2.0, 3.0, 0.1)]])


def test_each_chunk_is_read_shifted_a_row_up_and_down_and_averaged(reader):
    from edge_app.families.handwriting.preprocess import line_input
    from edge_app.families.handwriting.reader import SHIFTS

    x = line_input(_photo("garden", 1))
    assert x[:2].max() == 0 and x[-2:].max() == 0  # the 2 px margins: a row's roll wraps no ink
    shifted = [np.roll(x, s, axis=0) for s in SHIFTS]
    raw = reader.model(np.stack(shifted)[..., None].astype(np.float32))
    got = reader.infer([x])
    assert got.shape == (1, *raw.shape[1:]) and len(SHIFTS) == 3
    np.testing.assert_allclose(got[0], raw.mean(0), atol=1e-6)
    assert not np.allclose(raw[0], raw[1])  # the shifted reads do differ


def test_a_user_lexicon_steers_words(tmp_path, reader):
    img = _photo("qolv", 0)  # not English: the shipped lexicon cannot help, the user's can
    lex = tmp_path / "codes.txt"
    lex.write_text("qolv 5\nsolv 1\n", encoding="utf-8")
    assert reader.read(img).text != "qolv"
    assert HandwritingReader(MODELS, lexicon=lex).read(img).text == "qolv"


def test_cli_reads_handwriting_json(write_png):
    path = write_png("word.png", _photo("people", 4))
    proc = run_cli("read", "--task", "handwriting", "--json", str(path))
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["text"] == "people" and out["items"][0]["box"][2] > 0 and "segment" in out["timings_ms"]


def test_cli_lexicon_and_decoder_errors(tmp_path, write_png):
    path = write_png("word.png", _photo("water", 1))
    empty = tmp_path / "empty.txt"
    empty.write_text("\n\n", encoding="utf-8")
    latin1 = tmp_path / "latin1.txt"
    latin1.write_bytes("caf\xe9\n".encode("latin-1"))
    for args, fragment in (
        (["--lexicon", str(tmp_path / "missing.txt")], "not found"),
        (["--lexicon", str(empty)], "empty"),
        (["--lexicon", str(latin1)], "not UTF-8"),
        (["--decoder", "beam", "--lexicon", str(empty)], "lexicon decoder"),
        (["--decoder", "viterbi"], "invalid choice"),
    ):
        assert_clean_error(run_cli("read", "--task", "handwriting", *args, str(path)), fragment)
    assert_clean_error(run_cli("read", "--task", "char", "--decoder", "beam", str(path)), "handwriting only")


def test_a_changed_shipped_lexicon_is_refused(models_copy):
    from edge_app.manifest import get_entry

    lex = models_copy / get_entry("handwriting", models_copy)["lexicon"]["file"]
    lex.write_text(lex.read_text(encoding="utf-8") + "zzyzx\t5\n", encoding="utf-8")
    with pytest.raises(EdgeOCRError, match="sha256"):
        HandwritingReader(models_copy)


@pytest.mark.parametrize("model", ["char_strokes", "char_draw"])
def test_glyphs_traced_as_strokes_are_read_by_the_stroke_character_models(model):
    from edge_app.families.char.reader import CharReader
    from edge_app.strokes import strokes_to_cell
    from train.data.fonts import font_paths
    from train.data.glyph_strokes import glyph_strokes

    reader = CharReader(MODELS, model_name=model)
    font = font_paths(["Purisa-Oblique"])[0]  # held out of every model's training
    chars = "27AEHKMRbdefghnrt"  # no look-alike capitals: a lone cell cannot show case
    cells = np.stack([strokes_to_cell(glyph_strokes(ch, font)) for ch in chars])
    read = "".join(a[0][0] for a in reader.classify(cells, k=1))
    assert sum(r == c for r, c in zip(read, chars)) >= len(chars) - 2, read


def test_the_draw_screen_reads_printed_faces_no_model_trained_on():
    """The touch pair reads every glyph of four printed families left out of all training (the look-alikes
    0/O/o, I/l/1 and same-shape case pairs are most of what it misses): 220 of 248 exact; the pair before
    ``char_draw`` (``char+char_strokes``) read 214."""
    from edge_app.families.char.reader import CharReader
    from edge_app.families.char.spec import ALPHABET
    from edge_app.strokes import strokes_to_cell
    from train.data.fonts import font_paths
    from train.data.glyph_strokes import glyph_strokes

    reader = CharReader(MODELS, model_name="char+char_draw")
    right = 0
    for font in font_paths(["Cantarell-Regular", "Go-Mono", "CharisSIL-Regular", "Carlito-Regular"], "printed"):
        cells = np.stack([strokes_to_cell(glyph_strokes(ch, font)) for ch in ALPHABET])
        right += sum(a[0][0] == ch for a, ch in zip(reader.classify(cells, k=1), ALPHABET))
    assert right >= 218, right


@pytest.mark.parametrize("seed, word", [(9, "people"), (10, "garden"), (11, "morning")])
def test_a_note_on_a_table_is_found_and_read(reader, seed, word):
    from tests.conftest import card_quad, handwriting, photograph, place, scene

    rng = np.random.default_rng(seed)
    note = cv2.copyMakeBorder(cv2.cvtColor(handwriting(word, height=160), cv2.COLOR_GRAY2BGR), 80, 80, 80, 80,
                              cv2.BORDER_REPLICATE)
    quad = card_quad((1200, 1600), note.shape[:2], rng, 15, 0.2)
    image = photograph(place(note, scene((1200, 1600), rng, "dark"), quad, shadow=0.3), rng)
    result = reader.read(image)
    assert result.text == word and any("paper found" in n for n in result.notes)
    assert np.abs(np.float32(result.paper) - quad).max() < 20
    x, y, w, h = result.items[0].box  # on the photo, inside the note
    assert cv2.pointPolygonTest(quad.reshape(-1, 1, 2), (x + w / 2, y + h / 2), False) > 0
    whole = reader.read(image, paper="off")  # the issue: the whole frame is one blob
    assert whole.text != word and whole.paper is None


@pytest.mark.parametrize("seed", [1, 3])
def test_a_note_with_no_paper_edge_is_read_from_its_text_region(reader, seed):
    from bench.camera_set import _note, _sources
    from edge_app.text_metrics import cer
    from tests.conftest import edgeless_photo

    paras, _, hands = _sources(("note",), None)
    rng = np.random.default_rng(seed)
    ink, lines, _ = _note(paras, None, hands, rng)
    image, _ = edgeless_photo(ink, rng, 0.2)  # a pale patch without straight edges in a cluttered scene
    result, whole = reader.read(image), reader.read(image, paper="off")
    assert any("by text region" in n for n in result.notes)
    assert cer(["\n".join(lines)], [result.text]) < 0.15 < 0.5 < cer(["\n".join(lines)], [whole.text])


def test_a_bare_table_reads_as_nothing_and_says_so(reader):
    from tests.conftest import photograph, scene

    rng = np.random.default_rng(8)
    result = reader.read(photograph(scene((1200, 1600), rng, "dark"), rng))
    assert result.text == "" and result.paper is None and "no text found" in result.notes


def test_a_word_the_model_splits_is_read_whole_with_the_lexicon():
    from bench.hw_bench import SEED
    from train.data.handwriting import draw_sample, word_fonts
    from train.data.hw_text import punctuate, token

    rng = np.random.default_rng(SEED)  # the bench's held-out-face words: the fifth is DAUGHTERS
    img, truth = [draw_sample("font", rng, word_fonts("test"), None, punctuate(token(rng), rng)) for _ in range(5)][4]
    assert truth == "DAUGHTERS"
    assert " " in HandwritingReader(MODELS, decoder="beam").read(img).text  # the model splits it (DAUGHT ER5)
    assert HandwritingReader(MODELS).read(img).text == "DAUGHTERS"  # pieces no words, joined one is


def test_the_reader_averages_both_handwriting_models_by_default(models_copy):
    reader = HandwritingReader(decoder="greedy")
    assert reader.model_name == "handwriting+handwriting2"
    strip = np.random.default_rng(0).random((2, 32, 256)).astype(np.float32)  # no writing: the models disagree
    one, other = (HandwritingReader(model_name=n, decoder="greedy").infer(strip) for n in ENSEMBLE)
    assert not np.allclose(one, other, atol=0.05)
    assert np.allclose(reader.infer(strip), (one + other) / 2, atol=1e-6)
    manifest = json.loads((models_copy / "manifest.json").read_text())
    del manifest["models"]["handwriting2"]
    (models_copy / "manifest.json").write_text(json.dumps(manifest))
    alone = HandwritingReader(models_copy)
    assert alone.model_name == "handwriting" and alone.lexicon is not None  # the lexicon is the first model's
