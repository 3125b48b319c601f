"""The grading panel: white balance, tone, vibrance, saturation and grading, with live measurements.

:class:`GradingModel` (traitlets) holds the photo and the :class:`~portrait_lessons.colour.look.Look`
and computes the result and its measurements; :class:`GradingPanel` is the
ipywidgets view. :func:`look_slider` builds one slider for a look setting and is
shared with the era picker.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import examples
from ..images import to_jpeg
from ..colour.look import SETTING, Look, render_look
from ..colour.measure import NATURAL_SKIN_HUE, cheek_patch, dominant_palette, is_black_and_white, measurements, skin_tone
from .own_photo import PREVIEW_EDGE, YOUR_PHOTO, PhotoModel

#: The settings this panel shows, in order.
GRADING_SETTINGS = (
    "temperature", "tint", "exposure", "contrast", "highlights", "shadows", "vibrance", "saturation",
    "grade_shadows_hue", "grade_shadows", "grade_midtones_hue", "grade_midtones",
    "grade_highlights_hue", "grade_highlights",
)  # fmt: skip


class LookModel(PhotoModel):
    """A photo (bundled or the learner's) and a look; the result and its numbers follow.

    Examples
    --------
    >>> model = LookModel(photo="koch")
    >>> model.look = Look(temperature=8000)
    >>> model.after_numbers["warm-cool index"] > model.before_numbers["warm-cool index"]
    True
    """

    look = traitlets.Instance(Look, kw={})
    seed = traitlets.Int(0)

    @property
    def after(self) -> np.ndarray:
        """The preview with the look applied."""
        return render_look(self.before, self.look, seed=self.seed)

    @property
    def before_numbers(self) -> dict[str, float]:
        return measurements(self.before)

    @property
    def after_numbers(self) -> dict[str, float]:
        return measurements(self.after)

    @property
    def black_and_white(self) -> bool:
        """Whether the photo as taken has no colour (then skin hue and colour checks make no sense)."""
        return is_black_and_white(self.before)

    def skin(self, image: np.ndarray | None = None) -> tuple[float, float] | None:
        """Hue and saturation of a cheek patch, for bundled colour portraits (which have landmarks).

        ``None`` for the learner's own photo (no landmarks) and for black-and-white photos.
        """
        if self.photo == YOUR_PHOTO or self.black_and_white:
            return None
        image = self.after if image is None else image
        landmarks = examples.portrait_landmarks(self.photo, PREVIEW_EDGE)
        return skin_tone(cheek_patch(image, landmarks))

    def set(self, name: str, value: float) -> None:
        """Change one setting of the look."""
        self.look = self.look.replace(**{name: value})


# Kept for the exercises' wording: the grading panel's model.
GradingModel = LookModel


def look_slider(name: str, value: float | None = None) -> widgets.FloatSlider:
    """A slider for one look setting, with its label, limits, step and a CSS class ``pl-<name>``.

    Examples
    --------
    >>> look_slider("vibrance").max
    100.0
    """
    setting = SETTING[name]
    decimals = 2 if setting.step < 1 else 0
    slider = widgets.FloatSlider(
        value=setting.neutral if value is None else value, min=setting.minimum, max=setting.maximum,
        step=setting.step, description=setting.label, readout_format=f".{decimals}f",
        continuous_update=True, style={"description_width": "130px"}, layout=widgets.Layout(width="400px"),
        tooltip=setting.help,
    )  # fmt: skip
    slider.add_class(f"pl-{name.replace('_', '-')}")
    return slider


def numbers_html(before: dict[str, float], after: dict[str, float], skin=None, black_and_white: bool = False) -> str:
    """A small before/after table of measurements (and skin, when known).

    For a black-and-white photo the table says so instead of showing skin.
    """
    rows = "".join(
        f"<tr><td>{html.escape(name)}</td><td>{before[name]:g}</td><td><b>{after[name]:g}</b></td></tr>"
        for name in before
    )
    if skin:
        (h0, s0), (h1, s1) = skin
        low, high = NATURAL_SKIN_HUE
        rows += f"<tr><td>skin hue (rule of thumb: {low:.0f}-{high:.0f})</td><td>{h0:.0f}</td><td><b>{h1:.0f}</b></td></tr>"
        rows += f"<tr><td>skin saturation</td><td>{s0:.2f}</td><td><b>{s1:.2f}</b></td></tr>"
    if black_and_white:
        rows += "<tr><td colspan='3'><i>Black and white as taken: no skin colour to measure.</i></td></tr>"
    return f"<table class='pl-numbers'><tr><th></th><th>before</th><th>after</th></tr>{rows}</table>"


def palette_html(image: np.ndarray, colours: int = 6) -> str:
    """The dominant palette as HTML swatches, each as wide as its share."""
    cells = "".join(
        f'<div title="{s.hex} {s.share:.0%}" style="background:{s.hex};height:22px;width:{s.share * 100:.1f}%"></div>'
        for s in dominant_palette(image, colours)
    )
    return f'<div class="pl-palette" style="display:flex;width:100%;border:1px solid #ccc">{cells}</div>'


class PhotoPicker(widgets.HBox):
    """Portrait menu and upload button driving a :class:`LookModel`."""

    def __init__(self, model: LookModel):
        self.model = model
        choices = [(examples.portrait(n).person.split(",")[0], n) for n in examples.names()]
        self.portrait = widgets.Dropdown(options=choices, value=model.photo, description="Portrait")
        self.upload = widgets.FileUpload(accept="image/*,.heic,.heif,.avif,.webp", multiple=False, description="Your photo")
        self.upload.add_class("pl-upload")
        self.portrait.observe(lambda change: setattr(self.model, "photo", change["new"]), "value")
        self.upload.observe(self._on_upload, "value")
        model.observe(self._sync, "photo")
        super().__init__([self.portrait, self.upload])

    def _on_upload(self, change) -> None:
        if change["new"]:
            self.model.load_photo(change["new"], change["new"][0].get("name", ""))

    def _sync(self, change) -> None:
        if change["new"] == YOUR_PHOTO and YOUR_PHOTO not in dict(self.portrait.options).values():
            self.portrait.options = [*self.portrait.options, ("Your photo", YOUR_PHOTO)]
        if change["new"]:
            self.portrait.value = change["new"]


class GradingPanel(widgets.VBox):
    """Sliders for the develop settings, before and after, and live measurements.

    Attributes for code and tests: ``sliders`` (by setting name), ``reset``,
    ``before``, ``after``, ``numbers``, ``palette``, ``message``, ``model``.
    """

    def __init__(self, model: LookModel | None = None):
        self.model = model or LookModel()
        self.picker = PhotoPicker(self.model)
        self.sliders = {name: look_slider(name, getattr(self.model.look, name)) for name in GRADING_SETTINGS}
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self.model.set(name, change["new"]), "value")
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="Back to the photo as taken")
        self.reset.on_click(lambda _: setattr(self.model, "look", Look()))
        self.before = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.after = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.after.add_class("pl-after")
        self.numbers = widgets.HTML()
        self.numbers.add_class("pl-readout")
        self.palette = widgets.HTML()
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        self.model.observe(self._show_photo, ["photo", "uploaded"])
        self.model.observe(self._show_look, "look")
        self.model.observe(self._show_status, "status")

        groups = {}
        for name in GRADING_SETTINGS:
            groups.setdefault(SETTING[name].group, []).append(self.sliders[name])
        tabs = widgets.Tab([widgets.VBox(children) for children in groups.values()])
        for index, title in enumerate(groups):
            tabs.set_title(index, title)
        labels = widgets.HBox([widgets.HTML("<b>Before</b>", layout=widgets.Layout(width="49%")), widgets.HTML("<b>After</b>")])
        palette_box = widgets.VBox([widgets.HTML("Palette after"), self.palette], layout=widgets.Layout(width="45%"))
        super().__init__(
            [
                widgets.HBox([self.picker, self.reset]),
                tabs,
                labels,
                widgets.HBox([self.before, self.after], layout=widgets.Layout(width="100%")),
                widgets.HBox([self.numbers, palette_box]),
                self.message,
            ],
            layout=widgets.Layout(max_width="900px"),
        )
        self.add_class("pl-grading")
        self._show_photo()

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v:g}" for k, v in self.model.look.changes().items()) or "neutral"
        return f"GradingPanel(photo={self.model.photo!r}, {changed})"

    def _show_photo(self, change=None) -> None:
        if not self.model.photo:
            return
        before = self.model.before
        self.before.value = to_jpeg(before)
        self._before_numbers = measurements(before)
        self._before_skin = self.model.skin(before)
        self._black_and_white = self.model.black_and_white
        self._show_look()

    def _show_look(self, change=None) -> None:
        look = self.model.look
        for name, slider in self.sliders.items():
            if slider.value != getattr(look, name):
                slider.value = getattr(look, name)
        after = self.model.after
        self.after.value = to_jpeg(after)
        skin = (self._before_skin, self.model.skin(after)) if self._before_skin else None
        self.numbers.value = numbers_html(self._before_numbers, measurements(after), skin, self._black_and_white)
        self.palette.value = palette_html(after)

    def _show_status(self, change) -> None:
        colour = "#a40000" if self.model.failed else "#2e6b2e"
        self.message.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'


def grading_panel(photo: str = "koch", look: Look | None = None) -> GradingPanel:
    """Build the grading panel (returned, not displayed).

    Examples
    --------
    >>> panel = grading_panel("koch")
    >>> panel.sliders["temperature"].value = 8000
    >>> panel.model.look.temperature
    8000.0
    """
    return GradingPanel(LookModel(photo=photo, look=look or Look()))

