"""The Start Here tool: a portrait, a warmth slider, before and after.

:class:`WarmthModel` holds the state and does the work in plain Python;
:class:`WarmthTool` is the ipywidgets view linked to it. Tests drive the view
by setting widget values, exactly as a learner's mouse does.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import examples
from ..colour.white_balance import WARMTH_RANGE, warm_cool_index, warmth
from ..images import save_image, to_jpeg
from .own_photo import PREVIEW_EDGE, YOUR_PHOTO, PhotoModel  # noqa: F401 (tests and notebooks import PREVIEW_EDGE from here)


class WarmthModel(PhotoModel):
    """State of the tool: which photo, how much warmth, and the result.

    Examples
    --------
    >>> model = WarmthModel(photo="koch")
    >>> model.mireds = 30
    >>> model.after_index > model.before_index
    True
    """

    mireds = traitlets.Float(0.0)

    @property
    def after(self) -> np.ndarray:
        """The preview with the current warmth applied."""
        return warmth(self.before, self.mireds)

    @property
    def before_index(self) -> float:
        """Warm-cool index of the unedited photo (mean red minus mean blue)."""
        return warm_cool_index(self.before)

    @property
    def after_index(self) -> float:
        """Warm-cool index of the edited photo."""
        return warm_cool_index(self.after)

    def save(self, folder: str | Path = "exports") -> Path | None:
        """Save the warmed photo at full size into ``folder``; never overwrites.

        Returns the path written (a new name if the first choice was taken),
        or None if the disk refused, with the reason in :attr:`status`.
        """
        stem = self.upload_name if self.photo == YOUR_PHOTO else self.photo
        folder = Path(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path = save_image(warmth(self.full, self.mireds), folder / f"{stem}-warmth{self.mireds:+.0f}.jpg")
        except OSError as error:
            self._report(f"Couldn't save into {folder}: {error.strerror or error}. Nothing was changed.", failed=True)
            return None
        height, width = self.full.shape[:2]
        self._report(f"Saved {path} ({width} x {height} px). Nothing was overwritten.")
        return path

    @traitlets.observe("photo", "mireds")
    def _forget_failure(self, change) -> None:
        # An error is about the last action; once the learner moves on, it goes.
        if self.failed:
            self._report("")


class WarmthTool(widgets.VBox):
    """Pick a portrait, move the warmth slider, compare before and after.

    The widgets are attributes so code (and tests) can drive them:
    ``portrait``, ``warmth``, ``upload``, ``save``, ``before``, ``after``, ``message``.
    """

    def __init__(self, model: WarmthModel | None = None):
        self.model = model or WarmthModel()
        choices = [(examples.portrait(name).person.split(",")[0], name) for name in examples.names()]
        self.portrait = widgets.Dropdown(options=choices, value=self.model.photo, description="Portrait")
        self.warmth = widgets.FloatSlider(
            value=self.model.mireds, min=WARMTH_RANGE[0], max=WARMTH_RANGE[1], step=5,
            description="Warmth", readout_format="+.0f", continuous_update=True,
            layout=widgets.Layout(width="420px"),
        )  # fmt: skip
        self.warmth.add_class("pl-warmth")
        self.upload = widgets.FileUpload(
            accept="image/*,.heic,.heif,.avif,.webp", multiple=False, description="Your photo"
        )
        self.upload.add_class("pl-upload")
        self.save = widgets.Button(description="Save full size", icon="download",
                                   tooltip="Save the warmed photo at full size into exports/ (never overwrites)")
        self.save.on_click(lambda _: self.model.save())
        self.before = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.after = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.after.add_class("pl-after")
        self.readout = widgets.HTML()
        self.readout.add_class("pl-readout")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")

        traitlets.link((self.warmth, "value"), (self.model, "mireds"))
        self.portrait.observe(self._on_portrait, "value")
        self.upload.observe(self._on_upload, "value")
        self.model.observe(self._show_photo, ["photo", "uploaded"])
        self.model.observe(self._show_after, "mireds")
        self.model.observe(self._show_status, "status")

        labels = widgets.HBox(
            [widgets.HTML("<b>Before</b>", layout=widgets.Layout(width="49%")), widgets.HTML("<b>After</b>")]
        )
        super().__init__(
            [
                widgets.HBox([self.portrait, self.upload, self.save]),
                self.warmth,
                labels,
                widgets.HBox([self.before, self.after], layout=widgets.Layout(width="100%")),
                self.readout,
                self.message,
            ],
            layout=widgets.Layout(max_width="900px"),
        )
        self.add_class("pl-start-here")
        self._show_photo()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"WarmthTool(photo={self.model.photo!r}, mireds={self.model.mireds:+.0f})"

    def _on_portrait(self, change) -> None:
        self.model.photo = change["new"]

    def _on_upload(self, change) -> None:
        if not change["new"]:
            return
        name = change["new"][0].get("name", "")
        self.model.load_photo(change["new"], name)

    def _show_photo(self, change=None) -> None:
        if self.model.photo == YOUR_PHOTO and YOUR_PHOTO not in dict(self.portrait.options).values():
            # New options reset the dropdown to its first entry; don't pass that on.
            self.portrait.unobserve(self._on_portrait, "value")
            self.portrait.options = [*self.portrait.options, ("Your photo", YOUR_PHOTO)]
            self.portrait.observe(self._on_portrait, "value")
        self.portrait.value = self.model.photo
        before = self.model.before
        self.before.value = to_jpeg(before)
        self._before_index = warm_cool_index(before)  # fixed until the photo changes
        self._show_after()

    def _show_after(self, change=None) -> None:
        after = self.model.after  # computed once per slider step
        self.after.value = to_jpeg(after)
        self.readout.value = (
            f"Warm-cool index (mean red minus mean blue): before <b>{self._before_index:+.3f}</b>, "
            f"after <b>{warm_cool_index(after):+.3f}</b>"
        )

    def _show_status(self, change) -> None:
        colour = "#a40000" if self.model.failed else "#2e6b2e"
        self.message.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'


def warmth_tool(photo: str = "koch", mireds: float = 0.0) -> WarmthTool:
    """Build the Start Here tool (it is returned, not displayed).

    Examples
    --------
    >>> tool = warmth_tool("koch")
    >>> tool.warmth.value = 25
    >>> tool.model.after_index > tool.model.before_index
    True
    """
    return WarmthTool(WarmthModel(photo=photo, mireds=mireds))
