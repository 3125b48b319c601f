"""The nostalgia window: which years' looks are most likely to feel nostalgic to a viewer.

The window rests on one finding (evidence card ``nostalgia.reminiscence-bump``):

- the **reminiscence bump** (established): adults recall a disproportionate
  share of their memories from roughly ages 10 to 30, so the looks of those
  years are the likeliest to carry memories (an inference for pictures).

The founding article also says nostalgic cues point to about 10 to 15 years
before the present. That figure could not be checked (card
``nostalgia.ten-fifteen``, a popular claim), so the window shows those years
for comparison but gives them no weight in the score.

:func:`nostalgia_window` turns an age (or an audience's age range) into both
spans of years and ranks the era presets of :mod:`portrait_lessons.colour.eras` by how
well they fit.

Examples
--------
>>> window = nostalgia_window(35, year=2026)
>>> window.bump, window.lag
((2001, 2021), (2011, 2016))
>>> window.eras[0].id
'social_2010s'
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import date

import numpy as np
from matplotlib.figure import Figure

from .eras import Era, eras

#: Ages whose memories are recalled most (the reminiscence bump).
BUMP_AGES = (10, 30)
#: The founding article's "10 to 15 years earlier", shown for comparison.
LAG_YEARS = (10, 15)
#: How much those years count in the score: nothing, since the figure could not be checked (a popular claim).
LAG_WEIGHT = 0.0
#: Audiences spanning more years of age than this get a warning: their bumps cover too much.
WIDE_AUDIENCE = 25
#: Ages the tool accepts.
AGE_RANGE = (5, 100)


@dataclass(frozen=True)
class RankedEra:
    """An era preset with its score (the share of its years in the window's bump, up to 1) and why."""

    era: Era
    score: float
    reason: str

    @property
    def id(self) -> str:
        return self.era.id


@dataclass(frozen=True)
class NostalgiaWindow:
    """The years most likely to feel nostalgic to viewers aged ``ages`` in ``year``.

    ``notes`` holds warnings worth reading before trusting the ranking (a very
    wide audience; years no preset covers).
    """

    ages: tuple[int, int]
    year: int
    bump: tuple[int, int]
    lag: tuple[int, int]
    eras: tuple[RankedEra, ...]
    notes: tuple[str, ...] = ()

    def __repr__(self) -> str:
        who = f"age {self.ages[0]}" if self.ages[0] == self.ages[1] else f"ages {self.ages[0]}-{self.ages[1]}"
        top = ", ".join(r.id for r in self.eras[:2]) or "none"
        return f"NostalgiaWindow({who} in {self.year}: bump {self.bump[0]}-{self.bump[1]}, " \
               f"lag {self.lag[0]}-{self.lag[1]}, top eras {top})"  # fmt: skip

    def _repr_html_(self) -> str:
        who = f"a viewer aged {self.ages[0]}" if self.ages[0] == self.ages[1] else (
            f"viewers aged {self.ages[0]} to {self.ages[1]}")  # fmt: skip
        rows = "".join(
            f"<tr><td>{html.escape(r.era.name)}</td><td>{r.era.years[0]}-{r.era.years[1]}</td>"
            f"<td>{r.score:.2f}</td><td>{html.escape(r.reason)}</td></tr>"
            for r in self.eras
        )
        notes = "".join(f'<p class="pl-note"><b>Note:</b> {html.escape(note)}</p>' for note in self.notes)
        return (
            f'<div class="pl-nostalgia"><p>For {who} in {self.year}: the reminiscence bump covers '
            f"<b>{self.bump[0]}-{self.bump[1]}</b> (established). The founding article's 10-15 years would be "
            f"<b>{self.lag[0]}-{self.lag[1]}</b>: a popular claim, shown but not scored.</p>{notes}"
            f"<table><tr><th>era look</th><th>years</th><th>score (up to 1)</th><th>why</th></tr>{rows}</table></div>"
        )


def _in_span(years: np.ndarray, span: tuple[int, int]) -> np.ndarray:
    return (years >= span[0]) & (years <= span[1])


def nostalgia_window(age: int | tuple[int, int], year: int | None = None) -> NostalgiaWindow:
    """The nostalgic years, and the era presets ranked for them, for an age or age range.

    Parameters
    ----------
    age : int or (int, int)
        One viewer's age, or the youngest and oldest of an audience (5 to 100).
    year : int, optional
        The year the portrait will be seen; this year by default.

    Returns
    -------
    NostalgiaWindow
        ``bump``: the years some viewer was 10 to 30 (up to ``year``);
        ``lag``: 10 to 15 years before ``year`` (the article's claim, shown
        but weighted by :data:`LAG_WEIGHT`, which is 0); ``eras``: presets
        that score above zero, best first. For every year of a preset and
        every age in the audience, the year counts if it falls in that
        viewer's bump. The score is the average over the preset's years and
        the audience's ages, so a preset whose every year is in every
        viewer's bump scores 1.

    Raises
    ------
    ValueError
        For ages outside 5-100 or a range given oldest first.

    Examples
    --------
    >>> window = nostalgia_window((55, 70), year=2026)
    >>> window.bump
    (1966, 2001)
    >>> [r.id for r in window.eras][:3]
    ['print_1980s', 'instant_1980s', 'slide_1970s']
    """
    youngest, oldest = (age, age) if isinstance(age, (int, float)) else age
    youngest, oldest = int(youngest), int(oldest)
    if not (AGE_RANGE[0] <= youngest <= oldest <= AGE_RANGE[1]):
        raise ValueError(
            f"Give an age from {AGE_RANGE[0]} to {AGE_RANGE[1]}, or a range (youngest, oldest) within it; "
            f"got {age!r}."
        )
    year = int(year if year is not None else date.today().year)
    bump = (year - oldest + BUMP_AGES[0], min(year, year - youngest + BUMP_AGES[1]))
    lag = (year - LAG_YEARS[1], year - LAG_YEARS[0])
    ages = np.arange(youngest, oldest + 1)[:, None]
    ranked = []
    for era in eras():
        years = np.arange(era.years[0], era.years[1] + 1)[None, :]
        in_bump = (years >= year - ages + BUMP_AGES[0]) & (years <= year - ages + BUMP_AGES[1]) & (years <= year)
        bump_share = float(in_bump.mean())
        lag_share = float((in_bump & _in_span(years, lag)).mean())
        score = round(bump_share + LAG_WEIGHT * lag_share, 3)
        if score > 0:
            ranked.append(RankedEra(era, score, _reason(bump_share, lag_share, youngest == oldest)))
    ranked.sort(key=lambda r: (-r.score, r.era.years[0]))
    return NostalgiaWindow((youngest, oldest), year, bump, lag, tuple(ranked), _notes(youngest, oldest, bump))


def _reason(bump_share: float, lag_share: float, one_age: bool) -> str:
    if one_age:
        reason = f"{bump_share:.0%} of its years fall in the reminiscence bump"
    else:
        reason = f"on average, its years fall in the reminiscence bump of {bump_share:.0%} of the audience"
    if lag_share:
        reason += f" ({lag_share:.0%} also 10-15 years back, not scored)"
    return reason


def _notes(youngest: int, oldest: int, bump: tuple[int, int]) -> tuple[str, ...]:
    notes = []
    if oldest - youngest > WIDE_AUDIENCE:
        notes.append(
            f"This audience spans {oldest - youngest} years of age, so their bumps cover {bump[0]}-{bump[1]} "
            "and every era fits someone: the ranking says little. Split it into groups of about 10-20 years."
        )
    newest = max(era.years[1] for era in eras())
    uncovered = bump[1] - max(newest, bump[0] - 1)
    if uncovered > (bump[1] - bump[0] + 1) / 3:
        notes.append(
            f"No preset covers {newest + 1}-{bump[1]}, much of this audience's bump (the phone-camera and "
            "app looks of recent years), so the ranking only covers older looks."
        )
    return tuple(notes)


def window_figure(window: NostalgiaWindow, width: float = 9.0) -> Figure:
    """A timeline: each era preset as a bar shaded by its score, with the bump and the article's 10-15 years shaded.

    Examples
    --------
    >>> fig = window_figure(nostalgia_window(30, year=2026))
    >>> len(fig.axes)
    1
    """
    all_eras = eras()
    fig = Figure(figsize=(width, 0.45 * len(all_eras) + 1.4), layout="constrained")
    ax = fig.subplots()
    scores = {r.id: r.score for r in window.eras}
    best = max(scores.values(), default=1.0)
    for row, era in enumerate(all_eras):
        score = scores.get(era.id, 0.0)
        # Darker orange for a better fit, so the ranking shows even when every era fits a little.
        colour = (0.70, 0.35, 0.02, 0.2 + 0.8 * score / best) if score else "#bbbbbb"
        ax.barh(row, era.years[1] - era.years[0] + 1, left=era.years[0], color=colour, height=0.6)
        label = f"{era.name} ({score:.2f})" if score else era.name
        ax.text(era.years[1] + 1.5, row, label, va="center", fontsize=9)
    ax.axvspan(window.bump[0], window.bump[1] + 1, color="#1b7837", alpha=0.15, label="reminiscence bump (ages 10-30)")
    ax.axvspan(window.lag[0], window.lag[1] + 1, color="#762a83", alpha=0.2, label="10-15 years ago (article's claim, not scored)")
    ax.set_yticks([])
    ax.set_xlim(1950, window.year + 30)
    ax.invert_yaxis()
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.12), ncols=2, fontsize=8, frameon=False)
    who = f"age {window.ages[0]}" if window.ages[0] == window.ages[1] else f"ages {window.ages[0]}-{window.ages[1]}"
    ax.set_title(f"Nostalgia window for {who} in {window.year} (darker orange: better fit; score in brackets)", fontsize=10)
    return fig
