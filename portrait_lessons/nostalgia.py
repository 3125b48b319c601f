"""The nostalgia window: which years' looks are most likely to feel nostalgic to a viewer.

Two findings combine (see EVIDENCE.md, section 5):

- the **reminiscence bump** (established): people recall most memories from
  roughly ages 10 to 30, so the looks of those years carry the most memories;
- the **10 to 15 years rule** (supported, one stimulus-norming study): nostalgic
  visual cues often point to about 10 to 15 years before the present.

:func:`nostalgia_window` turns an age (or an audience's age range) into both
spans of years and ranks the era presets of :mod:`portrait_lessons.eras` by how
much of each span they cover.

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

from matplotlib.figure import Figure

from .eras import Era, eras

#: Ages whose memories are recalled most (the reminiscence bump).
BUMP_AGES = (10, 30)
#: How many years back nostalgic cues most often point.
LAG_YEARS = (10, 15)
#: Ages the tool accepts.
AGE_RANGE = (5, 100)


@dataclass(frozen=True)
class RankedEra:
    """An era preset with its score (share of its years inside the windows) and why."""

    era: Era
    score: float
    reason: str

    @property
    def id(self) -> str:
        return self.era.id


@dataclass(frozen=True)
class NostalgiaWindow:
    """The years most likely to feel nostalgic to viewers aged ``ages`` in ``year``."""

    ages: tuple[int, int]
    year: int
    bump: tuple[int, int]
    lag: tuple[int, int]
    eras: tuple[RankedEra, ...]

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
        return (
            f'<div class="pl-nostalgia"><p>For {who} in {self.year}: the reminiscence bump covers '
            f"<b>{self.bump[0]}-{self.bump[1]}</b>; the 10-15 years rule points to "
            f"<b>{self.lag[0]}-{self.lag[1]}</b>.</p>"
            f"<table><tr><th>era look</th><th>years</th><th>score</th><th>why</th></tr>{rows}</table></div>"
        )


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]) + 1)


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
        ``bump``: the years the viewers were 10 to 30 (up to ``year``);
        ``lag``: 10 to 15 years before ``year``; ``eras``: presets that
        overlap either, best first. The score is the share of the preset's
        years inside the bump plus the share inside the lag, so an era in both
        scores up to 2.

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
    ['slide_1970s', 'instant_1980s', 'print_1980s']
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
    ranked = []
    for era in eras():
        length = era.years[1] - era.years[0] + 1
        in_bump = _overlap(era.years, bump) / length if bump[0] <= bump[1] else 0.0
        in_lag = _overlap(era.years, lag) / length
        if in_bump or in_lag:
            reasons = []
            if in_bump:
                reasons.append(f"{in_bump:.0%} of its years fall in the reminiscence bump")
            if in_lag:
                reasons.append(f"{in_lag:.0%} in the 10-15 years window")
            ranked.append(RankedEra(era, round(in_bump + in_lag, 3), "; ".join(reasons)))
    ranked.sort(key=lambda r: (-r.score, r.era.years[0]))
    return NostalgiaWindow((youngest, oldest), year, bump, lag, tuple(ranked))


def window_figure(window: NostalgiaWindow, width: float = 9.0) -> Figure:
    """A timeline: each era preset as a bar, with the bump and the 10-15 years window shaded.

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
    for row, era in enumerate(all_eras):
        colour = "#b35806" if scores.get(era.id) else "#999999"
        ax.barh(row, era.years[1] - era.years[0] + 1, left=era.years[0], color=colour, height=0.6)
        ax.text(era.years[1] + 1.5, row, era.name, va="center", fontsize=9)
    ax.axvspan(window.bump[0], window.bump[1] + 1, color="#1b7837", alpha=0.15, label="reminiscence bump (ages 10-30)")
    ax.axvspan(window.lag[0], window.lag[1] + 1, color="#762a83", alpha=0.2, label="10-15 years ago")
    ax.set_yticks([])
    ax.set_xlim(1950, window.year + 30)
    ax.invert_yaxis()
    ax.legend(loc="lower right", fontsize=8)
    who = f"age {window.ages[0]}" if window.ages[0] == window.ages[1] else f"ages {window.ages[0]}-{window.ages[1]}"
    ax.set_title(f"Nostalgia window for {who} in {window.year} (orange: eras that fall in it)", fontsize=10)
    return fig
