"""Self-checks for lesson 01, eyes and gaze: each returns a sentence saying what to do next."""

from __future__ import annotations

import math


def gaze_reach(model, direction: str = "left") -> float | None:
    """How far the gaze slider goes on this photo, in whole degrees (None: the photo has no landmarks).

    The sliders stop where the eye would stop looking human, which on some
    photos comes before 15 degrees; a check asks for no more than that.

    Examples
    --------
    >>> from portrait_lessons.ui.face_tools import FaceEditModel
    >>> gaze_reach(FaceEditModel(photo="koch")) >= 15
    True
    """
    if not getattr(model, "has_landmarks", False):
        return None
    low, high = model.limits["gaze_x"]
    edge = {"left": -low, "right": high}[direction]
    return float(math.floor(edge + 1e-9))  # the slider's whole-degree end (see the face tools' _set_ranges)


def check_averted_gaze(model, min_degrees: float = 15, max_vertical: float = 5) -> str:
    """Exercise 1: turn the eyes toward the picture's left by at least ``min_degrees``.

    ``model`` is the gaze tool's model (``tool.model``); the eyes must stay
    level (up or down by at most ``max_vertical`` degrees). On a photo whose
    slider stops before ``min_degrees`` (a small or turned face), the slider's
    end is enough, and the message says so.

    Examples
    --------
    >>> from portrait_lessons.ui.face_tools import FaceEditModel
    >>> check_averted_gaze(FaceEditModel(gaze_x=-20))[:10]
    'Well done:'
    >>> check_averted_gaze(FaceEditModel(gaze_x=10))[:15]
    'Not there yet: '
    """
    x, y = model.gaze_x, model.gaze_y
    reach = gaze_reach(model, "left")
    needed = min_degrees if reach is None else min(min_degrees, reach)
    short = needed < min_degrees  # this photo's slider stops before min_degrees
    if abs(y) > max_vertical:
        return f"Keep the eyes level: they look {abs(y):.0f}° {'up' if y > 0 else 'down'}. Bring Look down / up back to 0."
    if x > -needed:
        where = (f"this photo's slider stops at -{needed:.0f}°, so drag Look left / right all the way to the left"
                 if short else
                 f"the ← button, or drag Look left / right to -{needed:.0f} or further left")  # fmt: skip
        return (
            f"Not there yet: the eyes turn {abs(x):.0f}° to the picture's {'right' if x > 0 else 'left'}; "
            f"they need at least {needed:.0f}° to the left ({where})."
        )
    limit = f" (as far as this photo allows: its face stops looking natural beyond {needed:.0f}°)" if short else ""
    return (f"Well done: the eyes now look {abs(x):.0f}° to the picture's left{limit}. "
            "The viewer watches a glance, not a greeting.")


def check_shared_signal(model, pairing: str = "avoidance", min_averted: float = 15, max_direct: float = 5) -> str:
    """Exercise 2: build the gaze and expression pair the shared-signal hypothesis calls matched.

    ``pairing`` is "approach" (direct gaze with a smile) or "avoidance"
    (averted gaze with the mouth corners turned down).

    Examples
    --------
    >>> from portrait_lessons.ui.face_tools import FaceEditModel
    >>> check_shared_signal(FaceEditModel(gaze_x=20, mouth_left=-3, mouth_right=-3))[:10]
    'Well done:'
    >>> check_shared_signal(FaceEditModel(gaze_x=0, mouth_left=3, mouth_right=3), "avoidance")[:15]
    'Not there yet: '
    """
    if pairing not in ("approach", "avoidance"):
        raise ValueError(f"pairing must be 'approach' or 'avoidance', not {pairing!r}")
    turned = max(abs(model.gaze_x), abs(model.gaze_y))
    reach = gaze_reach(model, "left"), gaze_reach(model, "right")
    if None not in reach:  # a photo whose sliders stop sooner: their far end is enough
        min_averted = min(min_averted, max(reach))
    mouth = (model.mouth_left + model.mouth_right) / 2
    if pairing == "approach":
        if turned > max_direct:
            return f"Not there yet: for approach the eyes should meet the camera; they are {turned:.0f}° off. Press ●."
        if mouth <= 0:
            return "Not there yet: direct gaze is set; now add a smile (Expression: slight smile)."
        return "Well done: direct gaze with a smile, the pair the hypothesis calls matched for approach (joy)."
    if turned < min_averted:
        return f"Not there yet: for avoidance the eyes should look away by at least {min_averted:.0f}°; they are {turned:.0f}° off."
    if mouth >= 0:
        return "Not there yet: the gaze is averted; now turn the mouth corners down (Expression: corners down)."
    return "Well done: averted gaze with the corners down, the pair the hypothesis calls matched for avoidance (sadness, fear)."
