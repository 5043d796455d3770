"""Python owns the words and the limits (docs/architecture.md, "Settings schema"): no bound,
choice list, rule or lab list of the simulator's is written again in the page's JavaScript.
Each pattern below is one that was once there; the page now reads them from the schema."""

import re
from pathlib import Path

import pytest

SITE_JS = Path(__file__).resolve().parents[1] / "site" / "js"

KNOWN = {
    "the learning-rate bound": r"\b1e9\b|1_000_000_000|MAX_LEARNING_RATE",
    "the parameter limit": r"\b1e4\b|10_000\.0|PARAMETER_LIMIT",
    "the largest seed": r"2147483647|2 \*\* 31|MAX_SEED|2_147_483_647",
    "hidden size 1..64": r"max=\"64\"|\b64\b",
    "the cross-entropy rule": r"['\"]cross_entropy['\"]|CROSS_ENTROPY|sigmoidOut",
    "a list of activations": r"['\"]leaky_relu['\"]|['\"]tanh['\"]|ACTIVATIONS",
    "a list of losses or scenarios": r"LOSSES|SCENARIOS|LOSS_NAMES|SCENARIO_NOTES",
    "a list of learning rates": r"LEARNING_RATES",
    "the bridge's request limits": r"SAFE_NESTING|\bnesting\s*[=:]\s*\d|6_000_000",
    "the list of labs": r"['\"]deep['\"]\s*[,:].*['\"]glassbox['\"]|XOR walkthrough['\"]",
    "an update rule (the XOR note's momentum)": r"μ ?v|\\mu v|:= ?w ?[−-] ?η|w ?[−-] ?η ?v",
    # Index -> notation (nnsim.explain.view_notation, the network view's names and symbols).
    "a weight's index pair": r"\$\{[ij] \+ 1\},?\$\{[ij] \+ 1\}|,\$\{[ij] \+ 1\}`",
    "a layer's superscript": r"\(\$\{l \+ [12]\}\)|sup\.textContent = `\(",
    "default layer names": r"`Hidden \$\{l\}`|defaultLayerLabels",
    "a pixel's row and column": r"row \$\{",
    "the saturation threshold and the markers' words": r"slope below|below 0\.01|Dying ReLU",
}

# Neurons numbered from indices in the page: none (every lab's names come in state.notation).
NEURON_NUMBERS = r"neuron \$\{j \+ 1\}|neuron \$\{[a-z]+\}\$|layer \$\{l \+ 1\}|hidden \$\{l\}"
NEURON_NUMBERS_LEFT = set()


def code_lines():
    for path in sorted(SITE_JS.rglob("*.js")):
        if "vendor" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("//")[0] if not line.lstrip().startswith("//") else ""
            if code.strip():
                yield path.relative_to(SITE_JS), number, code


def test_the_scan_reads_the_pages_javascript():
    files = {path for path, _, _ in code_lines()}
    assert len(files) > 30 and any(str(path).startswith("labs") for path in files)


@pytest.mark.parametrize("what", KNOWN)
def test_javascript_does_not_repeat(what):
    pattern = re.compile(KNOWN[what])
    found = [
        f"{path}:{number}: {code.strip()}" for path, number, code in code_lines() if pattern.search(code)
    ]
    assert not found, f"{what} is written in JavaScript:\n" + "\n".join(found)


def test_neurons_are_named_by_the_simulator():
    pattern = re.compile(NEURON_NUMBERS)
    found = {str(path) for path, _, code in code_lines() if pattern.search(code)}
    assert found == NEURON_NUMBERS_LEFT, found
