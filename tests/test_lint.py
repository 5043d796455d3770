"""The project's one style, checked: ruff's linter and formatter over the Python (settings in
pyproject.toml) and ESLint with its stylistic rules over the JavaScript (eslint.config.mjs),
all pinned and installed by test.sh. `ruff format .` puts the Python right."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run(command):
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, f"{' '.join(command)}:\n{result.stdout}\n{result.stderr}"


def test_ruff():
    run([sys.executable, "-m", "ruff", "check", "."])


def test_ruff_format():
    run([sys.executable, "-m", "ruff", "format", "--check", "."])


def test_eslint():
    eslint = ROOT / "node_modules" / ".bin" / "eslint"
    assert eslint.exists(), "ESLint is not installed: run npm ci (test.sh does)"
    run([str(eslint), "."])
