"""tflab: the engine of an offline desktop lab for learning TensorFlow and Keras.

This package never imports Qt or the ``ui`` package, and importing it does not
import TensorFlow: modules that need TensorFlow import it themselves, lazily.
"""

__version__ = "0.1.0"
