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

from ..colour.adjust import hue_rgb
from ..colour.look import SETTING, Look, render_look
from ..colour.measure import (LIGHT_COLOUR, NATURAL_SKIN_HUE, cheek_patch, colour_change, dominant_palette, is_black_and_white,
                               measurements, palette_lab, skin_tone)  # fmt: skip
from .frame import DRAFT_EDGE, ToolFrame, FrameModel, grouped

#: The settings this panel shows, in order.
GRADING_SETTINGS = (
    "temperature", "tint", "exposure", "contrast", "highlights", "shadows", "vibrance", "saturation",
    "grade_shadows_hue", "grade_shadows", "grade_midtones_hue", "grade_midtones",
    "grade_highlights_hue", "grade_highlights",
)  # fmt: skip


class LookModel(FrameModel):
    """A photo (bundled, saved or the learner's) and a look; the result and its numbers follow.

    Examples
    --------
    >>> model = LookModel(photo="koch")
    >>> model.look = Look(temperature=8000)
    >>> model.after_numbers["warm-cool index"] > model.before_numbers["warm-cool index"]
    True
    """

    tool_name = "look"
    draft_edge = DRAFT_EDGE  # after is render(image): a smaller one is drawn while a slider moves
    look = traitlets.Instance(Look, kw={})
    seed = traitlets.Int(0)

    def render(self, image, landmarks=None) -> np.ndarray:
        return render_look(image, self.look, seed=self.seed)

    def settings(self) -> dict:
        return {"look": self.look.changes(), "seed": self.seed}

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
        """Hue and saturation of a cheek patch, for colour photos with landmarks.

        ``None`` for a photo without landmarks (a plain upload) and for black-and-white photos.
        """
        if not self.has_landmarks or self.black_and_white:
            return None
        image = self.after if image is None else image
        return skin_tone(cheek_patch(image, self.landmarks))

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
    thousands = "," if setting.maximum >= 1000 else ""  # "6,500" as the words line and the readout write it
    slider = widgets.FloatSlider(
        value=setting.neutral if value is None else value, min=setting.minimum, max=setting.maximum,
        step=setting.step, description=setting.label, readout_format=f"{thousands}.{decimals}f",
        continuous_update=True, style={"description_width": "120px"}, layout=widgets.Layout(width="340px"),
        tooltip=setting.help,
    )  # fmt: skip
    slider.add_class(f"pl-{name.replace('_', '-')}")
    return slider


#: How each measurement is written: the same number of decimals before and after, wherever it is shown.
NUMBER_FORMATS = {"warm-cool index": "{:+.3f}", "colourfulness": "{:.1f}", "mean saturation": "{:.2f}"}


def light_words(kelvin: float) -> str:
    """A measured light colour in the words the whole workbook uses: ``"3,920 K: warm"``.

    Lower is warmer (candlelight is about 1,900 K); 6,500 K, daylight, is neutral.

    Examples
    --------
    >>> light_words(2922), light_words(6504), light_words(12000)
    ('2,920 K: warm', '6,500 K: neutral', '12,000 K: cool')
    """
    word = ("warm" if kelvin < 4500 else "slightly warm" if kelvin < 5800 else "neutral" if kelvin < 7500
            else "slightly cool" if kelvin < 9500 else "cool")  # fmt: skip
    return f"{round(kelvin, -1):,.0f} K: {word}"


def temperature_words(kelvin: float) -> str:
    """What the white-balance **Temperature** slider does, in the same words: ``"8,000 K: warms the picture"``.

    The slider says which light to correct for, so above daylight (6,504 K)
    the picture gets warmer and its measured light colour falls.

    Examples
    --------
    >>> temperature_words(6504), temperature_words(8000), temperature_words(5000)
    ('6,500 K: neutral (as taken)', '8,000 K: warms the picture', '5,000 K: cools the picture')
    """
    shown = f"{round(kelvin, -1):,.0f} K"
    if abs(kelvin - SETTING["temperature"].neutral) < 25:
        return f"{shown}: neutral (as taken)"
    return f"{shown}: {'warms' if kelvin > SETTING['temperature'].neutral else 'cools'} the picture"


def _number(name: str, value: float) -> str:
    """One measurement as the table writes it (light colour in words, fixed decimals, never -0)."""
    if name == LIGHT_COLOUR:
        return light_words(value)
    text = NUMBER_FORMATS.get(name, "{:.2f}").format(value)
    return text.replace("-", "", 1) if text.strip("-+0.") == "" else text  # "-0.000" reads as a change


def numbers_html(before: dict[str, float], after: dict[str, float], skin=None, black_and_white: bool = False) -> str:
    """A small before/after table of measurements (and skin, when known).

    The picture's light colour is written as on the Temperature slider
    (``"2,920 K: warm"``); each number keeps its decimals in both columns.
    For a black-and-white photo the table says so instead of showing skin.

    Examples
    --------
    >>> table = numbers_html({LIGHT_COLOUR: 2922.4, "warm-cool index": 0.0}, {LIGHT_COLOUR: 3150.0, "warm-cool index": -0.0001})
    >>> "2,920 K: warm" in table and "-0.000" not in table and "+0.000" in table
    True
    """
    labels = {LIGHT_COLOUR: "light colour"}
    tips = {LIGHT_COLOUR: "The colour of the picture's light: lower K is warmer (candlelight 1,900 K, daylight 6,500 K)"}
    cell = "<td style='white-space:nowrap'>"
    rows = "".join(
        f"<tr title='{html.escape(tips.get(name, ''))}'><td>{html.escape(labels.get(name, name))}</td>"
        f"{cell}{_number(name, before[name])}</td>{cell}<b>{_number(name, after[name])}</b></td></tr>"
        for name in before
    )
    if skin:
        (h0, s0), (h1, s1) = skin
        low, high = NATURAL_SKIN_HUE
        rows += f"<tr><td>skin hue (rule of thumb: {low:.0f}-{high:.0f}°)</td><td>{h0:.0f}°</td><td><b>{h1:.0f}°</b></td></tr>"
        rows += f"<tr><td>skin saturation</td><td>{s0:.2f}</td><td><b>{s1:.2f}</b></td></tr>"
    if black_and_white:
        rows += "<tr><td colspan='3'><i>Black and white as taken: no skin colour to measure.</i></td></tr>"
    return f"<table class='pl-numbers'><tr><th></th><th>before</th><th>after</th></tr>{rows}</table>"


#: Largest colour change for which the panel keeps the palette it showed, in CIE76 delta E: at 95 %
#: of the pixels (:func:`colour_change`), and of each swatch's pixels on average. Well under the 2.3
#: people notice side by side; the palette's clustering takes 5-13 ms at rest, and a temperature
#: step of 50 K moves 0 to 0.8.
PALETTE_STILL = 1.0


class KeptPalette:
    """The palette of the last picture it was worked out for, kept while the colours barely move.

    Examples
    --------
    >>> kept = KeptPalette()
    >>> grey = np.full((32, 32, 3), 120, np.uint8)
    >>> first = kept.html(grey)
    >>> kept.html(grey + 1) is first, kept.html(grey + 20) is first   # a level lighter; twenty
    (True, False)
    """

    def __init__(self):
        self._lab, self._groups, self._colours, self._html = None, None, 0, ""

    def html(self, image: np.ndarray, colours: int = 6) -> str:
        """:func:`palette_html` of ``image``, or the kept one if the colours moved under PALETTE_STILL."""
        lab = palette_lab(image)
        if self._lab is None or self._colours != colours or self._moved(lab) > PALETTE_STILL:
            swatches = dominant_palette(image, colours)
            centres = palette_lab(np.array([[s.rgb for s in swatches]], np.uint8))
            self._groups = np.argmin(((lab[:, None] - centres[None]) ** 2).sum(axis=2), axis=1)
            self._lab, self._colours, self._html = lab, colours, swatches_html(swatches)
        return self._html

    def _moved(self, lab: np.ndarray) -> float:
        """The larger of the change at 95 % of the pixels and the largest move of a swatch's pixels' mean."""
        if lab.shape != self._lab.shape:
            return float("inf")
        pixels = colour_change(self._lab, lab)
        shift = lab - self._lab
        count = np.maximum(np.bincount(self._groups, minlength=self._colours), 1)
        means = np.stack([np.bincount(self._groups, weights=shift[:, i], minlength=self._colours) for i in range(3)], 1)
        return max(pixels, float(np.sqrt(((means / count[:, None]) ** 2).sum(axis=1)).max()))


def swatches_html(swatches) -> str:
    """Palette swatches as HTML, each as wide as its share."""
    cells = "".join(
        f'<div title="{s.hex} {s.share:.0%}" style="background:{s.hex};height:22px;width:{s.share * 100:.1f}%"></div>'
        for s in swatches
    )
    return f'<div class="pl-palette" style="display:flex;width:100%;border:1px solid #ccc">{cells}</div>'


def palette_html(image: np.ndarray, colours: int = 6) -> str:
    """The dominant palette as HTML swatches, each as wide as its share."""
    return swatches_html(dominant_palette(image, colours))


#: Names for stretches of the colour wheel (upper edge in degrees, name), so a hue reads as a colour.
HUE_NAMES = (
    (12, "red"), (35, "orange"), (50, "amber"), (68, "yellow"), (95, "lime"), (150, "green"),
    (175, "teal green"), (205, "teal"), (225, "sky blue"), (255, "blue"), (280, "violet"),
    (320, "magenta"), (345, "pink"), (360, "red"),
)  # fmt: skip


def hue_name(hue: float) -> str:
    """The everyday name of a hue in degrees (0 red, 120 green, 240 blue).

    Examples
    --------
    >>> hue_name(0), hue_name(40), hue_name(190), hue_name(359)
    ('red', 'amber', 'teal', 'red')
    """
    hue = float(hue) % 360
    return next(name for edge, name in HUE_NAMES if hue < edge)


def hue_hex(hue: float) -> str:
    """The fully saturated colour of a hue, as ``#rrggbb``.

    Examples
    --------
    >>> hue_hex(0), hue_hex(120), hue_hex(200)
    ('#ff0000', '#00ff00', '#00aaff')
    """
    r, g, b = (np.clip(np.rint(hue_rgb(hue) * 255), 0, 255)).astype(int)
    return f"#{r:02x}{g:02x}{b:02x}"


#: The colour wheel as a CSS gradient: drawn under a hue slider so the track shows where each colour is.
HUE_GRADIENT = "linear-gradient(to right, " + ", ".join(hue_hex(h) for h in range(0, 361, 30)) + ")"


def swatch_html(hue: float) -> str:
    """A small square of the hue's colour with its name.

    Examples
    --------
    >>> "#00aaff" in swatch_html(200) and "teal" in swatch_html(200)
    True
    """
    return (f'<span class="pl-swatch" title="hue {hue:.0f}°" style="display:inline-block;width:18px;height:18px;'
            f'vertical-align:middle;border:1px solid #555;border-radius:3px;background:{hue_hex(hue)}"></span> '
            f"<small>{hue_name(hue)}</small>")  # fmt: skip


#: Where the track of a :func:`look_slider` lies inside it, measured in Chromium at 1366 x 768 with
#: ipywidgets 8: from 134 px to 258 px of the 340 px slider (label 120 px, then the handle's half
#: width, the track, and the readout). The colour wheel is drawn there, so each colour sits under
#: the handle position that sets it (tests/test_browser_layout.py checks this to 2 px).
TRACK_LEFT, TRACK_LENGTH = 134, 124


def hue_row(slider: widgets.FloatSlider) -> widgets.VBox:
    """A hue slider with the colour wheel under its track and its colour beside the wheel.

    The slider keeps its full width (a swatch beside it squeezed its track,
    and the wheel under it no longer matched); the swatch sits to the right
    of the wheel, under the slider's readout.
    """
    swatch = widgets.HTML(swatch_html(slider.value), layout=widgets.Layout(width="90px"))
    swatch.add_class("pl-hue-swatch")
    slider.observe(lambda change: setattr(swatch, "value", swatch_html(change["new"])), "value")
    wheel = widgets.HTML(f'<div class="pl-hue-wheel" style="height:8px;margin-left:{TRACK_LEFT}px;'
                         f'width:{TRACK_LENGTH}px;border-radius:3px;background:{HUE_GRADIENT}"></div>',
                         layout=widgets.Layout(width=f"{TRACK_LEFT + TRACK_LENGTH + 8}px"))  # fmt: skip
    return widgets.VBox([slider, widgets.HBox([wheel, swatch], layout=widgets.Layout(align_items="center",
                                                                                        margin="-6px 0 0 0"))],
                        layout=widgets.Layout(margin="0 0 4px 0"))  # fmt: skip


def slider_rows(sliders: dict[str, widgets.FloatSlider]) -> dict[str, list[widgets.Widget]]:
    """The sliders by their setting's group, hue sliders with their swatch."""
    groups: dict[str, list[widgets.Widget]] = {}
    for name, slider in sliders.items():
        groups.setdefault(SETTING[name].group, []).append(hue_row(slider) if name.endswith("_hue") else slider)
    return groups


class GradingPanel(ToolFrame):
    """Sliders for the develop settings (one group open at a time), before and after, live measurements.

    Attributes for code and tests: ``sliders`` (by setting name), ``reset``,
    ``before``, ``after``, ``numbers``, ``palette``, ``message``, ``model``,
    and the frame's ``portrait``, ``upload``, ``save``, ``view``.
    """

    def __init__(self, model: LookModel | None = None):
        model = model or LookModel()
        self.sliders = {name: look_slider(name, getattr(model.look, name)) for name in GRADING_SETTINGS}
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self._on_slider(name, change["new"]), "value")
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="Back to the photo as taken",
                                    layout=widgets.Layout(width="80px"))  # fmt: skip
        self.reset.on_click(lambda _: setattr(self.model, "look", Look()))
        rows = slider_rows(self.sliders)
        # The slider's kelvin in the words the light-colour readout uses, so the two never seem to disagree.
        self.temperature_words = widgets.HTML(self._temperature_html(model.look.temperature))
        self.temperature_words.add_class("pl-temperature-words")
        self.sliders["temperature"].observe(
            lambda change: setattr(self.temperature_words, "value", self._temperature_html(change["new"])), "value")
        group = rows[SETTING["temperature"].group]
        group.insert(group.index(self.sliders["temperature"]) + 1, self.temperature_words)
        self.groups = grouped(rows)
        self.palette = widgets.HTML()
        self._palette = KeptPalette()
        super().__init__(model, [self.groups], watch=["look"], css="pl-grading", side_width="420px",
                         extra_buttons=[self.reset])  # fmt: skip
        self.numbers = self.readout
        self.numbers.value = self.describe(self._before, self._after)

    def __repr__(self) -> str:
        changed = ", ".join(f"{k}={v:g}" for k, v in self.model.look.changes().items()) or "neutral"
        return f"GradingPanel(photo={self.model.photo!r}, {changed})"

    @staticmethod
    def _temperature_html(kelvin: float) -> str:
        return (f"<div style='margin:0 0 4px 128px;font-size:90%;color:#444'>{temperature_words(kelvin)}"
                " <span style='color:#777'>(the light to correct for: higher warms)</span></div>")

    def _on_slider(self, name: str, value: float) -> None:
        if getattr(self.model.look, name) != value:
            self.model.set(name, value)

    def photo_changed(self) -> None:
        before = self.model.before
        self._before_numbers = measurements(before)
        self._before_skin = self.model.skin(before)
        self._black_and_white = self.model.black_and_white
        self._palette = KeptPalette()

    def rest_steps(self) -> list:
        # The measurements and the palette each take a turn of their own at rest.
        after = lambda: self._after  # noqa: E731  (the picture drawn when the step runs)
        return [lambda: self.readout_part("numbers", lambda: measurements(after())),
                lambda: self.readout_part("palette", lambda: self._palette.html(after()))]  # fmt: skip

    def describe(self, before, after) -> str:
        look = self.model.look
        with self.hold_sync():
            for name, slider in self.sliders.items():
                if slider.value != getattr(look, name):
                    slider.value = getattr(look, name)
        skin = (self._before_skin, self.model.skin(after)) if self._before_skin else None
        if after is self._after:  # the picture drawn last: its parts may be worked out already (rest_steps)
            numbers = self.readout_part("numbers", lambda: measurements(after))
            palette = self.readout_part("palette", lambda: self._palette.html(after))
        else:
            numbers, palette = measurements(after), self._palette.html(after)
        self.palette.value = palette
        return (numbers_html(self._before_numbers, numbers, skin, self._black_and_white)
                + "<div style='margin-top:4px'>Palette after</div>" + self.palette.value)  # fmt: skip


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
