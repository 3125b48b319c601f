"""App mode: each app in ``apps/`` opens through Voila in Chromium, shows no code, and answers a control.

The ``voila`` fixture (tests/conftest.py) starts the server as ``make app`` does.

To add an app (lesson 04's tools, lesson 09's audit): put its notebook in ``apps/``
(a title, one sentence, one cell that builds the tool) and add one line to APPS.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
REPO = Path(__file__).resolve().parent.parent

#: app notebook -> the element that shows the tool has loaded.
APPS = {
    "prompt_studio.ipynb": ".pl-prompt-studio",
    "editing_panel.ipynb": ".pl-editing-panel",
    "study.ipynb": ".pl-study-runner",
    "study_results.ipynb": ".pl-study-results",
    "posture_framing_background.ipynb": ".pl-figure-tool",
    "portrait_checklist.ipynb": ".pl-audit-tool",
}


def test_every_app_notebook_is_tested():
    assert sorted(p.name for p in (REPO / "apps").glob("*.ipynb")) == sorted(APPS)


@pytest.mark.parametrize("app", sorted(APPS))
def test_app_notebooks_are_small_and_import_the_notebooks_tool(app):
    cells = json.loads((REPO / "apps" / app).read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    assert len(code) == 1 and "from portrait_lessons.ui." in code[0], "one cell, the same tool class as the lessons"
    assert cells[0]["cell_type"] == "markdown" and "".join(cells[0]["source"]).startswith("# ")


def _text(page, selector: str) -> str:
    return page.locator(selector).first.inner_text()


def _wait_for_text(page, selector: str, text: str) -> None:
    page.wait_for_function(
        "([selector, text]) => { const el = document.querySelector(selector); return el && el.textContent.includes(text); }",
        arg=[selector, text],
    )


def test_prompt_studio_app_follows_the_goal_menu(voila):
    page = voila.open("prompt_studio.ipynb", APPS["prompt_studio.ipynb"])
    assert "import" not in page.inner_text("body"), "no code is shown"
    before = _text(page, ".pl-preview")
    page.locator(".pl-goal select").first.select_option(label="Contemplative")
    _wait_for_text(page, ".pl-preview", "soft gaze slightly off-camera")
    assert _text(page, ".pl-preview") != before
    page.close()


def test_editing_panel_app_redraws_when_a_slider_moves(voila):
    page = voila.open("editing_panel.ipynb", APPS["editing_panel.ipynb"])
    before = voila.image_stats(page, "img.pl-panel-image")
    handle = page.locator(".pl-groups .noUi-handle:visible").first
    handle.focus()
    for _ in range(6):
        handle.press("ArrowRight")
    after = voila.wait_for_new_image(page, "img.pl-panel-image", before)
    assert after["width"] == before["width"]
    assert max(abs(after[c] - before[c]) for c in "rgb") > 0.5, "the picture changed"
    # The upload buttons are small scripts of their own (anywidget): they draw in app mode too, in plain words.
    for selector, words in ((".pl-upload button", "Upload your photo"), (".pl-load button", "Load edit")):
        button = page.locator(selector).first
        page.wait_for_function("([b, w]) => b.textContent.trim() === w", arg=[button.element_handle(), words])
    page.close()


def test_study_app_runs_a_pair_and_fits_a_laptop_screen(voila):
    page = voila.open("study.ipynb", APPS["study.ipynb"])
    page.locator(".pl-agree input").first.check()
    page.locator(".pl-start").first.click()
    left = voila.image_stats(page, "img.pl-study-left")
    right = voila.image_stats(page, "img.pl-study-right")
    assert left["src"] != right["src"], "two different versions side by side"
    for selector in ("img.pl-study-left", "img.pl-study-right", ".pl-choose-left", ".pl-choose-right"):
        box = page.locator(selector).first.bounding_box()
        assert box["y"] >= 0 and box["y"] + box["height"] <= 768, f"{selector} is visible without scrolling"
    _wait_for_text(page, ".pl-progress", "Screen 1 of")
    page.locator(".pl-choose-left").first.click()
    _wait_for_text(page, ".pl-progress", "Screen 2 of")
    draft = list((voila.root / "apps" / "study_progress").glob(".*.draft.json"))
    assert len(draft) == 1 and len(json.loads(draft[0].read_text())["trials"]) == 1, "the answer is kept"
    page.close()


def test_study_results_app_merges_the_answers_folder(voila):
    from portrait_lessons.workshop import load_study, simulate_room

    simulate_room(load_study("four_cues"), voila.root / "study_answers", 5, seed=1)
    page = voila.open("study_results.ipynb", APPS["study_results.ipynb"])
    page.locator(".pl-merge").first.click()
    _wait_for_text(page, ".pl-report", "5 answers files merged")
    voila.image_stats(page, "img.pl-results-plot")
    page.close()


def test_posture_app_redraws_the_figure_when_it_leans(voila):
    page = voila.open("posture_framing_background.ipynb", APPS["posture_framing_background.ipynb"])
    assert "import" not in page.inner_text("body"), "no code is shown"
    before = voila.image_stats(page, "img.pl-figure-picture")
    handle = page.locator(".pl-figure-lean .noUi-handle").first
    handle.focus()
    for _ in range(10):
        handle.press("ArrowRight")
    after = voila.wait_for_new_image(page, "img.pl-figure-picture", before)
    assert after["src"] != before["src"] and after["width"] == before["width"]
    page.close()


def test_checklist_app_audits_again_for_another_goal(voila):
    page = voila.open("portrait_checklist.ipynb", APPS["portrait_checklist.ipynb"])
    before = _text(page, ".pl-audit-checklist")
    assert before.startswith("Trust:")
    page.locator(".pl-goal select").first.select_option(label="Thought leadership")
    _wait_for_text(page, ".pl-audit-checklist", "Thought leadership:")
    page.close()
