"""Goal presets: the emotional job of a portrait, set coherently across every layer.

The article's branding advice starts from the job the image must do (trust,
creativity, thought leadership and so on) and lets every visual choice serve
it. Each preset here makes those choices together and says why, so a learner
can start from a goal and then make it their own.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from ..cards import card
from .model import PromptSpec

#: The realism negatives most presets share: what makes a portrait look synthetic.
REALISM_AVOID = ("plastic skin", "airbrushed skin", "doll-like face", "beauty filter")


@dataclass(frozen=True)
class Preset:
    """A named goal, the prompt that serves it, and the reasoning behind each choice.

    ``serious`` marks goals that need gravity (a broad grin works against
    them); ``approach`` marks goals that invite the viewer in (an averted gaze
    works against them).
    """

    key: str
    label: str
    why: str
    spec: PromptSpec
    serious: bool = False
    approach: bool = False
    cards: tuple[str, ...] = ()

    def __post_init__(self):
        for key in self.cards:
            card(key)  # every reason rests on a registered evidence card

    def __repr__(self) -> str:
        return f"Preset({self.key!r}: {self.label})"


def _preset(key, label, why, cards, serious=False, approach=False, **spec) -> Preset:
    spec.setdefault("avoid", REALISM_AVOID)
    return Preset(key, label, why, PromptSpec(goal=key, **spec), serious, approach, ("prompt.identity-goals", *cards))


PRESETS: dict[str, Preset] = {p.key: p for p in (
    _preset(
        "trust", "Trust",
        "Direct gaze draws the viewer's attention to the face (established); that it reads as open and "
        "trustworthy is a reading, and one that depends on culture: Japanese viewers rated eye contact angrier "
        "and less approachable than Finnish viewers. A slight smile reads more competent than a grin (supported); "
        "clean composition and moderate warmth are practitioner advice.",
        ("gaze.eye-contact", "gaze.culture", "expression.smile-intensity", "colour.warm-cool-lore"),
        approach=True,
        identity="a founder of a small company", emotion="approachable and quietly confident",
        gaze="direct eye contact", expression="slight smile at the mouth corners",
        posture="relaxed open posture", context="a bright, uncluttered office",
        framing="chest-up portrait", lighting="soft window light",
        palette="moderate natural warmth", realism=("natural skin texture", "slight natural facial asymmetry"),
        camera="85mm lens, shallow focus", weights={"gaze": 1.2},
    ),
    _preset(
        "creativity", "Creativity",
        "More stylisation and symbolic detail are welcome (practitioner advice): a gaze absorbed in the work, a "
        "setting that shows it, and colour with energy: more chroma reads livelier (supported).",
        ("gaze.averted-reading", "setting.context", "colour.saturation"),
        identity="an artist", emotion="curious and playful", gaze="looking down at their work",
        expression="relaxed natural expression", posture="hands busy mid-gesture",
        context="a studio full of works in progress", framing="waist-up portrait with surroundings",
        lighting="cinematic window light", palette="rich saturated colours",
        realism=("natural skin texture", "lived-in environment"), camera="35mm lens, wider view",
        weights={"context": 1.2},
    ),
    _preset(
        "thought_leadership", "Thought leadership",
        "Composed and confident: direct gaze, and a small smile rather than a grin, since broad smiles read less "
        "competent (supported); calm posture, a setting that hints at public expertise and no over-retouching "
        "are practitioner advice.",
        ("gaze.eye-contact", "expression.smile-intensity", "posture.open", "texture.over-smoothing"),
        serious=True,
        identity="a researcher and public speaker", emotion="composed and confident",
        gaze="direct eye contact", expression="calm, composed expression",
        posture="leaning back, at ease", context="a conference stage, softly blurred",
        framing="chest-up portrait", lighting="clean, even studio light",
        palette="cool blue and muted grey tones", realism=("natural skin texture", "lightly retouched, texture kept"),
        camera="85mm lens, shallow focus", weights={"expression": 1.1},
    ),
    _preset(
        "approachable", "Approachable",
        "Everything invites contact: a smile that reaches the eyes reads more positive (supported), eye contact "
        "draws attention (established; its warmth depends on the viewer's culture), and a body leaning in and an "
        "everyday place are practitioner advice.",
        ("expression.duchenne", "gaze.eye-contact", "gaze.culture", "posture.open", "setting.context"),
        approach=True,
        identity="a content creator", emotion="warm and attentive", gaze="candid eye contact",
        expression="genuine smile reaching the eyes", posture="leaning slightly forward",
        context="a sunny café", framing="close-up portrait", lighting="soft window light",
        palette="natural warmth with soft neutrals",
        realism=("natural skin texture", "candid moment, not a posed shot"),
        camera="smartphone photo, natural processing", weights={"expression": 1.1},
    ),
    _preset(
        "ambitious", "Ambitious",
        "Practitioner advice throughout: looking past the viewer toward the horizon is read as aspiration, an "
        "upright posture and a city at dusk add scale, and cool contrast with one accent keeps it sharp.",
        ("gaze.averted-reading", "posture.open", "setting.context", "colour.warm-cool-lore"),
        identity="an athlete", emotion="determined", gaze="looking toward the horizon",
        expression="focused, serious expression", posture="standing tall, shoulders open",
        context="a city skyline at dusk", framing="waist-up portrait with surroundings",
        lighting="cool overcast daylight", palette="cool contrast with one accent colour",
        realism=("natural skin texture", "relaxed posture"), camera="35mm lens, wider view",
    ),
    _preset(
        "contemplative", "Contemplative",
        "A soft averted gaze lets the viewer watch a thought, a photographers' reading (averted gaze also made "
        "every expression harder to read); a relaxed face, a quiet room, soft light and a muted palette keep the "
        "mood still (practitioner advice).",
        ("gaze.averted-reading", "gaze.bindemann", "light.practice", "colour.warm-cool-lore"),
        identity="an artist", emotion="reflective", gaze="soft gaze slightly off-camera",
        expression="thoughtful expression, relaxed brow", posture="seated, turned three-quarters",
        context="a quiet room with a softly lit window", framing="chest-up portrait",
        lighting="soft window light", palette="muted earthy palette",
        realism=("natural skin texture", "soft expression"), camera="shot on 35mm film, fine grain",
        weights={"gaze": 1.1},
    ),
    _preset(
        "warmth", "Warmth",
        "For caring roles such as wellness: a smile that reaches the eyes with eye contact does the work "
        "(supported; established); warm low sun, soft neutrals and a home-like setting are practitioner advice, "
        "since warm colour reading friendly is a popular claim.",
        ("expression.duchenne", "gaze.eye-contact", "colour.warm-cool-lore", "setting.context"),
        approach=True,
        identity="a wellness coach", emotion="serene", gaze="candid eye contact",
        expression="genuine smile reaching the eyes", posture="relaxed open posture",
        context="a plant-filled living room", framing="chest-up portrait",
        lighting="warm golden-hour light", palette="natural warmth with soft neutrals",
        realism=("natural skin texture", "a few flyaway hairs"), camera="85mm lens, shallow focus",
        weights={"palette": 1.1},
    ),
    _preset(
        "authority", "Authority",
        "The article lists looking authoritative as a brand goal: steady direct gaze, a serious face (a grin "
        "reads less competent, supported), and a grounded posture, a neutral "
        "studio and cool contrast (practitioner advice; viewers do read status from nonverbal cues).",
        ("gaze.eye-contact", "expression.smile-intensity", "posture.open", "setting.context"),
        serious=True,
        identity="an executive", emotion="authoritative", gaze="direct eye contact",
        expression="focused, serious expression", posture="standing tall, shoulders open",
        context="a clean studio backdrop", framing="chest-up portrait",
        lighting="clean, even studio light", palette="cool contrast with one accent colour",
        realism=("natural skin texture", "slight natural facial asymmetry"), camera="medium format, gentle contrast",
    ),
    _preset(
        "nostalgia", "Nostalgia",
        "Familiar cues are said to give viewers a foothold in memory: an era look, warm faded colour, grain and "
        "a familiar object (popular claim). Which era carries memories depends on the audience's age: the "
        "reminiscence bump (established; lesson 06).",
        ("nostalgia.look-better", "nostalgia.reminiscence-bump"),
        identity="a content creator", emotion="nostalgic", gaze="candid eye contact",
        expression="slight smile at the mouth corners", posture="seated, turned three-quarters",
        context="a living room with an old leather armchair", framing="waist-up portrait with surroundings",
        lighting="cinematic window light", palette="warm golden tones",
        era="1990s film photo look", realism=("natural skin texture", "lived-in environment"),
        camera="shot on 35mm film, fine grain",
    ),
)}  # fmt: skip


def preset(key: str) -> Preset:
    """The preset called ``key`` (for example ``"trust"``).

    Examples
    --------
    >>> preset("trust").spec.gaze
    'direct eye contact'
    >>> preset("fame")
    Traceback (most recent call last):
    ...
    KeyError: "No goal called 'fame'. Goals: trust, creativity, thought_leadership, approachable, ambitious, contemplative, warmth, authority, nostalgia"
    """
    if key not in PRESETS:
        raise KeyError(f"No goal called {key!r}. Goals: {', '.join(PRESETS)}")
    return PRESETS[key]


def apply_preset(spec: PromptSpec, key: str, keep_identity: bool = True) -> PromptSpec:
    """Set every layer for the goal ``key``; keep the spec's identity if it has one.

    Examples
    --------
    >>> mine = PromptSpec(identity="a ceramicist")
    >>> result = apply_preset(mine, "contemplative")
    >>> result.identity, result.gaze, result.goal
    ('a ceramicist', 'soft gaze slightly off-camera', 'contemplative')
    """
    chosen = preset(key).spec
    if keep_identity and spec.identity.strip():
        return chosen.replace(identity=spec.identity)
    return chosen


class PresetTable:
    """The goals as an HTML table: what each one sets, why, and the evidence cards behind the reasons.

    Examples
    --------
    >>> "Thought leadership" in PresetTable()._repr_html_()
    True
    >>> "gaze.culture" in PresetTable(["trust"])._repr_html_()
    True
    """

    def __init__(self, keys=None):
        self.presets = [preset(key) for key in (keys or PRESETS)]

    def _repr_html_(self) -> str:
        e = html.escape

        def evidence(p: Preset) -> str:
            return "<br>".join(f"<code>{e(k)}</code> ({e(card(k).strength)})" for k in p.cards)

        rows = "".join(
            f"<tr><td><b>{e(p.label)}</b></td><td>{e(p.spec.gaze)}</td><td>{e(p.spec.expression)}</td>"
            f"<td>{e(p.spec.context)}</td><td>{e(p.spec.palette)}</td><td>{e(p.why)}</td>"
            f'<td style="font-size:11px">{evidence(p)}</td></tr>'
            for p in self.presets
        )
        head = ("<tr><th>goal</th><th>gaze</th><th>expression</th><th>context</th><th>palette</th><th>why</th>"
                "<th>evidence (cards)</th></tr>")  # fmt: skip
        return f'<table class="pl-preset-table">{head}{rows}</table>'

    def __repr__(self) -> str:
        return "\n".join(f"{p.label}: {p.spec.gaze}; {p.spec.expression}" for p in self.presets)

    @property
    def cards(self) -> tuple[str, ...]:
        """The evidence cards the table cites, each once, in table order."""
        return tuple(dict.fromkeys(k for p in self.presets for k in p.cards))
