"""Self-checks for lesson 06, nostalgia and culture: each returns a sentence saying what to do next."""

from __future__ import annotations

from .. import examples
from ..colour import eras
from ..colour.measure import NATURAL_SKIN_HUE, cheek_patch, skin_tone


#: What the checks say when the portrait has no colour (its skin hue means nothing).
BLACK_AND_WHITE = "This portrait is black and white, so the face's colour can't be checked: pick a colour one in the Portrait menu."


def _skin_hue(model) -> float | None:
    if model.photo not in examples.names():
        return None
    landmarks = examples.portrait_landmarks(model.photo, max(model.before.shape[:2]))
    return skin_tone(cheek_patch(model.after, landmarks))[0]


def check_era_for_audience(model, ages: tuple[int, int] = (40, 50), min_strength: float = 0.5) -> str:
    """Exercise 1: pick an era look from the nostalgia window of an audience aged ``ages``.

    ``model`` is the era picker's model (``picker.model``). Its audience must
    be set to ``ages``, its era must be one of the two best-ranked for them
    (every era scoring at least the second-best score counts, so ties pass), at
    strength ``min_strength`` or more, with skin still in the natural hue band.

    Examples
    --------
    >>> from portrait_lessons.ui.era_picker import EraModel
    >>> check_era_for_audience(EraModel(photo="koch"))[:24]
    'Set the audience ages to'
    """
    if model.black_and_white:
        return BLACK_AND_WHITE
    if tuple(model.ages) != tuple(ages):
        return f"Set the audience ages to {ages[0]}-{ages[1]} first."
    ranked = model.window.eras
    if not ranked:
        return "No era preset falls in this audience's window; the check needs one that does."
    bar = ranked[min(1, len(ranked) - 1)].score
    top = [r.id for r in ranked if r.score >= bar]
    if model.era not in top:
        names = " or ".join(eras.preset(i).name for i in top)
        return f"That era is not one of the two best-ranked for this audience. Try {names}."
    if model.strength < min_strength:
        return f"Right era; at {model.strength:.0%} it hardly shows. Go to at least {min_strength:.0%}."
    hue = _skin_hue(model)
    if hue is not None and not NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1]:
        return f"Right era, but the cheek's hue is {hue:.0f} degrees, outside the usual skin band: lower the strength or the cast."
    return f"Well done: {eras.preset(model.era).name} sits in the window of viewers aged {ages[0]}-{ages[1]}."


def check_own_disposable_look(model) -> str:
    """Exercise 2: build a 1990s disposable-camera look yourself, from the film sliders alone.

    With no era preset chosen, the look needs grain of at least 25 with a
    grain size of 55 or more (cheap, fast film), a vignette of -25 or darker
    (flash fall-off), and skin still natural.

    Examples
    --------
    >>> from portrait_lessons.ui.era_picker import EraModel
    >>> check_own_disposable_look(EraModel(photo="koch"))[:14]
    'Not there yet:'
    """
    look = model.look
    if model.black_and_white:
        return BLACK_AND_WHITE
    if model.era != "none":
        return "Set Era look to 'none (as taken)' first: this one is built by hand."
    missing = []
    if look.grain < 25 or look.grain_size < 55:
        missing.append("coarser, stronger grain (grain 25+, size 55+)")
    if look.vignette > -25:
        missing.append("darker corners (vignette -25 or lower)")
    if missing:
        return "Not there yet: it needs " + " and ".join(missing) + "."
    hue = _skin_hue(model)
    if hue is not None and not NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1]:
        return f"The cheek's hue is {hue:.0f} degrees, outside the usual skin band; ease off the cast or tint so the face stays natural."
    return "Well done: grain, flash fall-off and a natural face. Compare it with the preset of the same era."
