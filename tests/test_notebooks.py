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


EXERCISE_WIDGETS = ("check_tool(", "choose(", "form(", "type_in(", "Exercise(", "rating_exercise(")
CODE_EDITS = ("replace with your answer", "change the argument", "run the check", "Run the check", "overwrite=True")


def _for_coders(cells: list[dict], index: int) -> bool:
    """Whether a code cell is an optional "for coders" variant (announced by the Markdown cell before it)."""
    before = cells[index - 1] if index else None
    return bool(before) and before["cell_type"] == "markdown" and "for coders" in "".join(before["source"]).lower()


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_exercise_is_answered_with_the_mouse(path):
    """After "## Try it", every check has its Check button (code stays optional, for coders); nothing asks for code edits."""
    cells = _cells(path)
    start = next(i for i, c in enumerate(cells) if c["cell_type"] == "markdown" and "## Try it" in "".join(c["source"]))
    end = next((i for i, c in enumerate(cells) if i > start and c["cell_type"] == "markdown"
                and re.search(r"^## (Key points|Optional)", "".join(c["source"]), re.M)), len(cells))  # fmt: skip
    for index in range(start, end):
        cell, text = cells[index], "".join(cells[index]["source"])
        if cell["cell_type"] == "code" and "check_" in text and not _for_coders(cells, index):
            assert any(w in text for w in EXERCISE_WIDGETS), f"a check without its Check button:\n{text}"
        if cell["cell_type"] == "markdown" or not _for_coders(cells, index):
            assert not any(phrase in text for phrase in CODE_EDITS), f"asks for a code edit:\n{text}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_cells_that_build_a_card_figure_or_tool_hide_their_code(path):
    """A learner sees the card, the figure or the tool, not the code that builds it."""
    cells = _cells(path)
    for index, cell in enumerate(cells):
        if cell["cell_type"] != "code" or _for_coders(cells, index):
            continue
        kinds = {kind for output in cell["outputs"] for kind in output.get("data", {})}
        builds = kinds & {"application/vnd.jupyter.widget-view+json", "image/png", "image/jpeg", "text/html"}
        if builds:
            hidden = cell["metadata"].get("jupyter", {}).get("source_hidden")
            assert hidden, f"shows its code above what it builds:\n{''.join(cell['source'])[:200]}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_printouts_speak_the_learners_language(path):
    """No number types or raw arrays in what a learner reads."""
    for cell in _cells(path):
        for output in cell.get("outputs", []):
            text = "".join(output.get("text", "")) + "".join(output.get("data", {}).get("text/plain", ""))
            assert not re.search(r"\b(u?int(8|16|32)|float(32|64)|dtype|array\(\[)", text), text[:300]


def test_start_here_tool_has_no_error_under_it_after_run_all():
    """The demonstration of a bad file uses a model of its own: the first tool's status line stays clear."""
    notebook = json.loads((ROOT / "notebooks" / "00_start_here.ipynb").read_text())
    state = notebook["metadata"]["widgets"]["application/vnd.jupyter.widget-state+json"]["state"]
    lines = [m["state"] for m in state.values() if "pl-message" in m["state"].get("_dom_classes", [])]
    assert lines and not any("#a40000" in line.get("value", "") for line in lines)


def test_readme_first_screen_says_what_to_install_and_how_to_start_and_stop():
    first_screen = "\n".join((ROOT / "README.md").read_text().splitlines()[:60])
    for words in ("Miniforge", "no Python", "Run All Cells", "Shut Down", "Ctrl + C"):
        assert words.lower() in first_screen.lower(), words
