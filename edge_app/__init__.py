"""edgeocr device runtime: everything a Pi or a phone runs, without TensorFlow.

An image travels through these modules, in order:

    capture      images.py (files, stdin), camera.py (picamera2, webcams, replay), strokes.py (touch)
    find         families/<name>/segment.py or finder.py: characters, plates, text lines, page lines
    preprocess   preprocess.py (gray, ink map, masks, line fitting), families/<name>/preprocess.py
                 (the family's model input, the same function training uses)
    model        runtime.py (LiteRT, tflite_runtime or tf.lite), manifest.py (sha256 and shape checks)
    decode       decode.py (softmax, top-k), ctc.py (greedy, beam, pattern), lexicon.py (word lists)
    result       results.py (Item, Result: the --json shape), families/<name>/reader.py

    families/    the model families (char, plate, handwriting, page) and their registry
    cli.py       `edgeocr read | serve | app | demo` (and train/convert/bench from a checkout)
    server.py    `edgeocr serve`; live.py, voting.py, draw_session.py, model_store.py, worker.py: the
                 app's logic without a window; ui/ the Kivy app (the only package importing Kivy)

Nothing here imports TensorFlow, and nothing imports ``train``, ``convert`` or ``bench``.
"""

from ._moved import install as _install_moved

__version__ = "0.2.0"

_install_moved()

# The readers, importable from the package itself (loaded on first use): from edge_app import PlateReader
_READERS = {
    "CharReader": "edge_app.families.char.reader",
    "PlateReader": "edge_app.families.plate.reader",
    "HandwritingReader": "edge_app.families.handwriting.reader",
    "PageReader": "edge_app.families.page.reader",
    "PlateVoter": "edge_app.voting",
    "Result": "edge_app.results",
    "Item": "edge_app.results",
    "EdgeOCRError": "edge_app.errors",
}
__all__ = ["__version__", *_READERS]


def __getattr__(name: str):
    if name in _READERS:
        import importlib

        return getattr(importlib.import_module(_READERS[name]), name)
    raise AttributeError(f"module 'edge_app' has no attribute {name!r}")
