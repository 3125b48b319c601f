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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..cards import EvidenceCard

__all__ = ["CARDS", "ITEM", "ITEMS", "QUESTIONS", "STORY_QUESTION", "VERDICTS", "Item"]

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

_ARTICLE = "the workbook's founding article (practitioner advice)"

#: One evidence card per item: the source, what was measured and how strong it is (EVIDENCE.md).
CARDS: dict[str, EvidenceCard] = {
    "gaze": EvidenceCard(
        claim="A direct gaze captures attention and engages the viewer; an averted gaze lets the viewer watch a thought.",
        source="Senju & Johnson (2009), Trends in Cognitive Sciences 13(3):127-134; Akechi et al. (2013), PLoS ONE 8(3):e59312",
        measured="attention and brain responses to faces with direct and averted gaze, in the lab; ratings across cultures",
        strength="established",
        limits="the eye-contact effect is established; that it reads as trust or confidence in a portrait is an "
               "inference, and Japanese viewers rated direct-gaze faces less approachable than Finnish viewers did",
    ),
    "smile": EvidenceCard(
        claim="Broad smiles raise perceived warmth and lower perceived competence, compared with slight smiles.",
        source="Wang, Mao, Li & Liu (2017), Journal of Consumer Research 43(5):787-805",
        measured="ratings of warmth and competence for slight and broad smiles, in several experiments",
        strength="supported",
        limits="the effect depends on the stakes of the setting; the audit reads only the mouth corners, so a "
               "closed-mouth smile that shows in the cheeks can read as neutral",
    ),
    "smiling_eyes": EvidenceCard(
        claim="Smiles with the eyes narrowed by the cheeks (the Duchenne marker) are judged more genuine.",
        source="Gunnery & Ruben (2016), Cognition and Emotion 30(3):501-515 (a meta-analysis); Frank, Ekman & Friesen (1993)",
        measured="genuineness and positivity judgements of Duchenne and non-Duchenne smiles",
        strength="established",
        limits="eye shape differs between people: one photo's eye opening is a weak cue; compare two versions of the same face",
    ),
    "smile_symmetry": EvidenceCard(
        claim="Symmetric expressions were judged more genuine than asymmetric ones.",
        source="The influence of facial asymmetry on genuineness judgment, Frontiers in Psychology (2021)",
        measured="35 undergraduate women judged chimeric artificial faces",
        strength="supported",
        limits="a small, narrow sample and artificial faces; the article cites it for the opposite",
        link="https://doi.org/10.3389/fpsyg.2021.727446",
    ),
    "asymmetry": EvidenceCard(
        claim="A face's own small asymmetries make a portrait look like a real person.",
        source=_ARTICLE + "; Schmidt, Liu & Cohn (2006), Laterality 11(6):540-561",
        measured="every real face is structurally asymmetric (Schmidt et al.); nobody measured trust in it",
        strength="popular claim",
        limits="symmetrised faces are usually rated more attractive (Rhodes 2006); keep the face's own structure "
               "rather than adding lopsidedness",
    ),
    "skin_texture": EvidenceCard(
        claim="Over-smoothed skin removes believability; natural texture keeps the person present.",
        source=_ARTICLE,
        measured="nothing yet: practitioner experience, no controlled study found",
        strength="popular claim",
        limits="a workshop can test it with its own rating study (lesson 03)",
    ),
    "head_tilt": EvidenceCard(
        claim="A mild head tilt feels natural; a strong one reads as a pose.",
        source=_ARTICLE + "; Mignault & Chaudhuri (2003), Journal of Nonverbal Behavior 27(2):111-132",
        measured="Mignault & Chaudhuri varied the head's up-down tilt (dominance, sadness); side tilt is untested here",
        strength="popular claim",
    ),
    "head_turn": EvidenceCard(
        claim="A face turned toward three-quarters feels reflective; one square to the lens feels open.",
        source=_ARTICLE,
        measured="nothing yet: posing advice",
        strength="popular claim",
    ),
    "face_size": EvidenceCard(
        claim="Pictures in which the face fills more of the frame make people seem more intelligent and ambitious.",
        source="Archer, Iritani, Kimes & Barrios (1983), Journal of Personality and Social Psychology 45(4):725-735",
        measured="ratings of people shown with high and low face-ism",
        strength="supported",
        limits="dated; a close crop is not a close camera (Bryan, Perona & Adolphs 2012)",
    ),
    "headroom": EvidenceCard(
        claim="Leave a little space above the head.",
        source="photographers' rules of composition; Amirshahi et al. (2014), Art & Perception 2(1-2):163-182",
        measured="no support for the rule of thirds as a predictor of preference; headroom itself untested",
        strength="popular claim",
    ),
    "lead_room": EvidenceCard(
        claim="Viewers prefer a subject facing into the frame, with room ahead of the gaze.",
        source="Palmer, Gardner & Wickens (2008), Spatial Vision 21(3-5):421-449",
        measured="aesthetic preference for the position and facing of objects and people in a frame",
        strength="supported",
    ),
    "separation": EvidenceCard(
        claim="A subject that stands apart from the background gives a portrait depth.",
        source=_ARTICLE,
        measured="nothing yet: editing advice",
        strength="popular claim",
    ),
    "clutter": EvidenceCard(
        claim="The scene around a face changes which emotion viewers read in it; a sense of place beats a sterile studio.",
        source="Aviezer et al. (2008), Psychological Science 19(7):724-732; Righart & de Gelder (2008)",
        measured="emotion judgements of the same face in different bodies and scenes",
        strength="popular claim",
        limits="that context changes how a face is read is established; which background suits which goal is practitioner advice",
    ),
    "background_colour": EvidenceCard(
        claim="A quiet background colour keeps attention on the face.",
        source=_ARTICLE,
        measured="nothing yet: editing advice",
        strength="popular claim",
    ),
    "warmth": EvidenceCard(
        claim="Warm light makes a subject seem more approachable; cool tones read calm or distant.",
        source=_ARTICLE + "; McMenamin et al. (2013), Motivation and Emotion 37(3):609-622",
        measured="reddish-yellow hues are more common in positive emotional images (hue counts, not ratings of recoloured photos)",
        strength="popular claim",
        limits="backed only indirectly; colour amplifies the mood a picture already has (Lin, Mottaghi & Shams 2023)",
    ),
    "colourfulness": EvidenceCard(
        claim="More colourful photos look happier and more arousing; less colourful ones calmer.",
        source="Pazda, Thorstenson & Fetterman (2024), J. Exp. Psychol. General 153(1):145-158",
        measured="valence and arousal ratings of photos with more and less chroma",
        strength="supported",
        link="https://doi.org/10.1037/xge0001484",
    ),
    "story": EvidenceCard(
        claim="Portraits spread when they carry a clear feeling and a story, not only polish.",
        source=_ARTICLE + "; the JRCS 2025 virtual-influencer study it cites",
        measured="likes on social media against the emotional tone of the face and posture (correlational)",
        strength="popular claim",
        limits="no measure can say whether a picture tells a story: you answer this one in words",
    ),
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
        return CARDS[self.key]

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
