"""The package's folders are the pipeline: imports point down the layers only, and no module imports itself
back through others. Every import is read, function-level and TYPE_CHECKING ones included."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.helpers import ROOT

PACKAGE = ROOT / "generator"

# Lowest first: a module may import modules of its own layer or of the layers before it.
LAYERS = [
    ("errors", "parallel"),  # what every stage reports with, and the worker pools
    ("incremental",),  # the store kept between builds: file digests, build state, kept chunks
    ("content",),  # schema, configuration, loading, validation and its messages, document numbers, privacy
    ("model",),  # plan, unit and portal views, agencies, legal documents, history
    ("outputs", "search"),  # page builders, templates, downloads, feeds, charts; the search index
    ("build",),  # the orchestration, workers, MkDocs, publishing
    ("cli", "serve", "scaffold", "importer", "release", "__main__"),  # the commands
]


def _layer(module: str) -> int:
    top = module.split(".")[1]
    for rank, names in enumerate(LAYERS):
        if top in names:
            return rank
    raise AssertionError(f"{module}: not in a layer of tests/test_layers.py (add it where it belongs)")


def _module(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def imports(path: Path) -> set[str]:
    """The generator modules `path` imports, anywhere in it."""
    name = _module(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "generator"}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            if base.split(".")[0] != "generator":
                continue
            for alias in node.names:  # `from generator.outputs import tables`: the module, not the package
                candidate = f"{base}.{alias.name}"
                found.add(candidate if _exists(candidate) else base)
    return {m for m in found if m != "generator" and _exists(m)}


def _exists(module: str) -> bool:
    path = ROOT.joinpath(*module.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _graph() -> dict[str, set[str]]:
    return {_module(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def test_imports_point_down_the_layers():
    upward = [
        f"{m} (layer {_layer(m)}) imports {i} (layer {_layer(i)})"
        for m, deps in _graph().items()
        for i in sorted(deps)
        if _layer(i) > _layer(m)
    ]
    assert not upward, "\n".join(upward)


def test_no_module_imports_itself_back():
    graph = _graph()
    cycles, state = [], {}

    def visit(node: str, path: list[str]) -> None:
        state[node] = "open"
        for nxt in sorted(graph.get(node, ())):
            if state.get(nxt) == "open":
                cycles.append(" → ".join(path[path.index(nxt) :] + [node, nxt]) if nxt in path else f"{node} → {nxt}")
            elif nxt not in state:
                visit(nxt, path + [node])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [])
    assert not cycles, "\n".join(cycles)


def test_the_check_sees_an_upward_import_and_a_cycle(tmp_path, monkeypatch):
    """The two tests above can fail: a model module importing a page builder is caught, and so is a loop."""
    package = tmp_path / "generator"
    for folder in ("model", "outputs"):
        (package / folder).mkdir(parents=True)
    (package / "model/views.py").write_text("def f():\n    from generator.outputs import pages\n")
    (package / "outputs/pages.py").write_text("from generator.model import views\n")
    monkeypatch.setattr(__import__(__name__, fromlist=["ROOT"]), "ROOT", tmp_path)
    monkeypatch.setattr(__import__(__name__, fromlist=["PACKAGE"]), "PACKAGE", package)
    graph = _graph()
    assert graph["generator.model.views"] == {"generator.outputs.pages"}
    assert graph["generator.outputs.pages"] == {"generator.model.views"}
    try:
        test_imports_point_down_the_layers()
    except AssertionError as exc:
        assert "generator.model.views (layer 3) imports generator.outputs.pages (layer 4)" in str(exc)
    else:
        raise AssertionError("the upward import was not seen")
    try:
        test_no_module_imports_itself_back()
    except AssertionError as exc:
        assert "generator.model.views" in str(exc) and "generator.outputs.pages" in str(exc)
    else:
        raise AssertionError("the cycle was not seen")


def test_only_the_mkdocs_layer_imports_mkdocs():
    """MkDocs and Material are replaceable in one place: build/mkdocs_site.py."""
    importers = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and not node.level
                else []
            )
            if any(n == "mkdocs" or n.startswith(("mkdocs.", "material")) for n in names):
                importers.append(_module(path))
    assert sorted(set(importers)) == ["generator.build.mkdocs_site"]
