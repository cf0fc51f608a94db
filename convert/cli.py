"""``edgeocr convert MODEL --quant ... --out models/NAME.tflite``: convert, verify, then ship atomically."""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

import numpy as np

from edge_app.errors import EdgeOCRError

from .tflite import QUANT_MODES


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``edgeocr convert``."""
    p = sub.add_parser("convert", help="quantise a trained Keras model to TFLite and add it to the manifest",
                       description="Convert MODEL.keras to TFLite, check it through the runtime against the "
                       "Keras model, write it atomically and update the manifest beside it.")
    p.add_argument("model", metavar="MODEL", help="a .keras file written by 'edgeocr train'")
    p.add_argument("--quant", required=True, choices=QUANT_MODES)
    p.add_argument("--calibration", metavar="NPZ",
                   help="representative + validation cells (default: MODEL's .calib.npz from training)")
    p.add_argument("--out", required=True, metavar="PATH", help="where the .tflite goes, e.g. models/char.tflite")
    p.add_argument("--name", help="manifest entry name (default: the --out file's stem)")
    p.add_argument("--lexicon", metavar="FILE",
                   help="word list the model's reader decodes against by default (sequence models); it must sit "
                   "beside --out and is recorded in the entry with its sha256")
    p.add_argument("--max-drop", type=float, default=None, metavar="POINTS",
                   help="refuse (write nothing) if accuracy drops more than this many points vs Keras")


def _accuracy(pred: np.ndarray, y: np.ndarray, alphabet: str) -> float:
    """Classification accuracy; for a sequence model (text labels) exact greedy CTC readings; for a
    detector (boxes, padded with -1) AP50 of the decoded boxes; in %."""
    if y.ndim == 3 and y.shape[-1] == 4:
        from edge_app.families.platedet.decode import decode_boxes
        from train.detection_metrics import detection_report

        truth = [b[b[:, 2] > 0] for b in y]
        found = [decode_boxes(p, 0.05, max_boxes=50) for p in pred]
        return detection_report(truth, found)["ap50"] * 100.0
    if y.dtype.kind in "US":
        from train.ctc_train import sequence_accuracy

        return sequence_accuracy(pred, list(y), alphabet) * 100.0
    return float(np.mean(pred.argmax(-1) == y) * 100.0)


def run(args: argparse.Namespace) -> int:
    """Run ``edgeocr convert``; returns the exit code."""
    model_path = Path(args.model)
    if not model_path.is_file():
        raise EdgeOCRError(f"model {model_path} not found")
    if model_path.suffix != ".keras":
        raise EdgeOCRError(f"{model_path} is not a .keras model")
    calib_path = Path(args.calibration) if args.calibration else model_path.with_suffix(".calib.npz")
    if not calib_path.is_file():
        raise EdgeOCRError(f"calibration data {calib_path} not found (pass --calibration)")
    meta_path = model_path.with_suffix(".meta.json")
    meta = json.loads(meta_path.read_text()) if meta_path.is_file() else {}
    out = Path(args.out)
    name = args.name or out.stem
    lexicon = None
    if args.lexicon:
        lex_path = Path(args.lexicon)
        if not lex_path.is_file():
            raise EdgeOCRError(f"lexicon {lex_path} not found")
        if lex_path.resolve().parent != out.resolve().parent:
            raise EdgeOCRError(f"lexicon {lex_path} must be in the same folder as {out}")
        from edge_app.lexicon import Lexicon

        lexicon = {"file": lex_path.name, "words": Lexicon.load(lex_path).size}

    import keras

    from edge_app.files import sha256_file
    from edge_app.manifest import write_entry
    from edge_app.runtime import TFLiteModel

    from .tflite import latency_ms, to_tflite

    try:
        model = keras.models.load_model(model_path, compile=False)
    except Exception as exc:  # Keras raises many types for a bad file
        raise EdgeOCRError(f"cannot load {model_path}: {str(exc).splitlines()[0]}") from None
    with np.load(calib_path) as d:
        calib_x, val_x = d["calib_x"], d["val_x"]
        val_y = d["val_text"] if "val_text" in d else d["val_boxes"] if "val_boxes" in d else d["val_y"]
        val_source = d["val_source"] if "val_source" in d else np.array(["val"] * len(val_y))
    shape = tuple(model.inputs[0].shape[1:])
    calib_x = calib_x.reshape(-1, *shape)
    val_x = val_x.reshape(-1, *shape)
    if val_x.dtype == np.uint8:  # stored x255 to keep big inputs (detector photos) small
        val_x = val_x.astype(np.float32) / 255.0

    flat = to_tflite(model, args.quant, calib_x)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(flat)
        lite = TFLiteModel(tmp, num_threads=1)
        keras_pred = model.predict(val_x, batch_size=32 if val_x[0].size > 100_000 else 512, verbose=0)
        chunk = 16 if val_x[0].size > 100_000 else 256
        lite_pred = np.concatenate([lite(val_x[i : i + chunk]) for i in range(0, len(val_x), chunk)])
        alphabet = meta.get("alphabet", "")
        acc_keras, acc_lite = _accuracy(keras_pred, val_y, alphabet), _accuracy(lite_pred, val_y, alphabet)
        drop = acc_keras - acc_lite
        lat = latency_ms(lite, val_x[:1])
        size = len(flat)
        print(f"{out.name}: {args.quant}, {size / 1024:.1f} KB, {lat:.3f} ms/sample (1 thread, batch 1)")
        print(f"validation accuracy: keras {acc_keras:.2f}%  tflite {acc_lite:.2f}%  drop {drop:+.2f} points "
              f"({len(val_y)} samples)")
        if args.max_drop is not None and drop > args.max_drop:
            print(f"edgeocr: error: {args.quant} loses {drop:.2f} points (> --max-drop {args.max_drop}); "
                  f"nothing written", file=sys.stderr)
            return 1
        os.replace(tmp, out)
    finally:
        Path(tmp).unlink(missing_ok=True)

    per_source = {}
    for src in np.unique(val_source):
        sel = val_source == src
        per_source[str(src)] = round(_accuracy(lite_pred[sel], val_y[sel], alphabet), 2)
    entry = {
        "file": out.name,
        "task": meta.get("task", name),
        "alphabet": meta.get("alphabet", ""),
        "input": {**meta.get("input", {"shape": [1, *shape]}), "dtype": str(np.dtype(lite.input_dtype))},
        "output": meta.get("output", {"shape": list(lite.output_shape)}),
        "quantization": args.quant,
        "sha256": sha256_file(out),
        "size_bytes": size,
        "commands": {"train": meta.get("train_command", ""), "convert": args.command_line},
        "data": meta.get("data", {}),
        **({"lexicon": {**lexicon, "sha256": sha256_file(args.lexicon)}} if lexicon else {}),
        "metrics": {
            "validation_samples": int(len(val_y)),
            "keras_val_accuracy": round(acc_keras, 2),
            "tflite_val_accuracy": round(acc_lite, 2),
            "tflite_val_accuracy_by_source": per_source,
            "latency_ms_1thread": round(lat, 4),
        },
        "created": date.today().isoformat(),
    }
    manifest = write_entry(name, entry, out.parent)
    print(f"wrote {out} and updated {manifest} (entry '{name}')")
    return 0
