"""One attendee's run through a study: consent, the pairs in their own order, the answers.

- A participant is a random code such as ``p-3f9a1c2b``: no name is asked or
  stored.
- The order of the pairs is shuffled with a seed made from the study and the
  code, so each attendee has their own order and the same code always gives
  the same order (which is what lets a run resume).
- Sides are counterbalanced: within a run, version *a* is on the left in half
  the pairs (one more or less when the count is odd), and which pairs those
  are is random; over a room each version is on each side equally often on
  average.
- One attention check ("choose the black-and-white version") is placed at a
  random position after the first pair.
- After each answer the run is saved as a draft in the attendee's own folder;
  after the last, the answers are written once into the answers folder
  (:func:`portrait_lessons.workshop.storage.write_once`) and the draft is removed.

Examples
--------
>>> import tempfile
>>> from portrait_lessons.workshop.design import load_study
>>> study = load_study("four_cues")
>>> [trial.factor for trial in plan_trials(study, "p-00000001")]
['gaze', 'warmth', 'skin', 'smile', 'attention']
>>> with tempfile.TemporaryDirectory() as folder:
...     run = StudyRun(study, folder, participant="p-00000001")
...     run.agree()
...     while not run.done:
...         trial = run.current
...         run.choose("left" if trial.kind == "pair" else trial.side_of("grey"))
...     path = run.finish()
...     print(path.name, run.record()["attention_passed"])
four_cues-p-00000001.json True
"""

from __future__ import annotations

import hashlib
import os
import random
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .design import Study
from .storage import AnswersExistError, read_json, replace_draft, write_once

#: What an answers file says it is.
ANSWERS_FORMAT = "portrait-lessons-answers/1"
ATTENTION = "attention"
SIDES = ("left", "right")


def new_participant_id(rng: random.Random | None = None) -> str:
    """A random participant code, ``p-`` and eight hex digits; ``rng`` makes it repeatable.

    Examples
    --------
    >>> new_participant_id(random.Random(1))
    'p-2265b1f5'
    >>> new_participant_id() != new_participant_id()
    True
    """
    number = rng.getrandbits(32) if rng is not None else secrets.randbits(32)
    return f"p-{number:08x}"


def participant_seed(study: Study, participant: str) -> int:
    """The seed of one participant's order: the same study and code give the same seed."""
    digest = hashlib.sha256(f"{study.id}/{participant}".encode()).digest()
    return int.from_bytes(digest[:8], "big")


@dataclass(frozen=True)
class Trial:
    """One screen: a pair (``left`` is ``"a"`` or ``"b"``) or the attention check (``"grey"`` or ``"colour"``)."""

    kind: str
    factor: str
    left: str

    @property
    def right(self) -> str:
        """Which version is on the right."""
        other = {"a": "b", "b": "a", "grey": "colour", "colour": "grey"}
        return other[self.left]

    def shown(self, side: str) -> str:
        """Which version is on ``side`` (``"left"`` or ``"right"``)."""
        return self.left if side == "left" else self.right

    def side_of(self, version: str) -> str:
        """Which side ``version`` is on."""
        return "left" if self.left == version else "right"


def plan_trials(study: Study, participant: str) -> tuple[Trial, ...]:
    """The screens one participant sees, in order: every pair once, plus one attention check.

    Examples
    --------
    >>> from portrait_lessons.workshop.design import load_study
    >>> trials = plan_trials(load_study("four_cues"), "p-12345678")
    >>> sorted(t.factor for t in trials if t.kind == "pair")
    ['gaze', 'skin', 'smile', 'warmth']
    >>> sum(t.left == "a" for t in trials if t.kind == "pair")
    2
    """
    rng = random.Random(participant_seed(study, participant))
    factors = list(study.factors)
    rng.shuffle(factors)
    count = len(factors)
    # Version a on the left in half the pairs; an odd count gives the extra one to a or b at random.
    a_left = count // 2 + (count % 2 and rng.random() < 0.5)
    lefts = ["a"] * a_left + ["b"] * (count - a_left)
    rng.shuffle(lefts)
    trials = [Trial("pair", factor, left) for factor, left in zip(factors, lefts)]
    position = rng.randint(1, count)  # never first: the first screen shows what the study is about
    trials.insert(position, Trial(ATTENTION, ATTENTION, rng.choice(("grey", "colour"))))
    return tuple(trials)


class RunError(RuntimeError):
    """An action the run cannot take now, with what to do instead."""


class StudyRun:
    """One attendee's progress through ``study``.

    Parameters
    ----------
    study : Study
    answers : path
        The folder the finished answers go to (a shared folder on a hub).
    drafts : path, optional
        The attendee's own folder for the unfinished run (default: ``answers``).
    participant : str, optional
        A participant code; a new random one by default.
    """

    def __init__(self, study: Study, answers: str | os.PathLike, drafts: str | os.PathLike | None = None,
                 participant: str | None = None):  # fmt: skip
        self.study = study
        self.answers_folder = Path(answers)
        self.drafts_folder = Path(drafts) if drafts is not None else self.answers_folder
        self.participant = participant or new_participant_id()
        self.trials = plan_trials(study, self.participant)
        self.consented = False
        self.responses: list[dict[str, Any]] = []
        self.saved_to: Path | None = None
        self.resumed = False

    # --- resuming ---------------------------------------------------------------
    @property
    def draft_path(self) -> Path:
        """Where this attendee's unfinished run is kept."""
        return self.drafts_folder / f".{self.study.id}.draft.json"

    @classmethod
    def resume_or_start(cls, study: Study, answers: str | os.PathLike,
                        drafts: str | os.PathLike | None = None) -> "StudyRun":  # fmt: skip
        """Continue the attendee's unfinished run of ``study`` if there is one, else start a new run."""
        run = cls(study, answers, drafts)
        try:
            draft = read_json(run.draft_path)
        except (OSError, ValueError):
            return run
        if not isinstance(draft, dict) or draft.get("fingerprint") != study.fingerprint:
            return run  # a draft of another version of the study: start afresh
        resumed = cls(study, answers, drafts, participant=str(draft.get("participant")))
        resumed.consented = bool(draft.get("consent"))
        responses = draft.get("trials", [])
        if isinstance(responses, list) and len(responses) <= len(resumed.trials):
            resumed.responses = [dict(r) for r in responses if isinstance(r, dict)]
        resumed.resumed = True
        return resumed

    # --- progress ---------------------------------------------------------------
    @property
    def position(self) -> int:
        """How many screens are answered."""
        return len(self.responses)

    @property
    def total(self) -> int:
        """How many screens there are, the attention check included."""
        return len(self.trials)

    @property
    def done(self) -> bool:
        """Every screen answered."""
        return self.position >= self.total

    @property
    def current(self) -> Trial | None:
        """The screen to answer now, or None when done."""
        return None if self.done else self.trials[self.position]

    # --- answering --------------------------------------------------------------
    def agree(self) -> None:
        """Record consent; nothing can be answered before it."""
        self.consented = True
        self._save_draft()

    def choose(self, side: str) -> None:
        """Answer a choice screen (and the attention check) with ``"left"`` or ``"right"``."""
        trial = self._ready()
        if side not in SIDES:
            raise RunError(f"Choose 'left' or 'right', not {side!r}.")
        if trial.kind == "pair" and self.study.question.answer == "rating":
            raise RunError("This study asks for a rating of each picture: use rate(left, right).")
        self._answer({"factor": trial.factor, "left": trial.left, "chose": trial.shown(side)})

    def rate(self, left: int, right: int) -> None:
        """Answer a rating screen with a rating for each picture."""
        trial = self._ready()
        if trial.kind != "pair" or self.study.question.answer != "rating":
            raise RunError("This screen asks you to choose a picture, not to rate it.")
        low, high = self.study.question.scale
        for value in (left, right):
            if type(value) is not int or not low <= value <= high:
                raise RunError(f"Each rating is a whole number from {low} to {high}, not {value!r}.")
        ratings = {trial.left: left, trial.right: right}
        self._answer({"factor": trial.factor, "left": trial.left, "ratings": ratings})

    def _ready(self) -> Trial:
        if not self.consented:
            raise RunError("Please read the consent line and tick that you agree before the first picture.")
        trial = self.current
        if trial is None:
            raise RunError("Every pair is answered: press Hand in (or nothing more to do if you did).")
        return trial

    def _answer(self, response: dict) -> None:
        self.responses.append(response)
        self._save_draft()

    def _save_draft(self) -> None:
        if self.saved_to is None:
            replace_draft(self.draft_path, self.record())

    # --- handing in -------------------------------------------------------------
    @property
    def answers_path(self) -> Path:
        """The file the finished answers go to."""
        return self.answers_folder / f"{self.study.id}-{self.participant}.json"

    def record(self) -> dict[str, Any]:
        """Everything this run stores: no names, no times, only the code and the answers."""
        attention = [r for r in self.responses if r["factor"] == ATTENTION]
        return {
            "format": ANSWERS_FORMAT,
            "study": self.study.id,
            "fingerprint": self.study.fingerprint,
            "participant": self.participant,
            "answer": self.study.question.answer,
            "consent": self.consented,
            "complete": self.done,
            "attention_passed": bool(attention) and attention[0]["chose"] == "grey",
            "trials": list(self.responses),
        }

    def finish(self) -> Path:
        """Write the answers once into the answers folder and remove the draft.

        Raises
        ------
        RunError
            If screens are still unanswered.
        FileNotFoundError
            If the answers folder does not exist (the draft is kept).
        """
        if not self.done:
            raise RunError(f"{self.total - self.position} screens are still unanswered; answer them, then hand in.")
        if self.saved_to is not None:
            return self.saved_to
        try:
            path = write_once(self.answers_path, self.record())
        except AnswersExistError:
            if read_json(self.answers_path) != self.record():
                raise
            path = self.answers_path  # handed in before an interruption: the same answers are there
        self.saved_to = path
        self.draft_path.unlink(missing_ok=True)
        return path
