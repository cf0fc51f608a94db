"""Model stage: one small class over whichever TFLite interpreter the device has.

Order of preference: ``ai_edge_litert`` (LiteRT), then ``tflite_runtime``, then ``tf.lite``; on Android,
the TensorFlow Lite Java interpreter through pyjnius (:mod:`edge_app.android_tflite`).
Quantised inputs and outputs are handled here, so callers always pass and get float32.
"""

from __future__ import annotations

import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import numpy as np

from .errors import EdgeOCRError


def interpreter_class() -> tuple[type, str]:
    """Return the first available TFLite ``Interpreter`` class and the name of its package."""
    if "ANDROID_ARGUMENT" in os.environ:  # set by python-for-android
        from .android_tflite import JavaInterpreter

        return JavaInterpreter, "tensorflow-lite (Java)"
    try:
        from ai_edge_litert.interpreter import Interpreter

        return Interpreter, "ai_edge_litert"
    except ImportError:
        pass
    try:
        from tflite_runtime.interpreter import Interpreter

        return Interpreter, "tflite_runtime"
    except ImportError:
        pass
    try:
        import tensorflow as tf

        return tf.lite.Interpreter, "tensorflow"
    except ImportError:
        pass
    raise EdgeOCRError("no TFLite interpreter found: pip install ai-edge-litert")


_LITERT_CHATTER = ("INFO: Created TensorFlow Lite XNNPACK delegate for CPU.",)
_quieted = False


@contextlib.contextmanager
def _quiet_first_allocation() -> Iterator[None]:
    """Drop LiteRT's one-time ``INFO: Created ... XNNPACK delegate`` line, which its C++ side prints
    straight to file descriptor 2 on the process's first allocation; anything else it prints is kept."""
    global _quieted
    if _quieted:
        yield
        return
    _quieted = True
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, ValueError):  # no real stderr (an app without a console)
        yield
        return
    with tempfile.TemporaryFile() as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            kept = [ln for ln in tmp.read().decode("utf-8", "replace").splitlines() if ln not in _LITERT_CHATTER]
            if kept:
                print("\n".join(kept), file=sys.stderr)


class TFLiteModel:
    """A loaded ``.tflite`` model with float32 in, float32 out, whatever its quantisation."""

    def __init__(self, path: str | os.PathLike, num_threads: int | None = None):
        self.path = Path(path)
        if not self.path.is_file():
            raise EdgeOCRError(f"model file {self.path} not found")
        cls, self.backend = interpreter_class()
        try:
            self._interp = cls(model_path=str(self.path), num_threads=num_threads)
            with _quiet_first_allocation():
                self._interp.allocate_tensors()
        except (ValueError, RuntimeError) as exc:
            msg = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise EdgeOCRError(f"model {self.path.name} cannot be loaded: {msg}") from None
        self._in = self._interp.get_input_details()[0]
        self._out = self._interp.get_output_details()[0]
        self._batch = int(self._in["shape"][0])

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Input shape, batch dimension first."""
        return tuple(int(d) for d in self._in["shape"])

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Output shape, batch dimension first."""
        return tuple(int(d) for d in self._out["shape"])

    @property
    def input_dtype(self) -> Any:
        """The input tensor's dtype (float32, int8 or uint8)."""
        return self._in["dtype"]

    def _resize(self, batch: int) -> None:
        if batch != self._batch:
            self._interp.resize_tensor_input(self._in["index"], [batch, *self.input_shape[1:]])
            self._interp.allocate_tensors()
            self._in = self._interp.get_input_details()[0]
            self._out = self._interp.get_output_details()[0]
            self._batch = batch

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Run a float32 batch shaped like the input (batch first) and return float32 scores."""
        x = np.asarray(x, dtype=np.float32)
        if tuple(x.shape[1:]) != self.input_shape[1:]:
            raise EdgeOCRError(f"input shape {x.shape[1:]} does not match the model's {self.input_shape[1:]}")
        if x.shape[0] == 0:  # nothing to run (XNNPACK refuses a batch of 0)
            return np.zeros((0, *self.output_shape[1:]), np.float32)
        self._resize(x.shape[0])
        scale, zero = self._in["quantization"]
        if self._in["dtype"] in (np.int8, np.uint8) and scale:
            info = np.iinfo(self._in["dtype"])
            x = np.clip(np.round(x / scale + zero), info.min, info.max).astype(self._in["dtype"])
        self._interp.set_tensor(self._in["index"], x)
        self._interp.invoke()
        y = self._interp.get_tensor(self._out["index"])
        scale, zero = self._out["quantization"]
        if self._out["dtype"] in (np.int8, np.uint8) and scale:
            y = (y.astype(np.float32) - zero) * scale
        return y.astype(np.float32)


class AveragedModel:
    """Several models of one input and output shape run on the same batch, their scores averaged:
    an ensemble behind the :class:`TFLiteModel` interface."""

    def __init__(self, models: list[TFLiteModel]):
        shapes = {(m.input_shape[1:], m.output_shape[1:]) for m in models}
        if len(shapes) != 1:
            raise EdgeOCRError("models averaged together must share their input and output shapes")
        self.members = models

    @property
    def input_shape(self) -> tuple[int, ...]:
        """Input shape, batch dimension first."""
        return self.members[0].input_shape

    @property
    def output_shape(self) -> tuple[int, ...]:
        """Output shape, batch dimension first."""
        return self.members[0].output_shape

    def __call__(self, x: np.ndarray) -> np.ndarray:
        """Every member's float32 scores for the batch, averaged."""
        return np.mean([m(x) for m in self.members], axis=0).astype(np.float32)
