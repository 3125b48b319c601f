"""Self-checks for lesson 05, colour psychology: each returns a sentence saying what to do next."""

from __future__ import annotations

from .. import examples
from ..colour.measure import NATURAL_SKIN_HUE, colourfulness, warm_cool_index

#: What the checks say when the portrait has no colour to work with.
BLACK_AND_WHITE = "This portrait is black and white, so there is no colour to measure: pick a colour one in the Portrait menu."


def _skin_report(model) -> tuple[tuple[float, float], tuple[float, float]] | None:
    before = model.skin(model.before)
    return (before, model.skin(model.after)) if before else None


def check_calmer_but_natural(model, min_drop: float = 0.15) -> str:
    """Exercise 1: make the portrait read calmer (cooler, less colourful), with skin still natural.

    ``model`` is the grading panel's model (``panel.model``) on a bundled
    portrait. Colourfulness must fall by at least ``min_drop`` (15 %), the
    warm-cool index must not rise, the cheek's hue must stay in
    :data:`~portrait_lessons.colour.measure.NATURAL_SKIN_HUE`, and the cheek must keep
    at least half its colour (a grey face reads ill, not calm).

    Examples
    --------
    >>> from portrait_lessons.ui.grading import LookModel
    >>> check_calmer_but_natural(LookModel(photo="koch"))[:15]
    'Not there yet: '
    """
    if model.black_and_white:
        return BLACK_AND_WHITE
    skin = _skin_report(model)
    if skin is None:
        return "Choose one of the bundled portraits in the Portrait menu first: they come with a marked cheek."
    before, after = model.before, model.after
    drop = 1 - colourfulness(after) / colourfulness(before)
    warmer = warm_cool_index(after) - warm_cool_index(before)
    (_, s0), (hue, s1) = skin
    if drop < min_drop:
        return (f"Not there yet: colourfulness fell by {drop:.0%}; it needs {min_drop:.0%}. "
                "Lower saturation (vibrance protects skin and muted colours, so it takes out too little here).")  # fmt: skip
    if warmer > 0:
        return f"Calmer colours, but the picture got warmer (index {warmer:+.3f}). Cool the temperature a little."
    if not NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1]:
        return f"The cheek's hue is {hue:.0f} degrees, outside the usual skin band of {NATURAL_SKIN_HUE[0]:.0f}-{NATURAL_SKIN_HUE[1]:.0f}. Ease the temperature or tint back."
    if s1 < 0.5 * s0:
        return (f"The face has lost too much colour (saturation {s1:.2f}, was {s0:.2f}): it reads ill, not calm. "
                "Cool the temperature less (cooling greys skin too), or lower saturation less.")  # fmt: skip
    return f"Well done: {drop:.0%} less colourful, index {warmer:+.3f}, and the cheek is still skin ({hue:.0f} degrees, saturation {s1:.2f})."


def check_warm_not_orange(model, photo: str = "collins", min_gain: float = 0.03, max_rise: float = 0.08) -> str:
    """Exercise 2: warm a bright portrait clearly without turning its skin orange.

    On ``photo`` (Eileen Collins by default), the warm-cool index must rise by
    ``min_gain``, while the cheek's saturation rises by at most ``max_rise``
    and its hue stays in the natural band.

    Examples
    --------
    >>> from portrait_lessons.ui.grading import LookModel
    >>> from portrait_lessons.colour.look import Look
    >>> check_warm_not_orange(LookModel(photo="collins", look=Look(temperature=9800)))[:9]
    'Well done'
    """
    if model.black_and_white:
        return BLACK_AND_WHITE
    if model.photo != photo:
        return f"Choose {examples.portrait(photo).person.split(',')[0]} in the Portrait menu first."
    (_, s0), (hue, s1) = _skin_report(model)
    gain = warm_cool_index(model.after) - warm_cool_index(model.before)
    if gain < min_gain:
        return (f"Not there yet: the index rose by {gain:.3f}; it needs {min_gain}. "
                "Raise the temperature (on this portrait, about 9400 to 10200 K passes).")  # fmt: skip
    if s1 - s0 > max_rise or not NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1]:
        return (f"Warm, but the skin is turning orange (saturation {s0:.2f} -> {s1:.2f}, hue {hue:.0f}). "
                "Warm a little less, or take saturation down a touch.")  # fmt: skip
    return f"Well done: the index rose by {gain:.3f} and the cheek stays natural (saturation {s0:.2f} -> {s1:.2f})."
