"""The offline copy: the list of files site/service-worker.js keeps, written into it.

The service worker gets this build's fingerprint and every file it keeps with the file's sha256
(as a Subresource Integrity value, so the browser itself checks each file it caches belongs to
this build). Left out: what the page never loads (PyScript's editor and terminal, KaTeX's fonts
in the formats a browser that takes woff2 never asks for) and what GitHub Pages and the build
keep for themselves. The memory snapshot is `lazy`: cached when the page first asks for it, so
a first visit over a slow link, which starts plain, does not download it in the background.
"""

import base64
import hashlib
import json
import re

SERVICE_WORKER = "service-worker.js"
MARKER = re.compile(r"^const BUILD = .*// build\.py: offline build$", re.MULTILINE)
NEVER_LOADED = re.compile(
    r"""^(?:
      vendor/pyscript/(?:codemirror|xterm)[^/]*\.js       # py-editor and py-terminal only
    | vendor/katex/fonts/.*\.(?:ttf|woff)                  # woff2 is taken first
    | vendor/katex/katex\.min\.js                          # the page imports katex.mjs
    | \.nojekyll | service-worker\.js
)$""",
    re.VERBOSE,
)
LAZY = ("pyodide/python-snapshot.bin.gz",)


def integrity(path):
    digest = hashlib.sha256(path.read_bytes()).digest()
    return "sha256-" + base64.b64encode(digest).decode()


def kept_files(out):
    """{path relative to out: integrity} of every file the offline copy keeps."""
    paths = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    return {path: integrity(out / path) for path in paths if not NEVER_LOADED.match(path)}


def write_service_worker(out):
    """Fill the BUILD line of out/service-worker.js (copied from site/) for this build, named by
    a fingerprint of its files' contents. Returns how many files it keeps."""
    worker = out / SERVICE_WORKER
    text = worker.read_text(encoding="utf-8")
    if len(MARKER.findall(text)) != 1:
        raise ValueError(
            f"site/{SERVICE_WORKER} must hold one line `const BUILD = ...;  // build.py: offline build`"
        )
    files = kept_files(out)
    fingerprint = hashlib.sha256(json.dumps(files, sort_keys=True).encode()).hexdigest()[:16]
    build = {"fingerprint": fingerprint, "files": files, "lazy": [path for path in LAZY if path in files]}
    line = f"const BUILD = {json.dumps(build, separators=(',', ':'))};  // build.py: offline build"
    worker.write_text(MARKER.sub(lambda _: line, text), encoding="utf-8")
    return len(files)
