"""edgeocr device runtime.

An image travels through these modules, in order:

    images.py      capture: load a file (or take a camera frame) safely, any mode -> uint8
    preprocess.py  normalise: grayscale, ink polarity, the 28x28 character cell the models saw
    segment.py     segment: find character boxes, in reading order
    runtime.py     model: a TFLite interpreter behind one small class (LiteRT, tflite_runtime or tf.lite)
    registry.py    which model: manifest.json, sha256 and shape checks
    decode.py      decode: scores -> characters with confidences and alternatives
    pipeline.py    result: the tasks (`char`, `chars`) that tie the steps together

    camera.py      capture for video: picamera2, webcams, replay; live.py reads plates off the UI thread
    ui/            the Kivy app (`edgeocr app`), over live.py, draw_session.py, model_store.py, worker.py

Nothing here imports TensorFlow; only ``ui/`` imports Kivy.
"""

__version__ = "0.1.0"
