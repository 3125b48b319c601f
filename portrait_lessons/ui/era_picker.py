"""The era picker: an era look, its strength, its film sliders, and the nostalgia window.

:class:`EraModel` (traitlets) holds the chosen era, its strength, the audience's
ages and the resulting :class:`~portrait_lessons.colour.look.Look`; :class:`EraPicker`
is the view. Choosing an era (or a strength) resets the film sliders to that
era's values at that strength; so set the strength first, then fine-tune with
the sliders.
"""

from __future__ import annotations

import html
import math

import ipywidgets as widgets
import traitlets

from ..colour import eras as era_presets
from ..colour.look import SETTING, Look
from ..colour.measure import measurements
from ..colour.nostalgia import AGE_RANGE, nostalgia_window
from .frame import ToolFrame, grouped
from .grading import LookModel, hue_row, look_slider, numbers_html

NO_ERA = "none"

#: The sliders the picker shows, in order.
FILM_SETTINGS = (
    "fade", "grain", "grain_size", "halation", "soft_focus", "vignette", "vignette_midpoint",
    "light_leak", "cross_process", "cast_hue", "cast", "contrast", "tint",
)  # fmt: skip


def on_step(name: str, value: float) -> float:
    """``value`` moved to the nearest step of its slider (halves go up, as the browser's slider rounds).

    Examples
    --------
    >>> on_step("fade", 28.5), on_step("fade", 28.4999999999), on_step("grain", 1.4), on_step("exposure", 0.1375)
    (29.0, 29.0, 1.0, 0.15)
    """
    setting = SETTING[name]
    steps = math.floor((value - setting.minimum) / setting.step + 0.5 + 1e-6)
    return float(round(min(max(setting.minimum + steps * setting.step, setting.minimum), setting.maximum), 6))


def on_slider_steps(look: Look) -> Look:
    """The look with each film slider's value on that slider's steps, as the slider can show it.

    A strength between 0 and 1 scales an era's values off the sliders' steps
    (fade 30 at 95 % is 28.5 on a slider of whole steps). The browser's slider
    would round such a value and send it back, and each of those changes cost a
    render of its own; on the steps, the sliders show exactly what is rendered.

    Examples
    --------
    >>> on_slider_steps(Look(fade=28.5, grain=1.4, exposure=0.1375)).to_dict()["fade"]
    29.0
    """
    return look.replace(**{name: on_step(name, getattr(look, name)) for name in FILM_SETTINGS})


class EraModel(LookModel):
    """A photo, an era preset at a strength, and an audience whose nostalgia window is shown.

    Examples
    --------
    >>> model = EraModel(photo="koch")
    >>> model.era = "instant_1980s"
    >>> model.look.fade > 0
    True
    >>> model.window.ages
    (25, 35)
    """

    #: The era's draft is smaller than the other looks' (a strength step changes every film amount, so
    #: the glows and the vignette are all worked anew): 288 x 384 for a 3:4 portrait, the width of the
    #: picture's box Side by side on a 1366 x 768 screen. The full preview follows when the slider rests.
    draft_edge = 384
    era = traitlets.Unicode(NO_ERA)
    strength = traitlets.Float(1.0)
    ages = traitlets.Tuple(traitlets.Int(), traitlets.Int(), default_value=(25, 35))
    year = traitlets.Int(2026)

    @traitlets.observe("era", "strength")
    def _apply_era(self, change=None) -> None:
        if self.era == NO_ERA:
            self.look = Look()
        else:
            self.look = on_slider_steps(era_presets.at_strength(era_presets.preset(self.era).look, self.strength))

    @property
    def window(self):
        """The nostalgia window of the current audience."""
        return nostalgia_window(self.ages, self.year)


#: The film sliders in groups, one open at a time (the first group holds the era and the audience).
FILM_GROUPS = {
    "Grain and fade": ("fade", "grain", "grain_size", "contrast"),
    "Light and lens": ("halation", "soft_focus", "vignette", "vignette_midpoint", "light_leak"),
    "Colour cast": ("cross_process", "cast_hue", "cast", "tint"),
}


class EraPicker(ToolFrame):
    """Pick an era look, set its strength, fine-tune it, and see the nostalgia window.

    Attributes for code and tests: ``era``, ``strength``, ``sliders`` (by
    setting name), ``ages``, ``year``, ``suggest``, ``after``, ``cues``,
    ``window``, ``numbers``, ``model``, and the frame's widgets.
    """

    def __init__(self, model: EraModel | None = None):
        model = model or EraModel()
        wide = widgets.Layout(width="340px")
        style = {"description_width": "120px"}
        options = [("none (as taken)", NO_ERA)] + [(e.name, e.id) for e in era_presets.eras()]
        self.era = widgets.Dropdown(options=options, value=model.era, description="Era look", style=style, layout=wide)
        self.era.add_class("pl-era")
        self.strength = widgets.FloatSlider(value=model.strength, min=0, max=1.5, step=0.05, description="Strength",
                                            readout_format=".0%", style=style, layout=wide)  # fmt: skip
        self.strength.add_class("pl-strength")
        self.sliders = {name: look_slider(name, getattr(model.look, name)) for name in FILM_SETTINGS}
        self.ages = widgets.IntRangeSlider(value=model.ages, min=AGE_RANGE[0], max=AGE_RANGE[1],
                                           description="Audience ages", style=style, layout=wide)  # fmt: skip
        self.ages.add_class("pl-ages")
        self.year = widgets.BoundedIntText(value=model.year, min=1950, max=2100, description="Seen in year",
                                           style=style, layout=widgets.Layout(width="200px"))  # fmt: skip
        self.year.add_class("pl-year")
        self.suggest = widgets.Button(description="Use the top suggestion", icon="magic",
                                      layout=widgets.Layout(width="auto", min_width="210px"))  # fmt: skip
        self.suggest.add_class("pl-suggest")
        self.suggest.on_click(self._use_suggestion)
        self.cues = widgets.HTML(layout=widgets.Layout(width="380px"))  # inside the open group, with margins
        self.window = widgets.HTML(layout=widgets.Layout(width="380px"))
        self.window.add_class("pl-window")

        traitlets.link((self.era, "value"), (model, "era"))
        traitlets.link((self.strength, "value"), (model, "strength"))
        traitlets.link((self.year, "value"), (model, "year"))
        self.ages.observe(lambda change: setattr(self.model, "ages", tuple(change["new"])), "value")
        for name, slider in self.sliders.items():
            slider.observe(lambda change, name=name: self._on_slider(name, change["new"]), "value")
        model.observe(self._show_window, ["ages", "year"])
        model.observe(self._show_cues, "era")

        film = {title: [hue_row(self.sliders[n]) if n.endswith("_hue") else self.sliders[n] for n in names]
                for title, names in FILM_GROUPS.items()}  # fmt: skip
        self.groups = grouped({
            "Era look": [self.era, self.strength, self.cues],
            "Audience: who will see it": [self.ages, self.year, self.suggest, self.window],
            **{f"{title} (set Strength first)": rows for title, rows in film.items()},
        })  # fmt: skip
        # By accordion index, the film group each holds ("" for the era's and the audience's groups).
        self._group_titles = ["", ""] + list(FILM_GROUPS)
        self._unsent: set[str] = set()
        self.groups.observe(self._send_opened_group, "selected_index")
        super().__init__(model, [self.groups], watch=["look"], css="pl-era-picker", side_width="420px")
        self.numbers = self.readout
        self._show_cues()
        self._show_window()

    def __repr__(self) -> str:
        return (f"EraPicker(photo={self.model.photo!r}, era={self.model.era!r}, strength={self.model.strength:.2f}, "
                f"ages={self.model.ages[0]}-{self.model.ages[1]})")  # fmt: skip

    def _on_slider(self, name: str, value: float) -> None:
        # The browser's slider may send back a value that differs from the look's in the last bits only.
        if abs(getattr(self.model.look, name) - value) > SETTING[name].step * 1e-6:
            self.model.set(name, value)

    def _use_suggestion(self, _=None) -> None:
        ranked = self.model.window.eras
        if ranked:
            self.model.era = ranked[0].id

    def photo_changed(self) -> None:
        before = self.model.before
        self._before_numbers = measurements(before)
        self._black_and_white = self.model.black_and_white

    def rest_steps(self) -> list:
        # The measurements take a turn of their own at rest.
        return [lambda: self.readout_part("numbers", lambda: measurements(self._after))]

    def describe(self, before, after) -> str:
        self._show_look_on_sliders()
        numbers = self.readout_part("numbers", lambda: measurements(after)) if after is self._after else measurements(after)
        return numbers_html(self._before_numbers, numbers, black_and_white=self._black_and_white)

    def _show_look_on_sliders(self) -> None:
        # A strength step changes most film sliders. Sliders in a closed group take the new value here
        # but are sent to the browser only when their group opens: redrawing ten hidden sliders at each
        # rest kept the browser busy when the next key press came (the strength step's median 61-69 ms
        # in the browser with them, 44-45 ms without, both at load 4-5).
        index = self.groups.selected_index
        shown = set(FILM_GROUPS.get(self._group_titles[index], ())) if index is not None else set()
        with self.hold_sync():
            for name, slider in self.sliders.items():
                value = getattr(self.model.look, name)
                if slider.value == value:
                    continue
                if name in shown or slider._property_lock:
                    slider.value = value
                    self._unsent.discard(name)
                else:
                    with slider._lock_property(value=value):  # the value the browser is taken to have: not sent
                        slider.value = value
                    self._unsent.add(name)

    def _send_opened_group(self, change) -> None:
        # A group opened: its sliders that took values while it was closed now show them.
        opened = self._group_titles[change["new"]] if change["new"] is not None else ""
        for name in FILM_GROUPS.get(opened, ()):
            if name in self._unsent:
                self._unsent.discard(name)
                self.sliders[name].send_state("value")

    def _show_cues(self, change=None) -> None:
        if self.model.era == NO_ERA:
            self.cues.value = "<i>No era look: the photo as taken. Pick one, or build your own with the film sliders.</i>"
        else:
            era = era_presets.preset(self.model.era)
            self.cues.value = f"<b>{era.years[0]}-{era.years[1]}.</b> {html.escape(era.cues)}"

    def _show_window(self, change=None) -> None:
        self.window.value = self.model.window._repr_html_()


def era_picker(photo: str = "koch", era: str = NO_ERA, ages: tuple[int, int] = (25, 35), year: int = 2026) -> EraPicker:
    """Build the era picker (returned, not displayed).

    ``year`` is when the audience sees the portrait; the notebook passes the
    current year.

    Examples
    --------
    >>> picker = era_picker("koch", ages=(30, 30))
    >>> picker.suggest.click()
    >>> picker.model.era
    'social_2010s'
    """
    model = EraModel(photo=photo, ages=ages, year=year)
    model.era = era
    return EraPicker(model)
