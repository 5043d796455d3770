"""The page's modules joined into bundles at build time (buildtools/bundle.py, issue 17): each
bundle evaluates, under Node.js, to the exports of the module it stands for, a module shared by
two bundles runs once, and every form the bundler cannot rewrite faithfully stops the build."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from buildtools import bundle  # noqa: E402

NODE = shutil.which("node")
needs_node = pytest.mark.skipif(NODE is None, reason="Node.js is not installed")
LABS = ("xor", "deep", "glassbox", "digits", "playground")


def write(folder, files):
    for name, text in files.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_text(text)
    # Node reads a .js file as an ES module only in a package that says so.
    (folder / "package.json").write_text('{"type": "module"}\n')
    return folder


def node(script, *args):
    result = subprocess.run(
        [NODE, "--input-type=module", "-e", script, *map(str, args)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def site_copy(folder):
    """site/ as build.py has it when it bundles: the vendored KaTeX that formula.js imports
    is there (its content does not matter: a dynamic import is only resolved, never run)."""
    shutil.copytree(ROOT / "site", folder)
    return write(folder, {"vendor/katex/katex.mjs": "export default {};\n"})


# Each module's export names and their types, as an ES module and as the registry gives it.
EXPORTS_OF_EVERY_MODULE = """
const [source, built, ...labs] = process.argv.slice(1);
const shape = ns => Object.fromEntries(Object.keys(ns).sort().map(name => [name, typeof ns[name]]));
const roots = {};
for (const lab of labs) roots[lab] = shape(await import(`${built}/js/labs/${lab}.js`));
const fromSource = {}, fromBundles = {};
for (const path of globalThis.glassboxModules.paths()) {
  fromBundles[path] = shape(globalThis.glassboxModules.require(path));
  fromSource[path] = shape(await import(`${source}/${path}`));
}
const sourceRoots = {};
for (const lab of labs) sourceRoots[lab] = shape(await import(`${source}/js/labs/${lab}.js`));
console.log(JSON.stringify({roots, sourceRoots, fromSource, fromBundles}));
"""


@needs_node
def test_each_lab_bundle_and_each_module_in_it_export_what_the_source_modules_do(tmp_path):
    source = site_copy(tmp_path / "source")
    built = site_copy(tmp_path / "built")
    roots = bundle.bundle_modules(built)
    assert roots[0] == "js/app.js" and {f"js/labs/{lab}.js" for lab in LABS} <= set(roots)
    assert "js/teach/builder.js" in roots
    shapes = node(EXPORTS_OF_EVERY_MODULE, source, built, *LABS)
    assert shapes["roots"] == shapes["sourceRoots"]
    assert all(root == {"default": "object"} for root in shapes["roots"].values())
    assert len(shapes["fromBundles"]) > 40
    assert shapes["fromBundles"] == shapes["fromSource"]


def test_the_bundled_modules_leave_the_build_and_each_is_named_in_its_bundle(tmp_path):
    built = site_copy(tmp_path / "built")
    bundle.bundle_modules(built)
    left = sorted(path.relative_to(built).as_posix() for path in (built / "js").rglob("*") if path.is_file())
    assert left == sorted(
        ["js/app.js", "js/teach/builder.js", *(f"js/labs/{lab}.js" for lab in LABS)]
        + [
            f"js/shell/{name}"
            for name in ("pyodide-loader.mjs", "snapshot-download.mjs", "snapshot-static-data.mjs")
        ]
    )
    xor = (built / "js" / "labs" / "xor.js").read_text()
    # An error's stack names a line of the bundle: the line before each module says which it is.
    assert "\n// js/views/svg.js\n" in xor and "\n// js/labs/xor/walkthrough.js\n" in xor
    assert "\n// js/app.js\n" in (built / "js" / "app.js").read_text()


SHARED = {
    "js/app.js": (
        "import {made} from './shared.js';\n"
        "export const openLab = name => import(`./labs/${name}.js`);\n"
        "export const builder = () => import('./teach/builder.js');\n"
        "export {made as shellMade};\n"
    ),
    "js/shared.js": "globalThis.runs = (globalThis.runs ?? 0) + 1;\nexport const made = {};\n",
    "js/where.js": "export const where = import.meta.url;\n",
    "js/labs/one.js": "import {made} from '../shared.js';\nimport {where} from '../where.js';\n"
    "export default {made, where};\n",
    "js/labs/two.js": "import * as shared from '../shared.js';\nexport default function two() {}\n"
    "export const made = shared.made;\n",
    "js/teach/builder.js": "import made from '../default.js';\nexport class Builder {}\nexport {made};\n",
    "js/default.js": "export default 'the default';\n",
}


@needs_node
def test_a_module_in_two_bundles_runs_once_and_knows_its_own_address(tmp_path):
    built = write(tmp_path, SHARED)
    assert bundle.bundle_modules(built) == [
        "js/app.js",
        "js/labs/one.js",
        "js/labs/two.js",
        "js/teach/builder.js",
    ]
    assert not (built / "js" / "shared.js").exists()
    seen = node(
        """
        const shell = await import(process.argv[1] + '/js/app.js');
        const one = (await shell.openLab('one')).default, two = await shell.openLab('two');
        const builder = await shell.builder();
        console.log(JSON.stringify({
          runs: globalThis.runs, same: one.made === two.made && two.made === shell.shellMade,
          where: one.where, two: [typeof two.default, Object.keys(two).sort()],
          builder: [typeof builder.Builder, builder.made],
        }));
        """,
        built,
    )
    assert seen == {
        "runs": 1,
        "same": True,
        "where": (built / "js" / "where.js").as_uri(),
        "two": ["function", ["default", "made"]],
        "builder": ["function", "the default"],
    }


REFUSED = {
    "export let": ({"js/app.js": "export let counter = 0;\n"}, "export let counter"),
    "export *": ({"js/app.js": "export * from './a.js';\n", "js/a.js": ""}, "export \\* from"),
    "a re-export": (
        {"js/app.js": "export {a} from './a.js';\n", "js/a.js": "export const a = 1;\n"},
        "export {a} from",
    ),
    "a bare specifier": ({"js/app.js": "import {a} from 'lodash';\n"}, "import {a} from 'lodash'"),
    "a missing file": ({"js/app.js": "import {a} from './gone.js';\n"}, "js/app.js:1: imports ./gone.js"),
    "a name not exported": (
        {"js/app.js": "import {b} from './a.js';\n", "js/a.js": "export const a = 1;\n"},
        "imports b from js/a.js",
    ),
    "an import cycle": (
        {
            "js/app.js": "import {a} from './a.js';\n",
            "js/a.js": "import {b} from './b.js';\nexport const a = 1;\n",
            "js/b.js": "import {a} from './a.js';\nexport const b = 2;\n",
        },
        "import cycle: js/a.js -> js/b.js -> js/a.js",
    ),
    "import.meta other than its url": (
        {"js/app.js": "const url = import.meta.resolve('./a.js');\n"},
        "import.meta",
    ),
    "a dynamic import of a variable": (
        {"js/app.js": "const name = './a.js';\nexport const load = () => import(name);\n"},
        "js/app.js:2: cannot check the dynamic import",
    ),
    "a dynamic import after a string holding //": (
        {"js/app.js": "const name = 'http://x/a.js'; import(name);\n"},
        "cannot check the dynamic import",
    ),
    "a dynamic import of a missing file": ({"js/app.js": "import('./gone.js');\n"}, "imports ./gone.js"),
    "a template that matches nothing": ({"js/app.js": "import(`./labs/${id}.js`);\n"}, "matches no file"),
    "a module importing a non-module": (
        {"js/app.js": "import {a} from '../data/a.json';\n", "data/a.json": "{}"},
        "not one of site/js",
    ),
    "a name the bundle needs": ({"js/app.js": "const __require = 1;\n"}, "__require"),
}


@pytest.mark.parametrize("case", REFUSED)
def test_what_the_bundler_cannot_rewrite_stops_the_build(tmp_path, case):
    files, message = REFUSED[case]
    write(tmp_path, files)
    before = {path: path.read_text() for path in tmp_path.rglob("*.js")}
    with pytest.raises(bundle.BundleError, match=message):
        bundle.bundle_modules(tmp_path)
    assert {path: path.read_text() for path in tmp_path.rglob("*.js")} == before, "nothing rewritten"
