"""The attendee's study notebook in a real JupyterLab: consent, a pair, an answer kept."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.browser


def test_the_study_notebook_runs_and_takes_an_answer(lab):
    page = lab.open("workshop_study.ipynb")
    page.locator(".pl-agree input").first.check()
    page.locator(".pl-start").first.click()
    left = lab.image_stats(page, "img.pl-study-left")
    right = lab.image_stats(page, "img.pl-study-right")
    assert left["width"] == right["width"] > 0 and left["src"] != right["src"]
    page.locator(".pl-choose-right").first.click()
    page.wait_for_function("() => document.querySelector('.pl-progress').textContent.includes('Screen 2 of 5')")
    drafts = list((lab.workdir / "root" / "study_progress").glob(".*.draft.json"))
    assert len(drafts) == 1, "the answer is kept in the attendee's draft, so the study can resume"
    page.close()
