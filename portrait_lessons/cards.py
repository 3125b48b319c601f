"""Evidence cards: each claim with its source, what was measured, and how strong it is."""

from __future__ import annotations

import html
from dataclasses import dataclass

#: The three strengths a claim can have, with what each means.
STRENGTHS = {
    "established": "replicated in many studies or a meta-analysis",
    "supported": "at least one controlled study; read its limits",
    "popular claim": "said in practitioner writing; the evidence is weak or indirect",
}
_COLOURS = {"established": "#1b7837", "supported": "#b35806", "popular claim": "#762a83"}


@dataclass(frozen=True)
class EvidenceCard:
    """A claim, its source and its strength, shown as a small card.

    Examples
    --------
    >>> card = EvidenceCard(
    ...     claim="Warm colour makes a happy photo feel happier.",
    ...     source="Lin, Mottaghi & Shams (2023)",
    ...     measured="pleasantness ratings of colour and greyscale images",
    ...     strength="supported",
    ... )
    >>> "supported" in card._repr_html_()
    True
    >>> EvidenceCard("x", "y", "z", "certain")
    Traceback (most recent call last):
    ...
    ValueError: strength must be one of: established, supported, popular claim (got 'certain')
    """

    claim: str
    source: str
    measured: str
    strength: str
    limits: str = ""
    link: str = ""

    def __post_init__(self):
        if self.strength not in STRENGTHS:
            raise ValueError(f"strength must be one of: {', '.join(STRENGTHS)} (got {self.strength!r})")

    def _repr_html_(self) -> str:
        e = html.escape
        colour = _COLOURS[self.strength]
        source = e(self.source)
        if self.link.startswith(("https://", "http://")):
            source = f'<a href="{e(self.link)}" target="_blank" rel="noopener">{source}</a>'
        limits = f"<div><b>Limits:</b> {e(self.limits)}</div>" if self.limits else ""
        return (
            f'<div class="pl-evidence" style="border-left:6px solid {colour};padding:6px 12px;margin:8px 0;'
            f'background:rgba(127,127,127,0.08)">'
            f'<div><b>Claim:</b> {e(self.claim)}</div>'
            f"<div><b>Source:</b> {source}</div>"
            f"<div><b>What was measured:</b> {e(self.measured)}</div>"
            f'<div><b>Strength:</b> <span style="color:{colour};font-weight:bold">{e(self.strength)}</span>'
            f" ({e(STRENGTHS[self.strength])})</div>{limits}</div>"
        )

    def __repr__(self) -> str:
        return f"[{self.strength}] {self.claim} ({self.source})"
