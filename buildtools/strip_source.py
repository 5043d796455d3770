"""Python source without its docstrings and comments, on the same lines: for the standard
library the site ships (buildtools/stdlib.py), a third of the bytes.

The page runs Python with -OO (site/js/shell/pyodide-loader.mjs), which drops docstrings when it
compiles, so a docstring in the shipped source is never read; comments never are. Every line
keeps its number (a docstring becomes "" followed by its line breaks), so a traceback names
the same lines. A file is kept as it was unless, compiled here with -OO, the stripped source
gives the same code on the same lines (and a file this Python cannot parse is kept as it was).
"""

import ast
import io
import marshal
import tokenize
import types

DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)


def docstring_spans(tree):
    """(first line, first column, last line, end column) of each docstring; columns in bytes."""
    spans = []
    for node in ast.walk(tree):
        if isinstance(node, DOCUMENTED) and node.body:
            first = node.body[0]
            if (
                isinstance(first, ast.Expr)
                and isinstance(first.value, ast.Constant)
                and isinstance(first.value.value, str)
            ):
                spans.append((first.lineno, first.col_offset, first.end_lineno, first.end_col_offset))
    return spans


def without_docstrings(source):
    lines = source.encode("utf-8").splitlines(keepends=True)
    for first, start, last, end in sorted(docstring_spans(ast.parse(source)), reverse=True):
        replaced = lines[first - 1][:start] + b'""' + b"\n" * (last - first) + lines[last - 1][end:]
        lines[first - 1 : last] = replaced.splitlines(keepends=True)
    return b"".join(lines).decode("utf-8")


def without_comments(source):
    lines = source.splitlines(keepends=True)
    comments = [
        token.start
        for token in tokenize.generate_tokens(io.StringIO(source).readline)
        if token.type == tokenize.COMMENT
    ]
    for line, column in comments:
        text = lines[line - 1]
        ending = text[len(text.rstrip("\r\n")) :]
        lines[line - 1] = text[:column].rstrip() + ending
    return "".join(lines)


def shape(code):
    """What a code object does, and on which lines: not its columns, which the page does not
    keep (it runs with PYTHONNODEBUGRANGES) and which a shorter docstring line moves."""
    return (
        code.co_code,
        code.co_names,
        code.co_varnames,
        code.co_freevars,
        code.co_cellvars,
        code.co_firstlineno,
        list(code.co_lines()),
        tuple(
            shape(const) if isinstance(const, types.CodeType) else marshal.dumps(const)
            for const in code.co_consts
        ),
    )


def compiled(source, name):
    return shape(compile(source, name, "exec", optimize=2, dont_inherit=True))


def stripped(data, name):
    """data (the bytes of the .py file `name`) without docstrings and comments, or unchanged
    when that would change the code or this Python cannot parse it."""
    try:
        source = data.decode("utf-8")
        smaller = without_comments(without_docstrings(source))
        same = compiled(smaller, name) == compiled(source, name)
    except (SyntaxError, UnicodeDecodeError, ValueError, tokenize.TokenError):
        return data
    if not same or smaller.count("\n") != source.count("\n"):
        return data
    return smaller.encode("utf-8")
