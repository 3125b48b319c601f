"""The facilitator's plan is consistent: agendas add up, and every lesson's minutes match its notebook."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
GUIDE = (ROOT / "notebooks" / "FACILITATOR.md").read_text()
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
_NOTEBOOK_TIME = re.compile(r"\*\*Time:\*\*[^\n]*?(\d+) minutes of teaching and (\d+) minutes of exercises")
_GUIDE_TIMING = re.compile(r"\*\*Timing:\*\*\s*(\d+) min(?:utes)? teaching, (\d+) min(?:utes)? exercises")
_ROW = re.compile(r"^\|\s*(\d{1,2}):(\d\d)\s*\|\s*(\d+)\s*\|\s*(.+?)\s*\|\s*$")
_ENDS = re.compile(r"\*\*Ends:\*\*\s*(\d{1,2}):(\d\d)\s*\((\d+) minutes\)")


def notebook_minutes(path: Path) -> int:
    """Teaching plus exercise minutes, as the notebook's "You will learn" section states them."""
    text = "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"] if c["cell_type"] == "markdown")
    found = _NOTEBOOK_TIME.search(text)
    assert found, f"{path.name} states no '**Time:** about N minutes of teaching and M minutes of exercises'"
    return int(found[1]) + int(found[2])


def _section(heading: str) -> str:
    start = GUIDE.index(heading)
    rest = GUIDE[start + len(heading):]
    end = re.search(r"^#{2,3} ", rest, re.M)
    return rest[: end.start()] if end else rest


def agenda(name: str) -> tuple[list[tuple[int, int, str]], tuple[int, int]]:
    """Rows (start in minutes after midnight, minutes, what) and (end, stated total) of one agenda."""
    text = _section(f"### {name}\n")
    rows = [(int(m[1]) * 60 + int(m[2]), int(m[3]), m[4]) for m in map(_ROW.match, text.splitlines()) if m]
    ends = _ENDS.search(text)
    assert rows and ends, f"the {name} agenda needs a table of start | minutes | what and an **Ends:** line"
    return rows, (int(ends[1]) * 60 + int(ends[2]), int(ends[3]))


@pytest.mark.parametrize("name", ["Half day", "Full day"])
def test_agenda_timings_add_up(name):
    rows, (end, total) = agenda(name)
    for (start, minutes, what), (next_start, _, _) in zip(rows, rows[1:]):
        assert start + minutes == next_start, f"{what!r} ends at {(start + minutes) // 60}:{(start + minutes) % 60:02d}"
    last_start, last_minutes, _ = rows[-1]
    assert last_start + last_minutes == end and sum(m for _, m, _ in rows) == total == end - rows[0][0]


@pytest.mark.parametrize("name", ["Half day", "Full day"])
def test_agenda_lessons_take_the_minutes_their_notebooks_state(name):
    rows, _ = agenda(name)
    lessons = [(re.match(r"(\d\d) · ", what), minutes) for _, minutes, what in rows]
    assert any(match for match, _ in lessons)
    for match, minutes in lessons:
        if match:
            (path,) = (ROOT / "notebooks").glob(f"{match[1]}_*.ipynb")
            assert minutes == notebook_minutes(path), f"{path.name}: the agenda gives {minutes} minutes"


def test_the_full_day_has_every_lesson_or_leaves_it_for_self_study():
    rows, _ = agenda("Full day")
    listed = {what[:2] for _, _, what in rows}
    self_study = re.search(r"^\*\*Self-study:\*\* (.*)$", _section("### Full day\n"), re.M)
    listed |= set(re.findall(r"(\d\d) · ", self_study[1])) if self_study else set()
    for path in LESSONS:
        assert path.name[:2] in listed, (
            f"{path.name} is neither in the full-day agenda of FACILITATOR.md nor on its **Self-study:** line: "
            "add a row (its minutes must match the notebook's) or list it there"
        )
    assert any("room's study" in what and minutes == 15 for _, minutes, what in rows)


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name)
def test_each_lesson_section_states_the_notebooks_timing(path):
    heading = re.search(rf"^## {path.name[:2]} · .*$", GUIDE, re.M)
    assert heading, f"FACILITATOR.md has no '## {path.name[:2]} · ...' section for {path.name}"
    timing = _GUIDE_TIMING.search(_section(heading[0]))
    assert timing, f"the {path.name[:2]} section needs '**Timing:** N minutes teaching, M minutes exercises'"
    assert int(timing[1]) + int(timing[2]) == notebook_minutes(path)


def test_the_plan_has_a_checklist_and_what_to_do_when_things_go_wrong():
    for heading in ("## The room's study", "## Pre-workshop checklist", "## When things go wrong"):
        assert heading in GUIDE
    for words in ("install_check", "Binder", "JupyterHub", "consent", "Restart Kernel", "out of memory", "will not load"):
        assert words in GUIDE
