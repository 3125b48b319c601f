"""The package is shaped like the curriculum: topic packages, few top-level modules, no import cycles."""

from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "portrait_lessons"
TOPICS = ("face", "colour", "retouch", "editing", "figures", "prompts", "ui", "checks", "composition")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _modules() -> dict[str, Path]:
    return {_module_name(p): p for p in PACKAGE.rglob("*.py")}


def _imports_at_load(path: Path, name: str, known: set[str]) -> set[str]:
    """The package modules that ``name`` imports anywhere (and their parent packages, which run first)."""
    is_package = path.name == "__init__.py"
    here = name.split(".") if is_package else name.split(".")[:-1]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):  # imports inside functions count too
        if isinstance(node, ast.ImportFrom):
            base = here[: len(here) - node.level + 1] if node.level else []
            target = ".".join(base + ([node.module] if node.module else []))
            candidates = [f"{target}.{alias.name}" for alias in node.names] + [target]
        elif isinstance(node, ast.Import):
            candidates = [alias.name for alias in node.names]
        else:
            continue
        for candidate in candidates:
            if candidate in known:
                found.add(candidate)
                parts = candidate.split(".")  # importing a.b.c runs a/__init__ and a/b/__init__ first
                found.update(".".join(parts[:i]) for i in range(1, len(parts)) if ".".join(parts[:i]) in known)
    found.discard(name)
    return found


def _cycle(graph: dict[str, set[str]]) -> list[str] | None:
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state and (found := visit(nxt)):
                return found
        state[node] = 2
        stack.pop()
        return None

    for node in sorted(graph):
        if node not in state and (found := visit(node)):
            return found
    return None


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    # a package's own __init__ is not an import of its children
    return {name: {d for d in _imports_at_load(path, name, set(modules)) if not name.startswith(d + ".")}
            for name, path in modules.items()}  # fmt: skip


def test_no_import_cycles():
    assert _cycle(_graph()) is None, f"import cycle: {' -> '.join(_cycle(_graph()))}"


def test_the_cycle_finder_finds_a_cycle():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set()}) is None


def test_the_recipe_never_imports_its_stages():
    graph = _graph()
    assert "portrait_lessons.editing.stages" not in graph["portrait_lessons.editing.recipe"]
    assert "portrait_lessons.editing.recipe" in graph["portrait_lessons.editing.stages"]


def test_at_most_eight_top_level_modules():
    top = sorted(p.name for p in PACKAGE.glob("*.py"))
    assert len(top) <= 8, top


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_package_says_what_it_teaches(topic):
    module = importlib.import_module(f"portrait_lessons.{topic}")
    doc = module.__doc__ or ""
    assert len(doc.splitlines()) >= 3 and "esson" in doc, f"portrait_lessons.{topic} needs a docstring naming its lessons"


def test_notebooks_get_short_names():
    from portrait_lessons.colour import Look, warmth
    from portrait_lessons.face import Landmarks, gaze_horizontal
    from portrait_lessons.retouch import smooth_skin, subject_mask

    assert all(callable(f) for f in (Look, warmth, Landmarks, gaze_horizontal, smooth_skin, subject_mask))
