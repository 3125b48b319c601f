"""Lesson 03's tool: smooth the skin as a beauty filter does, watch the texture meter, restore it.

:class:`SkinModel` holds the state and does the work in plain Python;
:class:`TextureTool` is the ipywidgets view linked to it. The tool works on
a close-up of the face, cut from the full-size photo, so pores are visible.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from ..photos import MY_PHOTOS, is_bundled, load_photo
from .frame import FrameModel, ToolFrame
from ..retouch.texture import (
    SkinReport,
    adjust_detail,
    face_closeup,
    smoothing_mask,
    skin_report,
    skin_texture_kept,
    skin_tone_evened,
    smooth_skin,
)
from ..images import preview

#: Long edge of the close-up the tool works on.
CLOSEUP_EDGE = 560
#: Long edge of the close-up drawn while a slider moves: still more pixels than its box shows
#: Side by side on a 1366 x 768 screen (about 290 x 320 px); the 560 px close-up follows at rest.
DRAFT_EDGE = 400


class SkinModel(FrameModel):
    """State of the tool: which photo, how much smoothing, restoring and texture; and the result.

    Examples
    --------
    >>> model = SkinModel(photo="koch")
    >>> model.smoothing = 1.0
    >>> model.report.texture_kept < 0.7
    True
    >>> model.restore = 1.0
    >>> model.report.texture_kept > 0.9
    True
    """

    tool_name = "skin"
    needs_landmarks = True
    smoothing = traitlets.Float(0.0)
    restore = traitlets.Float(0.0)
    texture = traitlets.Float(0.0)
    show_mask = traitlets.Bool(False)

    def render(self, image, landmarks) -> np.ndarray:
        out = smooth_skin(image, landmarks, self.smoothing, self.restore)
        return adjust_detail(out, texture=self.texture, landmarks=landmarks) if self.texture else out

    def settings(self) -> dict:
        return {"smoothing": self.smoothing, "restore_texture": self.restore, "texture": self.texture}

    draft_edge = DRAFT_EDGE
    _small_closeup: tuple | None = None

    def _draft_photo(self):
        """The close-up and its landmarks at :attr:`draft_edge` (the same arrays while the photo stays).

        Examples
        --------
        >>> model = SkinModel(photo="koch", smoothing=1.0)
        >>> max(model.draft().shape[:2]), max(model.after.shape[:2])
        (400, 560)
        """
        image, landmarks = self.closeup
        if self._small_closeup is None or self._small_closeup[0] is not image:
            small = preview(image, self.draft_edge)
            self._small_closeup = (image, small, landmarks.resized(small.shape[1], small.shape[0]))
        return self._small_closeup[1:]

    @property
    def closeup(self):
        """(image, landmarks) of the face close-up, unedited, cut from the full-size pixels."""
        if self.is_own:
            key = ("own", id(self.uploaded))
            if key not in _CLOSEUPS:
                _remember(key, face_closeup(self.full, self.full_landmarks, CLOSEUP_EDGE))
            return _CLOSEUPS[key]
        return _closeup(self.photo)

    @property
    def before(self) -> np.ndarray:
        return self.closeup[0] if self.has_landmarks else self.image

    @property
    def after(self) -> np.ndarray:
        if not self.has_landmarks:
            return self.image
        return self.render(*self.closeup)

    @property
    def report(self) -> SkinReport:
        """Texture kept and tone evened, after versus before."""
        image, landmarks = self.closeup
        return skin_report(image, self.after, landmarks)

    @property
    def mask(self) -> np.ndarray:
        """Where the smoothing acts, as a viewable picture (the photo dimmed outside the skin)."""
        image, landmarks = self.closeup
        weight = smoothing_mask(image, landmarks)[..., None]
        return (image * (0.25 + 0.75 * weight)).astype(np.uint8)


def _closeup(photo: str):
    """The face close-up of a bundled portrait or a saved photo, cut from its full-size pixels."""
    key = photo if is_bundled(photo) else (photo, Path(photo).stat().st_mtime_ns if Path(photo).exists() else 0)
    if key not in _CLOSEUPS:
        _remember(key, face_closeup(*load_photo(photo), CLOSEUP_EDGE))
    return _CLOSEUPS[key]


def _remember(key, value) -> None:
    if len(_CLOSEUPS) >= 12:
        _CLOSEUPS.pop(next(iter(_CLOSEUPS)))
    _CLOSEUPS[key] = value


_CLOSEUPS: dict = {}


def meter_html(report: SkinReport, target: float = 0.7) -> str:
    """The over-smoothing meter as a small HTML bar: green at or above ``target``, red well below.

    Examples
    --------
    >>> "72%" in meter_html(SkinReport(0.72, 0.1))
    True
    """
    kept = max(0.0, min(1.5, report.texture_kept))
    colour = "#1b7837" if kept >= target else "#b35806" if kept >= target - 0.25 else "#a40000"
    verdict = "skin still reads as skin" if kept >= target else "getting smooth" if kept >= target - 0.25 else \
        "plastic: the pores are gone"  # fmt: skip
    width = min(100.0, kept * 100)
    return (
        f'<div class="pl-meter" data-kept="{kept:.3f}" style="font-size:13px">'
        f"<b>Texture kept:</b> {kept:.0%} &nbsp;<span style='color:{colour}'>{verdict}</span>"
        f'<div style="position:relative;height:12px;width:320px;background:#ddd;border-radius:3px">'
        f'<div style="height:12px;width:{width * 3.2:.0f}px;background:{colour};border-radius:3px"></div>'
        f'<div style="position:absolute;left:{target * 320:.0f}px;top:-2px;height:16px;border-left:2px solid #333"'
        f' title="{target:.0%}"></div></div>'
        f"<b>Tone evened:</b> {report.tone_evened:.0%} of the blotchiness removed</div>"
    )


class TextureTool(ToolFrame):
    """Pick a portrait, smooth its skin, restore the texture, and read the meter.

    The widgets are attributes so code (and tests) can drive them:
    ``portrait``, ``smoothing``, ``restore``, ``texture``, ``show_mask``,
    ``before``, ``after``, ``meter``, and the frame's ``save``, ``upload``, ``refresh``.
    """

    def __init__(self, model: SkinModel | None = None):
        model = model or SkinModel()

        def slider(name, description, low, high, value):
            widget = widgets.FloatSlider(value=value * 100, min=low, max=high, step=5, description=description,
                                         readout_format=".0f", continuous_update=True,
                                         style={"description_width": "120px"},
                                         layout=widgets.Layout(width="370px"))  # fmt: skip
            widget.add_class(f"pl-{name}")
            widget.observe(lambda change: setattr(self.model, name, change["new"] / 100), "value")
            return widget

        self.smoothing = slider("smoothing", "Smoothing %", 0, 100, model.smoothing)
        self.restore = slider("restore", "Restore texture %", 0, 100, model.restore)
        self.texture = slider("texture", "Texture %", -100, 100, model.texture)
        self.show_mask = widgets.Checkbox(value=False, description="Show where it smooths", indent=False)
        self.show_mask.add_class("pl-show-mask")
        traitlets.link((self.show_mask, "value"), (model, "show_mask"))
        super().__init__(model, [self.smoothing, self.restore, self.texture, self.show_mask],
                         watch=["smoothing", "restore", "texture", "show_mask"], css="pl-texture-tool",
                         side_width="390px")  # fmt: skip
        self.meter = self.readout
        self.meter.add_class("pl-texture-meter")

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        m = self.model
        return (f"TextureTool(photo={m.photo!r}, smoothing={m.smoothing:.2f}, restore={m.restore:.2f}, "
                f"texture={m.texture:+.2f})")  # fmt: skip

    def refresh_photos(self) -> None:
        """List the photos saved since the tool was made (lessons 01 and 02 save them)."""
        self.relist()

    def shown_after(self) -> np.ndarray:
        m = self.model
        return m.mask if m.show_mask and m.has_landmarks else m.after

    def shown_draft(self):
        # The mask view shows where the smoothing acts, not the edit: no draft of the edit then.
        return None if self.model.show_mask else super().shown_draft()

    def rest_steps(self) -> list:
        # The meter's two measures, each in a turn of its own: a key pressed meanwhile waits for one.
        return [self._texture_kept, self._tone_evened] if self.model.has_landmarks else []

    def _measured(self):
        m = self.model
        # Over the mask the meter still measures the edit: rendered once for both measures.
        edit = self.readout_part("edit", lambda: m.after) if m.show_mask else self._after
        return m.before, edit, m.closeup[1]

    def _texture_kept(self) -> float:
        return self.readout_part("kept", lambda: skin_texture_kept(*self._measured()))

    def _tone_evened(self) -> float:
        return self.readout_part("evened", lambda: skin_tone_evened(*self._measured()))

    def describe(self, before, after) -> str:
        if not self.model.has_landmarks:
            return "<i>The texture meter needs the face's landmarks.</i>"
        return meter_html(SkinReport(self._texture_kept(), self._tone_evened()))


def texture_tool(
    photo: str = "koch", smoothing: float = 0.0, restore: float = 0.0, folder: str | Path = MY_PHOTOS
) -> TextureTool:
    """Build lesson 03's tool (it is returned, not displayed).

    Examples
    --------
    >>> tool = texture_tool("glover")
    >>> tool.smoothing.value = 100
    >>> tool.model.report.texture_kept < 0.7
    True
    """
    return TextureTool(SkinModel(photo=photo, smoothing=smoothing, restore=restore, folder=str(folder)))
