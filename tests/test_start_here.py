"""The Start Here tool, driven through its widgets as a learner would."""

import io
from datetime import datetime, timezone

import numpy as np
import pytest
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.checks import check_warmer_but_natural
from portrait_lessons.ui.start_here import PREVIEW_EDGE, YOUR_PHOTO, warmth_tool


def _pixels(jpeg: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(jpeg)).convert("RGB"), dtype=float)


def _red_minus_blue(jpeg: bytes) -> float:
    pixels = _pixels(jpeg)
    return float(pixels[..., 0].mean() - pixels[..., 2].mean())


def _upload(data: bytes, name: str) -> tuple[dict, ...]:
    return ({"name": name, "type": "image/jpeg", "size": len(data), "content": memoryview(data),
             "last_modified": datetime.now(timezone.utc)},)  # fmt: skip


def _jpeg(image: np.ndarray) -> bytes:
    buffer = io.BytesIO()
    Image.fromarray(image).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.fixture
def tool():
    return warmth_tool("koch")


def test_slider_warms_the_after_image_only(tool):
    before, after = tool.before.value, tool.after.value
    tool.warmth.value = 30
    assert tool.before.value == before
    assert _red_minus_blue(tool.after.value) > _red_minus_blue(after) + 3
    tool.warmth.value = -30
    assert _red_minus_blue(tool.after.value) < _red_minus_blue(before) - 3
    assert "after <b>" in tool.readout.value


def test_neutral_after_matches_before(tool):
    assert tool.after.value == tool.before.value


def test_choosing_a_portrait_shows_it(tool):
    tool.portrait.value = "jemison"
    shown = _pixels(tool.before.value)
    expected = examples.load_portrait("jemison", PREVIEW_EDGE)
    assert shown.shape == expected.shape
    assert np.abs(shown - expected).mean() < 4  # JPEG round trip


def test_upload_replaces_the_photo_and_keeps_the_slider(tool):
    tool.warmth.value = 20
    photo = np.zeros((300, 200, 3), np.uint8)
    photo[:] = (90, 120, 160)
    tool.upload.value = _upload(_jpeg(photo), "me.jpg")
    assert tool.portrait.value == YOUR_PHOTO
    assert _pixels(tool.before.value).shape == (300, 200, 3)
    assert "me.jpg" in tool.message.value and "untouched" in tool.message.value
    assert _red_minus_blue(tool.after.value) > _red_minus_blue(tool.before.value)


def test_bad_upload_shows_a_clear_escaped_message_and_keeps_the_photo(tool):
    shown = tool.before.value
    tool.upload.value = _upload(b"<img src=x onerror=alert(1)> not a photo", "<b>evil</b>.jpg")
    assert tool.before.value == shown
    assert tool.model.failed
    assert "<img" not in tool.message.value and "<b>evil" not in tool.message.value
    assert len(tool.model.status) > 20
    assert tool.portrait.value == "koch"


def test_save_writes_full_size_and_never_overwrites(tool, tmp_path):
    tool.warmth.value = 15
    first = tool.model.save(tmp_path)
    first_bytes = first.read_bytes()
    second = tool.model.save(tmp_path)
    assert first != second and first.read_bytes() == first_bytes
    saved = np.asarray(Image.open(second))
    assert saved.shape == examples.load_portrait("koch").shape
    assert "Nothing was overwritten" in tool.model.status


def test_exercise_check_responds_to_the_slider(tool):
    assert check_warmer_but_natural(tool.model).startswith("Not there yet")
    tool.warmth.value = 60
    assert check_warmer_but_natural(tool.model).startswith("Too warm")
    tool.warmth.value = 30
    assert check_warmer_but_natural(tool.model).startswith("Well done")


def test_repr_is_short_and_stable(tool):
    tool.warmth.value = 10
    assert repr(tool) == "WarmthTool(photo='koch', mireds=+10)"


def test_error_message_goes_once_the_learner_moves_on(tool):
    tool.model.load_photo(b"", "empty.jpg")
    assert "empty" in tool.message.value
    tool.warmth.value = 10
    assert tool.message.value.count(">") == 2 and not tool.model.failed  # an empty <span>


def test_save_into_a_folder_that_cannot_exist_reports_it(tool, tmp_path):
    blocker = tmp_path / "exports"
    blocker.write_text("a file where the folder should be")
    assert tool.model.save(blocker) is None
    assert tool.model.failed and "Couldn't save" in tool.model.status and "#a40000" in tool.message.value
    assert blocker.read_text() == "a file where the folder should be"


def test_a_notebook_shows_words_not_code_where_the_tool_will_be(tool):
    """Before a notebook runs, JupyterLab shows the text/plain fallback: it must speak to the learner."""
    text = tool._repr_mimebundle_()["text/plain"]
    assert "Run All" in text and "WarmthTool" not in text
