"""One training step as files a teacher keeps: the worked example as Markdown with TeX (the
CLI's `trace --format markdown`, nnsim.explain.trace_markdown) and as a LaTeX document that
compiles with pdflatex or lualatex using only amsmath (every formula is nnsim.explain's TeX,
each line an align* of its parts, so long lines break at their = signs).

    document(trace, "markdown" | "latex") -> {format, filename, media_type, text}
"""

from .explain import conventions, explain_trace, line_parts, trace_markdown, worked_example_intro

# Characters the explanations' words use, as LaTeX that any engine reads (the words are
# Python's; tests/sim/test_worked_example.py checks this covers every one they use).
UNICODE = {
    "δ": r"\delta",
    "η": r"\eta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "σ": r"\sigma",
    "Σ": r"\Sigma",
    "α": r"\alpha",
    "β": r"\beta",
    "ε": r"\epsilon",
    "∂": r"\partial",
    "−": "-",
    "×": r"\times",
    "·": r"\cdot",
    "½": r"\tfrac{1}{2}",
    "²": "^{2}",
    "′": "'",
    "√": r"\surd",
    "≈": r"\approx",
    "→": r"\to",
    "≤": r"\le",
    "≥": r"\ge",
    "∞": r"\infty",
    "…": r"\dots",
}
TEXT = {"’": "'", "‘": "`", "“": "``", "”": "''", "–": "--", "—": "---", "\u00a0": "~"}
SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "#": r"\#",
    "$": r"\$",
    "%": r"\%",
    "&": r"\&",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}

PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[a4paper,margin=2cm]{geometry}
\usepackage{amsmath,amssymb}
\allowdisplaybreaks
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.5em}
"""


def escape(text):
    """Plain words (Python's explanations) as LaTeX text."""
    out = []
    for char in text:
        if char in SPECIAL:
            out.append(SPECIAL[char])
        elif char in UNICODE:
            out.append(rf"\ensuremath{{{UNICODE[char]}}}")
        elif char in TEXT:
            out.append(TEXT[char])
        elif ord(char) > 127:
            out.append("?")  # not written by nnsim.explain (the test above keeps it so)
        else:
            out.append(char)
    return "".join(out)


def align(parts):
    """A line's parts as one align*: the first, then each further part on a row `&= part`."""
    rows = " \\\\\n  ".join(f"&= {part}" for part in parts[1:])
    return f"\\begin{{align*}}\n  {parts[0]}\n  {rows}\n\\end{{align*}}"


def trace_latex(trace):
    title, paragraphs = worked_example_intro(trace)
    out = [PREAMBLE, rf"\title{{{escape(title)}}}", r"\date{}", r"\begin{document}", r"\maketitle", ""]
    out += [escape(paragraph) + "\n" for paragraph in paragraphs]
    out += [
        r"\section*{Notation}",
        r"\begin{gather*}",
        " \\\\\n".join(f"  {tex}" for tex in conventions(trace)),
        r"\end{gather*}",
    ]
    for step in explain_trace(trace):
        out += ["", rf"\section*{{Step {step['number']}. {escape(step['title'])}}}", escape(step["text"]), ""]
        out += [align(line_parts(line)) for line in step["lines"]]
    out += ["", r"\end{document}", ""]
    return "\n".join(out)


FORMATS = {
    "markdown": ("md", "text/markdown", trace_markdown),
    "latex": ("tex", "application/x-tex", trace_latex),
}


def document(trace, format):
    """The worked example of `trace` in `format` ("markdown" or "latex"), with a file name."""
    if format not in FORMATS:
        raise ValueError(f"format: expected one of {', '.join(FORMATS)}, got {format!r}")
    extension, media_type, write = FORMATS[format]
    shape = "-".join(str(n) for n in trace["layers"])
    name = f"glassbox-{shape}-iteration-{trace.get('iteration', 0) + 1}.{extension}"
    return {"format": format, "filename": name, "media_type": media_type, "text": write(trace)}
