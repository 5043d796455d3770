"""The page's JavaScript modules joined at build time into a few bundles, so the lab's first
picture waits for a handful of files rather than for one request per module, an import level
at a time (issue 17). site/js keeps its small readable modules; only the build is rewritten.

A bundle takes the place of a root module: js/app.js (the shell, which index.html loads) and
every module a bundled module imports dynamically (js/labs/<id>.js, js/teach/builder.js). It
holds its root and every module the root imports statically, each wrapped in a function that a
registry shared by the page's bundles (globalThis.glassboxModules) runs once, on first need,
after the modules it imports: where two labs' bundles both carry a view module, the page still
has one instance of it. A bundle exports what its root exports. The modules inside bundles
leave the build (one copy of each); a `// js/views/svg.js` line starts each in its bundle.

The rewriting knows the small uniform subset of modules site/js is written in:

    import {a, b as c} from './x.js';  ->  const {a, b: c} = __require("js/x.js");
    import * as ns from './x.js';      ->  const ns = __require("js/x.js");
    import x from './x.js';            ->  const x = __require("js/x.js").default;
    export function f / async function f / class C / const NAME = ...   (exported by name)
    export default function f / class C  (the declaration), export default EXPRESSION;
    export {a, b as c};
    import('./x.js'), import(`./labs/${id}.js`): the specifier made relative to the bundle
    import(new URL(...)): left as it is (it names an address, not a module of its own folder)
    import.meta.url: the module's own address in the unbundled site

and refuses, as a build error naming the file and line, anything else: another import or
export form (export let, export *, a re-export, a bare specifier), a name imported that the
module does not export, an import cycle, another use of import.meta, a dynamic import of any
other expression, or of a file the build does not hold.
"""

import posixpath
import re

ENTRY = "js/app.js"
REGISTRY = "glassboxModules"
RESERVED = ("__require", "__meta", "__default", REGISTRY)


class BundleError(Exception):
    """A module the bundler cannot rewrite faithfully: the build stops and says where."""


SPECIFIER = r"""(?P<quote>['"])(?P<specifier>\.{1,2}/[^'"]+)(?P=quote)"""
IMPORT_NAMED = re.compile(r"^import\s*\{([^}]*)\}\s*from\s*" + SPECIFIER + r"\s*;?[ \t]*$", re.M)
IMPORT_NAMESPACE = re.compile(r"^import\s*\*\s*as\s+([\w$]+)\s+from\s*" + SPECIFIER + r"\s*;?[ \t]*$", re.M)
IMPORT_DEFAULT = re.compile(r"^import\s+([\w$]+)\s+from\s*" + SPECIFIER + r"\s*;?[ \t]*$", re.M)
DECLARATION = r"((?:async\s+)?function\s*\*?\s*|class\s+{})([\w$]+)"
EXPORT_DECLARATION = re.compile(r"^export\s+" + DECLARATION.format("|const\\s+"), re.M)
EXPORT_DEFAULT_DECLARATION = re.compile(r"^export\s+default\s+" + DECLARATION.format(""), re.M)
EXPORT_DEFAULT = re.compile(r"^export\s+default\s+", re.M)
EXPORT_LIST = re.compile(r"^export\s*\{([^}]*)\}\s*;?[ \t]*$", re.M)
# What is left of an import or export statement after the forms above were rewritten: a form
# the bundler does not know. (`export:` and `import:` are object keys; `import(` is dynamic.)
LEFT_OVER = re.compile(r"^[ \t]*(?:import|export)\b(?![ \t]*[:(.])", re.M)
DYNAMIC_IMPORT = re.compile(r"\bimport\s*\(\s*")
IMPORT_META = re.compile(r"\bimport\.meta\b(\.url\b)?")
STRING = re.compile(r"""(['"])([^'"\n]*)\1\s*\)""")
TEMPLATE = re.compile(r"`([^`$]*)\$\{[^}`]+\}([^`$]*)`\s*\)")


def names(listing, where):
    """[(imported, local)] of `a, b as c`."""
    pairs = []
    for item in filter(None, (part.strip() for part in listing.split(","))):
        match = re.fullmatch(r"([\w$]+)(?:\s+as\s+([\w$]+))?", item)
        if not match:
            raise BundleError(f"{where}: cannot rewrite the import or export list item {item!r}")
        pairs.append((match[1], match[2] or match[1]))
    return pairs


def line_of(text, position):
    return text.count("\n", 0, position) + 1


def in_comment(text, position):
    """Whether position is in a // comment or on a line of a /* */ comment (by its first
    characters): the modules' comments mention import() and import.meta too."""
    line = text[text.rfind("\n", 0, position) + 1 : position]
    line = re.sub(r"""'[^']*'|"[^"]*"|`[^`]*`""", "", line)  # 'http://...' is no comment
    return "//" in line or line.lstrip().startswith(("*", "/*"))


class Module:
    """One module of site/js as the bundler reads it: what it imports (statically and
    dynamically), what it exports, and its body rewritten for the registry."""

    def __init__(self, out, path):
        self.out, self.path = out, path
        self.text = (out / path).read_text(encoding="utf-8")
        for name in RESERVED:
            if re.search(rf"(?<![\w$]){re.escape(name)}(?![\w$])", self.text):
                raise BundleError(f"{path} uses the name {name}, which its bundle needs for itself")
        self.imports = []  # [(path, kind, names)] in the order written
        self.exports = {}  # exported name -> local expression
        self.body = self._rewrite()

    def where(self, position):
        return f"{self.path}:{line_of(self.text, position)}"

    def resolve(self, specifier, position):
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.path), specifier))
        if target.startswith("../") or not (self.out / target).is_file():
            raise BundleError(f"{self.where(position)}: imports {specifier}, which is not in the build")
        return target

    def _rewrite(self):
        text = self.text

        def imported(kind):
            def replace(match):
                target = self.resolve(match["specifier"], match.start())
                bound = names(match[1], self.where(match.start())) if kind == "named" else match[1]
                self.imports.append((target, kind, bound, match.start()))
                return ""

            return replace

        text = IMPORT_NAMED.sub(imported("named"), text)
        text = IMPORT_NAMESPACE.sub(imported("namespace"), text)
        text = IMPORT_DEFAULT.sub(imported("default"), text)
        # The imports run first, in the order written, as a module's imports are evaluated
        # before its body.
        self.imports.sort(key=lambda item: item[3])

        def declaration(match):
            self.exports[match[2]] = match[2]
            return match[1] + match[2]

        def default_declaration(match):
            self.exports["default"] = match[2]
            return match[1] + match[2]

        def default_expression(match):
            self.exports["default"] = "__default"
            return "const __default = "

        def listed(match):
            for local, exported in names(match[1], f"{self.path}:{line_of(text, match.start())}"):
                self.exports[exported] = local
            return ""

        text = EXPORT_DECLARATION.sub(declaration, text)
        text = EXPORT_DEFAULT_DECLARATION.sub(default_declaration, text)
        text = EXPORT_DEFAULT.sub(default_expression, text)
        text = EXPORT_LIST.sub(listed, text)
        for match in LEFT_OVER.finditer(text):
            statement = text[match.start() :].split("\n", 1)[0].strip()
            raise BundleError(
                f"{self.path}: cannot rewrite {statement!r} (not an import or export form it knows)"
            )
        text = self._rewrite_meta(text)
        self._find_dynamic(text)
        return text

    def _rewrite_meta(self, text):
        def meta(match):
            if in_comment(text, match.start()):
                return match[0]
            if not match[1]:
                raise BundleError(f"{self.path}: uses import.meta other than import.meta.url")
            return "__meta.url"

        return IMPORT_META.sub(meta, text)

    def _find_dynamic(self, text):
        """Every dynamic import but of an address (new URL(...), which needs no rewriting):
        [(position, length of its specifier, what it names)], what it names a path or a
        (directory, prefix, suffix) template of paths."""
        self.dynamic = []
        for match in DYNAMIC_IMPORT.finditer(text):
            if in_comment(text, match.start()):
                continue
            rest = text[match.end() :]
            string, template = STRING.match(rest), TEMPLATE.match(rest)
            if string and string[2].startswith("."):
                named = self.resolve(string[2], match.start())
                self.dynamic.append((match.end() + 1, len(string[2]), named))
            elif template and template[1].startswith("."):
                fixed = self.joined(template[1])
                directory, prefix = fixed.rsplit("/", 1)
                self.dynamic.append((match.end() + 1, len(template[1]), (directory, prefix, template[2])))
            elif not rest.startswith("new URL("):
                snippet = rest.split("\n", 1)[0][:60]
                raise BundleError(
                    f"{self.path}:{line_of(text, match.start())}: cannot check the dynamic import({snippet}: "
                    "only a plain relative string, a template of one, or new URL(...)"
                )

    def joined(self, specifier):
        """specifier (relative to this module) as a path of the build; a trailing / kept."""
        joined = posixpath.normpath(posixpath.join(posixpath.dirname(self.path), specifier))
        return joined + "/" if specifier.endswith("/") else joined

    def factory(self, bundle):
        """The module as a function for the registry, its dynamic imports made relative to the
        bundle that carries it, its imports read from the registry first."""
        body, pieces, last = self.body, [], 0
        for position, length, _ in self.dynamic:
            fixed = self.joined(self.body[position : position + length])
            pieces += [
                body[last:position],
                relative(bundle, fixed.rstrip("/")) + ("/" if fixed.endswith("/") else ""),
            ]
            last = position + length
        body = "".join(pieces) + body[last:]
        requires = []
        for target, kind, bound, _ in self.imports:
            if kind == "named":
                listing = ", ".join(name if name == local else f"{name}: {local}" for name, local in bound)
                requires.append(f'const {{{listing}}} = __require("{target}");')
            elif kind == "namespace":
                requires.append(f'const {bound} = __require("{target}");')
            else:
                requires.append(f'const {bound} = __require("{target}").default;')
        exported = ", ".join(
            name if name == local else f"{name}: {local}" for name, local in self.exports.items()
        )
        return (
            f"// {self.path}\n"
            f'{REGISTRY}.define("{self.path}", function (__require, __meta) {{\n'
            + "".join(line + "\n" for line in requires)
            + body.strip("\n")
            + f"\nreturn {{{exported}}};\n}});\n"
        )


def dynamic_targets(out, module):
    """The files module's dynamic imports may load: a template's are every file it matches."""
    targets = []
    for *_, named in module.dynamic:
        if isinstance(named, str):
            targets.append(named)
            continue
        directory, prefix, suffix = named
        matched = sorted(
            f"{directory}/{path.name}"
            for path in (out / directory).glob(f"{prefix}*{suffix}")
            if path.is_file() and len(path.name) > len(prefix) + len(suffix)
        )
        if not matched:
            raise BundleError(
                f"{module.path}: its import of {directory}/{prefix}${{...}}{suffix} matches no file"
            )
        targets.extend(matched)
    return targets


def is_bundled(path):
    """Our own modules: site/js's .js files (the .mjs ones are Pyodide's loader and its helpers,
    loaded by PyScript or as a worker, never imported by the page's modules)."""
    return path.startswith("js/") and path.endswith(".js")


def read_graph(out, entry):
    """{path: Module} of entry and every module it reaches, statically or dynamically, and the
    roots: entry and the targets of dynamic imports, in the order found."""
    modules, roots, pending = {}, [entry], [entry]
    while pending:
        path = pending.pop(0)
        if path in modules:
            continue
        module = modules[path] = Module(out, path)
        for target, *_ in module.imports:
            if not is_bundled(target):
                raise BundleError(f"{path} imports {target}, which is not one of site/js's .js modules")
            pending.append(target)
        for target in dynamic_targets(out, module):
            if is_bundled(target):
                if target not in roots:
                    roots.append(target)
                pending.append(target)
    return modules, roots


def static_closure(modules, root):
    """root and every module it imports statically, each after its imports. A cycle is refused:
    the registry runs a module after the modules it imports, which a cycle makes impossible."""
    ordered, visiting = [], []

    def visit(path):
        if path in ordered:
            return
        if path in visiting:
            raise BundleError("import cycle: " + " -> ".join(visiting[visiting.index(path) :] + [path]))
        visiting.append(path)
        for target, *_ in modules[path].imports:
            visit(target)
        visiting.pop()
        ordered.append(path)

    visit(root)
    return ordered


def check_imported_names(modules):
    """Importing a name the target does not export fails to load as an ES module; in a bundle it
    would quietly be undefined, so the build refuses it."""
    for module in modules.values():
        for target, kind, bound, position in module.imports:
            wanted = (
                [name for name, _ in bound] if kind == "named" else ["default"] if kind == "default" else []
            )
            for name in wanted:
                if name not in modules[target].exports:
                    raise BundleError(
                        f"{module.where(position)}: imports {name} from {target}, which does not export it"
                    )


def relative(from_file, to_path):
    specifier = posixpath.relpath(to_path, posixpath.dirname(from_file))
    return specifier if specifier.startswith("../") else f"./{specifier}"


# Every bundle starts with the registry, made by whichever bundle the page evaluates first.
# A module's address (import.meta.url) is its path under the site's folder.
REGISTRY_SOURCE = """const glassboxModules = globalThis.glassboxModules ??= (siteRoot => {
  const factories = new Map(), instances = new Map();
  const require = path => {
    if (!instances.has(path)) {
      const factory = factories.get(path);
      if (!factory) throw new Error(`${path} is in no bundle the page has loaded`);
      instances.set(path, Object.freeze(factory(require, {url: new URL(path, siteRoot).href})));
    }
    return instances.get(path);
  };
  const define = (path, factory) => { if (!factories.has(path)) factories.set(path, factory); };
  const paths = () => [...factories.keys()];
  return {define, require, paths};
})(new URL("SITE_ROOT", import.meta.url));
"""


def bundle_text(modules, root):
    closure = static_closure(modules, root)
    exports = modules[root].exports
    named = [name for name in exports if name != "default"]
    lines = [
        f"// {root} and the modules it imports, bundled by build.py (buildtools/bundle.py) from site/.",
        REGISTRY_SOURCE.replace("SITE_ROOT", "../" * root.count("/") or "./"),
        *(modules[path].factory(root) for path in closure),
        f'const __root = {REGISTRY}.require("{root}");',
    ]
    if "default" in exports:
        lines.append("export default __root.default;")
    if named:
        lines.append(f"export const {{{', '.join(named)}}} = __root;")
    return "\n".join(lines) + "\n"


def bundle_modules(out, entry=ENTRY):
    """Replace entry and every module it imports dynamically by a bundle at its path, and take
    the modules inside bundles out of the build. Returns the bundles' paths, entry first."""
    modules, roots = read_graph(out, entry)
    check_imported_names(modules)
    texts = {root: bundle_text(modules, root) for root in roots}
    for path in set(modules) - set(roots):
        (out / path).unlink()
    for root, text in texts.items():
        (out / root).write_text(text, encoding="utf-8")
    for directory in sorted({(out / path).parent for path in modules}, key=lambda d: -len(d.parts)):
        if directory.is_dir() and not any(directory.iterdir()):
            directory.rmdir()
    return roots
