"""The checklist as data: each question of the founding article, and the measured items that answer it.

An :class:`Item` names its measure, how the value is shown, what a value
below or above the goal's range means, the lesson to revisit, and the
evidence card behind it. Items whose evidence is a popular claim never say a
portrait is wrong: their verdict stops at "worth a look", worded as a rule of
thumb.

Examples
--------
>>> [item.key for item in ITEMS if item.question == "gaze"]
['gaze']
>>> ITEM["skin_texture"].card.strength
'popular claim'
>>> card_sources(ITEM["smile"].card)
'Wang et al. (2017)'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..cards import EvidenceCard, card
from ..sources import source

__all__ = ["CARD_KEYS", "ITEM", "ITEMS", "QUESTIONS", "STORY_QUESTION", "VERDICTS", "Item", "card_sources"]

#: The verdicts, from best to worst, and "not measured" for what a photo cannot show.
VERDICTS = ("fits", "worth a look", "works against the goal", "not measured")

#: The article's checklist, in its order: question key -> the question.
QUESTIONS: dict[str, str] = {
    "gaze": "Does the gaze create the right relationship with the viewer?",
    "expression": "Does the expression feel intentional rather than blank?",
    "human": "Is there enough asymmetry or texture to make it feel human?",
    "posture": "Do the posture and framing support the message?",
    "background": "Does the background add context instead of distraction?",
    "colour": "Do the colours reinforce the mood?",
    "story": "Does the image feel like a person with a story, not just a face with filters?",
}
STORY_QUESTION = QUESTIONS["story"]

#: The registered evidence card behind each item (and the story question), by item key. Several items
#: share a card where one claim covers them (the setting and crop; the editing tips).
CARD_KEYS: dict[str, str] = {
    "gaze": "gaze.eye-contact",
    "smile": "expression.smile-intensity",
    "smiling_eyes": "expression.duchenne",
    "smile_symmetry": "symmetry.genuineness",
    "asymmetry": "symmetry.imperfection-trust",
    "skin_texture": "texture.over-smoothing",
    "head_tilt": "expression.readings",
    "head_turn": "posture.open",
    "face_size": "setting.context",
    "headroom": "setting.context",
    "lead_room": "gaze.look-room",
    "separation": "editing.tips",
    "clutter": "setting.context",
    "background_colour": "editing.tips",
    "warmth": "colour.warm-cool-lore",
    "colourfulness": "colour.saturation",
    "story": "expression.engagement",
}


@dataclass(frozen=True)
class Item:
    """One measured line of the checklist.

    ``measure`` takes the audit's per-photo measures (see
    :class:`portrait_lessons.audit.core.PhotoMeasures`) and returns a number,
    or None when it cannot be measured on this photo. ``magnitude`` says the
    goal's range applies to the value's size (a tilt of -8 and +8 degrees
    alike). ``below`` and ``above`` say in plain words what a value under or
    over the goal's range means.
    """

    key: str
    question: str
    label: str
    measure: Callable
    fmt: Callable[[float], str]
    below: str
    above: str
    lesson: int
    needs_landmarks: bool = True
    magnitude: bool = False

    @property
    def card(self) -> EvidenceCard:
        """The registered evidence card behind this item (:mod:`portrait_lessons.cards`)."""
        return card(CARD_KEYS[self.key])

    @property
    def rule_of_thumb(self) -> bool:
        """True where the evidence is a popular claim: the verdict is then never stronger than "worth a look"."""
        return self.card.strength == "popular claim"


def _gaze_words(value: float) -> str:
    return f"{value:.2f} off centre" if value > 0.2 else f"{value:.2f}: into the lens"


def _signed_degrees(value: float) -> str:
    return f"{value:+.0f}°"


ITEMS: tuple[Item, ...] = (
    Item("gaze", "gaze", "Gaze: direct or averted", lambda m: m.gaze.off_centre, _gaze_words,
         "the eyes meet the lens, so the portrait addresses the viewer rather than showing a thought",
         "the eyes look away, so the portrait shows a thought rather than addressing the viewer", 1),
    Item("smile", "expression", "Smile intensity", lambda m: m.smile.intensity,
         lambda v: f"{v:+.2f} eye spacings" + (" (neutral)" if v < 0.03 else " (slight)" if v < 0.1 else " (broad)"),
         "the mouth corners are not lifted: the face may read blank or stern",
         "a broad smile: warm, but it can cost perceived competence where the stakes are high", 2),
    Item("smiling_eyes", "expression", "Smiling eyes (lids narrowed)", lambda m: m.eye_opening,
         lambda v: f"eye opening {v:.2f} of the eye's width",
         "the eyes are narrowed", "the eyes are wide open: the smile does not reach them", 2),
    Item("smile_symmetry", "expression", "Smile symmetry", lambda m: m.smile.asymmetry,
         lambda v: f"corners differ by {v:.2f} eye spacings",
         "both corners are level", "one corner is lifted more than the other: a lopsided smile can read less genuine", 2),
    Item("asymmetry", "human", "The face's own asymmetry", lambda m: m.asymmetry, lambda v: f"{v:.1f}% of the eye spacing",
         "the face is almost a mirror image, as some generators make them", "large asymmetry: often a turned head or a "
         "misplaced landmark rather than the face", 2),
    Item("skin_texture", "human", "Skin texture (over-smoothing)", lambda m: m.skin_texture,
         lambda v: f"{v:.1f} grey levels at the pore scale",
         "the skin looks smoothed, as beauty filters and many generators leave it", "strong texture or grain", 3),
    Item("head_tilt", "posture", "Head tilt to the side", lambda m: m.head_roll, _signed_degrees,
         "", "a strong tilt reads as a pose", 4, magnitude=True),
    Item("head_turn", "posture", "Head turn from the lens", lambda m: m.head_turn, _signed_degrees,
         "the face is square to the lens", "the face is turned well away from the lens", 4, magnitude=True),
    Item("face_size", "posture", "Face size in the frame (face-ism)", lambda m: m.framing.get("face_ism"),
         lambda v: f"{v:.2f} of the figure's height is head",
         "a wide crop: the surroundings and body say more than the face", "a tight crop: the face dominates", 4),
    Item("headroom", "posture", "Headroom", lambda m: m.framing.get("headroom"),
         lambda v: f"{v:.0%} of the frame's height" if v >= 0 else f"the crop cuts {-v:.0%} into the head",
         "the crop cuts into the head", "a lot of empty space above the head", 4),
    Item("lead_room", "posture", "Room ahead of the gaze", lambda m: m.framing.get("lead_room"),
         lambda v: f"{v:.0%} of the width lies ahead of the face",
         "the face looks out of the frame, toward the nearer edge", "the face sits far back in the frame", 4),
    Item("separation", "background", "Subject separation", lambda m: m.background and m.background.separation,
         lambda v: f"colour difference ΔE {v:.0f}",
         "the person blends into the background", "", 8),
    Item("clutter", "background", "Background clutter", lambda m: m.background and m.background.clutter,
         lambda v: f"{v:.1f} levels per pixel of detail",
         "a very plain background: little sense of place", "a busy background competes with the face", 4),
    Item("background_colour", "background", "Background colourfulness",
         lambda m: m.background and m.background.colourfulness, lambda v: f"{v:.0f} (colourfulness)",
         "", "a strongly coloured background pulls the eye from the face", 4),
    Item("warmth", "colour", "Warmth", lambda m: m.warmth, lambda v: f"warm-cool index {v:+.3f}",
         "cooler than the goal's light", "warmer than the goal's light", 5, needs_landmarks=False),
    Item("colourfulness", "colour", "Colourfulness", lambda m: m.colourfulness, lambda v: f"{v:.0f}",
         "more muted than the goal's palette", "more colourful than the goal's palette", 5, needs_landmarks=False),
)  # fmt: skip
ITEM: dict[str, Item] = {item.key: item for item in ITEMS}


def card_sources(evidence: EvidenceCard) -> str:
    """The card's sources as short citations, for tables and the brief."""
    return "; ".join(source(key).cite() for key in evidence.sources)
