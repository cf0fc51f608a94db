"""Desktop training: data, models and reports. Imports TensorFlow only where it trains."""
