"""Self-checks for the exercises: each returns a sentence that says what to do next.

Lesson 00's checks live here; each later lesson has its own module in this
package, named after the lesson (``checks.eyes_and_gaze`` and so on).
"""

from __future__ import annotations

from .. import examples


def check_warmer_but_natural(model, photo: str = "koch", min_gain: float = 0.015, max_mireds: float = 40) -> str:
    """Start Here, exercise 1: warm the portrait measurably, but not past natural.

    ``model`` is the Start Here tool's model (``tool.model``). The warm-cool
    index must rise by at least ``min_gain`` with warmth at or below
    ``max_mireds``.

    Examples
    --------
    >>> from portrait_lessons.ui.start_here import WarmthModel
    >>> check_warmer_but_natural(WarmthModel(photo="koch", mireds=0))[:15]
    'Not there yet: '
    """
    if model.photo != photo:
        person = examples.portrait(photo).person.split(",")[0]
        return f"Choose {person} in the Portrait menu first."
    if model.mireds > max_mireds:
        return (f"Too warm: the Warmth slider is at {model.mireds:+.0f} mireds, past {max_mireds:+.0f}. "
                "Come back down a little.")
    gain = model.after_index - model.before_index
    if gain < min_gain:
        return f"Not there yet: the index rose by {gain:.3f}; it needs {min_gain}. Warm it a little more."
    return f"Well done: {model.mireds:+.0f} mireds raises the index by {gain:.3f}, and skin still looks like skin."
