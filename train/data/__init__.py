"""Training data sources (NumPy/OpenCV/Pillow only; no TensorFlow here)."""
