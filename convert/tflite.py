"""Convert a Keras model to TFLite bytes with post-training quantisation.

Only TFLite builtin ops are allowed (no Flex/SELECT_TF_OPS), so every model runs on ai-edge-litert.
int8 is full-integer: int8 input and output, calibrated on a representative set of cells drawn
from the training pipeline (``char.calib.npz`` written by ``edgeocr train``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import numpy as np

QUANT_MODES = ("float32", "float16", "dynamic", "int8")


def to_tflite(model, quant: str, calib_x: np.ndarray | None = None) -> bytes:
    """Return the ``.tflite`` flatbuffer for ``model`` under quantisation mode ``quant``."""
    import tensorflow as tf

    shape = [1, *model.inputs[0].shape[1:]]
    conv = tf.lite.TFLiteConverter.from_keras_model(model)
    conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS]
    if quant == "float16":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.target_spec.supported_types = [tf.float16]
    elif quant == "dynamic":
        conv.optimizations = [tf.lite.Optimize.DEFAULT]
    elif quant == "int8":
        if calib_x is None or len(calib_x) == 0:
            raise ValueError("int8 needs calibration samples")

        def representative() -> Iterator[list[np.ndarray]]:
            for sample in calib_x[:500]:
                yield [sample.reshape(shape).astype(np.float32)]

        conv.optimizations = [tf.lite.Optimize.DEFAULT]
        conv.representative_dataset = representative
        conv.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        conv.inference_input_type = tf.int8
        conv.inference_output_type = tf.int8
    elif quant != "float32":
        raise ValueError(f"unknown quantisation {quant}")
    return conv.convert()


def latency_ms(run, sample: np.ndarray, repeats: int = 300) -> float:
    """Median wall time of one call of ``run(sample)`` in milliseconds, after a warm-up."""
    for _ in range(10):
        run(sample)
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        run(sample)
        times.append(time.perf_counter() - t)
    return float(np.median(times) * 1000.0)
