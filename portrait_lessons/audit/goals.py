"""What each goal asks of a portrait: measurable ranges read from the prompt studio's goal presets.

A goal preset (:mod:`portrait_lessons.prompts.presets`) says in words what
serves a goal: "direct eye contact", "slight smile at the mouth corners",
"a clean studio backdrop", "cool contrast". The rules below turn those words
into ranges of the audit's measures, so the audit and the prompt studio
cannot drift apart: change a preset's words and its ranges follow, and a
test checks that every preset phrase is understood.

A :class:`Range` is what *fits* the goal; values within ``margin`` outside
it are *worth a look*; values further out *work against the goal*.

Examples
--------
>>> goal_ranges("trust")["gaze"]
Range(low=0.0, high=0.2, margin=0.15, words='a direct gaze, irises near the middle of the eyes')
>>> goal_ranges("contemplative")["gaze"].low
0.25
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from ..prompts.presets import PRESETS, Preset, preset
from .measures import DIRECT_GAZE

__all__ = ["GOALS", "Range", "goal_label", "goal_ranges", "ranges_for_preset"]

#: The goals the audit knows: every goal preset of the prompt studio.
GOALS: tuple[str, ...] = tuple(PRESETS)


@dataclass(frozen=True)
class Range:
    """The values of one measure that suit a goal, and how the range is said in words."""

    low: float
    high: float
    margin: float
    words: str

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high

    def distance(self, value: float) -> float:
        """How far ``value`` lies outside the range (0 inside)."""
        return max(self.low - value, value - self.high, 0.0)

    def target(self, value: float) -> float:
        """The nearest value inside the range, a little way in from its edge."""
        if self.contains(value):
            return value
        inset = 0.25 * min(self.margin, (self.high - self.low) if math.isfinite(self.high - self.low) else self.margin)
        return self.low + inset if value < self.low else self.high - inset


INF = math.inf

# Each rule: (item, words found in the preset's field, the range). The first
# rule whose words occur in the field wins; FIELD says which field an item reads.
FIELD = {
    "gaze": "gaze",
    "smile": "expression",
    "smiling_eyes": "expression",
    "head_tilt": "posture",
    "head_turn": "posture",
    "face_size": "framing",
    "clutter": "context",
    "background_colour": "context",
    "warmth": "palette",
    "colourfulness": "palette",
}

_DIRECT = Range(0.0, DIRECT_GAZE, 0.15, "a direct gaze, irises near the middle of the eyes")
_AVERTED = Range(0.25, INF, 0.15, "an averted gaze, irises clearly toward one side, up or down")

RULES: dict[str, tuple[tuple[tuple[str, ...], Range | None], ...]] = {
    "gaze": (
        (("direct eye contact", "candid eye contact", "eye contact"), _DIRECT),
        (("off-camera", "looking down", "horizon", "looking away"), _AVERTED),
    ),
    "smile": (
        (("genuine smile", "broad smile"), Range(0.1, INF, 0.04, "a clear smile, corners well above the lips")),
        (("slight smile",), Range(0.0, 0.13, 0.06, "a slight smile, corners a little above the lips")),
        (("serious", "composed", "calm"), Range(-INF, 0.08, 0.04, "a composed mouth: neutral or a small smile")),
        (("relaxed", "thoughtful", "soft"), Range(-INF, 0.11, 0.04, "a relaxed mouth: neutral or a slight smile")),
    ),
    "smiling_eyes": (
        (("reaching the eyes",), Range(0.0, 0.29, 0.04, "eyes narrowed from below, as in a genuine smile")),
        (("",), None),
    ),
    "head_tilt": (
        (("standing tall",), Range(0.0, 8.0, 6.0, "an upright head (within 8 degrees)")),
        (("turned three-quarters",), Range(0.0, 20.0, 8.0, "a level or gently tilted head (within 20 degrees)")),
        (("",), Range(0.0, 14.0, 6.0, "a level or gently tilted head (within 14 degrees)")),
    ),
    "head_turn": (
        (("turned three-quarters",), Range(12.0, 50.0, 8.0, "a face turned a little, toward three-quarters")),
        (("standing tall", "open posture"), Range(0.0, 25.0, 10.0, "a face turned to the lens, within 25 degrees")),
        (("",), Range(0.0, 35.0, 10.0, "a face within 35 degrees of the lens")),
    ),
    "face_size": (
        (("close-up",), Range(0.45, 1.0, 0.08, "a close crop: the head fills much of the frame")),
        (("chest-up",), Range(0.25, 0.5, 0.07, "a chest-up crop")),
        (("waist-up",), Range(0.1, 0.3, 0.06, "a wider crop that shows the person's surroundings")),
    ),
    "clutter": (
        (("uncluttered", "studio backdrop", "softly blurred"), Range(0.0, 3.0, 2.5, "a plain or soft background")),
        (("",), Range(0.0, 12.0, 4.0, "a background with a sense of place, not chaos")),
    ),
    "background_colour": (
        (("uncluttered", "studio backdrop", "softly blurred"), Range(0.0, 30.0, 12.0, "a quiet background colour")),
        (("",), None),
    ),
    "warmth": (
        (("warm golden", "natural warmth", "moderate natural warmth"), Range(0.06, 0.3, 0.04, "warm light")),
        (("cool",), Range(-INF, 0.06, 0.04, "neutral to cool light")),
        (("earthy",), Range(0.02, 0.2, 0.04, "gently warm, earthy light")),
        (("",), None),
    ),
    "colourfulness": (
        (("rich saturated",), Range(55.0, INF, 10.0, "rich, saturated colour")),
        (("muted", "soft neutrals"), Range(0.0, 50.0, 10.0, "muted colour")),
        (("moderate",), Range(20.0, 65.0, 10.0, "moderate colour")),
        (("",), None),
    ),
}

#: Ranges that every goal shares: what the presets' realism cues ask of any portrait.
SHARED: dict[str, Range] = {
    "smile_symmetry": Range(0.0, 0.05, 0.05, "both mouth corners lifted about equally"),
    "asymmetry": Range(1.0, 15.0, 1.0, "the face's own small asymmetries kept"),
    "skin_texture": Range(2.0, INF, 0.5, "natural skin texture (pores and fine lines visible)"),
    "separation": Range(15.0, INF, 6.0, "the person stands apart from the background"),
    "headroom": Range(0.0, 0.2, 0.05, "a little space above the head, or a deliberate crop into it"),
}


def _match(field_text: str, item: str) -> Range | None:
    text = field_text.lower()
    for words, found in RULES[item]:
        if any(word in text for word in words):
            return found
    raise KeyError(f"No rule for the {item} of {field_text!r}: add one to RULES in audit/goals.py.")


def ranges_for_preset(chosen: Preset) -> dict[str, Range | None]:
    """Every item's range for a goal preset (None where the goal sets no range).

    Raises
    ------
    KeyError
        If a preset phrase has no rule (a test runs this on every preset).
    """
    spec = chosen.spec
    ranges: dict[str, Range | None] = {item: _match(getattr(spec, field), item) for item, field in FIELD.items()}
    if chosen.serious and ranges["smile"] is not None:
        ranges["smile"] = Range(ranges["smile"].low, min(ranges["smile"].high, 0.08), 0.04, ranges["smile"].words)
    ranges.update(SHARED)
    # Room ahead of the gaze matters only where the goal looks away from the viewer.
    ranges["lead_room"] = (Range(0.5, 0.85, 0.1, "more room on the side the eyes look to")
                           if ranges["gaze"] is _AVERTED else None)  # fmt: skip
    return ranges


def goal_ranges(key: str) -> dict[str, Range | None]:
    """Every item's range for the goal called ``key`` (a prompt-studio goal preset).

    Examples
    --------
    >>> goal_ranges("authority")["smile"].high
    0.08
    """
    return ranges_for_preset(preset(key))


def goal_label(key: str) -> str:
    """The goal's name on screen: ``"thought_leadership"`` -> ``"Thought leadership"``."""
    return preset(key).label
