"""The shipped standard library's sources without docstrings and comments
(buildtools/strip_source.py): the same code on the same lines."""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from buildtools import strip_source  # noqa: E402

SOURCE = '''"""The module's docs,
on two lines."""
import os  # remark after code
# remark on a line of its own


class Thing:
    """A class's docs."""

    def method(self, x):
        """A method's docs,
        on two lines."""
        text = "# not a comment"
        return os.sep + text + f"{x} # nor this"


def fails():
    raise ValueError("on its line")
'''


def test_docstrings_and_comments_go_and_every_line_keeps_its_number():
    stripped = strip_source.stripped(SOURCE.encode(), "thing.py").decode()
    assert "docs" not in stripped and "remark" not in stripped
    assert '"# not a comment"' in stripped and 'f"{x} # nor this"' in stripped
    assert stripped.count("\n") == SOURCE.count("\n")
    line = SOURCE.splitlines().index('    raise ValueError("on its line")')
    assert stripped.splitlines()[line] == SOURCE.splitlines()[line]
    assert len(stripped) < len(SOURCE) * 0.8
    namespace = {}
    exec(compile(stripped, "thing.py", "exec"), namespace)
    assert namespace["Thing"]().method(1) == "/# not a comment1 # nor this"


def test_a_file_this_python_cannot_parse_is_kept_as_it_is():
    source = b'"""Docstring."""\ndef broken(:\n    pass\n'
    assert strip_source.stripped(source, "broken.py") is source
