"""The shape of the package, kept: imports point one way, the model stands alone, modules stay readable.

Read from the source with `ast`, lazy imports inside functions included: an
import cycle through a function is still a cycle to the next maintainer.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "generator"
MAX_LINES = 620  # "no module over ~600 lines"


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


MODULES = {module_name(path): path for path in sorted(PACKAGE.rglob("*.py"))}


def imports_of(name: str) -> set[str]:
    """Return the modules of ours that `name` imports, anywhere in it."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    # `from generator.render.core import pdf` names a module; `from generator.model import Course` does not.
    return {module for module in found if module in MODULES and module != name and module != "generator"}


GRAPH = {name: imports_of(name) for name in MODULES}


def test_the_import_graph_has_no_cycle():
    done: set[str] = set()

    def visit(name: str, path: list[str]) -> None:
        if name in path:
            cycle = path[path.index(name):] + [name]
            raise AssertionError("import cycle: " + " → ".join(cycle))
        if name in done:
            return
        for imported in sorted(GRAPH[name]):
            # A package's __init__ importing its own modules is how a package exposes them, not a cycle back.
            if not imported.startswith(name + "."):
                visit(imported, [*path, name])
        done.add(name)

    for name in sorted(GRAPH):
        visit(name, [])


def test_the_model_imports_nothing_of_ours():
    assert GRAPH["generator.model"] == set()


@pytest.mark.parametrize("layer", ["generator.render", "generator.lint", "generator.docker"])
def test_renderers_linters_and_the_command_parser_never_import_the_parser(layer):
    offenders = {name: sorted(imported) for name, imported in GRAPH.items() if name.startswith(layer)
                 for imported in [i for i in imported if i.startswith("generator.parse")] if imported}
    assert offenders == {}


def test_the_docker_package_stands_below_lint_and_render():
    below = {i for name, imported in GRAPH.items() if name.startswith("generator.docker") for i in imported}
    assert not {i for i in below if i.startswith(("generator.lint", "generator.render"))}


def test_only_the_command_line_knows_click():
    users = {name for name, path in MODULES.items() if "import click" in path.read_text(encoding="utf-8")}
    assert users == {"generator.cli"}


def test_no_module_is_too_long_to_read():
    long = {name: n for name, path in MODULES.items() if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert long == {}


def test_the_docs_name_files_that_exist():
    """A renamed module leaves no stale path in the documentation."""
    import re

    repo = PACKAGE.parent
    named = {m for doc in [repo / "README.md", *(repo / "docs").glob("*.md")]
             for m in re.findall(r"`(generator/[\w/]+\.py)`", doc.read_text(encoding="utf-8"))}
    assert named and {path for path in named if not (repo / path).is_file()} == set()


def test_every_package_folder_is_installed():
    """`pip install .` ships only the packages pyproject.toml lists: a new folder left off it
    works in an editable install and breaks every real one (CI's venv, a teacher's)."""
    import tomllib

    settings = tomllib.loads((PACKAGE.parent / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(settings["tool"]["setuptools"]["packages"])
    folders = {module_name(path) for path in PACKAGE.rglob("__init__.py")}
    assert folders - listed == set()
