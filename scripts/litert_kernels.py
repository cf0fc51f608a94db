"""Which LiteRT kernels run the shipped int8 models here: XNNPACK (LiteRT's default) or the builtin ones.

    python scripts/litert_kernels.py [MODELS_DIR]

Runs every int8 model of the models folder (default: the installed ones) on one fixed input twice:
with LiteRT's default delegate (XNNPACK) and without it. XNNPACK rounds int8 arithmetic its own way,
so identical outputs mean it did not run. It needs ``cpuinfo`` to identify the CPU: under qemu-user
the emulated CPU cannot be identified and LiteRT falls back to its builtin kernels, while a real Pi
runs XNNPACK. ``scripts/check_arm64.sh`` prints this for both sides of its comparison.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np


def outputs(path: Path, default_delegate: bool) -> np.ndarray:
    """The dequantised output of ``path`` for a fixed pseudo-random input, one thread."""
    from ai_edge_litert.interpreter import Interpreter, OpResolverType

    kind = OpResolverType.AUTO if default_delegate else OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
    interp = Interpreter(model_path=str(path), num_threads=1, experimental_op_resolver_type=kind)
    interp.allocate_tensors()
    inp, out = interp.get_input_details()[0], interp.get_output_details()[0]
    scale, zero = inp["quantization"]
    x = np.random.default_rng(0).random(inp["shape"], dtype=np.float32) * 0.5
    interp.set_tensor(inp["index"], np.clip(np.round(x / scale + zero), -128, 127).astype(inp["dtype"]))
    interp.invoke()
    scale, zero = out["quantization"]
    return (interp.get_tensor(out["index"]).astype(np.float32) - zero) * scale


def main() -> int:
    from edge_app.manifest import default_models_dir, read_manifest

    models = Path(sys.argv[1]) if len(sys.argv) > 1 else default_models_dir()
    entries = read_manifest(models)["models"]
    diffs = {}
    for name, entry in sorted(entries.items()):
        if entry.get("quantization") == "int8":
            path = models / entry["file"]
            diffs[name] = float(np.abs(outputs(path, True) - outputs(path, False)).max())
    active = any(d > 0 for d in diffs.values())
    print("LiteRT int8 kernels: " + ("XNNPACK" if active else "builtin (XNNPACK did not run)") + "; largest "
          "difference from the builtin kernels per model: "
          + ", ".join(f"{n} {d:.4f}" for n, d in diffs.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
