"""The prompt model: a portrait prompt as named fields, and its resolved text.

A :class:`PromptSpec` holds what a learner chose, field by field (free text is
allowed everywhere). :func:`resolve` turns it into the one plain sentence every
export starts from, so the text a generator receives, the text a record saves
and the text the preview shows are always the same words.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Iterable, Mapping

from .vocabulary import LAYERS, LIST_FIELDS, TEXT_FIELDS

#: The order phrases take in the resolved prompt: framing first (it names the
#: kind of picture), then who, how they feel and look, where, and how it is shot.
ORDER: tuple[str, ...] = (
    "framing", "identity", "emotion", "expression", "gaze", "posture",
    "context", "lighting", "palette", "era", "realism", "camera",
)  # fmt: skip

#: Emphasis allowed in a spec (A1111 and ComfyUI read weights outside it too, but
#: past about 1.5 images tend to break up).
WEIGHT_RANGE = (0.5, 1.5)

#: Tokens in one CLIP chunk: Stable Diffusion 1.x and SDXL encode prompts 75 tokens at a time.
TOKEN_BUDGET = 75

#: Longest text accepted in one field; longer text is almost always a paste by mistake.
MAX_FIELD_CHARS = 500

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")
_SPACES = re.compile(r"\s+")
_TOKENS = re.compile(r"\w+|[^\w\s]")


def clean_text(text: str) -> str:
    """Collapse runs of white space (newlines included) to one space; drop control characters.

    Examples
    --------
    >>> clean_text("  soft\\n window   light\\t")
    'soft window light'
    """
    return _SPACES.sub(" ", _CONTROL.sub(" ", text)).strip(" ,")


def split_phrases(text: str) -> tuple[str, ...]:
    """Split comma-separated text into cleaned phrases, dropping empty ones and repeats.

    Examples
    --------
    >>> split_phrases("natural skin texture,, relaxed posture, natural skin texture")
    ('natural skin texture', 'relaxed posture')
    """
    seen: dict[str, str] = {}
    for part in text.split(","):
        phrase = clean_text(part)
        if phrase and phrase.casefold() not in seen:
            seen[phrase.casefold()] = phrase
    return tuple(seen.values())


def kind(value) -> str:
    """What sort of value this is, in plain words (for error messages).

    Examples
    --------
    >>> kind(3), kind(None), kind(["a"])
    ('a number', 'nothing (null)', 'a list')
    """
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, Mapping):
        return "a mapping of names to values"
    if isinstance(value, (list, tuple)):
        return "a list"
    return f"a {type(value).__name__}"


def _as_phrases(value, name: str) -> tuple[str, ...]:
    if isinstance(value, str):
        return split_phrases(value)
    if not isinstance(value, Iterable):
        raise TypeError(f"{name} must be text or a list of phrases, not {kind(value)}.")
    phrases: list[str] = []
    for item in value:
        if not isinstance(item, str):
            raise TypeError(f"Every phrase in {name} must be text, not {kind(item)}.")
        phrases.extend(split_phrases(item))
    return split_phrases(",".join(phrases))


def _as_weights(value) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    weights = {}
    for name, weight in items:
        if name not in TEXT_FIELDS + ("realism",):
            raise ValueError(f"Can't weight {name!r}: it is not a field. Fields: {', '.join(TEXT_FIELDS)}, realism")
        weight = float(weight)
        low, high = WEIGHT_RANGE
        if not low <= weight <= high:
            raise ValueError(f"The weight of {name} is {weight}; keep weights between {low} and {high}.")
        if weight != 1.0:
            weights[name] = round(weight, 2)
    return tuple(sorted(weights.items()))


@dataclass(frozen=True)
class PromptSpec:
    """A portrait prompt as named fields: three layers plus emotional direction and realism.

    Layers: ``identity`` (who), ``emotion`` (how they feel, with ``gaze``,
    ``expression`` and ``posture`` as emotional direction), ``context`` (where,
    with ``framing``, ``lighting``, ``palette`` and ``era``). ``realism`` holds
    imperfect-realism cues, ``camera`` the lens or medium, ``avoid`` what a
    negative prompt should keep out. ``goal`` names the preset the prompt
    serves (the lint uses it), ``weights`` holds emphasis per field for the
    generators that read it.

    Lists may be given as comma-separated text. Values are kept as typed;
    :func:`resolve` tidies spaces.

    Examples
    --------
    >>> spec = PromptSpec(identity="an artist", realism="natural skin texture, relaxed posture")
    >>> spec.realism
    ('natural skin texture', 'relaxed posture')
    >>> spec.replace(gaze="candid eye contact").gaze
    'candid eye contact'
    """

    identity: str = ""
    emotion: str = ""
    gaze: str = ""
    expression: str = ""
    posture: str = ""
    context: str = ""
    framing: str = ""
    lighting: str = ""
    palette: str = ""
    era: str = ""
    camera: str = ""
    realism: tuple[str, ...] = ()
    avoid: tuple[str, ...] = ()
    goal: str = ""
    weights: tuple[tuple[str, float], ...] = field(default=())

    def __post_init__(self):
        for name in TEXT_FIELDS + ("goal",):
            value = getattr(self, name)
            if not isinstance(value, str):
                raise TypeError(f"{name} must be text, not {kind(value)}.")
            if len(value) > MAX_FIELD_CHARS:
                raise ValueError(f"{name} is {len(value)} characters long; keep each field under {MAX_FIELD_CHARS}.")
        for name in LIST_FIELDS:
            object.__setattr__(self, name, _as_phrases(getattr(self, name), name))
        object.__setattr__(self, "weights", _as_weights(self.weights))

    def replace(self, **changes) -> "PromptSpec":
        """A copy with some fields changed (the spec itself never changes)."""
        return replace(self, **changes)

    def weight(self, name: str) -> float:
        """The emphasis of one field (1.0 unless set)."""
        return dict(self.weights).get(name, 1.0)

    def to_dict(self) -> dict:
        """Plain JSON-ready data: lists for the list fields, a mapping for weights."""
        data = asdict(self)
        data["realism"], data["avoid"] = list(self.realism), list(self.avoid)
        data["weights"] = dict(self.weights)
        return data

    @classmethod
    def from_dict(cls, data: Mapping) -> "PromptSpec":
        """Build a spec from :meth:`to_dict` data; unknown keys are an error, not ignored.

        Examples
        --------
        >>> PromptSpec.from_dict({"identity": "an artist", "mood": "calm"})
        Traceback (most recent call last):
        ...
        ValueError: Unknown field 'mood'. Known fields: identity, emotion, gaze, expression, posture, context, framing, lighting, palette, era, camera, realism, avoid, goal, weights
        """
        if not isinstance(data, Mapping):
            raise TypeError(f"A prompt must be a mapping of fields, not {kind(data)}.")
        known = [f.name for f in fields(cls)]
        for key in data:
            if key not in known:
                raise ValueError(f"Unknown field {key!r}. Known fields: {', '.join(known)}")
        return cls(**data)

    def __repr__(self) -> str:
        filled = [f"{name}={getattr(self, name)!r}" for name in (f.name for f in fields(self)) if getattr(self, name)]
        return f"PromptSpec({', '.join(filled)})"


def phrases(spec: PromptSpec) -> list[tuple[str, str]]:
    """The spec's phrases in prompt order, as ``(field, cleaned phrase)`` pairs; empty fields left out.

    Examples
    --------
    >>> phrases(PromptSpec(identity=" an artist ", gaze="candid eye contact"))
    [('identity', 'an artist'), ('gaze', 'candid eye contact')]
    """
    pairs: list[tuple[str, str]] = []
    for name in ORDER:
        if name == "realism":
            pairs.extend(("realism", phrase) for phrase in spec.realism)
        else:
            text = clean_text(getattr(spec, name))
            if text:
                pairs.append((name, text))
    return pairs


def resolve(spec: PromptSpec) -> str:
    """The prompt as one line of plain text: every phrase in order, joined by commas.

    Examples
    --------
    >>> resolve(PromptSpec(identity="an artist", emotion="reflective", context="a quiet studio"))
    'an artist, reflective, a quiet studio'
    """
    return ", ".join(text for _, text in phrases(spec))


def missing_layers(spec: PromptSpec) -> list[str]:
    """The layers (identity, emotion, context) with no field filled in.

    Examples
    --------
    >>> missing_layers(PromptSpec(identity="an artist", gaze="candid eye contact"))
    ['context']
    """
    return [layer for layer, names in LAYERS.items() if not any(clean_text(getattr(spec, n)) for n in names)]


def estimate_tokens(text: str) -> int:
    """A quick estimate of the CLIP tokens ``text`` uses (words and punctuation; long words count twice).

    CLIP, the text encoder of Stable Diffusion 1.x and SDXL, reads 75 tokens at
    a time; rare and long words split into several tokens, so this is a floor
    more than an exact count.

    Examples
    --------
    >>> estimate_tokens("soft window light, natural skin texture")
    7
    """
    return sum(2 if len(token) > 9 else 1 for token in _TOKENS.findall(text))
