"""A rating study as data: which versions are compared, what is asked, what the literature expects.

A study is a small JSON file. The facilitator picks a bundled one or writes
their own; :func:`load_study` checks it and says, in plain words, everything
that is wrong with it at once. Each *pair* shows two versions of the same
portrait that differ in one factor (say, direct versus averted gaze); each
version is a set of the package's own edits of one bundled portrait, so the
room rates *edits*, never the real person in the photo.

A pair may say what the literature expects (which version, the source, and the
evidence strength), so the results can show the room's answer beside it.

Examples
--------
>>> study = load_study("four_cues")
>>> study.title, [pair.factor for pair in study.pairs]
('Four cues, one face', ['gaze', 'smile', 'warmth', 'skin'])
>>> study.question.answer
'choice'
>>> load_study({"id": "x"})
Traceback (most recent call last):
...
portrait_lessons.workshop.design.StudyError: The study 'x' cannot be used: it needs a "title"; it needs a "portrait" (one of the bundled portrait names); it needs a "question"; it needs "pairs" (a list of at least one pair). Fix these lines in the study file and load it again.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from ..cards import STRENGTHS

#: Where the bundled studies live.
STUDY_DIR = Path(__file__).resolve().parent / "studies"
#: The edits a version may ask for, with their allowed ranges (the package's own limits).
EDIT_RANGES = {"warmth": (-60.0, 60.0), "smoothing": (0.0, 1.0), "restore": (0.0, 1.0)}
#: The face edits a version may ask for (see ``portrait_lessons.face.FaceEdit``).
FACE_EDITS = ("gaze_x", "gaze_y", "mouth_left", "mouth_right", "brow_left", "brow_right",
              "eyelid_narrowing", "head_tilt")  # fmt: skip
#: A version may instead show lesson 04's drawn figure in one of its postures (never a real person rated on traits).
POSTURES = ("neutral", "open_confident", "closed_guarded", "leaning_in", "calm_authority", "contemplative")
#: What a study file says it is.
FORMAT = "portrait-lessons-study/1"
ANSWERS = ("choice", "rating")
EXPECTS = ("a", "b", "neither")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,39}$")
DEFAULT_CONSENT = (
    "Your answers are anonymous: a random code is stored with them, never your name. They are used only "
    "to show this room's results today. You can stop at any time."
)
DEFAULT_ATTENTION = "To show you are reading each question: choose the black-and-white version."


class StudyError(ValueError):
    """A study file that cannot be used, with every problem in plain words and what to do."""


@dataclass(frozen=True)
class Version:
    """One version of the portrait: a label the room reads and the edits that make it."""

    label: str
    face: Mapping[str, float] = field(default_factory=dict)
    warmth: float = 0.0
    smoothing: float = 0.0
    restore: float = 0.0
    posture: str = ""  # a figure posture: the version is the drawn figure, not the portrait

    def to_dict(self) -> dict:
        """The version as it is written in a study file."""
        edits: dict[str, Any] = {}
        if self.face:
            edits["face"] = dict(self.face)
        for name in (*EDIT_RANGES, "posture"):
            if getattr(self, name):
                edits[name] = getattr(self, name)
        return {"label": self.label, "edits": edits}


@dataclass(frozen=True)
class Literature:
    """What published evidence (or practitioners' lore) expects for a pair."""

    expects: str
    claim: str
    source: str
    strength: str


@dataclass(frozen=True)
class Pair:
    """Two versions that differ in one factor, and what the literature expects of them."""

    factor: str
    a: Version
    b: Version
    literature: Literature | None = None

    def version(self, which: str) -> Version:
        """Version ``"a"`` or ``"b"``."""
        return {"a": self.a, "b": self.b}[which]


@dataclass(frozen=True)
class Question:
    """What each attendee is asked: choose one of two versions, or rate each on a scale."""

    text: str
    answer: str = "choice"
    scale: tuple[int, int] = (1, 7)
    low: str = ""
    high: str = ""


@dataclass(frozen=True)
class Study:
    """A whole study: its pairs, the question, the consent line and the attention check."""

    id: str
    title: str
    portrait: str
    question: Question
    pairs: tuple[Pair, ...]
    consent: str = DEFAULT_CONSENT
    attention_check: str = DEFAULT_ATTENTION
    about: str = ""
    source: Mapping = field(default_factory=dict, repr=False, compare=False)

    @property
    def fingerprint(self) -> str:
        """A short hash of what attendees answer (portrait, question, pairs).

        Answers record it, so answers to an edited study are never merged
        with answers to the old one.
        """
        core = {key: self.source.get(key) for key in ("portrait", "question", "pairs", "attention_check")}
        text = json.dumps(core, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def pair(self, factor: str) -> Pair:
        """The pair that tests ``factor``."""
        for pair in self.pairs:
            if pair.factor == factor:
                return pair
        raise KeyError(f"The study {self.id!r} has no pair for {factor!r}; it has {', '.join(self.factors)}.")

    @property
    def factors(self) -> tuple[str, ...]:
        """The factors in the order the study file lists them."""
        return tuple(pair.factor for pair in self.pairs)


def bundled_studies() -> list[str]:
    """Names of the studies that come with the package.

    Examples
    --------
    >>> bundled_studies()
    ['competence', 'four_cues', 'four_cues_rating', 'posture']
    """
    return sorted(path.stem for path in STUDY_DIR.glob("*.json"))


def load_study(source: str | os.PathLike | Mapping) -> Study:
    """Read and check a study: a bundled name, a path to a JSON file, or a dict.

    Raises
    ------
    StudyError
        Listing every problem found, in plain words, and what to do.
    """
    name, data = _read(source)
    problems: list[str] = []
    study = _parse(data, problems)
    if problems or study is None:
        label = f"The study {data.get('id')!r}" if isinstance(data, Mapping) and data.get("id") else f"The study {name}"
        raise StudyError(f"{label} cannot be used: {'; '.join(problems)}. Fix these lines in the study file and load it again.")
    return study


def _read(source) -> tuple[str, Any]:
    if isinstance(source, Mapping):
        return "given as a dict", source
    text_source = str(source)
    path = Path(text_source)
    if not path.suffix and _ID.match(text_source) and (STUDY_DIR / f"{text_source}.json").exists():
        path = STUDY_DIR / f"{text_source}.json"
    if not path.exists():
        raise StudyError(
            f"No study called {text_source!r}: it is neither a bundled study ({', '.join(bundled_studies())}) "
            "nor a file that exists. Check the name or the path."
        )
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        raise StudyError(f"The study file {path.name} is not a text file. Choose the .json study file.") from None
    except json.JSONDecodeError as error:
        raise StudyError(
            f"The study file {path.name} is not valid JSON: line {error.lineno}, column {error.colno}: {error.msg}. "
            "A missing comma or quote is the usual cause."
        ) from None
    return path.name, data


def _parse(data: Any, problems: list[str]) -> Study | None:
    from ..examples import names as portrait_names

    if not isinstance(data, Mapping):
        problems.append("the file must hold one JSON object ({ ... }) describing the study")
        return None
    known = {"format", "id", "title", "about", "portrait", "question", "pairs", "consent", "attention_check"}
    for key in data:
        if key not in known:
            problems.append(f"{key!r} is not a study setting (known: {', '.join(sorted(known))})")
    if data.get("format", FORMAT) != FORMAT:
        problems.append(f'"format" must be "{FORMAT}" (a study file of this workbook), not {data.get("format")!r}')
    study_id = data.get("id")
    if not isinstance(study_id, str) or not _ID.match(study_id):
        problems.append('it needs an "id": lower-case letters, digits, "_" or "-", at most 40 characters')
    title = data.get("title")
    if not _text(title):
        problems.append('it needs a "title"')
    portrait = data.get("portrait")
    if portrait not in portrait_names():
        problems.append('it needs a "portrait" (one of the bundled portrait names)' if portrait is None else
                        f"the portrait {portrait!r} is not bundled; choose one of {', '.join(portrait_names())}")  # fmt: skip
    question = _question(data.get("question"), problems)
    pairs = data.get("pairs")
    parsed_pairs: list[Pair] = []
    if not isinstance(pairs, list) or not pairs:
        problems.append('it needs "pairs" (a list of at least one pair)')
    else:
        seen: set[str] = set()
        for number, entry in enumerate(pairs, 1):
            pair = _pair(entry, number, problems)
            if pair is None:
                continue
            if pair.factor in seen:
                problems.append(f"pair {number}: the factor {pair.factor!r} appears twice (each factor once, so each "
                                "attendee gives one answer per factor)")  # fmt: skip
            seen.add(pair.factor)
            parsed_pairs.append(pair)
    for key in ("consent", "attention_check", "about"):
        if key in data and not _text(data[key]):
            problems.append(f'"{key}" must be a sentence of text')
    if portrait in portrait_names():
        _check_face_limits(portrait, parsed_pairs, problems)
    if problems:
        return None
    return Study(
        id=study_id, title=title.strip(), portrait=portrait, question=question, pairs=tuple(parsed_pairs),
        consent=data.get("consent", DEFAULT_CONSENT), attention_check=data.get("attention_check", DEFAULT_ATTENTION),
        about=data.get("about", ""), source=dict(data),
    )  # fmt: skip


def _check_face_limits(portrait: str, pairs: list[Pair], problems: list[str]) -> None:
    """Face edits beyond what this face allows would be clamped silently: say so instead."""
    from ..examples import portrait_landmarks
    from ..face.edits import edit_limits

    limits = edit_limits(portrait_landmarks(portrait))
    for number, pair in enumerate(pairs, 1):
        for key in ("a", "b"):
            for name, amount in pair.version(key).face.items():
                low, high = limits[name]
                if not low <= amount <= high:
                    problems.append(f"pair {number} ({pair.factor}), version {key}: {name} {amount:g} is beyond what "
                                    f"this face allows ({low:g} to {high:g}); choose an amount inside that range")  # fmt: skip


def _question(entry: Any, problems: list[str]) -> Question | None:
    if entry is None:
        problems.append('it needs a "question"')
        return None
    if not isinstance(entry, Mapping) or not _text(entry.get("text")):
        problems.append('"question" needs a "text", such as "Which version feels more approachable?"')
        return None
    answer = entry.get("answer", "choice")
    if answer not in ANSWERS:
        problems.append(f'"question" answer must be "choice" (pick one version) or "rating" (rate each), not {answer!r}')
        return None
    scale = entry.get("scale", [1, 7])
    if (not isinstance(scale, list) or len(scale) != 2 or not all(type(v) is int for v in scale)
            or not 1 <= scale[1] - scale[0] <= 10):  # fmt: skip
        problems.append('"question" scale must be two whole numbers such as [1, 7]')
        return None
    return Question(text=entry["text"].strip(), answer=answer, scale=tuple(scale), low=str(entry.get("low", "")),
                    high=str(entry.get("high", "")))  # fmt: skip


def _pair(entry: Any, number: int, problems: list[str]) -> Pair | None:
    where = f"pair {number}"
    if not isinstance(entry, Mapping):
        problems.append(f"{where} must be an object with a factor and versions a and b")
        return None
    factor = entry.get("factor")
    if not isinstance(factor, str) or not _ID.match(factor):
        problems.append(f'{where} needs a "factor": a short name such as "gaze" (lower-case letters, digits, "_")')
        return None
    where = f"pair {number} ({factor})"
    if factor == "attention":
        problems.append(f'{where}: "attention" is the name of the attention check; call the factor something else')
    for key in entry:
        if key not in {"factor", "a", "b", "literature"}:
            problems.append(f"{where}: {key!r} is not a pair setting (known: factor, a, b, literature)")
    a, b = (_version(entry.get(key), f"{where}, version {key}", problems) for key in ("a", "b"))
    if a is not None and b is not None and a.to_dict()["edits"] == b.to_dict()["edits"]:
        problems.append(f"{where}: versions a and b have the same edits, so there is nothing to compare")
    literature = _literature(entry.get("literature"), where, problems)
    if a is None or b is None:
        return None
    return Pair(factor=factor, a=a, b=b, literature=literature)


def _version(entry: Any, where: str, problems: list[str]) -> Version | None:
    if not isinstance(entry, Mapping):
        problems.append(f'{where} is missing: give it a "label" and "edits"')
        return None
    label = entry.get("label")
    if not _text(label):
        problems.append(f'{where} needs a "label" the room can read, such as "direct gaze"')
        return None
    edits = entry.get("edits", {})
    if not isinstance(edits, Mapping):
        problems.append(f'{where}: "edits" must be an object such as {{"warmth": 25}}')
        return None
    values: dict[str, Any] = {}
    for name, value in edits.items():
        if name == "face":
            values["face"] = _face(value, where, problems)
        elif name == "posture":
            if value in POSTURES:
                values["posture"] = value
            else:
                problems.append(f"{where}: the posture {value!r} is not one of the figure's: {', '.join(POSTURES)}")
        elif name in EDIT_RANGES:
            low, high = EDIT_RANGES[name]
            if not _number(value) or not low <= value <= high:
                problems.append(f"{where}: {name} must be a number from {low:g} to {high:g}, not {value!r}")
            else:
                values[name] = float(value)
        else:
            problems.append(f"{where}: {name!r} is not an edit (known: face, {', '.join(EDIT_RANGES)}, posture)")
    if values.get("posture") and len(values) > 1:
        problems.append(f"{where}: a posture shows the drawn figure, so it cannot be combined with other edits")
    return Version(label=label.strip(), **values)


def _face(value: Any, where: str, problems: list[str]) -> dict[str, float]:
    if not isinstance(value, Mapping):
        problems.append(f'{where}: "face" must be an object such as {{"gaze_x": -15}}')
        return {}
    amounts = {}
    for name, amount in value.items():
        if name not in FACE_EDITS:
            problems.append(f"{where}: {name!r} is not a face edit (known: {', '.join(FACE_EDITS)})")
        elif not _number(amount):
            problems.append(f"{where}: the face edit {name} must be a number, not {amount!r}")
        elif amount:
            amounts[name] = float(amount)
    return amounts


def _literature(entry: Any, where: str, problems: list[str]) -> Literature | None:
    if entry is None:
        return None
    if not isinstance(entry, Mapping):
        problems.append(f'{where}: "literature" must be an object with expects, claim, source and strength')
        return None
    expects, strength = entry.get("expects"), entry.get("strength")
    if expects not in EXPECTS:
        problems.append(f'{where}: literature "expects" must be "a", "b" or "neither", not {expects!r}')
    if strength not in STRENGTHS:
        problems.append(f'{where}: literature "strength" must be one of {", ".join(STRENGTHS)}, not {strength!r}')
    for key in ("claim", "source"):
        if not _text(entry.get(key)):
            problems.append(f'{where}: literature needs a "{key}"')
    if expects not in EXPECTS or strength not in STRENGTHS or not _text(entry.get("claim")) or not _text(entry.get("source")):
        return None
    return Literature(expects=expects, claim=entry["claim"].strip(), source=entry["source"].strip(), strength=strength)


def _text(value: Any) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)
