"""numpy, set up for the observer's small matrices (import ``np`` from here, never numpy directly).

The observer multiplies a reply's words by a few key points: BLAS threads cost more to start (about
half of numpy's import time on a busy machine) than they could ever save on such matrices, so
OpenBLAS is kept to one thread unless the user set it or numpy was imported already.
"""

from __future__ import annotations

import os
import sys

if "numpy" not in sys.modules:
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np

__all__ = ["np"]
