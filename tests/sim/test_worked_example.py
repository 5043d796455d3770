"""nnsim.worked_example: a step written out as Markdown (the CLI's) and as a LaTeX document.
The LaTeX is compiled when pdflatex or lualatex is installed; its structure is checked always."""

import re
import shutil
import subprocess

import pytest
from nnsim.cli import main
from nnsim.explain import explain_trace, line_parts, trace_markdown
from nnsim.session import Session
from nnsim.worked_example import UNICODE, document

TRACES = {
    "xor": ("xor", {}),
    "deep": ("deep", {}),
    "deep-adamw-l1": ("deep", {"optimizer": "adamw", "regularization": "l1"}),
    "deep-rmsprop-l2-cosine": (
        "deep",
        {"optimizer": "rmsprop", "regularization": "l2", "schedule": "cosine", "t_max": 10},
    ),
    "glassbox-batch": ("glassbox", {"loss": "cross_entropy"}),
    "glassbox-relu": ("glassbox", {"hidden_activation": "relu"}),
}


def second_step(preset, settings):
    session = Session(preset, settings)
    session.step()
    return session.step()


@pytest.fixture(params=list(TRACES))
def trace(request):
    return second_step(*TRACES[request.param])


def test_markdown_is_the_clis(capsys):
    assert main(["trace", "--preset", "xor", "--format", "markdown"]) == 0
    cli = capsys.readouterr().out
    answer = document(Session("xor").step(), "markdown")
    assert answer["text"] == cli.rstrip("\n") + "\n"
    assert answer["filename"] == "glassbox-2-3-1-iteration-1.md"


def test_cli_writes_latex(capsys):
    assert main(["trace", "--preset", "deep", "--format", "latex"]) == 0
    assert capsys.readouterr().out.startswith(r"\documentclass")


def test_unknown_format_is_refused():
    with pytest.raises(ValueError, match="format: expected one of markdown, latex"):
        document(Session("xor").step(), "pdf")


def balanced(text):
    depth = 0
    for match in re.finditer(r"\\[{}]|[{}]", text):
        if match.group() in ("\\{", "\\}"):
            continue
        depth += 1 if match.group() == "{" else -1
        if depth < 0:
            return False
    return depth == 0


def test_latex_has_every_step_and_every_line(trace):
    latex = document(trace, "latex")["text"]
    assert latex.startswith(r"\documentclass") and latex.rstrip().endswith(r"\end{document}")
    assert latex.isascii(), "a character the explanations use is missing from UNICODE"
    assert balanced(latex)
    assert latex.count(r"\begin{align*}") == latex.count(r"\end{align*}")
    steps = explain_trace(trace)
    sections = re.findall(r"\\section\*\{Step (\d+)\. ", latex)
    assert [int(n) for n in sections] == [step["number"] for step in steps]
    aligned = re.findall(r"\\begin\{align\*\}\n(.*?)\n\\end\{align\*\}", latex, re.S)
    lines = [line for step in steps for line in step["lines"]]
    assert len(aligned) == len(lines)
    for body, line in zip(aligned, lines):
        parts = [re.sub(r"^\s*(&= )?", "", part).removesuffix(r" \\") for part in body.split("\n")]
        assert parts == line_parts(line)


def test_every_character_of_the_words_has_a_latex_form():
    used = set()
    for preset, settings in TRACES.values():
        trace = second_step(preset, settings)
        for step in explain_trace(trace):
            used |= {c for c in step["title"] + step["text"] if not c.isascii()}
        used |= {c for c in trace_markdown(trace) if not c.isascii()}
    assert used - set(UNICODE) == set()


ENGINE = shutil.which("pdflatex") or shutil.which("lualatex")


@pytest.mark.skipif(ENGINE is None, reason="no TeX engine (pdflatex or lualatex) installed")
@pytest.mark.parametrize("name", ["xor", "deep-adamw-l1", "glassbox-batch"])
def test_latex_compiles(name, tmp_path):
    source = tmp_path / "worked.tex"
    source.write_text(document(second_step(*TRACES[name]), "latex")["text"], encoding="utf-8")
    result = subprocess.run(
        [ENGINE, "-interaction=nonstopmode", "-halt-on-error", source.name],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    assert (tmp_path / "worked.pdf").stat().st_size > 1000
