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

from ..images import to_jpeg
from ..photos import MY_PHOTOS, is_bundled, load_photo
from .photo_menu import PhotoMenu
from ..retouch.texture import (
    SkinReport,
    adjust_detail,
    face_closeup,
    skin_mask,
    skin_report,
    smooth_skin,
)

#: Long edge of the close-up the tool works on.
CLOSEUP_EDGE = 560


class SkinModel(traitlets.HasTraits):
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

    photo = traitlets.Unicode("koch")
    #: Where the learner's own photos with landmarks are saved (lessons 01 and 02).
    folder = traitlets.Unicode(MY_PHOTOS)
    smoothing = traitlets.Float(0.0)
    restore = traitlets.Float(0.0)
    texture = traitlets.Float(0.0)
    show_mask = traitlets.Bool(False)

    @property
    def closeup(self):
        """(image, landmarks) of the face close-up, unedited."""
        return _closeup(self.photo)

    @property
    def before(self) -> np.ndarray:
        return self.closeup[0]

    @property
    def after(self) -> np.ndarray:
        image, landmarks = self.closeup
        out = smooth_skin(image, landmarks, self.smoothing, self.restore)
        return adjust_detail(out, texture=self.texture) if self.texture else out

    @property
    def report(self) -> SkinReport:
        """Texture kept and tone evened, after versus before."""
        image, landmarks = self.closeup
        return skin_report(image, self.after, landmarks)

    @property
    def mask(self) -> np.ndarray:
        """Where the smoothing acts, as a viewable picture (the photo dimmed outside the skin)."""
        image, landmarks = self.closeup
        weight = skin_mask(image, landmarks)[..., None]
        return (image * (0.25 + 0.75 * weight)).astype(np.uint8)


def _closeup(photo: str):
    """The face close-up of a bundled portrait or a saved photo, cut from its full-size pixels."""
    key = photo if is_bundled(photo) else (photo, Path(photo).stat().st_mtime_ns if Path(photo).exists() else 0)
    if key not in _CLOSEUPS:
        if len(_CLOSEUPS) >= 12:
            _CLOSEUPS.pop(next(iter(_CLOSEUPS)))
        _CLOSEUPS[key] = face_closeup(*load_photo(photo), CLOSEUP_EDGE)
    return _CLOSEUPS[key]


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


class TextureTool(widgets.VBox):
    """Pick a portrait, smooth its skin, restore the texture, and read the meter.

    The widgets are attributes so code (and tests) can drive them:
    ``portrait``, ``smoothing``, ``restore``, ``texture``, ``show_mask``,
    ``before``, ``after``, ``meter``.
    """

    def __init__(self, model: SkinModel | None = None):
        self.model = model or SkinModel()
        self.menu = PhotoMenu(self.model)
        self.portrait, self.refresh = self.menu.dropdown, self.menu.refresh

        def slider(name, description, low, high, value):
            widget = widgets.FloatSlider(value=value * 100, min=low, max=high, step=5, description=description,
                                         readout_format=".0f", continuous_update=True,
                                         style={"description_width": "120px"},
                                         layout=widgets.Layout(width="440px"))  # fmt: skip
            widget.add_class(f"pl-{name}")
            widget.observe(lambda change: setattr(self.model, name, change["new"] / 100), "value")
            return widget

        self.smoothing = slider("smoothing", "Smoothing %", 0, 100, self.model.smoothing)
        self.restore = slider("restore", "Restore texture %", 0, 100, self.model.restore)
        self.texture = slider("texture", "Texture %", -100, 100, self.model.texture)
        self.show_mask = widgets.Checkbox(value=False, description="Show where it smooths", indent=False)
        self.show_mask.add_class("pl-show-mask")
        traitlets.link((self.show_mask, "value"), (self.model, "show_mask"))
        half = widgets.Layout(width="49%")
        self.before = widgets.Image(format="jpeg", layout=half)
        self.before.add_class("pl-before")
        self.after = widgets.Image(format="jpeg", layout=half)
        self.after.add_class("pl-after")
        self.meter = widgets.HTML()
        self.meter.add_class("pl-texture-meter")

        self.model.observe(self._show_photo, "photo")
        self.model.observe(self._show_after, ["smoothing", "restore", "texture", "show_mask"])
        labels = widgets.HBox([widgets.HTML("<b>As taken</b>", layout=half), widgets.HTML("<b>Edited</b>")])
        super().__init__(
            [
                widgets.HBox([self.portrait, self.refresh, self.menu.upload, self.show_mask]),
                self.menu.message,
                self.smoothing,
                self.restore,
                self.texture,
                labels,
                widgets.HBox([self.before, self.after], layout=widgets.Layout(width="100%")),
                self.meter,
            ],
            layout=widgets.Layout(max_width="900px"),
        )
        self.add_class("pl-texture-tool")
        self._show_photo()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        m = self.model
        return (f"TextureTool(photo={m.photo!r}, smoothing={m.smoothing:.2f}, restore={m.restore:.2f}, "
                f"texture={m.texture:+.2f})")  # fmt: skip

    def refresh_photos(self) -> None:
        """List the photos saved since the tool was made (lessons 01 and 02 save them)."""
        self.menu.relist()

    def _show_photo(self, change=None) -> None:
        self.menu.show_current()
        self.before.value = to_jpeg(self.model.before, quality=92)
        self._show_after()

    def _show_after(self, change=None) -> None:
        m = self.model
        after = m.after
        self.after.value = to_jpeg(m.mask if m.show_mask else after, quality=92)
        self.meter.value = meter_html(skin_report(m.before, after, m.closeup[1]))


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
