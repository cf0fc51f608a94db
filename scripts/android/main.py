"""Android entry point (python-for-android runs main.py): the edgeocr app on the phone's camera."""

from edge_app.ui.app import run

run(source="android")
