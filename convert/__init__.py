"""Keras -> TFLite converters (float32, float16, dynamic-range and full int8), builtin ops only."""
