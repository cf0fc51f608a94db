"""The Android model path (TFLite Java interpreter via pyjnius) against a fake of the Java API.

The fake ``jnius`` module backs ``org.tensorflow.lite.Interpreter``, ``java.nio.ByteBuffer`` and
friends with LiteRT, and returns Java byte[] as pyjnius may: a list of signed ints. A shipped int8
model must give the same scores through the shim as through LiteRT directly.
"""

from __future__ import annotations

import importlib
import sys
import types

import numpy as np
import pytest

from edge_app.runtime import TFLiteModel
from tests.conftest import MODELS


class _Buf:
    def __init__(self, data: bytearray):
        self.data = data

    def order(self, _order):
        return self

    def array(self):
        return np.frombuffer(bytes(self.data), np.int8).tolist()  # pyjnius may give signed ints


class _Tensor:
    def __init__(self, d: dict):
        self.d = d

    def shape(self):
        return [int(v) for v in self.d["shape"]]

    def dataType(self):
        name = {np.float32: "FLOAT32", np.int8: "INT8", np.uint8: "UINT8"}[self.d["dtype"]]
        return types.SimpleNamespace(toString=lambda: name)

    def quantizationParams(self):
        scale, zero = self.d["quantization"]
        return types.SimpleNamespace(getScale=lambda: scale, getZeroPoint=lambda: zero)

    def numBytes(self):
        return int(np.prod(self.d["shape"])) * np.dtype(self.d["dtype"]).itemsize


class _Interpreter:
    def __init__(self, file, options):
        from ai_edge_litert.interpreter import Interpreter

        self.i = Interpreter(model_path=file.path, num_threads=options.threads)

    def allocateTensors(self):
        self.i.allocate_tensors()

    def getInputTensor(self, k):
        return _Tensor(self.i.get_input_details()[k])

    def getOutputTensor(self, k):
        return _Tensor(self.i.get_output_details()[k])

    def resizeInput(self, k, dims):
        self.i.resize_tensor_input(self.i.get_input_details()[k]["index"], list(dims))

    def run(self, src: _Buf, dst: _Buf):
        d = self.i.get_input_details()[0]
        self.i.set_tensor(d["index"], np.frombuffer(bytes(src.data), d["dtype"]).reshape(d["shape"]))
        self.i.invoke()
        out = self.i.get_tensor(self.i.get_output_details()[0]["index"])
        dst.data[:] = out.tobytes()


class _Options:
    threads = None

    def setNumThreads(self, n):
        self.threads = n


CLASSES = {
    "java.io.File": lambda path: types.SimpleNamespace(path=path),
    "java.nio.ByteBuffer": types.SimpleNamespace(wrap=lambda b: _Buf(bytearray(b)),
                                                 allocate=lambda n: _Buf(bytearray(n))),
    "java.nio.ByteOrder": types.SimpleNamespace(nativeOrder=lambda: "native"),
    "org.tensorflow.lite.Interpreter": _Interpreter,
    "org.tensorflow.lite.Interpreter$Options": _Options,
}


@pytest.fixture
def android(monkeypatch):
    monkeypatch.setitem(sys.modules, "jnius", types.SimpleNamespace(autoclass=CLASSES.__getitem__))
    monkeypatch.setenv("ANDROID_ARGUMENT", "/data/app")
    sys.modules.pop("edge_app.android_tflite", None)
    yield importlib.import_module("edge_app.android_tflite")
    sys.modules.pop("edge_app.android_tflite", None)


@pytest.mark.parametrize("name", ["char.tflite", "plate.tflite", "char_fp16.tflite"])
def test_the_java_interpreter_gives_the_same_scores_as_litert(android, monkeypatch, name):
    x = np.random.default_rng(0).random((3, *TFLiteModel(MODELS / name).input_shape[1:]), dtype=np.float32)
    java = TFLiteModel(MODELS / name, num_threads=1)
    assert java.backend == "tensorflow-lite (Java)"
    got = java(x)
    monkeypatch.delenv("ANDROID_ARGUMENT")
    want = TFLiteModel(MODELS / name, num_threads=1)(x)
    assert want.shape == got.shape and np.allclose(got, want, atol=1e-6)
