"""Real-browser tests of an upload to the landmark picker with the face found automatically."""

from __future__ import annotations

import math
import os
import shutil
from pathlib import Path

import nbformat
import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face import detect
from portrait_lessons.images import save_image

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not detect.available() and not os.environ.get("CI"), reason="needs the faces extra (mediapipe); CI has it"
    ),
]

SCREENSHOTS = Path(__file__).resolve().parent.parent / "images" / "screenshots"
PICKER = ".pl-landmark-picker"
NOTEBOOK = "face_detect_check.ipynb"


@pytest.fixture
def page(lab):
    """The picker beside a gaze tool that takes the picker's points as soon as they are usable."""
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
    notebook.cells = [
        nbformat.v4.new_code_cell(
            "from portrait_lessons.ui.face_tools import gaze_tool\n"
            "from portrait_lessons.ui.landmark_picker import landmark_picker\n"
            "picker = landmark_picker('jemison', save_folder='detect_saves')\n"
            "own = gaze_tool('koch')\n"
            "picker.model.observe(lambda change: own.use_photo(picker.model.image, change.new, "
            "picker.model.display_name) if change.new else None, names='landmarks')\n"
            "picker"
        ),
        nbformat.v4.new_code_cell("own"),
    ]
    nbformat.write(notebook, lab.workdir / "root" / NOTEBOOK)
    page = lab.open(NOTEBOOK)
    page.set_default_timeout(30_000)
    page.locator(f"{PICKER} img.pl-point-photo").wait_for(state="visible")
    yield page
    page.close()


def wait_for_text(page, selector: str, text: str) -> str:
    element = page.locator(selector).first
    page.wait_for_function("([el, text]) => el.textContent.includes(text)", arg=[element.element_handle(), text])
    return element.inner_text()


def drawn(page, name: str) -> tuple[float, float]:
    """Where the canvas draws a point, in photo pixels."""
    dot = page.locator(f"{PICKER} circle[data-name='{name}']")
    return float(dot.get_attribute("cx")), float(dot.get_attribute("cy"))


def test_an_upload_opens_on_the_found_points_and_the_tools_use_them_at_once(lab, page, tmp_path):
    truth = examples.portrait_landmarks("jemison", 1024)
    photo = save_image(examples.load_portrait("jemison", 1024), tmp_path / "my_selfie.jpg")
    lab.upload(page, f"{PICKER} .pl-upload", photo)
    wait_for_text(page, f"{PICKER} .pl-message", "every point placed")
    wait_for_text(page, f"{PICKER} .pl-problems", "now use these points")
    for name in ("left_iris", "right_iris", "mouth_left", "mouth_right", "chin"):
        page.wait_for_function(
            "([el, x]) => Math.abs(parseFloat(el.getAttribute('cx')) - x) < 4",
            arg=[page.locator(f"{PICKER} circle[data-name='{name}']").element_handle(), truth.points[name][0]],
        )
        assert math.dist(drawn(page, name), truth.points[name]) < 4, name
    assert page.locator(f"{PICKER} .pl-point-guess").count() == 0
    assert page.locator(f"{PICKER} .pl-progress").is_hidden()
    tool = page.locator(".pl-gaze select").first
    page.wait_for_function(
        "(s) => s.options[s.selectedIndex].text.includes('my_selfie')", arg=tool.element_handle()
    )
    shot = tmp_path / "landmark_picker_found.png"
    page.locator(PICKER).first.screenshot(path=str(shot))
    if os.environ.get("UPDATE_SCREENSHOTS"):
        shutil.copy(shot, SCREENSHOTS / "landmark_picker_found.png")


def test_two_faces_are_outlined_and_a_click_chooses_one(lab, page, tmp_path):
    pair = np.concatenate([examples.load_portrait("koch", 512), examples.load_portrait("jemison", 512)[:, :384]], axis=1)
    photo = save_image(pair, tmp_path / "two.jpg")
    lab.upload(page, f"{PICKER} .pl-upload", photo)
    wait_for_text(page, f"{PICKER} .pl-problems", "2 faces were found")
    boxes = page.locator(f"{PICKER} rect.pl-face-box")
    boxes.nth(1).wait_for()
    page.locator(PICKER).first.screenshot(path=str(tmp_path / "landmark_picker_two_faces_before.png"))
    other = page.locator(f"{PICKER} rect.pl-face-box:not(.pl-face-chosen)").first
    index = int(other.get_attribute("data-face"))
    x = float(other.get_attribute("x")) + float(other.get_attribute("width")) / 2
    box = other.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    wait_for_text(page, f"{PICKER} .pl-message", f"Face {index + 1} of 2 chosen")
    wait_for_text(page, f"{PICKER} .pl-problems", "now use these points")
    assert abs(drawn(page, "nose_tip")[0] - x) < float(other.get_attribute("width")) / 2
    shot = tmp_path / "landmark_picker_two_faces.png"
    page.locator(PICKER).first.screenshot(path=str(shot))


def test_a_photo_with_no_face_says_so_and_opens_on_the_template(lab, page, tmp_path):
    ramp = np.tile(np.linspace(0, 255, 400).astype(np.uint8)[None, :, None], (300, 1, 3))
    lab.upload(page, f"{PICKER} .pl-upload", save_image(ramp, tmp_path / "wall.jpg"))
    wait_for_text(page, f"{PICKER} .pl-message", "No face was found")
    assert page.locator(f"{PICKER} circle.pl-point").count() == 22
    wait_for_text(page, f"{PICKER} .pl-problems", "first guess")


def test_points_cut_off_by_the_frame_are_drawn_as_rings(lab, page, tmp_path):
    full, truth = examples.load_portrait("koch", 1024), examples.portrait_landmarks("koch", 1024)
    cut = full[: int(truth.points["nose_tip"][1]) + 12]
    lab.upload(page, f"{PICKER} .pl-upload", save_image(cut, tmp_path / "cut.jpg"))
    wait_for_text(page, f"{PICKER} .pl-message", "could not be seen well")
    rings = page.locator(f"{PICKER} circle.pl-point-guess")
    rings.nth(3).wait_for()
    names = {rings.nth(i).get_attribute("data-name") for i in range(rings.count())}
    assert {"chin", "mouth_left", "mouth_right", "lower_lip"} <= names and "left_iris" not in names
    wait_for_text(page, f"{PICKER} .pl-problems", "drawn as rings")
    page.locator(PICKER).first.screenshot(path=str(tmp_path / "landmark_picker_cut.png"))


def test_glasses_open_on_the_brows_drawn_as_rings(lab, page, tmp_path):
    lab.upload(page, f"{PICKER} .pl-upload", save_image(examples.load_portrait("hopper", 1024), tmp_path / "specs.jpg"))
    wait_for_text(page, f"{PICKER} .pl-message", "Glasses frames")
    rings = page.locator(f"{PICKER} circle.pl-point-guess")
    rings.nth(5).wait_for()
    names = {rings.nth(i).get_attribute("data-name") for i in range(rings.count())}
    assert names == {n for n in examples.portrait_landmarks("hopper").points if "_brow_" in n}
    wait_for_text(page, f"{PICKER} .pl-problems", "drawn as rings")
    shot = tmp_path / "landmark_picker_glasses.png"
    page.locator(PICKER).first.screenshot(path=str(shot))
