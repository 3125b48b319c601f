"""Real-browser test of the Prompt Studio: typing, escaping, and the Copy button in Chromium."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "images" / "screenshots"
PAYLOAD = "<img src=x onerror=alert(1)>"


def _wait_for_text(page, locator, text: str) -> None:
    page.wait_for_function("([el, text]) => el.textContent.includes(text)", arg=[locator.element_handle(), text])


def test_typing_updates_preview_and_lint_escapes_html_and_copies(lab, tmp_path):
    page = lab.open("07_prompt_studio.ipynb")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=lab.url)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    studio = page.locator(".pl-prompt-studio").first
    preview = studio.locator(".pl-preview").first
    lint = studio.locator(".pl-lint-box").first
    missing = lint.locator("[data-code='missing-identity']")
    missing.first.wait_for()  # the widget may still be drawing when the page has loaded
    assert missing.count() == 1

    identity = studio.locator(".pl-field-identity input").first
    identity.scroll_into_view_if_needed()
    identity.click()
    identity.press_sequentially("a bakery owner", delay=15)
    _wait_for_text(page, preview, "a bakery owner")
    lint.locator(".pl-lint-clean").wait_for()
    assert lint.locator("[data-code='missing-identity']").count() == 0

    identity.fill("")
    identity.press_sequentially(PAYLOAD, delay=10)
    _wait_for_text(page, preview, PAYLOAD + ",")
    assert "chest-up portrait, " + PAYLOAD in preview.inner_text()
    assert studio.locator("img").count() == 0  # shown as text, never built into an element
    page.wait_for_timeout(500)
    assert dialogs == []

    view = studio.locator(".pl-export-view-midjourney").first
    studio.locator(".pl-export-target button", has_text="Midjourney").first.click()
    view.wait_for(state="visible")
    _wait_for_text(page, view, PAYLOAD + ",")
    view.locator(".pl-copy").first.click()
    _wait_for_text(page, view.locator(".pl-copy-status").first, "Copied.")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("chest-up portrait, " + PAYLOAD) and copied.endswith("doll-like face, beauty filter")
    assert "--seed 0" in copied
    assert dialogs == []

    shot = tmp_path / "prompt_studio_exports.png"
    page.set_viewport_size({"width": 1400, "height": 2400})
    studio.scroll_into_view_if_needed()
    studio.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / "prompt_studio_exports.png")
    if os.environ.get("PL_SHOT_DIR"):  # somewhere to look at it after the run
        shutil.copy(shot, Path(os.environ["PL_SHOT_DIR"]) / "prompt_studio_exports.png")


def test_exercise_1_is_done_in_the_studio_beside_its_check(lab, tmp_path):
    """Lesson 07 exercise 1 at 1366 x 768: Load, fix in the studio inside the exercise, Check right under it.

    The exercise's studio is a second view of the studio above: typing into it changes both.
    """
    page = lab.open("07_prompt_studio.ipynb", viewport=(1366, 768))
    exercise = page.locator(".pl-exercise", has=page.locator(".pl-prompt-studio")).first
    load = exercise.locator("button", has_text="Load it into the studio").first
    load.scroll_into_view_if_needed()
    inner = exercise.locator(".pl-prompt-studio").first
    identity = inner.locator(".pl-field-identity input").first
    for attempt in range(3):  # a click while the kernel is still busy starting the lesson can go unheard; loading twice is harmless
        load.click()
        try:
            page.wait_for_function("(el) => el.value.startsWith('beautiful woman')", arg=identity.element_handle(), timeout=30_000)
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    identity.fill("")
    identity.press_sequentially("a baker who opens her shop at dawn", delay=10)
    page.wait_for_timeout(800)  # the typed words reach the kernel
    check = exercise.locator(".pl-check").first
    check.click()
    feedback = exercise.locator(".pl-feedback-line").first
    page.wait_for_function("(el) => el.textContent.includes('Not there yet')", arg=feedback.element_handle())
    # The same studio further up shows the identity typed down here.
    above = page.locator(".pl-prompt-studio").first.locator(".pl-field-identity input").first
    assert above.input_value() == "a baker who opens her shop at dawn"
    # Doing and checking sit together: the studio's top and the feedback are less than a screen and a half apart.
    top = inner.bounding_box()["y"]
    bottom = feedback.bounding_box()["y"] + feedback.bounding_box()["height"]
    assert bottom - top < 1.5 * 768, (top, bottom)
    check.scroll_into_view_if_needed()
    shot = tmp_path / "prompt_studio_exercise.png"
    page.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / "prompt_studio_exercise.png")
