"""Every lesson notebook keeps the workbook's skeleton and is committed ready to read."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# The workshop's study notebooks are tools for a session, not lessons: no lesson skeleton,
# but committed executed, with their tool cells' code hidden like the lessons'.
WORKSHOP = sorted((ROOT / "notebooks").glob("workshop_*.ipynb"))
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)\)")


def _cells(path: Path) -> list[dict]:
    return json.loads(path.read_text())["cells"]


def _markdown(path: Path) -> str:
    return "\n".join("".join(c["source"]) for c in _cells(path) if c["cell_type"] == "markdown")


def test_there_are_notebooks():
    assert NOTEBOOKS and NOTEBOOKS[0].name == "00_start_here.ipynb"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_skeleton(path):
    text = _markdown(path)
    assert text.lstrip().startswith("# "), "starts with a title"
    for heading in ("## You will learn", "## Try it", "## Key points", "## Sources"):
        assert heading in text, f"missing {heading!r}"
    assert re.search(r"\*\*Time:\*\*.*\d+ minutes", text), "says how long teaching and exercises take"


@pytest.mark.parametrize("path", WORKSHOP, ids=lambda p: p.name)
def test_workshop_notebooks_start_with_a_title_and_hide_their_tool_code(path):
    assert _markdown(path).lstrip().startswith("# "), "starts with a title"
    tools = [c for c in _cells(path) if c["cell_type"] == "code" and "from portrait_lessons.ui" in "".join(c["source"])]
    assert tools and all(c["metadata"].get("jupyter", {}).get("source_hidden") for c in tools)


@pytest.mark.parametrize("path", NOTEBOOKS + WORKSHOP, ids=lambda p: p.name)
def test_committed_executed_with_widget_state(path):
    notebook = json.loads(path.read_text())
    code = [c for c in notebook["cells"] if c["cell_type"] == "code" and "".join(c["source"]).strip()]
    assert all(c["execution_count"] for c in code), "every code cell has run"
    counts = [c["execution_count"] for c in code]
    assert counts == sorted(counts), "cells ran top to bottom in one go"
    assert not any(o["output_type"] == "error" for c in code for o in c["outputs"])
    uses_widgets = any(
        "application/vnd.jupyter.widget-view+json" in o.get("data", {}) for c in code for o in c["outputs"]
    )
    if uses_widgets:
        state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
        assert state, "widget state is saved so tools render without a kernel"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_solutions_exist(path):
    assert list((ROOT / "notebooks" / "solutions").glob(path.stem + ".*")), "solutions file beside the notebooks"


@pytest.mark.parametrize("path", [ROOT / "README.md", *NOTEBOOKS, *WORKSHOP], ids=lambda p: p.name)
def test_referenced_images_exist(path):
    text = path.read_text() if path.suffix == ".md" else _markdown(path)
    for link in IMAGE_LINK.findall(text):
        if not link.startswith(("http://", "https://", "attachment:")):
            assert (path.parent / link).exists(), f"{path.name} shows {link}, which is missing"
