"""Model stage on Android: LiteRT's Java interpreter (formerly TensorFlow Lite's) through pyjnius.

ai-edge-litert has no Android wheel, so on a phone :mod:`edge_app.runtime` uses this class instead.
It offers the small part of the Python ``Interpreter`` API that :class:`~edge_app.runtime.TFLiteModel`
calls, over ``org.tensorflow.lite.Interpreter`` (gradle: ``com.google.ai.edge.litert:litert``, see
buildozer.spec; LiteRT kept TensorFlow Lite's Java package and API). Tensors cross as ByteBuffers in
native byte order. Not importable off Android.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from jnius import autoclass  # only on Android (python-for-android ships pyjnius)

File = autoclass("java.io.File")
ByteBuffer = autoclass("java.nio.ByteBuffer")
ByteOrder = autoclass("java.nio.ByteOrder")
Interpreter = autoclass("org.tensorflow.lite.Interpreter")
InterpreterOptions = autoclass("org.tensorflow.lite.Interpreter$Options")

DTYPES = {"FLOAT32": np.float32, "INT8": np.int8, "UINT8": np.uint8, "INT32": np.int32, "FLOAT16": np.float16}


def _bytes(java_bytes: Any) -> bytes:
    """A Java byte[] as pyjnius returns it (bytes, bytearray or a list of signed ints) -> bytes."""
    if isinstance(java_bytes, (bytes, bytearray)):
        return bytes(java_bytes)
    return np.asarray(java_bytes, np.int16).astype(np.int8).tobytes()


class JavaInterpreter:
    """``Interpreter(model_path=..., num_threads=...)`` with the Python API's method names."""

    def __init__(self, model_path: str, num_threads: int | None = None):
        options = InterpreterOptions()
        if num_threads:
            options.setNumThreads(int(num_threads))
        try:
            self._java = Interpreter(File(model_path), options)
        except Exception as exc:  # a JavaException for a corrupt file
            raise ValueError(str(exc)) from None
        self._inputs: dict[int, np.ndarray] = {}

    def allocate_tensors(self) -> None:
        self._java.allocateTensors()

    def _details(self, tensor, index: int) -> dict[str, Any]:
        q = tensor.quantizationParams()
        return {"index": index, "shape": np.array(list(tensor.shape()), np.int32),
                "dtype": DTYPES[tensor.dataType().toString()],
                "quantization": (float(q.getScale()), int(q.getZeroPoint()))}

    def get_input_details(self) -> list[dict[str, Any]]:
        return [self._details(self._java.getInputTensor(0), 0)]

    def get_output_details(self) -> list[dict[str, Any]]:
        return [self._details(self._java.getOutputTensor(0), 0)]

    def resize_tensor_input(self, index: int, shape: list[int]) -> None:
        self._java.resizeInput(index, [int(v) for v in shape])

    def set_tensor(self, index: int, value: np.ndarray) -> None:
        self._inputs[index] = np.ascontiguousarray(value)

    def invoke(self) -> None:
        src = ByteBuffer.wrap(self._inputs[0].tobytes()).order(ByteOrder.nativeOrder())
        out = self._java.getOutputTensor(0)  # asked after every resize: its shape is final only then
        self._out_buf = ByteBuffer.allocate(int(out.numBytes())).order(ByteOrder.nativeOrder())
        self._java.run(src, self._out_buf)

    def get_tensor(self, index: int) -> np.ndarray:
        d = self.get_output_details()[0]  # after the run: output shapes may be settled only by inference
        return np.frombuffer(_bytes(self._out_buf.array()), d["dtype"]).reshape(d["shape"])
