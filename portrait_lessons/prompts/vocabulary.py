"""The words of a portrait prompt: fields, layers, and a vocabulary for each field.

Every entry says what it tends to signal to a viewer, names the evidence card
behind that (with its strength) and the lesson the idea comes from, so a learner
can follow a choice back to its evidence. Free
text is always allowed; the vocabulary is a set of good starting points, not a
closed list.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..cards import card
from ..lessons import LESSONS

#: Every text field of a prompt, in the order the builder shows them.
TEXT_FIELDS: tuple[str, ...] = (
    "identity", "emotion", "gaze", "expression", "posture",
    "context", "framing", "lighting", "palette", "era", "camera",
)  # fmt: skip

#: Fields that hold a list of phrases rather than one phrase.
LIST_FIELDS: tuple[str, ...] = ("realism", "avoid")

#: The article's three layers, and the fields that fill each one.
LAYERS: dict[str, tuple[str, ...]] = {
    "identity": ("identity",),
    "emotion": ("emotion", "gaze", "expression", "posture"),
    "context": ("context", "framing", "lighting", "palette", "era"),
}

#: Short labels for the builder and for tables.
LABELS: dict[str, str] = {
    "identity": "Identity", "emotion": "Emotion", "gaze": "Gaze", "expression": "Expression",
    "posture": "Posture", "context": "Context", "framing": "Framing", "lighting": "Lighting",
    "palette": "Palette", "era": "Era", "camera": "Camera", "realism": "Realism cues",
    "avoid": "Avoid (negative prompt)",
}  # fmt: skip


@dataclass(frozen=True)
class Term:
    """One vocabulary entry: the words, what they signal, the evidence card behind that, and where it is taught.

    Examples
    --------
    >>> term = lookup("gaze", "direct eye contact")
    >>> term.lesson_file
    '01_eyes_and_gaze.ipynb'
    >>> "gaze:direct" in term.tags
    True
    >>> term.card, term.strength
    ('gaze.eye-contact', 'established')
    """

    text: str
    explanation: str
    lesson: int
    tags: tuple[str, ...] = ()
    card: str = ""

    @property
    def lesson_file(self) -> str:
        """The notebook that teaches the idea behind this term."""
        return LESSONS[self.lesson].file

    @property
    def lesson_title(self) -> str:
        """The title of that notebook."""
        return LESSONS[self.lesson].title

    @property
    def strength(self) -> str:
        """The strength of the evidence card behind what the term signals."""
        return card(self.card).strength


def _terms(default_card: str, *rows: tuple) -> tuple[Term, ...]:
    """Rows of (text, explanation, lesson, *tags); a tag ``card=KEY`` overrides the field's default card."""
    terms = []
    for text, explanation, lesson, *tags in rows:
        cards = [t[5:] for t in tags if t.startswith("card=")]
        tags = tuple(t for t in tags if not t.startswith("card="))
        terms.append(Term(text, explanation, lesson, tags, cards[0] if cards else default_card))
    return tuple(terms)


# What each entry signals is worded at the strength of its card: measured findings as findings,
# practitioner readings as "reads as" with the card's popular-claim label shown beside them.
VOCABULARY: dict[str, tuple[Term, ...]] = {
    "identity": _terms(
        "prompt.identity-goals",
        ("a founder of a small company", "Someone with a stake in the work; viewers are said to look for competence and sincerity.", 7),
        ("a content creator", "A face that is the brand; viewers decide quickly whether to follow a real person.", 7),
        ("an artist", "Viewers expect a point of view; stylisation and a story in the setting are welcome.", 7),
        ("an executive", "Status and steadiness come first; warmth has to be added on purpose.", 7),
        ("a researcher and public speaker", "Expertise with a public voice: composed rather than cheerful.", 7),
        ("a wellness coach", "A caring role: warmth and ease matter more than polish.", 7),
        ("an athlete", "Energy and discipline; posture and movement carry much of the message.", 7),
        ("a traveller", "Identity through place; the setting does half the telling.", 7),
        ("a student", "Early in a story; openness and curiosity suit it better than authority.", 7),
    ),
    "emotion": _terms(
        "prompt.three-layers",
        ("approachable and quietly confident", "Invites contact without trying too hard; pairs with direct gaze and a small smile.", 2),
        ("reflective", "The viewer watches a thought; pairs with an averted gaze and a relaxed face.", 1,
         "card=gaze.averted-reading"),
        ("bold", "High energy and presence; needs an open, grounded posture to be believable.", 4),
        ("serene", "Calm and unhurried; a relaxed face and soft light carry it.", 2),
        ("nostalgic", "Invites memory; era cues and warm light help, lesson 06 shows which ones.", 6,
         "card=nostalgia.look-better"),
        ("empowered", "Strength with ease; open posture and a level gaze.", 4),
        ("warm and attentive", "Care directed at the viewer; direct gaze with a genuine smile.", 2),
        ("curious and playful", "Lightness and interest in the world; lets gaze wander and expression move.", 2),
        ("composed and confident", "Calm competence; a slight smile reads more competent than a broad one.", 4,
         "card=expression.smile-intensity"),
        ("determined", "Focus on a goal; often looks past the viewer toward something ahead.", 1,
         "card=gaze.averted-reading"),
        ("authoritative", "Seriousness and command; clashes with a broad grin.", 4, "mood:serious",
         "card=expression.smile-intensity"),
    ),
    "gaze": _terms(
        "gaze.averted-reading",
        ("direct eye contact",
         "Draws attention to the face (measured); that it builds trust is a reading, and culture changes it.", 1,
         "gaze:direct", "card=gaze.eye-contact"),
        ("candid eye contact", "Direct but unposed, like a glance caught mid-conversation; still draws attention.", 1,
         "gaze:direct", "card=gaze.eye-contact"),
        ("soft gaze slightly off-camera", "The viewer watches a thought: reflection or aspiration.", 1, "gaze:averted"),
        ("looking away toward a window", "A story outside the frame; suits calm, thoughtful moods.", 1, "gaze:averted"),
        ("looking down at their work", "Absorbed in a task; reads as focus and craft rather than address.", 1, "gaze:averted"),
        ("looking toward the horizon", "Looking ahead, past the viewer: read as aspiration and ambition.", 1, "gaze:averted"),
        ("eyes closed, face relaxed", "Inward and calm; removes the social signal of the eyes entirely.", 1, "gaze:averted"),
    ),
    "expression": _terms(
        "expression.readings",
        ("genuine smile reaching the eyes",
         "Observers told smiles that reach the eyes from other smiles and saw them more positively.", 2,
         "smile:soft", "card=expression.duchenne"),
        ("slight smile at the mouth corners",
         "Read as less warm but more competent than a broad smile.", 2, "smile:soft",
         "card=expression.smile-intensity"),
        ("relaxed natural expression", "Calm and unforced; lets gaze and posture carry the message.", 2),
        ("thoughtful expression, relaxed brow", "Reads as concentration without worry.", 2),
        ("calm, composed expression", "Reads as steady and serious without coldness.", 2),
        ("broad laughing smile", "Read as warmer but less competent; can undercut a serious goal.", 2, "smile:broad",
         "card=expression.smile-intensity"),
        ("focused, serious expression", "Reads as competence and gravity; add direct gaze for authority.", 2, "mood:serious"),
    ),
    "posture": _terms(
        "posture.open",
        ("relaxed open posture", "Open posture tends to read as confident and accessible.", 4, "posture:open"),
        ("leaning slightly forward", "Reads as engagement and interest in the viewer.", 4, "posture:open"),
        ("leaning back, at ease", "Calm authority, or detachment if the face is cool.", 4),
        ("seated, turned three-quarters", "Less confrontational than square-on, still engaged.", 4),
        ("hands busy mid-gesture", "Movement makes a moment rather than a pose.", 4),
        ("standing tall, shoulders open", "Upright and grounded; read as ambition and authority.", 4, "posture:open"),
        ("arms crossed", "Often reads as defensive or private; a trap when the goal is to invite.", 4, "posture:closed"),
    ),
    "context": _terms(
        "setting.context",
        ("a bright, uncluttered office", "Professional but human; a clean space suggests clarity.", 4),
        ("a studio full of works in progress", "A place that shows the work; symbolic detail suits creative goals.", 4),
        ("a quiet room with a softly lit window", "Suggests reflection and warmth.", 4),
        ("a sunny café", "Everyday and social; viewers imagine meeting the person there.", 4),
        ("a plant-filled living room", "Home, calm and care; suits wellness and warmth.", 4),
        ("a city street, editorial style", "Energy and modern identity; the city becomes part of the person.", 4),
        ("a conference stage, softly blurred", "Expertise in public, without the crowd stealing focus.", 4),
        ("a clean studio backdrop", "Professional and neutral; the face carries everything.", 4),
        ("a beach at golden hour", "Freedom and ease, with warm light built in.", 5, "palette:warm"),
        ("a city skyline at dusk", "Ambition and scale; the cool hour of the day.", 4, "palette:cold"),
        ("a living room with an old leather armchair", "A familiar object gives a foothold for memory.", 6,
         "card=nostalgia.look-better"),
    ),
    "framing": _terms(
        "setting.context",
        ("close-up portrait", "Close crops feel personal and direct (a close crop, not a close camera).", 4),
        ("chest-up portrait", "The classic professional crop: personal but composed.", 4),
        ("waist-up portrait with surroundings", "A wider frame lets the setting tell who the person is.", 4),
        ("environmental portrait, person small in frame", "Place first; the person belongs to a world.", 4),
    ),
    "lighting": _terms(
        "light.practice",
        ("soft window light", "Gentle shadows keep skin texture and feel natural.", 8),
        ("warm golden-hour light", "Warm light is said to read friendly and can evoke nostalgia.", 5, "palette:warm",
         "card=colour.warm-cool-lore"),
        ("clean, even studio light", "Professional and neutral.", 4),
        ("cool overcast daylight", "Quiet and even; said to lean calm or distant.", 5, "palette:cold",
         "card=colour.warm-cool-lore"),
        ("cinematic window light", "Mood and memory; a cue the nostalgia lesson measures.", 6),
        ("harsh direct flash", "Flat and clinical unless it is a deliberate editorial look.", 8, "light:harsh"),
    ),
    "palette": _terms(
        "colour.warm-cool-lore",
        ("natural warmth with soft neutrals", "Said to feel friendly and calm without looking filtered.", 5, "palette:warm"),
        ("moderate natural warmth", "Enough warmth to invite, in practitioners' experience, without an orange cast.", 5,
         "palette:warm"),
        ("warm golden tones", "Said to evoke optimism or nostalgia.", 5, "palette:warm"),
        ("cool blue and muted grey tones", "Said to read intellectual, serene or minimal; can feel distant.", 5, "palette:cold"),
        ("cool contrast with one accent colour", "Modern and precise, with one memorable detail.", 5, "palette:cold"),
        ("rich saturated colours", "More chroma made photos look happier and livelier; people add it to make any photo look happy.", 5,
         "card=colour.saturation"),
        ("muted earthy palette", "Said to feel grounded and calm.", 5),
        ("split toning, warm highlights and cool shadows",
         "Warm and cool together on purpose: the one way to combine them.", 5, "palette:split"),
    ),
    "era": _terms(
        "nostalgia.look-better",
        ("contemporary, no period styling", "Keeps attention on the person; the default for professional use.", 6),
        ("1990s film photo look", "Most familiar to viewers who were 10 to 30 then: nostalgia depends on age.", 6,
         "card=nostalgia.reminiscence-bump"),
        ("early-2000s digital camera look", "Memory cue for viewers who grew up with flash and compact cameras.", 6,
         "card=nostalgia.reminiscence-bump"),
        ("1970s film look with a warm fade", "Faded warm colour and grain: a strong era cue for older viewers.", 6,
         "palette:warm", "card=nostalgia.reminiscence-bump"),
        ("classic black-and-white portrait", "Timeless; removes colour cues and with them colour's amplifying effect.", 6,
         "card=colour.presence-amplifies"),
    ),
    "camera": _terms(
        "light.practice",
        ("85mm lens, shallow focus", "Shot from further away, it avoids the close-camera look that lowered trust.", 4,
         "card=camera.distance"),
        ("35mm lens, wider view", "Wider view: the setting joins the story.", 4, "card=setting.context"),
        ("shot on 35mm film, fine grain", "Texture and memory; grain keeps skin from looking plastic.", 6),
        ("smartphone photo, natural processing", "Everyday and believable; reads as a real moment.", 3),
        ("medium format, gentle contrast", "Rich detail and soft tonality without harshness.", 8),
    ),
    "realism": _terms(
        "texture.over-smoothing",
        ("natural skin texture", "Texture is a cue of a real person; smoothing it away costs believability.", 3),
        ("visible pores and fine lines", "Fine detail that heavy retouching removes first.", 3),
        ("slight natural facial asymmetry",
         "Faces are structurally a little asymmetric; keep that, not a lopsided expression.", 2,
         "card=symmetry.structural"),
        ("soft expression", "Restraint reads as sincere; nothing looks held for the camera.", 2,
         "card=expression.readings"),
        ("relaxed posture", "A body at ease signals a moment, not a product shot.", 4, "card=posture.open"),
        ("candid moment, not a posed shot", "Feels captured rather than assembled.", 4, "card=setting.context"),
        ("a few flyaway hairs", "Small disorder that perfect renders leave out.", 3),
        ("lightly retouched, texture kept", "Clean up distractions, keep the person.", 8),
        ("lived-in environment", "A place that is used gives the person a real world.", 4, "card=setting.context"),
    ),
    "avoid": _terms(
        "texture.over-smoothing",
        ("plastic skin", "The synthetic look that weakens emotional connection.", 3),
        ("airbrushed skin", "Over-smoothing removes the texture that makes a face believable.", 3),
        ("doll-like face", "Idealised proportions and skin read as artificial.", 3),
        ("perfect symmetry", "Mirror-like faces double one side's light and texture; symmetry itself is not the problem.", 2,
         "card=symmetry.mirror-composites"),
        ("beauty filter", "Filtered skin reads as processed, which changes how viewers read the person.", 8),
        ("stiff pose", "A held pose reads as a product, not a moment.", 4, "card=posture.open"),
        ("forced smile", "A smile that does not reach the eyes reads as less genuine.", 2, "card=expression.duchenne"),
        ("blank stare", "Eyes without intention leave the viewer nothing to read.", 1, "card=expression.readings"),
        ("harsh flash", "Flat, clinical light flattens warmth.", 8, "card=light.practice"),
        ("oversaturated colours", "More saturation reads livelier, not deeper; too much looks like a filter.", 5,
         "card=colour.saturation"),
        ("cluttered background", "Background should add context, not distraction.", 4, "card=setting.context"),
    ),
}

_INDEX = {(field, term.text.casefold()): term for field, terms in VOCABULARY.items() for term in terms}


def options(field: str) -> tuple[str, ...]:
    """The vocabulary phrases for ``field``, in teaching order.

    Examples
    --------
    >>> options("gaze")[0]
    'direct eye contact'
    >>> options("mood")
    Traceback (most recent call last):
    ...
    KeyError: "No field called 'mood'. Fields: identity, emotion, gaze, expression, posture, context, framing, lighting, palette, era, camera, realism, avoid"
    """
    if field not in VOCABULARY:
        raise KeyError(f"No field called {field!r}. Fields: {', '.join(TEXT_FIELDS + LIST_FIELDS)}")
    return tuple(term.text for term in VOCABULARY[field])


def lookup(field: str, text: str) -> Term | None:
    """The vocabulary entry whose words are ``text`` (ignoring case and outer spaces), or None.

    Examples
    --------
    >>> lookup("palette", "  Warm golden tones ").lesson
    5
    >>> lookup("palette", "my own words") is None
    True
    """
    return _INDEX.get((field, " ".join(text.split()).casefold()))
