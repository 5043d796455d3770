"""nnsim: a small, exact neural-network simulator whose every number can be shown.

Runs unchanged under CPython and Pyodide; uses NumPy when it imports (see arrays.py).
"""

from .network import Network
from .session import Session
from .training import Trainer

__all__ = ["Network", "Session", "Trainer"]
