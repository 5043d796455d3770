"""Against PyTorch itself, when it is installed (it is not a dependency: install it by hand).

Runs tools/compare_torch.py's every case (each optimiser x penalty x schedule, 25 steps on a
random network) and asks for agreement to 1e-12 (measured: about 5e-15 at worst).
"""

import sys
from pathlib import Path

import pytest

pytest.importorskip(
    "torch",
    reason="PyTorch is not installed (not a Glassbox dependency; pip install torch to compare by hand)",
)
sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "tools"))
import compare_torch


@pytest.mark.parametrize("name, penalty, schedule, seed", list(compare_torch.cases()))
def test_glassbox_agrees_with_torch_optim(name, penalty, schedule, seed):
    assert compare_torch.max_difference(name, penalty, schedule, seed, 25) < 1e-12
