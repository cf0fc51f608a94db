"""Benchmarks: accuracy, latency and size, with peer engines side by side. Not tests."""
