"""``edgeocr train plate-detector``: the learned plate finder, on real street photos and pasted plates.

Samples come from :mod:`train.data.plate_photos` (plate-photos train split, synthetic plates pasted into
those photos, camera effects); every epoch ends with the device's own decoding on the val split's
letterboxed photos (recall by plate width, AP50), a checkpoint and a meta file for ``edgeocr convert``.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from typing import Any

import numpy as np

from edge_app.families.platedet.decode import decode_boxes
from edge_app.families.platedet.spec import DET_SIZE, SPEC

from .config import PlateDetConfig
from .data.licences import licences
from .data.plate_photos import GRID, SOURCE, TARGETS, augment, load_photos, val_inputs
from .detection_metrics import detection_report
from .fit import cosine_schedule, fit_loop, save_keras_atomic

INPUT_SPEC = {"shape": SPEC.input_shape, "normalisation": SPEC.normalisation}
OUTPUT_SPEC = {"shape": [1, *GRID, 5], "meaning": "per 4x4 cell: plate-centre heat, centre offset x, y, "
               f"sqrt(width / {DET_SIZE[1]}), sqrt(height / {DET_SIZE[0]}), all sigmoid",
               "decode": "edge_app.families.platedet.decode"}
CALIB = 64  # letterboxed training samples kept for int8 calibration


def _rendered_plates(count: int, seed: int) -> list[np.ndarray]:
    """Flat synthetic plates (BGR) from the plate reader's generator, in training faces."""
    if count == 0:
        return []
    from .data.plate_render import plate_fonts, render_plate

    fonts, deco = plate_fonts()
    rng = np.random.default_rng(seed + 7)
    return [render_plate(rng, fonts, deco)[0].astype(np.uint8) for _ in range(count)]


def _rendered_signs(count: int, seed: int) -> list[np.ndarray]:
    """Hard negatives: flat signs with words and numbers, in every face plates and signs use."""
    if count == 0:
        return []
    from .data.plate_photos import render_signs
    from .data.plate_render import plate_fonts

    fonts, deco = plate_fonts()
    return render_signs(count, np.random.default_rng(seed + 11), fonts + deco)


def predict_boxes(run: Any, x_u8: np.ndarray, threshold: float = 0.05, batch: int = 16
                  ) -> list[tuple[np.ndarray, np.ndarray]]:
    """Decoded (boxes, scores) in input pixels for uint8 letterboxed inputs, by ``run`` (a model call)."""
    out = []
    for i in range(0, len(x_u8), batch):
        scores = np.asarray(run(x_u8[i : i + batch].astype(np.float32) / 255.0))
        out.extend(decode_boxes(s, threshold, max_boxes=50) for s in scores)
    return out


def train_platedet(cfg: PlateDetConfig) -> dict:
    """Train the detector; writes ``plate_detector.keras``, ``.meta.json``, ``.calib.npz`` under ``cfg.out``."""
    import keras
    import tensorflow as tf

    from .platedet_model import build_detector, detector_loss

    cfg.validate()
    out = cfg.out_dir
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    print("loading plate-photos ...", file=sys.stderr, flush=True)
    train = load_photos(cfg.photos, "train", cfg.limit)
    val = load_photos(cfg.photos, "val", cfg.limit)
    val_x, val_boxes = val_inputs(val, cfg.photos)
    plates = _rendered_plates(cfg.synthetic, cfg.seed)
    signs = _rendered_signs(cfg.synthetic, cfg.seed)
    print(f"{len(train)} training photos ({sum(len(p.boxes) for p in train)} plates), {len(plates)} synthetic "
          f"plates and {len(signs)} signs, {len(val)} validation photos ({sum(len(b) for b in val_boxes)} plates) "
          f"in {time.time() - t0:.0f}s",
          file=sys.stderr, flush=True)

    local = threading.local()

    def samples():
        rng = getattr(local, "rng", None) or np.random.default_rng(cfg.seed)
        local.rng = rng
        while True:
            yield augment(train[int(rng.integers(len(train)))], rng, plates, signs)

    def datasets(global_batch: int):
        sig = (tf.TensorSpec((*DET_SIZE, 3), tf.float32), tf.TensorSpec((*GRID, TARGETS), tf.float32))
        ds = tf.data.Dataset.from_generator(samples, output_signature=sig)
        return ds.batch(global_batch).prefetch(4), None

    def compile_model(model, steps: int) -> None:
        if cfg.init:
            model.set_weights(keras.models.load_model(cfg.init, compile=False).get_weights())
        total = cfg.epochs * steps
        model.compile(optimizer=keras.optimizers.Adam(cosine_schedule(cfg.lr, total, min(200, total // 10)),
                                                      clipnorm=5.0), loss=detector_loss)

    rng = np.random.default_rng(cfg.seed + 1)
    calib = np.stack([augment(train[int(rng.integers(len(train)))], rng, plates)[0] for _ in range(CALIB)])
    pad = max(len(b) for b in val_boxes)
    boxes_arr = np.full((len(val_boxes), pad, 4), -1.0, np.float32)
    for i, b in enumerate(val_boxes):
        boxes_arr[i, : len(b)] = b
    np.savez_compressed(out / "plate_detector.calib.npz", calib_x=calib, val_x=val_x, val_boxes=boxes_arr)
    history: dict[str, list] = {"loss": [], "val_ap50": []}

    class EpochEnd(keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            found = predict_boxes(lambda x: self.model(x, training=False), val_x)
            report = detection_report(val_boxes, found)
            history["loss"].append(float(logs["loss"]))
            history["val_ap50"].append(report["ap50"])
            save_keras_atomic(self.model, out / "plate_detector.keras")
            meta = {
                "task": "platedet", "alphabet": "", "input": INPUT_SPEC, "output": OUTPUT_SPEC,
                "train_command": cfg.command, "epochs_done": epoch + 1, "train_seconds": round(time.time() - t0, 1),
                "data": {"licences": licences("plate-photos", "fonts"),
                         "photos": f"{SOURCE}; train split, {len(train)} photos",
                         "synthetic": f"{len(plates)} rendered plates (train/data/plate_render.py, training faces) "
                         "pasted into those photos with perspective, light matching and blur",
                         "hard_negatives": f"{len(signs)} rendered signs (shop fronts, truck lettering, phone numbers, "
                         "road and unit signs; train.data.plate_photos.render_signs) pasted clear of plates, no box",
                         "augmentation": "scale 0.7-2.4x, crops around plates, flips, light, white balance, night, "
                         "glare, grey, blur, noise, JPEG", "validation": f"val split, {len(val)} photos"},
                "validation": report, "history": history,
            }
            (out / "plate_detector.meta.json").write_text(json.dumps(meta, indent=2) + "\n")
            bins = ", ".join(f"{k} {v['recall']:.3f}" for k, v in report["recall_by_width"].items())
            print(f"epoch {epoch + 1}: loss {logs['loss']:.4f}  val AP50 {report['ap50']:.4f}  recall "
                  f"{report['recall']:.3f} ({bins}) precision {report['precision']:.3f} ({time.time() - t0:.0f}s)",
                  file=sys.stderr, flush=True)

    fit_loop(cfg, datasets, lambda global_batch: max(1, len(train) // global_batch), lambda: build_detector(cfg.width),
             compile_model, callbacks=[EpochEnd()])
    return json.loads((out / "plate_detector.meta.json").read_text())
