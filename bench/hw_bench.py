"""``edgeocr bench handwriting``: the handwriting reader on words in held-out faces, on words
composed from real character crops it never saw, on handwritten pages, and on touch strokes;
greedy, beam and lexicon decoding; int8 against its float twin; RapidOCR and Tesseract on the
same images. Writes MD, JSON and a plot.

Every system's text is compared after the same normalisation: whitespace removed (the peers'
recognisers drop spaces), case kept; a word is right when the whole normalised text is.
"""

from __future__ import annotations

import argparse
import contextlib
import string
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import cv2
import numpy as np

from edge_app.errors import EdgeOCRError
from edge_app.families.base import ensemble_name
from edge_app.families.char.reader import CharReader
from edge_app.families.char.spec import DRAW_ENSEMBLE
from edge_app.families.handwriting.reader import HandwritingReader
from edge_app.manifest import get_entry
from edge_app.strokes import strokes_to_cell
from edge_app.text_metrics import cer

from . import camera_bench
from .char_bench import _machine, _record, models_cost, setup, write_results
from .peers import RapidOCR, Tesseract, median_ms, write_images
from .publish import record_entry

INT8, FP16, FLOAT_TWIN = "edgeocr handwriting (int8)", "edgeocr handwriting (float16)", "handwriting_fp16"
SINGLE = "edgeocr handwriting alone (int8)"  # a row of its own where the default reader averages several models
FONT_WORDS, COMPOSED_WORDS, PAGES, STROKE_WORDS = 1000, 1000, 20, 200
SEED = 20261122  # never used by training (seeds 0 and 1) or development


def _norm(text: str) -> str:
    return "".join(text.split())


def _scores(truth: list[str], pred: list[str]) -> dict:
    t, p = [_norm(x) for x in truth], [_norm(x) for x in pred]
    return {"cer": round(cer(t, p) * 100, 2), "cer_ignoring_case": round(cer([x.lower() for x in t],
                                                                              [x.lower() for x in p]) * 100, 2),
            "word_acc": round(float(np.mean([a == b for a, b in zip(t, p)])) * 100, 2)}


def _note_scores(truth: list[str], pred: list[str]) -> dict:
    """A note's scores: CER with whitespace removed (case kept, and any case) and the share of words right."""
    s = _scores(truth, pred)
    del s["word_acc"]
    return {**s, "words_right": camera_bench.words_right(truth, pred)}


def _read_all(reader: HandwritingReader, images: list[np.ndarray]) -> tuple[list[str], float]:
    """Texts and the median end-to-end ms (segment, model, decode) per image."""
    texts, times = [], []
    for img in images:
        t = time.perf_counter()
        texts.append(reader.read(img).text)
        times.append(time.perf_counter() - t)
    return texts, median_ms(times)


def word_sets(args: argparse.Namespace) -> dict[str, tuple[list[np.ndarray], list[str]]]:
    """The word images: held-out faces (words, numbers, codes, punctuation) and, given the data,
    lexicon words composed from the never-trained crops."""
    from train.data.handwriting import draw_sample, load_crops, word_fonts
    from train.data.hw_text import cased, punctuate, token, word_table

    rng = np.random.default_rng(SEED)
    fonts = word_fonts("test")
    sets = {}
    drawn = [draw_sample("font", rng, fonts, None, punctuate(token(rng), rng)) for _ in range(FONT_WORDS)]
    sets["fonts"] = ([d[0] for d in drawn], [d[1] for d in drawn])
    if args.real or args.mnist:
        crops = load_crops("test", args.real, args.mnist)
        words, p = word_table()
        rng = np.random.default_rng(SEED + 1)
        texts = [cased(words[rng.choice(len(words), p=p)], rng).replace("'", "") for _ in range(COMPOSED_WORDS)]
        drawn = [draw_sample("composed", rng, fonts, crops, t) for t in texts]
        sets["composed"] = ([d[0] for d in drawn], [d[1] for d in drawn])
    return sets


def pages(rng: np.random.Generator) -> tuple[list[np.ndarray], list[list[str]]]:
    """Handwritten pages of 3-8 lines in held-out faces."""
    from train.data.handwriting import compose_page, word_fonts
    from train.data.hw_text import sample_text

    fonts = word_fonts("test")
    out, lines = [], []
    for _ in range(PAGES):
        page, written = compose_page([sample_text(rng) for _ in range(int(rng.integers(3, 9)))], fonts, rng)
        out.append(page)
        lines.append(written)
    return out, lines


def traced_glyphs() -> tuple[list[str], np.ndarray]:
    """The held-out faces' glyph skeletons traced as touch strokes: their labels and 28x28 cells."""
    from edge_app.families.char.spec import ALPHABET
    from train.data.fonts import HELD_OUT_FONTS, draws_as_labelled, font_paths
    from train.data.glyph_strokes import glyph_strokes

    truth, cells = [], []
    for font in font_paths(HELD_OUT_FONTS):
        for ch in ALPHABET:
            strokes = glyph_strokes(ch, font) if draws_as_labelled(font, ch) else None
            cell = strokes_to_cell(strokes) if strokes else None
            if cell is not None:
                truth.append(ch)
                cells.append(cell)
    return truth, np.stack(cells)


def strokes_chars(models_dir: Path, glyphs: tuple[list[str], np.ndarray], model_name: str = "char") -> dict:
    """The traced ``glyphs`` (:func:`traced_glyphs`) read by a character model."""
    truth, cells = glyphs
    reader = CharReader(models_dir, num_threads=1, model_name=model_name)
    pred = [a[0][0] for a in reader.classify(cells, k=1)]
    return {"glyphs": len(truth), "exact": round(float(np.mean([p == t for p, t in zip(pred, truth)])) * 100, 2),
            "ignoring_case": round(float(np.mean([p.lower() == t.lower() for p, t in zip(pred, truth)])) * 100, 2)}


def strokes_words(reader: HandwritingReader, rng: np.random.Generator) -> dict:
    """Words in the held-out faces traced as skeleton strokes, read by the handwriting reader."""
    from train.data.fonts import CAPS_ONLY_FONTS, HELD_OUT_FONTS, font_paths
    from train.data.glyph_strokes import ink_strokes
    from train.data.handwriting import font_ink
    from train.data.hw_text import cased, word_table

    words, p = word_table()
    fonts = font_paths(HELD_OUT_FONTS)
    truth, pred, times = [], [], []
    while len(truth) < STROKE_WORDS:
        font = fonts[len(truth) % len(fonts)]
        word = cased(words[rng.choice(len(words), p=p)], rng).replace("'", "")
        word = word.upper() if font.stem in CAPS_ONLY_FONTS else word
        ink = font_ink(word, font, rng)
        if ink is None:
            continue
        strokes = ink_strokes(cv2.resize(ink, None, fx=2, fy=2))
        t = time.perf_counter()
        pred.append(reader.read_strokes(strokes).text)
        times.append(time.perf_counter() - t)
        truth.append(word)
    return {"words": len(truth), **_scores(truth, pred), "ms_per_word": round(median_ms(times), 2)}


def bench_handwriting(args: argparse.Namespace) -> int:
    """Run the benchmark; returns the exit code."""
    models_dir, out_dir, entry = setup(args, "handwriting")
    readers = {d: HandwritingReader(models_dir, num_threads=1, decoder=d) for d in ("greedy", "beam", "lexicon")}
    names = readers["lexicon"].model_name.split("+")
    default = INT8 if len(names) == 1 else f"edgeocr {' + '.join(names)} (int8, averaged)"
    def cost(models: list[str]) -> dict:
        return models_cost(models_dir, models, "ms_per_word_model", 3, 500)

    systems: dict[str, dict] = {default: cost(names)}
    alone = None
    if len(names) > 1:  # the first model by itself: greedy for its float twin, lexicon for the pair's gain
        alone = {d: HandwritingReader(models_dir, num_threads=1, decoder=d, model_name=names[0])
                 for d in ("greedy", "lexicon")}
        systems[SINGLE] = cost(names[:1])
    twin = None
    try:
        twin = {d: HandwritingReader(models_dir, num_threads=1, decoder=d, model_name=FLOAT_TWIN)
                for d in ("greedy", "lexicon")}
        systems[FP16] = cost([FLOAT_TWIN])
    except EdgeOCRError:
        pass
    results: dict = {"date": date.today().isoformat(), "machine": _machine(), "model_sha256": entry["sha256"],
                     "default": default, "systems": systems, "sets": {}}
    camera = None
    if getattr(args, "scenes", None):
        from train.data.handwriting import load_crops

        camera = camera_bench.run_camera(
            args, out_dir, "handwriting", ("note",), HandwritingReader(models_dir, num_threads=2), _note_scores,
            [p for p in (Tesseract(3, "") if Tesseract.available() else None,
                         RapidOCR() if RapidOCR.available() else None) if p is not None],
            crops=load_crops("test", args.real, args.mnist))
    results["camera"] = camera
    print("drawing the word sets ...", file=sys.stderr)
    sets = word_sets(args)
    peers = [p for p in (RapidOCR() if RapidOCR.available() else None,
                         Tesseract(7, string.ascii_letters + string.digits + ".,;:!?'\"-()&/")
                         if Tesseract.available() else None) if p is not None]
    for name, (images, truth) in sets.items():
        results["sets"][name] = len(truth)
        for system, system_readers, timed in ((default, readers, True), (SINGLE, alone, True), (FP16, twin, False)):
            for decoder, reader in (system_readers or {}).items():
                print(f"{name}: {system}, {decoder} ...", file=sys.stderr)
                pred, ms = _read_all(reader, images)
                systems[system].update({f"{name}_{decoder}_{k}": v for k, v in _scores(truth, pred).items()})
                if timed:
                    systems[system][f"{name}_{decoder}_ms_per_word"] = round(ms, 2)
        with tempfile.TemporaryDirectory() as tmp:
            files = write_images(images, tmp)
            for peer in peers:
                print(f"{name}: {peer.name} ...", file=sys.stderr)
                reads = [peer.read(f) for f in files]
                s = systems.setdefault(peer.name, {})
                s.update({f"{name}_{k}": v for k, v in _scores(truth, [r[0] for r in reads]).items()})
                s[f"{name}_ms_per_word"] = round(median_ms([r[1] for r in reads]), 2)
        _examples(readers["lexicon"], images[:8], truth[:8], out_dir / f"handwriting_{name}.png")

    print("pages ...", file=sys.stderr)
    page_imgs, page_lines = pages(np.random.default_rng(SEED + 2))
    pred, ms = _read_all(readers["lexicon"], page_imgs)
    found = [len([t for t in p.split("\n") if t]) == len(lines) for p, lines in zip(pred, page_lines)]
    results["pages"] = {"pages": PAGES, "lines": sum(len(x) for x in page_lines),
                        "line_count_right": round(float(np.mean(found)) * 100, 2),
                        **_scores(["\n".join(x) for x in page_lines], pred), "ms_per_page": round(ms, 1)}
    print("strokes ...", file=sys.stderr)
    glyphs = traced_glyphs()  # traced once, read by each model
    results["strokes_chars"] = strokes_chars(models_dir, glyphs)
    for key, name in (("strokes_chars_stroke_model", "char_strokes"), ("strokes_chars_touch_model", "char_draw")):
        with contextlib.suppress(EdgeOCRError):  # the models trained with touch strokes, where shipped
            results[key] = strokes_chars(models_dir, glyphs, name)
    draw = ensemble_name(models_dir, DRAW_ENSEMBLE)
    if draw and "+" in draw:  # what the Draw screen reads with
        results["strokes_chars_draw"] = {**strokes_chars(models_dir, glyphs, draw), "models": draw}
    results["strokes_words"] = strokes_words(readers["lexicon"], np.random.default_rng(SEED + 3))
    if twin and "fonts_greedy_cer" in systems.get(FP16, {}):  # the float twin is the first model's
        first = SINGLE if alone else default
        results["int8_minus_float_cer"] = {
            n: round(systems[first][f"{n}_greedy_cer"] - systems[FP16][f"{n}_greedy_cer"], 2) for n in sets}
    _record(models_dir, {**{n: default for n in names}, FLOAT_TWIN: FP16}, results, args, (names[0], SINGLE))
    for name, key, field in (("char", "strokes_chars", "strokes_held_out_glyphs"),
                             ("char_strokes", "strokes_chars_stroke_model", "strokes_held_out_glyphs"),
                             ("char_draw", "strokes_chars_touch_model", "strokes_held_out_glyphs"),
                             ("char", "strokes_chars_draw", "strokes_held_out_glyphs_draw_screen")):
        if key in results:
            entry = get_entry(name, models_dir)
            entry.setdefault("metrics", {}).setdefault("bench", {})[field] = {
                **results[key], "command": args.command_line}
            record_entry(args, name, entry, models_dir)
    write_results(out_dir, "handwriting", results, _markdown, _plot)
    if camera is not None:
        camera_bench.plot(camera, out_dir / "handwriting_camera.png", "camera set: handwritten notes")
    return 0


def _examples(reader: HandwritingReader, images: list[np.ndarray], truth: list[str], path: Path) -> None:
    """A strip of word images with truth -> reading, for the README."""
    rows = []
    for img, t in zip(images, truth):
        text = reader.read(img).text
        g = cv2.cvtColor(cv2.resize(img, (max(1, round(img.shape[1] * 48 / img.shape[0])), 48)), cv2.COLOR_GRAY2BGR)
        g = cv2.copyMakeBorder(g[:, :300], 0, 0, 0, max(0, 300 - g.shape[1]), cv2.BORDER_CONSTANT, value=(255,) * 3)
        label = np.full((48, 300, 3), 255, np.uint8)
        cv2.putText(label, f"{t} -> {text}", (6, 30), cv2.FONT_HERSHEY_SIMPLEX, 0.6,
                    (0, 120, 0) if _norm(t) == _norm(text) else (0, 0, 200), 1, cv2.LINE_AA)
        rows.append(np.hstack([g, label]))
    cv2.imwrite(str(path), np.vstack(rows))


def _markdown(r: dict) -> str:
    sets = list(r["sets"])
    cols = []
    for n in sets:
        cols += [(f"{n}_cer", f"{n} CER %"), (f"{n}_cer_ignoring_case", f"{n} CER, any case %"),
                 (f"{n}_word_acc", f"{n} words right %"), (f"{n}_ms_per_word", f"{n} ms/word")]
    c = r.get("camera")
    head = ["# edgeocr bench handwriting", "",
            *camera_bench.markdown(c, "handwritten notes composed from never-trained character crops "
                                   "(handwritten-chars files 20-39 of each class, MNIST test digits)",
                                   "words_right", "words right %"),
            *camera_bench.targets_table([("camera notes CER (paper auto)", "<= 10%",
                                          c["systems"][camera_bench.AUTO]["all"]["cer"] if c else None, 10.0, "%")]),
            "", "CER here: whitespace removed, case kept (as for the words below).", "", "## Words and pages", ""]
    lines = [*head, f"Words: {r['sets'].get('fonts', 0)} in the held-out handwriting faces (words, numbers, codes, "
             "punctuation)" + (f"; {r['sets']['composed']} English words composed from real character crops never "
                               "trained on (handwritten-chars' last 20 per class, MNIST test digits)"
                               if "composed" in r["sets"] else "")
             + ". Text compared with whitespace removed, case kept. ms/word is the whole read (segmentation, "
             "model, decoding), 1 thread."
             + (f" `edgeocr read --task handwriting` reads with the first row's models; "
                f"{SINGLE.removeprefix('edgeocr ')} is the first of them by itself." if SINGLE in r["systems"] else ""),
             "",
             "| system | decoder | " + " | ".join(c[1] for c in cols) + " |", "|---" * (len(cols) + 2) + "|"]
    for name, s in r["systems"].items():
        decoders = [d for d in ("greedy", "beam", "lexicon") if any(k.startswith(f"{sets[0]}_{d}_") for k in s)]
        for d in decoders or [""]:
            vals = [s.get(k.replace("_", f"_{d}_", 1) if d else k, "–") for k, _ in cols]
            lines.append(f"| {name} | {d or '–'} | " + " | ".join(str(v) for v in vals) + " |")
    text = "\n".join(lines) + "\n"
    text += "\n| model | size KB | interpreter ms/word (1 thread) |\n|---|---|---|\n"
    for name, s in r["systems"].items():
        if "size_kb" in s:
            text += f"| {name} | {s['size_kb']} | {s['ms_per_word_model']} |\n"
    if "int8_minus_float_cer" in r:
        text += ("\nint8 minus float16 CER (greedy; `handwriting` and its float twin), points: "
                 + ", ".join(f"{k} {v:+.2f}" for k, v in r["int8_minus_float_cer"].items()) + ".\n")
    p = r["pages"]
    text += (f"\nPages: {p['pages']} handwritten pages ({p['lines']} lines, held-out faces) read whole by "
             f"`--task handwriting`: lines counted right on {p['line_count_right']}% of pages, CER {p['cer']}% "
             f"(any case {p['cer_ignoring_case']}%), {p['ms_per_page']} ms per page.\n")
    c, w = r["strokes_chars"], r["strokes_words"]
    s, t, d = r.get("strokes_chars_stroke_model"), r.get("strokes_chars_touch_model"), r.get("strokes_chars_draw")
    text += (f"\nStrokes: {c['glyphs']} glyphs of the held-out faces traced as touch strokes, read by the character "
             f"model `char`: {c['exact']}% exact, {c['ignoring_case']}% ignoring case"
             + (f"; by `char_strokes` (trained with strokes too): {s['exact']}% exact, {s['ignoring_case']}% "
                "ignoring case" if s else "")
             + (f"; by `char_draw` (trained with printed faces' strokes too): {t['exact']}% exact, "
                f"{t['ignoring_case']}% ignoring case" if t else "")
             + (f"; by the Draw screen's `{d['models']}` (scores averaged): {d['exact']}% exact, "
                f"{d['ignoring_case']}% ignoring case" if d else "") + f". {w['words']} words traced as strokes, "
             f"read by the handwriting reader (lexicon): CER {w['cer']}%, {w['word_acc']}% words right, "
             f"{w['ms_per_word']} ms per word.\n")
    text += f"\nMachine: {r['machine']}, {r['date']}.\n"
    return text


def _plot(r: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sets = list(r["sets"])
    rows = []
    for name, s in r["systems"].items():
        for d in ("greedy", "beam", "lexicon", ""):
            tag = f"_{d}" if d else ""
            if f"{sets[0]}{tag}_cer" in s:
                rows.append((f"{name} {d}".strip(), [s.get(f"{n}{tag}_cer", 0) for n in sets]))
    fig, ax = plt.subplots(figsize=(9, 0.45 * len(rows) + 1.5))
    h = 0.8 / len(sets)
    for j, n in enumerate(sets):
        ax.barh(np.arange(len(rows)) + j * h, [v[j] for _, v in rows], h, label=n)
    ax.set_yticks(np.arange(len(rows)) + h * (len(sets) - 1) / 2, [n for n, _ in rows])
    ax.invert_yaxis()
    ax.set_xlabel("character error rate (%), lower is better")
    ax.legend(title="word set")
    ax.grid(axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)
