"""python -m nnsim: see nnsim.cli."""

import sys

from .cli import main

sys.exit(main())
