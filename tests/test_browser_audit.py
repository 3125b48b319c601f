"""Real-browser test for lesson 09: upload a photo, audit it, save the brief, and open the brief in Chromium."""

from __future__ import annotations

import importlib.util
import io
import time
from pathlib import Path

import pytest
from PIL import Image

from portrait_lessons import examples

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
TYPED_JOB = 'Calm & <b>bold</b><img src=x onerror="window.__typed_ran = 1">'
TYPED_STORY = "<script>window.__typed_ran = 2</script>A pioneer who still teaches, \"in her words\"."


def _photo(folder: Path) -> Path:
    path = folder / "my selfie.jpg"
    out = io.BytesIO()
    Image.fromarray(examples.load_portrait("ochoa", 800)).save(out, "JPEG", quality=90)
    path.write_bytes(out.getvalue())
    return path


def _wait(page, predicate, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError("the page did not get there in time")
        page.wait_for_timeout(300)


def _shown_text(tool, element) -> str:
    """The element's text once JupyterLab has drawn it (it skips cells scrolled out of view)."""
    tool.scroll_into_view_if_needed()
    return element.inner_text()


def test_upload_audit_save_the_brief_and_open_it(lab, tmp_path):
    page = lab.open("09_portrait_checklist.ipynb")
    tool = page.locator(".pl-audit-tool").first
    tool.scroll_into_view_if_needed()
    checklist = tool.locator(".pl-audit-checklist")
    _wait(page, lambda: "Thought leadership" in _shown_text(tool, checklist))

    # Upload a photo: it is audited at once. With the face finder its points are found and every face
    # item is measured; without it, colour only, until its points are placed with the landmark picker.
    lab.upload(page, ".pl-audit-tool .pl-upload", _photo(tmp_path))
    _wait(page, lambda: "my selfie.jpg" in tool.locator(".pl-message").inner_text())
    gaze = tool.locator(".pl-item[data-key='gaze'] .pl-verdict").first
    if importlib.util.find_spec("mediapipe"):
        _wait(page, lambda: gaze.get_attribute("data-verdict") != "not measured")
    else:
        _wait(page, lambda: "landmark picker" in _shown_text(tool, checklist))
        assert tool.locator('.pl-verdict[data-verdict="not measured"]').count() >= 10
    assert tool.locator(".pl-item[data-key='warmth'] .pl-verdict").first.get_attribute("data-verdict") != "not measured"

    # Change the goal with the mouse: the same measures, new verdicts.
    tool.locator(".pl-goal select").select_option(label="Warmth")
    _wait(page, lambda: _shown_text(tool, checklist).startswith("Warmth"))

    # Type the brief's words (with markup in them) and save.
    tool.locator(".pl-job input").fill(TYPED_JOB)
    tool.locator(".pl-story-input textarea").fill(TYPED_STORY)
    page.wait_for_timeout(600)  # let the text reach the kernel
    tool.locator(".pl-save-brief").click()
    link = tool.locator("a.pl-brief-link")
    link.wait_for(timeout=60_000)
    name = link.inner_text()
    brief = lab.workdir / "root" / "exports" / name
    assert brief.exists(), f"{brief} was not written"

    # At a workshop laptop's size the picture and the checklist sit side by side.
    page.set_viewport_size({"width": 1366, "height": 768})
    tool.scroll_into_view_if_needed()
    picture, table = tool.locator("img.pl-panel-image").bounding_box(), checklist.bounding_box()
    assert picture["x"] + picture["width"] <= table["x"] + 1 and table["x"] + table["width"] <= 1366
    page.screenshot(path=str(REPO / "images" / "screenshots" / "09_audit_tool.png"), full_page=False)

    # Open the brief as a file, as a learner would: typed text stayed text.
    reader = lab.browser.new_page(viewport={"width": 1000, "height": 1400})
    reader.goto(brief.as_uri())
    assert reader.locator(".job").inner_text() == TYPED_JOB
    assert reader.locator(".story").inner_text() == TYPED_STORY
    assert reader.evaluate("document.querySelectorAll('script').length") == 0
    assert reader.evaluate("document.querySelectorAll('b, img[src=\"x\"]').length") == 0
    reader.wait_for_timeout(300)
    assert reader.evaluate("window.__typed_ran === undefined")
    assert reader.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 0)")
    assert reader.locator("table.checklist tr").count() == 17  # a header and 16 measured items
    pdf = reader.pdf(format="A4")
    assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 1  # prints on one page
    reader.close()
