import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "py"))
sys.path.insert(0, str(ROOT / "tests" / "sim"))


@pytest.fixture(autouse=True)
def fresh_bridge():
    """Every test starts with no open session, no shown trace and no teacher's lock."""
    import bridge

    bridge.sessions.clear()
    bridge.shown_traces.clear()
    bridge.locks.clear()
