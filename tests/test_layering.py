"""The layering, read from the import statements of every module (no imports run):

* ``gmm_core`` imports no streamlit, plotly, pandas or threadpoolctl (a library: usable
  without the app, and the thread policy is its user's);
* the figure builders (``ui/figures``) import no streamlit (pure: records in, figures out);
* ``ui/`` never imports from the pages (``app_pages``): shared code does not know its users;
* nothing outside ``gmm_core`` imports its private modules ``gmm_core._*``;
* the engine never imports the pages' maths (``lab_maths``), and ``lab_maths`` imports
  neither the app (streamlit, plotly, ``ui``, ``app_pages``) nor gmm_core's private modules;
* no import circles: none inside any package, none across the project, and between layers
  arrows only point down (``app_pages`` → ``ui`` → ``lab_maths`` → ``gmm_core``).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Allowed: (importing file, private module). None today: every user of the engine goes
#: through its public modules.
PRIVATE_ALLOWED: set[tuple[str, str]] = set()


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Every module a file imports (absolute names; relative imports resolved)."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = path.relative_to(root).parts[:-1]
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1])
                module = f"{base}.{node.module}" if node.module else base
            else:
                module = node.module
            names.add(module)
            names.update(f"{module}.{alias.name}" for alias in node.names)
    return names


def python_files(*folders: str) -> list[Path]:
    files = [p for folder in folders for p in sorted((ROOT / folder).rglob("*.py"))]
    assert files, folders
    return files


def offenders(files, forbidden) -> dict[str, list[str]]:
    bad = {}
    for path in files:
        hits = sorted(m for m in imported_modules(path) if forbidden(path, m))
        if hits:
            bad[str(path.relative_to(ROOT))] = hits
    return bad


def _top(module: str) -> str:
    return module.split(".")[0]


def test_the_engine_imports_no_app_library_and_sets_no_thread_policy():
    app = {"streamlit", "plotly", "pandas", "threadpoolctl"}
    assert offenders(python_files("gmm_core"), lambda _, m: _top(m) in app) == {}


def test_the_pages_maths_set_no_thread_policy():
    # the app's policy is ui/threads.py's, set once for the process
    assert offenders(python_files("lab_maths"), lambda _, m: _top(m) == "threadpoolctl") == {}


def test_the_engine_never_imports_the_pages_maths():
    assert offenders(python_files("gmm_core"), lambda _, m: _top(m) == "lab_maths") == {}


def test_the_pages_maths_import_no_app():
    app = {"streamlit", "plotly", "ui", "app_pages"}
    assert offenders(python_files("lab_maths"), lambda _, m: _top(m) in app) == {}


def test_figure_builders_import_no_streamlit():
    assert offenders(python_files("ui/figures"), lambda _, m: _top(m) == "streamlit") == {}


def test_shared_ui_never_imports_a_page():
    assert offenders(python_files("ui"), lambda _, m: _top(m) in {"app_pages", "pages"}) == {}


def test_nothing_outside_the_engine_imports_its_private_modules():
    files = [p for p in ROOT.rglob("*.py")
             if p.relative_to(ROOT).parts[0] not in {"gmm_core", ".venv"}]

    def private(path, module):
        parts = module.split(".")
        if parts[0] != "gmm_core" or not any(p.startswith("_") for p in parts[1:2]):
            return False
        rel = str(path.relative_to(ROOT))
        return (rel, ".".join(parts[:2])) not in PRIVATE_ALLOWED

    assert offenders(files, private) == {}


@pytest.mark.parametrize("source, expected", [
    ("from gmm_core import _estep", {"gmm_core", "gmm_core._estep"}),
    ("from ..figures import base", {"ui.figures", "ui.figures.base"}),
    ("import streamlit as st", {"streamlit"}),
])
def test_imports_are_read_right(tmp_path, source, expected):
    # the checks above are only as good as this reader
    path = tmp_path / "ui" / "figures" / "probe.py"
    path.parent.mkdir(parents=True)
    path.write_text(source + "\n")
    assert imported_modules(path, root=tmp_path) >= expected



# --- import cycles ------------------------------------------------------------------------

PACKAGES = ("gmm_core", "lab_maths", "ui", "app_pages")
#: The layers, each importing only those after it.
LAYERS = ("app_pages", "ui", "lab_maths", "gmm_core")


def module_name(path: Path, root: Path = ROOT) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def import_graph(packages=PACKAGES, root: Path = ROOT) -> dict[str, set[str]]:
    """Module -> the project modules its import statements name (lazy imports too).

    ``from a import b`` is an arrow to ``a.b`` when that is a module, else to ``a``. The
    parent packages Python also runs are not arrows: every module would otherwise sit in a
    circle with its package's ``__init__``."""
    files = {module_name(p, root): p
             for pkg in packages for p in sorted((root / pkg).rglob("*.py"))}
    graph = {}
    for name, path in files.items():
        package = path.relative_to(root).parts[:-1]
        arrows = set()
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                arrows.update(a.name for a in node.names if a.name in files)
            elif isinstance(node, ast.ImportFrom):
                base = node.module
                if node.level:
                    base = ".".join(package[: len(package) - node.level + 1]
                                    + ((node.module,) if node.module else ()))
                for alias in node.names:
                    full = f"{base}.{alias.name}"
                    arrows.add(full if full in files else base)
        graph[name] = {m for m in arrows if m in files and m != name}
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan), sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


@pytest.mark.parametrize("package", PACKAGES)
def test_no_import_cycles_inside_a_package(package):
    graph = import_graph()
    inside = {m: {t for t in ts if _top(t) == package}
              for m, ts in graph.items() if _top(m) == package}
    assert cycles(inside) == []


def test_no_import_cycles_across_the_project():
    assert cycles(import_graph()) == []


def test_layers_import_only_downwards():
    rank = {layer: i for i, layer in enumerate(LAYERS)}
    upward = sorted((m, t) for m, ts in import_graph().items() for t in ts
                    if rank[_top(t)] < rank[_top(m)])
    assert upward == []


def test_a_planted_cycle_is_found(tmp_path):
    # the checks above are only as good as this finder: a → b → c → a, beside a clean d
    pkg = tmp_path / "ui" / "sub"
    pkg.mkdir(parents=True)
    (tmp_path / "ui" / "__init__.py").write_text("")
    (pkg / "__init__.py").write_text("from . import a\n")
    (pkg / "a.py").write_text("from .b import f\n")
    (pkg / "b.py").write_text("def f():\n    from ui.sub import c\n")
    (pkg / "c.py").write_text("import ui.sub.a\nfrom ui.sub import d\n")
    (pkg / "d.py").write_text("from . import a as _a  # noqa\n")
    graph = import_graph(("ui",), root=tmp_path)
    assert graph["ui.sub.c"] == {"ui.sub.a", "ui.sub.d"}
    assert cycles(graph) == [["ui.sub.a", "ui.sub.b", "ui.sub.c", "ui.sub.d"]]
