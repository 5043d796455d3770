"""PyScript's worker script: it exports the bridge's `call` to the page.

The bridge (py/bridge.py) is a module rather than this script, so that the build's memory
snapshot holds it imported already: a snapshot start then finds it in sys.modules, where
running its source here would compile it at every start. A plain start imports it from the
files PyScript unpacked (py/nnsim.zip).
"""

from bridge import call  # noqa: F401  (exported to the page by __export__)

__export__ = ["call"]
