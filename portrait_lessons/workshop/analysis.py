"""The facilitator's side of a study: merge the answers files, summarise, plot beside the literature.

:func:`merge_answers` reads a folder, files or uploaded files; each file is
checked, and a bad or duplicate one is refused with a clear reason while
the rest are kept. Attendees who missed the attention check are kept out of
the results and counted. :func:`summarise` gives, per factor, the share of
the room choosing each version with a Wilson interval and an exact binomial
test against chance, or, for 1-7 ratings, each version's mean with
bootstrap intervals. :func:`plot_study` draws one figure per study with the
literature's expectation beside the room's result. Everything is
deterministic given the files: the same folder always gives the same
numbers and the same picture.

Examples
--------
>>> import tempfile
>>> from portrait_lessons.workshop.design import load_study
>>> study = load_study("four_cues")
>>> with tempfile.TemporaryDirectory() as folder:
...     _ = simulate_room(study, folder, 20, {"gaze": 0.2, "smile": 0.8}, seed=3)
...     merge = merge_answers(study, folder)
>>> len(merge.records), merge.refused
(20, [])
>>> gaze = summarise(merge)[0]
>>> gaze.factor, gaze.n, gaze.chose_b <= 8
('gaze', 20, True)
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import random
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np
from matplotlib.figure import Figure

from ..cards import STRENGTHS
from .design import Literature, Study
from .runner import ANSWERS_FORMAT, ATTENTION, StudyRun
from .stats import binomial_test, bootstrap_interval, wilson_interval

_PARTICIPANT = re.compile(r"^p-[0-9a-f]{8}$")
#: Largest answers file read (one attendee's answers are about a kilobyte).
MAX_FILE_BYTES = 200_000
_STRENGTH_COLOURS = {"established": "#1b7837", "supported": "#b35806", "popular claim": "#762a83"}


@dataclass
class Merge:
    """The answers merged for one study.

    ``records`` are the accepted files (sorted by participant code),
    ``refused`` lists ``(file name, reason)`` for each file not used, and
    ``inattentive`` the codes of attendees kept out for missing the
    attention check.
    """

    study: Study
    records: list[dict] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)
    inattentive: list[str] = field(default_factory=list)

    @property
    def included(self) -> list[dict]:
        """The records whose attention check was passed: the ones the results use."""
        return [r for r in self.records if r["participant"] not in self.inattentive]

    def report(self) -> str:
        """What was merged, in plain words."""
        lines = [f"{len(self.records)} answers files merged for '{self.study.title}'; "
                 f"{len(self.included)} used in the results."]  # fmt: skip
        if self.inattentive:
            lines.append(f"{len(self.inattentive)} kept out: the attention check was missed.")
        lines += [f"Refused {name}: {reason}" for name, reason in self.refused]
        return "\n".join(lines)


def merge_answers(study: Study, *sources: Any) -> Merge:
    """Merge answers files for ``study`` from folders, file paths or uploads.

    Each source may be a folder (every ``*.json`` file in it), a path, an
    upload entry such as ipywidgets' ``FileUpload`` gives (a dict with
    ``name`` and ``content``), or a list of these. Files are read in name
    order, so the result never depends on the order they arrived in.
    """
    entries = sorted(_entries(sources), key=lambda e: (e[0], hashlib.sha256(e[1]).hexdigest()))
    merge = Merge(study)
    by_participant: dict[str, str] = {}
    for name, content in entries:
        try:
            record = _check_record(study, content)
        except _Refused as refusal:
            merge.refused.append((name, str(refusal)))
            continue
        code = record["participant"]
        if code in by_participant:
            merge.refused.append((name, f"a second file from participant {code} (the same run handed in twice); "
                                        f"kept the first, {by_participant[code]}"))  # fmt: skip
            continue
        by_participant[code] = name
        merge.records.append(record)
        if not record["attention_passed"]:
            merge.inattentive.append(code)
    merge.records.sort(key=lambda r: r["participant"])
    merge.inattentive.sort()
    return merge


class _Refused(ValueError):
    pass


def _entries(sources: Iterable[Any]) -> Iterable[tuple[str, bytes]]:
    for source in sources:
        if isinstance(source, (list, tuple)):
            yield from _entries(source)
        elif isinstance(source, Mapping):
            content = source.get("content", b"")
            yield str(source.get("name", "uploaded file")), bytes(content)
        else:
            path = Path(source)
            if path.is_dir():
                for item in sorted(path.glob("*.json")):
                    if not item.name.startswith("."):  # hidden: a writer's temporary file or a draft
                        yield from _read_file(item)
            elif path.exists():
                yield from _read_file(path)
            else:
                yield path.name, b"\0missing"


def _read_file(path: Path) -> Iterable[tuple[str, bytes]]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            yield path.name, b"\0too large"
            return
        yield path.name, path.read_bytes()
    except OSError as error:
        yield path.name, f"\0unreadable {error.strerror}".encode()


def _check_record(study: Study, content: bytes) -> dict:
    """The record in ``content`` if it is a complete, valid answers file for ``study``."""
    if content == b"\0missing":
        raise _Refused("no such file or folder; check the path")
    if content == b"\0too large":
        raise _Refused(f"larger than {MAX_FILE_BYTES // 1000} kB, so not an answers file")
    if content.startswith(b"\0unreadable"):
        raise _Refused(f"could not be read ({content[12:].decode()}); copy it again")
    try:
        record = json.loads(content.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise _Refused("not an answers file (it is not readable JSON text); it may be cut off or another file") from None
    if not isinstance(record, dict) or record.get("format") != ANSWERS_FORMAT:
        raise _Refused("not an answers file of this workbook (its format line is missing or different)")
    if record.get("study") != study.id:
        raise _Refused(f"answers to the study {record.get('study')!r}, not {study.id!r}; merge it with that study")
    if record.get("fingerprint") != study.fingerprint:
        raise _Refused("answers to another version of this study (its pairs or question were changed since)")
    code = record.get("participant")
    if not isinstance(code, str) or not _PARTICIPANT.match(code):
        raise _Refused("its participant code is missing or malformed")
    if record.get("consent") is not True:
        raise _Refused("consent was not given, so these answers are not used")
    trials = record.get("trials")
    if record.get("complete") is not True or not isinstance(trials, list):
        raise _Refused("the run was not finished")
    seen = [t.get("factor") if isinstance(t, dict) else None for t in trials]
    expected = sorted([*study.factors, ATTENTION])
    if sorted(map(str, seen)) != expected:
        raise _Refused("its answers do not match the study's pairs (a pair is missing or answered twice)")
    for trial in trials:
        _check_trial(study, trial)
    attention = next(t for t in trials if t["factor"] == ATTENTION)
    return {**record, "attention_passed": attention["chose"] == "grey"}


def _check_trial(study: Study, trial: dict) -> None:
    factor = trial["factor"]
    if factor == ATTENTION:
        if trial.get("left") not in ("grey", "colour") or trial.get("chose") not in ("grey", "colour"):
            raise _Refused("its attention-check answer is malformed")
        return
    if trial.get("left") not in ("a", "b"):
        raise _Refused(f"its answer for {factor!r} says nothing about the sides")
    if study.question.answer == "choice":
        if trial.get("chose") not in ("a", "b"):
            raise _Refused(f"its answer for {factor!r} chose neither version")
        return
    ratings, (low, high) = trial.get("ratings"), study.question.scale
    if (not isinstance(ratings, dict) or sorted(ratings) != ["a", "b"]
            or not all(type(v) is int and low <= v <= high for v in ratings.values())):  # fmt: skip
        raise _Refused(f"its ratings for {factor!r} are missing or outside {low} to {high}")


# --- the results ----------------------------------------------------------------------


@dataclass(frozen=True)
class FactorResult:
    """The room's answer for one factor.

    For a choice study: ``chose_b`` of ``n`` chose version b, ``share_b``
    with its Wilson ``interval`` and the exact two-sided ``p_value`` against
    chance. For a rating study: ``means`` and ``mean_intervals`` (bootstrap)
    of each version, the mean within-person ``difference`` (b minus a) with
    its ``interval``, and ``p_value`` from a sign test on the differences.
    """

    factor: str
    a_label: str
    b_label: str
    n: int
    interval: tuple[float, float]
    p_value: float
    literature: Literature | None
    chose_b: int | None = None
    share_b: float | None = None
    means: tuple[float, float] | None = None
    mean_intervals: tuple[tuple[float, float], tuple[float, float]] | None = None
    difference: float | None = None
    chose_left: int | None = None

    @property
    def lean(self) -> str:
        """``"a"`` or ``"b"`` when the interval lies wholly on one side of no difference, else ``"neither"``."""
        centre = 0.5 if self.share_b is not None else 0.0
        low, high = self.interval
        return "b" if low > centre else "a" if high < centre else "neither"

    @property
    def agreement(self) -> str:
        """How the room's lean compares with the literature, in a few words."""
        if self.literature is None:
            return "no expectation given"
        expects = self.literature.expects
        if self.lean == expects:
            return "as the literature expects" if expects != "neither" else "no clear lean, as expected"
        if self.lean == "neither":
            return "no clear lean yet"
        return "the other way from the literature" if expects != "neither" else "a lean the literature does not predict"

    def label(self, version: str) -> str:
        """The label of version ``"a"`` or ``"b"``."""
        return {"a": self.a_label, "b": self.b_label, "neither": "no difference"}[version]

    def sentence(self) -> str:
        """The result in one plain sentence."""
        low, high = self.interval
        if self.share_b is not None:
            return (f"{self.chose_b} of {self.n} chose {self.b_label} ({self.share_b:.0%}; 95 % interval "
                    f"{low:.0%} to {high:.0%}); a split at least this uneven happens by chance in "
                    f"{_rooms(self.p_value)}.")  # fmt: skip
        mean_a, mean_b = self.means
        return (f"{self.a_label} {mean_a:.1f}, {self.b_label} {mean_b:.1f} on average; {self.b_label} minus "
                f"{self.a_label}: {self.difference:+.1f} (95 % interval {low:+.1f} to {high:+.1f}).")  # fmt: skip


def _rooms(p_value: float) -> str:
    return "fewer than 1 in 100 rooms" if p_value < 0.01 else f"{p_value:.0%} of rooms"


def summarise(merge: Merge, confidence: float = 0.95) -> list[FactorResult]:
    """One :class:`FactorResult` per factor, in the study's order, from the attentive attendees."""
    study, records = merge.study, merge.included
    results = []
    for index, pair in enumerate(study.pairs):
        trials = [next(t for t in r["trials"] if t["factor"] == pair.factor) for r in records]
        n = len(trials)
        common = dict(factor=pair.factor, a_label=pair.a.label, b_label=pair.b.label, n=n, literature=pair.literature)
        if n == 0:
            results.append(FactorResult(**common, interval=(float("nan"), float("nan")), p_value=float("nan")))
            continue
        if study.question.answer == "choice":
            chose_b = sum(t["chose"] == "b" for t in trials)
            chose_left = sum(t["chose"] == t["left"] for t in trials)
            results.append(FactorResult(
                **common, chose_b=chose_b, share_b=chose_b / n, interval=wilson_interval(chose_b, n, confidence),
                p_value=binomial_test(chose_b, n), chose_left=chose_left,
            ))  # fmt: skip
        else:
            a = np.array([t["ratings"]["a"] for t in trials], float)
            b = np.array([t["ratings"]["b"] for t in trials], float)
            differences = b - a
            higher, lower = int((differences > 0).sum()), int((differences < 0).sum())
            results.append(FactorResult(
                **common, means=(float(a.mean()), float(b.mean())),
                mean_intervals=(bootstrap_interval(a, confidence, seed=index), bootstrap_interval(b, confidence, seed=index)),
                difference=float(differences.mean()), interval=bootstrap_interval(differences, confidence, seed=index),
                p_value=binomial_test(higher, higher + lower) if higher + lower else 1.0,
            ))  # fmt: skip
    return results


def results_table(results: list[FactorResult]) -> str:
    """The results as an HTML table for the facilitator's screen."""
    e = html.escape
    rows = []
    for r in results:
        if r.n == 0:
            rows.append(f"<tr><td>{e(r.factor)}</td><td colspan='4'>no answers yet</td></tr>")
            continue
        literature = "–"
        if r.literature:
            colour = _STRENGTH_COLOURS[r.literature.strength]
            literature = (f"{e(r.label(r.literature.expects))} <span style='color:{colour}'>"
                          f"({e(r.literature.strength)})</span>")  # fmt: skip
        rows.append(
            f"<tr><td><b>{e(r.factor)}</b><br><span style='color:#555'>{e(r.a_label)} / {e(r.b_label)}</span></td>"
            f"<td>{e(r.sentence())}</td><td>{literature}</td><td>{e(r.agreement)}</td></tr>"
        )
    head = "<tr><th>factor</th><th>this room</th><th>the literature expects</th><th>so</th></tr>"
    return f'<table class="pl-study-results" style="font-size:13px">{head}{"".join(rows)}</table>'


def plot_study(merge: Merge, results: list[FactorResult] | None = None) -> Figure:
    """One figure for the study: per factor, the literature's expectation above the room's result.

    Examples
    --------
    >>> import tempfile
    >>> from portrait_lessons.workshop.design import load_study
    >>> study = load_study("competence")
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = simulate_room(study, folder, 12, {"smile": 0.25}, seed=1)
    ...     figure = plot_study(merge_answers(study, folder))
    >>> len(figure.axes)
    1
    """
    results = summarise(merge) if results is None else results
    study, rating = merge.study, merge.study.question.answer == "rating"
    rows = len(results)
    figure = Figure(figsize=(10, 1.45 * rows + 1.9), layout="constrained")
    ax = figure.subplots()
    if rating:
        low, high = study.question.scale
        reach = high - low
        extent = max([2.0] + [max(abs(v) for v in r.interval) + 0.5 for r in results if r.n])
        extent = min(extent, reach)
        centre, left_edge, right_edge = 0.0, -extent, extent
        ax.set_xlabel(f"mean rating of the version named on the right minus the one on the left (dot), with its 95 % interval")
    else:
        centre, left_edge, right_edge = 0.5, 0.0, 1.0
        ax.set_xlabel("share of the room choosing the version named on the right (dot), with its 95 % interval")
        ax.xaxis.set_major_formatter(lambda value, _: f"{value:.0%}")
    ax.set_xlim(left_edge, right_edge)
    ax.set_ylim(rows - 0.4, -0.75)
    ax.axvline(centre, color="#888", linestyle="--", linewidth=1)
    ax.set_yticks([])
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    span = right_edge - left_edge
    for row, r in enumerate(results):
        y_lit, y_room = row - 0.22, row + 0.18
        ax.text(left_edge - 0.015 * span, row, r.a_label, ha="right", va="center", fontsize=11, fontweight="bold")
        ax.text(right_edge + 0.015 * span, row, r.b_label, ha="left", va="center", fontsize=11, fontweight="bold")
        if r.literature:
            colour = _STRENGTH_COLOURS[r.literature.strength]
            expects = r.literature.expects
            words = f"literature: {r.label(expects)} ({r.literature.strength})"
            if expects == "neither":
                ax.plot([centre], [y_lit], marker="|", markersize=16, color=colour, markeredgewidth=3)
                ax.text(centre + 0.02 * span, y_lit, words, color=colour, va="center", fontsize=9)
            else:
                sign = 1 if expects == "b" else -1
                ax.annotate("", xy=(centre + sign * 0.3 * span, y_lit), xytext=(centre, y_lit),
                            arrowprops=dict(arrowstyle="-|>", color=colour, lw=2.5))  # fmt: skip
                ax.text(centre + sign * 0.32 * span, y_lit, words, color=colour, va="center", fontsize=9,
                        ha="left" if sign > 0 else "right")  # fmt: skip
        if r.n == 0:
            ax.text(centre, y_room, "no answers yet", ha="center", va="center", fontsize=9, color="#555")
            continue
        value = r.share_b if r.share_b is not None else r.difference
        ax.plot(r.interval, [y_room, y_room], color="#222", linewidth=2.5, solid_capstyle="butt")
        ax.plot([value], [y_room], "o", color="#222", markersize=9)
        shown = f"{value:.0%} chose {r.b_label}" if r.share_b is not None else f"{value:+.1f} for {r.b_label}"
        ax.text(value, y_room + 0.2, f"this room: {shown} (n = {r.n}; {r.agreement})", ha="center", va="top",
                fontsize=9, color="#222")  # fmt: skip
    n_used, n_out = len(merge.included), len(merge.inattentive)
    out = f"; {n_out} kept out for missing the attention check" if n_out else ""
    ax.set_title(f"{study.title}: “{study.question.text}”\n{n_used} attendees{out}", fontsize=12)
    sources = sorted({r.literature.source for r in results if r.literature})
    # Wrapped by hand: matplotlib's own wrapping measures the text again at every layout pass.
    figure.supxlabel(textwrap.fill("Sources: " + " · ".join(sources), 150), fontsize=7, color="#444")
    return figure


# --- a rehearsal room -----------------------------------------------------------------


def simulate_room(study: Study, folder: str | os.PathLike, attendees: int, lean: Mapping[str, float] | None = None,
                  seed: int = 0, inattentive: float = 0.0) -> list[Path]:  # fmt: skip
    """Have ``attendees`` imaginary attendees answer ``study`` into ``folder``, through the real runner.

    For a rehearsal before the day, and for the tests. ``lean[factor]`` is
    the chance that an attendee chooses version b (choice studies) or how
    much higher they rate b than a on average (rating studies); factors not
    named are answered at random (0.5) or with no difference (0.0).
    ``inattentive`` is the share who answer the attention check wrongly.
    """
    lean = dict(lean or {})
    unknown = set(lean) - set(study.factors)
    if unknown:
        raise ValueError(f"The study {study.id!r} has no factor {', '.join(sorted(unknown))}; it has {', '.join(study.factors)}.")
    Path(folder).mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    low, high = study.question.scale
    paths = []
    for _ in range(attendees):
        run = StudyRun(study, folder, drafts=Path(folder) / ".rehearsal", participant=_code(rng))
        run.agree()
        careless = rng.random() < inattentive
        while not run.done:
            trial = run.current
            if trial.kind == ATTENTION:
                run.choose(trial.side_of("colour" if careless else "grey"))
            elif study.question.answer == "choice":
                run.choose(trial.side_of("b" if rng.random() < lean.get(trial.factor, 0.5) else "a"))
            else:
                base = rng.gauss((low + high) / 2, 1.0)
                shift = lean.get(trial.factor, 0.0)
                a = min(high, max(low, round(base - shift / 2 + rng.gauss(0, 0.7))))
                b = min(high, max(low, round(base + shift / 2 + rng.gauss(0, 0.7))))
                ratings = {"a": a, "b": b}
                run.rate(ratings[trial.left], ratings[trial.right])
        paths.append(run.finish())
    return paths


def _code(rng: random.Random) -> str:
    return f"p-{rng.getrandbits(32):08x}"
