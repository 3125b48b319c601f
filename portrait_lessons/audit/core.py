"""Run the checklist on one photo for one goal: measure once per photo, judge per goal.

:func:`measure_photo` computes every measure of a photo (cached: the same
pixels and points are measured once, whatever goal is asked next);
:func:`audit` judges the measures against a goal's ranges and returns an
:class:`Audit`, one :class:`Finding` per item plus the palette and the
story question (:func:`~portrait_lessons.audit.report.compare` lines up two).

Examples
--------
>>> from portrait_lessons import examples
>>> photo, points = examples.load_portrait("glover"), examples.portrait_landmarks("glover")
>>> result = audit(photo, points, "authority")
>>> result.finding("gaze").verdict
'fits'
>>> audit(photo, None, "trust").finding("gaze").verdict
'not measured'
"""

from __future__ import annotations

import hashlib
import html
import time
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from ..colour.measure import Swatch, colourfulness, dominant_palette, is_black_and_white, warm_cool_index
from ..composition.framing import FramingError, measures as framing_measures
from ..face.landmarks import Landmarks
from ..images import preview
from .goals import GOALS, Range, goal_label, goal_ranges
from .items import ITEM, ITEMS, QUESTIONS, STORY_QUESTION, VERDICTS, Item, card_sources
from .measures import (
    Background,
    background_measures,
    eye_opening,
    gaze_offset,
    head_roll,
    head_turn,
    skin_texture,
    smile,
    structural_asymmetry,
    subject_mask,
)

__all__ = ["Audit", "Finding", "PhotoMeasures", "VERDICTS", "audit", "measure_photo"]

#: Long edge of the working copy that pixel measures run on.
WORK_EDGE = 768


class PhotoMeasures:
    """Every measure of one photo, computed on first use and kept (goal-independent).

    ``image`` is the photo at any size; ``landmarks`` belong to it (or None).
    Pixel measures run on a copy :data:`WORK_EDGE` px long; skin texture on
    the face cut out of the full-size photo.
    """

    def __init__(self, image: np.ndarray, landmarks: Landmarks | None):
        self.full = image
        self.image = preview(image, WORK_EDGE)
        self.landmarks = landmarks
        height, width = self.image.shape[:2]
        self.work_landmarks = landmarks.resized(width, height) if landmarks is not None else None

    @cached_property
    def gaze(self):
        return gaze_offset(self.landmarks)

    @cached_property
    def smile(self):
        return smile(self.landmarks)

    @cached_property
    def eye_opening(self) -> float:
        return eye_opening(self.landmarks)

    @cached_property
    def asymmetry(self) -> float:
        return structural_asymmetry(self.landmarks)

    @cached_property
    def skin_texture(self) -> float | None:
        return skin_texture(self.full, self.landmarks)

    @cached_property
    def head_roll(self) -> float:
        return head_roll(self.landmarks)

    @cached_property
    def head_turn(self) -> float:
        return head_turn(self.landmarks)

    @cached_property
    def framing(self) -> dict:
        landmarks = self.landmarks
        box = (0, 0, landmarks.width, landmarks.height)
        direction = self.gaze.horizontal if self.gaze.direction in ("left", "right") else 0.0
        try:
            return framing_measures(landmarks, box, direction)
        except FramingError:  # pragma: no cover - the whole frame is always a valid box
            return {}

    @cached_property
    def mask(self) -> np.ndarray:
        return subject_mask(self.image, self.work_landmarks)

    @cached_property
    def background(self) -> Background | None:
        return background_measures(self.image, self.mask)

    @cached_property
    def warmth(self) -> float:
        return warm_cool_index(self.image)

    @cached_property
    def colourfulness(self) -> float:
        return colourfulness(self.image)

    @cached_property
    def black_and_white(self) -> bool:
        return is_black_and_white(self.image)

    @cached_property
    def palette(self) -> list[Swatch]:
        return dominant_palette(self.image, 6)

    def value(self, item: Item) -> float | None:
        """The item's measure on this photo, or None if it can't be measured here."""
        if item.needs_landmarks and self.landmarks is None:
            return None
        if item.question == "colour" and item.key != "warmth" and self.black_and_white:
            return None
        if item.key == "warmth" and self.black_and_white:
            return None
        value = item.measure(self)
        return None if value is None else float(value)


_CACHE: dict[str, PhotoMeasures] = {}
_CACHE_SIZE = 12


def _key(image: np.ndarray, landmarks: Landmarks | None) -> str:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr(image.shape).encode())
    # Every third pixel each way: any edit the workbook makes changes more than that,
    # and a 12 MP photo hashes in about 15 ms instead of 120.
    digest.update(np.ascontiguousarray(image[::3, ::3]).data)
    if landmarks is not None:
        digest.update(repr(sorted(landmarks.to_dict()["points"].items())).encode())
        digest.update(repr(landmarks.to_dict()["face_outline"]).encode())
    return digest.hexdigest()


def measure_photo(image: np.ndarray, landmarks: Landmarks | None) -> PhotoMeasures:
    """The photo's measures, from the cache when these pixels and points were measured before.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo = examples.load_portrait("koch", 256)
    >>> measure_photo(photo, None) is measure_photo(photo.copy(), None)
    True
    """
    image = _as_rgb(image)
    if landmarks is not None and (landmarks.width, landmarks.height) != (image.shape[1], image.shape[0]):
        landmarks = landmarks.resized(image.shape[1], image.shape[0])
    key = _key(image, landmarks)
    found = _CACHE.get(key)
    if found is None:
        found = PhotoMeasures(image, landmarks)
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = found
    return found


def _as_rgb(image) -> np.ndarray:
    image = np.asarray(image)
    if image.dtype != np.uint8 or image.ndim != 3 or image.shape[2] != 3 or min(image.shape[:2]) < 1:
        raise ValueError("The audit needs an RGB photo (uint8, height x width x 3): load it with load_image first.")
    return image


# --------------------------------------------------------------------------- judging


@dataclass(frozen=True)
class Finding:
    """One checklist line: the measured value, the goal's range, the verdict and what it means."""

    item: Item
    value: float | None
    range: Range | None
    verdict: str
    sentence: str

    @property
    def shown(self) -> str:
        """The value as a person reads it ("+8°", "warm-cool index +0.072")."""
        return "—" if self.value is None else self.item.fmt(self.value)

    @property
    def range_words(self) -> str:
        if self.range is None:
            return "any: this goal sets no range"
        return f"{self.range.words} ({_range_numbers(self.range, self.item)})"

    @property
    def worth_fixing(self) -> bool:
        return self.verdict in ("worth a look", "works against the goal")


def _range_numbers(found: Range, item: Item) -> str:
    low, high = found.low, found.high
    unit = "°" if item.key in ("head_tilt", "head_turn") else ""
    size = "size " if item.magnitude else ""
    if low == -np.inf or (item.magnitude and low == 0):
        return f"{size}up to {high:g}{unit}"
    if high == np.inf:
        return f"{size}{low:g}{unit} or more"
    return f"{size}{low:g} to {high:g}{unit}"


def judge(item: Item, value: float | None, found: Range | None, why_missing: str = "") -> Finding:
    """The verdict for one item: fits, worth a look, works against the goal (or not measured).

    Items on a popular claim stop at "worth a look", worded as a rule of thumb.

    Examples
    --------
    >>> from portrait_lessons.audit.goals import Range
    >>> judge(ITEM["colourfulness"], 80.0, Range(0, 50, 10, "muted colour")).verdict
    'works against the goal'
    >>> finding = judge(ITEM["warmth"], 0.4, Range(0, 0.1, 0.05, "neutral light"))
    >>> finding.verdict, finding.sentence.startswith("By a rule of thumb")
    ('worth a look', True)
    """
    if value is None:
        return Finding(item, None, found, "not measured", why_missing or "This photo can't show it.")
    if found is None:
        return Finding(item, value, None, "fits", "This goal sets no range for it: any value suits.")
    size = abs(value) if item.magnitude else value
    if found.contains(size):
        return Finding(item, value, found, "fits", f"Fits the goal: {found.words}.")
    meaning = item.below if size < found.low else item.above
    far = found.distance(size) > found.margin
    verdict = "works against the goal" if far and not item.rule_of_thumb else "worth a look"
    if item.rule_of_thumb:
        sentence = f"By a rule of thumb, {meaning}; the goal suggests {found.words}."
    elif far:
        sentence = f"Works against the goal: {meaning}; the goal asks for {found.words}."
    else:
        sentence = f"Close: {meaning}; the goal asks for {found.words}."
    return Finding(item, value, found, verdict, sentence)


@dataclass(frozen=True)
class Audit:
    """The checklist for one photo and one goal."""

    goal: str
    findings: tuple[Finding, ...]
    palette: tuple[Swatch, ...]
    notes: tuple[str, ...]
    story: str = ""
    seconds: float = field(default=0.0, compare=False)

    @property
    def goal_label(self) -> str:
        return goal_label(self.goal)

    def finding(self, key: str) -> Finding:
        for found in self.findings:
            if found.item.key == key:
                return found
        raise KeyError(f"No checklist item {key!r}. Items: {', '.join(f.item.key for f in self.findings)}")

    def counts(self) -> dict[str, int]:
        """How many items got each verdict."""
        return {verdict: sum(f.verdict == verdict for f in self.findings) for verdict in VERDICTS}

    def to_rows(self) -> list[dict]:
        """One dict per item (question, item, value, range, verdict, lesson, strength), for tables and the brief."""
        return [
            {"question": QUESTIONS[f.item.question], "item": f.item.label, "key": f.item.key, "value": f.shown,
             "range": f.range_words, "verdict": f.verdict, "meaning": f.sentence,
             "lesson": f"{f.item.lesson:02d}", "strength": f.item.card.strength, "source": card_sources(f.item.card),
             "card": f.item.card.key}
            for f in self.findings
        ]  # fmt: skip

    def summary(self) -> str:
        c = self.counts()
        text = (f"{self.goal_label}: {c['fits']} fit, {c['worth a look']} worth a look, "
                f"{c['works against the goal']} against the goal")  # fmt: skip
        return text + (f", {c['not measured']} not measured." if c["not measured"] else ".")

    def __repr__(self) -> str:
        lines = [self.summary()]
        lines += [f"- {f.item.label}: {f.shown} -> {f.verdict}" for f in self.findings]
        lines.append(f"- {STORY_QUESTION} (answer in words)")
        return "\n".join(lines)


NO_LANDMARKS = (
    "No face points for this photo, so only colour is measured. Place the points with the landmark picker "
    "(or pick a saved photo) to measure gaze, expression, texture, posture, framing and background."
)


def audit(image: np.ndarray, landmarks: Landmarks | None, goal: str, story: str = "") -> Audit:
    """Measure the checklist on a photo and judge it for a goal (a prompt-studio goal preset key).

    Parameters
    ----------
    image : ndarray of uint8, shape (H, W, 3)
    landmarks : Landmarks or None
        The face's points on ``image`` (any size; they are rescaled to it).
        Without them, the items that need no face are measured and a note says
        how to get the rest.
    goal : str
        One of :data:`~portrait_lessons.audit.goals.GOALS`.
    story : str
        The learner's answer to the story question (kept as typed).
    """
    started = time.perf_counter()
    if goal not in GOALS:
        raise KeyError(f"No goal called {goal!r}. Goals: {', '.join(GOALS)}")
    photo = measure_photo(image, landmarks)
    ranges = goal_ranges(goal)
    notes = []
    findings = []
    for item in ITEMS:
        value = photo.value(item)
        findings.append(judge(item, value, ranges.get(item.key), _why_missing(item, photo)))
    if photo.landmarks is None:
        notes.append(NO_LANDMARKS)
    elif photo.skin_texture is None:
        notes.append("The face is too small in this photo to see pores (the eyes are under 50 px apart), "
                     "so skin texture is not measured.")  # fmt: skip
    if photo.black_and_white:
        notes.append("A black-and-white photo: warmth and colourfulness are not measured.")
    palette = tuple(photo.palette)
    return Audit(goal, tuple(findings), palette, tuple(notes), story, round(time.perf_counter() - started, 3))


def _why_missing(item: Item, photo: PhotoMeasures) -> str:
    if item.needs_landmarks and photo.landmarks is None:
        return "Needs the face's points: place them with the landmark picker."
    if item.key == "skin_texture":
        return "The face is too small here to see pores."
    if item.key == "lead_room":
        return "Only for a gaze to one side: a look into the lens has no room ahead."
    if item.question == "background":
        return "The person fills the frame: there is no background to measure."
    if item.question == "colour":
        return "A black-and-white photo has no colour to measure."
    return "This photo can't show it."


def escape(text: str) -> str:
    """HTML-escape learner text (quotes included)."""
    return html.escape(str(text), quote=True)
