"""Real-browser tests of the landmark picker: drag and click points in Chromium."""

from __future__ import annotations

import io
import json
import os
import re
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest
from PIL import Image

from portrait_lessons.face.fit import POINT_LABELS

pytestmark = pytest.mark.browser

SCREENSHOTS = Path(__file__).resolve().parent.parent / "images" / "screenshots"
PICKER = ".pl-landmark-picker"
NOTEBOOK = "landmark_picker_check.ipynb"
SAVES = "picker_saves"


@pytest.fixture
def page(lab):
    """A notebook showing the picker on a bundled portrait, run in the browser.

    The notebook exists only in the test server's throwaway copy of notebooks/.
    """
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from portrait_lessons.ui.landmark_picker import landmark_picker\n"
            f"picker = landmark_picker('jemison', save_folder={SAVES!r})\n"
            "picker"
        )
    ]
    nbformat.write(notebook, lab.workdir / "root" / NOTEBOOK)
    page = lab.open(NOTEBOOK)
    page.locator(f"{PICKER} img.pl-point-photo").wait_for(state="visible")
    page.wait_for_function(
        "(img) => img.complete && img.naturalWidth > 0",
        arg=page.locator(f"{PICKER} img.pl-point-photo").element_handle(),
    )
    page.set_default_timeout(30_000)
    yield page
    page.close()


def dot(page, name: str):
    return page.locator(f"{PICKER} circle[data-name='{name}']")


def centre(locator) -> tuple[float, float]:
    box = locator.bounding_box()
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def image_scale(page) -> float:
    """Photo pixels per screen pixel."""
    photo = page.locator(f"{PICKER} img.pl-point-photo")
    natural = photo.evaluate("(img) => img.naturalWidth")
    return natural / photo.bounding_box()["width"]


def drag(page, start: tuple[float, float], end: tuple[float, float], steps: int = 8) -> None:
    """Press at ``start``, move in steps to ``end``, release: as a hand does."""
    page.mouse.move(*start)
    page.mouse.down()
    page.mouse.move(*end, steps=steps)
    page.mouse.up()


def choose(page, name: str) -> tuple[str, float, float]:
    """Pick a point in the list; wait until both the canvas and the readout show it."""
    before = readout(page)
    page.locator(f"{PICKER} .pl-point-select select").select_option(label=POINT_LABELS[name])
    page.locator(f"{PICKER} circle.pl-point-selected[data-name='{name}']").wait_for()
    return wait_for_readout(page, before)


def readout(page) -> tuple[str, float, float]:
    """The hint line: which point is selected and where Python has it."""
    text = page.locator(f"{PICKER} .pl-hint").inner_text()
    x, y = re.search(r"x\s*(-?\d+), y\s*(-?\d+)", text).groups()
    return text.split(" goes on")[0], float(x), float(y)


def wait_for_readout(page, old: tuple, timeout: float = 20) -> tuple[str, float, float]:
    """Wait until Python has taken the new position and the hint shows it."""
    for _ in range(int(timeout / 0.2)):
        now = readout(page)
        if now != old:
            return now
        page.wait_for_timeout(200)
    raise TimeoutError("the picker's readout did not change: Python never got the move")


def screenshot(locator) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(locator.screenshot())).convert("RGB")).astype(int)


def test_dragging_a_point_moves_it_in_python_and_on_screen(page, tmp_path):
    picker = page.locator(PICKER).first
    canvas = page.locator(f"{PICKER} .pl-point-frame")
    old = choose(page, "nose_tip")
    assert old[0] == "nose tip"
    shot = tmp_path / "landmark_picker_before.png"
    picker.screenshot(path=str(shot))
    before = screenshot(canvas)

    start = centre(dot(page, "nose_tip"))
    drag(page, start, (start[0] + 40, start[1] + 25))
    name, x, y = wait_for_readout(page, old)

    scale = image_scale(page)
    assert name == "nose tip"
    assert abs(x - (old[1] + 40 * scale)) <= 2 * scale + 1
    assert abs(y - (old[2] + 25 * scale)) <= 2 * scale + 1
    moved = centre(dot(page, "nose_tip"))
    assert abs(moved[0] - start[0] - 40) <= 2 and abs(moved[1] - start[1] - 25) <= 2

    after = screenshot(canvas)
    changed = np.abs(after - before).sum(axis=2) > 60
    changed[:4], changed[-4:], changed[:, :4], changed[:, -4:] = False, False, False, False  # the focus ring
    rows, cols = np.nonzero(changed)
    assert changed.sum() > 20, "the drawn photo did not change"
    # The change is where the dot left and where it arrived, not all over the photo.
    frame = canvas.bounding_box()
    assert (
        cols.min() >= start[0] - frame["x"] - 60 and cols.max() <= start[0] - frame["x"] + 140
    )  # the label sits right of the dot
    assert rows.min() >= start[1] - frame["y"] - 60 and rows.max() <= start[1] - frame["y"] + 85

    shot = tmp_path / "landmark_picker.png"
    picker.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        SCREENSHOTS.mkdir(exist_ok=True)
        shutil.copy(shot, SCREENSHOTS / "landmark_picker.png")


def test_clicking_sends_the_chosen_point_there_and_problems_appear(page):
    old = choose(page, "chin")
    assert old[0] == "chin, lowest point"
    brow = centre(dot(page, "left_brow_middle"))
    eye = centre(dot(page, "left_iris"))
    target = (brow[0] - 60, brow[1] - 30)  # above the brows: far from every dot, and wrong for a chin

    page.mouse.click(*target)
    name, x, y = wait_for_readout(page, old)

    assert name == "chin, lowest point"
    assert y < old[2]
    problems = page.locator(f"{PICKER} .pl-problems")
    page.wait_for_function("(el) => el.textContent.includes('chin')", arg=problems.element_handle())
    assert "Upper lip, lower lip and chin should come in that order" in problems.inner_text()
    assert page.locator(f"{PICKER} button.pl-save").is_disabled()
    assert eye == centre(dot(page, "left_iris"))  # other points stay put


def test_arrow_keys_nudge_the_selected_point(page):
    old = choose(page, "mouth_left")
    start = centre(dot(page, "mouth_left"))
    page.mouse.click(*start)  # selects the dot under the pointer and focuses the photo
    page.wait_for_timeout(500)
    pressed = readout(page)
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("Shift+ArrowDown")
    name, x, y = wait_for_readout(page, pressed)
    for _ in range(20):  # key presses arrive one by one
        name, x, y = readout(page)
        if round(y - pressed[2]) == 10:
            break
        page.wait_for_timeout(200)
    assert name == "mouth, left corner"
    assert round(x - pressed[1]) == 3 and round(y - pressed[2]) == 10
    assert abs(pressed[1] - old[1]) <= 1 + image_scale(page) * 3  # the click itself barely moved it
    # The notebook's cell selection did not move with the arrow keys.
    assert page.locator(".jp-Notebook .jp-Cell.jp-mod-selected").count() == 1


def test_save_writes_a_copy_and_its_points(page, lab):
    page.locator(f"{PICKER} button.pl-save").click()
    message = page.locator(f"{PICKER} .pl-message")
    page.wait_for_function("(el) => el.textContent.includes('Saved')", arg=message.element_handle())
    folder = lab.workdir / "root" / SAVES
    sidecars = sorted(folder.glob("*.landmarks.json"))
    assert sidecars, message.inner_text()
    data = json.loads(sidecars[-1].read_text())
    copy = folder / data["image"]
    assert copy.exists() and Image.open(copy).size == (data["width"], data["height"])
    assert "untouched" in message.inner_text()


CONNECTED = "landmark_picker_connected.ipynb"


def test_tools_wait_until_both_irises_are_placed_by_hand(lab):
    """The first guess never reaches the gaze pad; two iris drags do, under the portrait's own name."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from portrait_lessons.ui.face_tools import gaze_tool\n"
            "from portrait_lessons.ui.landmark_picker import landmark_picker\n"
            f"picker = landmark_picker('jemison', save_folder={SAVES!r})\n"
            "own = gaze_tool('koch')\n"
            "picker.model.observe(lambda change: own.use_photo(picker.model.image, change.new, "
            "picker.model.display_name) if change.new else None, names='landmarks')\n"
            "picker"
        ),
        nbformat.v4.new_code_cell("own"),
    ]
    nbformat.write(notebook, lab.workdir / "root" / CONNECTED)
    page = lab.open(CONNECTED)
    try:
        page.set_default_timeout(30_000)
        page.locator(f"{PICKER} img.pl-point-photo").wait_for(state="visible")
        page.locator(".pl-gaze img.pl-after").wait_for(state="visible")
        problems = page.locator(f"{PICKER} .pl-problems")
        page.wait_for_function("(el) => el.textContent.includes('first guess')", arg=problems.element_handle())
        tool_photo = page.locator(".pl-gaze select").first

        def tool_label() -> str:
            return tool_photo.evaluate("(s) => s.options[s.selectedIndex].text").replace("\xa0", " ")

        assert tool_label() == "Christina Koch"
        for name, nudge in (("left_iris", 12), ("right_iris", -12)):
            old = readout(page) if name == "left_iris" else choose(page, name)  # the list starts on the left iris
            start = centre(dot(page, name))
            drag(page, start, (start[0] + nudge, start[1]))
            wait_for_readout(page, old)
            if name == "left_iris":
                page.wait_for_timeout(1000)
                assert tool_label() == "Christina Koch", "one iris is not enough to switch the tool"
        page.wait_for_function("(el) => el.textContent.includes('now use these points')", arg=problems.element_handle())
        page.wait_for_function(
            "(s) => s.options[s.selectedIndex].text.replace(/\u00a0/g, ' ').includes('(your points)')", arg=tool_photo.element_handle()
        )
        assert tool_label() == "Mae C. Jemison (your points)"
        assert "Mae C. Jemison (your points)" in page.locator(".pl-gaze .pl-message").inner_text()
    finally:
        page.close()
