"""tf.distribute strategies by name: scale out with TensorFlow's own engine, not a scheduler of ours."""

from __future__ import annotations

import contextlib

from edge_app.errors import EdgeOCRError

STRATEGIES = ("default", "mirrored", "multiworker")


def make_strategy(name: str, cpu_replicas: int = 0):
    """Return a ``tf.distribute.Strategy``.

    - ``default``: one device.
    - ``mirrored``: synchronous data parallelism over this machine's GPUs (or its CPU). With
      ``cpu_replicas`` > 1 and no GPU, the CPU is split into that many logical devices first; this
      must happen before TensorFlow initialises its devices.
    - ``multiworker``: ``MultiWorkerMirroredStrategy``; each worker reads its role from ``TF_CONFIG``.
    """
    import tensorflow as tf

    if name == "default":
        return tf.distribute.get_strategy()
    if name == "mirrored":
        if cpu_replicas > 1 and not tf.config.list_physical_devices("GPU"):
            cpu = tf.config.list_physical_devices("CPU")[0]
            # RuntimeError: TensorFlow already initialised its devices; use the logical CPUs there are.
            with contextlib.suppress(RuntimeError):
                tf.config.set_logical_device_configuration(
                    cpu, [tf.config.LogicalDeviceConfiguration() for _ in range(cpu_replicas)]
                )
            devices = [d.name for d in tf.config.list_logical_devices("CPU")]
            return tf.distribute.MirroredStrategy(devices=devices)
        return tf.distribute.MirroredStrategy()
    if name == "multiworker":
        return tf.distribute.MultiWorkerMirroredStrategy()
    raise EdgeOCRError(f"unknown strategy '{name}' (choose from {', '.join(STRATEGIES)})")
