"""The bundled portraits: list them, read their credits, load their pixels.

Every photo in ``images/photos/`` is a public-domain work of a U.S. federal
agency, catalogued in ``images/photos/catalogue.json`` with its credit, and
has a landmark sidecar ``NAME.landmarks.json`` (see ``images/LANDMARKS.md``).
Photos are loaded through :func:`portrait_lessons.images.load_image` and cached,
so moving a slider never decodes a file twice.

Examples
--------
>>> "koch" in names()
True
>>> portrait("koch").person
'Christina Koch, NASA astronaut'
>>> load_portrait("koch", max_edge=256).shape
(256, 192, 3)
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from .images import load_image, preview
from .face.landmarks import Landmarks, load_landmarks

PHOTO_DIR = Path(__file__).resolve().parent.parent / "images" / "photos"


@dataclass(frozen=True)
class Portrait:
    """One bundled photo and what is known about it.

    ``evidence`` says how its public-domain status is known: "documented"
    (the source names its origin) or "identified by sight" (an official
    portrait recognised from its set-up, badges and insignia).
    """

    name: str
    file: str
    person: str
    year: str
    credit: str
    licence: str
    evidence: str
    sha256: str
    look: str

    @property
    def path(self) -> Path:
        """Where the photo lives on disk."""
        return PHOTO_DIR / self.file

    @property
    def landmarks_path(self) -> Path:
        """Where its landmark sidecar lives on disk."""
        return self.path.with_suffix(".landmarks.json")

    @property
    def caption(self) -> str:
        """A one-line credit to print under a figure."""
        return f"{self.person}, {self.year}. {self.credit}; {self.licence.split(' (')[0].lower()}."


@lru_cache(maxsize=1)
def _catalogue() -> dict[str, Portrait]:
    entries = json.loads((PHOTO_DIR / "catalogue.json").read_text(encoding="utf-8"))
    return {name: Portrait(name=name, **entry) for name, entry in entries.items()}


def names() -> list[str]:
    """Short names of the bundled portraits, in lesson order."""
    return list(_catalogue())


def portrait(name: str) -> Portrait:
    """The catalogue entry for one bundled portrait.

    Raises
    ------
    KeyError
        If ``name`` is not a bundled portrait; the message lists the names.
    """
    try:
        return _catalogue()[name]
    except KeyError:
        raise KeyError(f"No bundled portrait is called {name!r}; choose one of: {', '.join(names())}.") from None


@lru_cache(maxsize=32)
def load_portrait(name: str, max_edge: int | None = None) -> np.ndarray:
    """The pixels of a bundled portrait, optionally downscaled to ``max_edge``.

    The result is cached and read-only; image functions in this package
    return new arrays, so share it freely and copy it before writing to it.
    """
    image = load_image(portrait(name).path)
    if max_edge is not None:
        image = preview(image, max_edge)
    image.setflags(write=False)
    return image


def portrait_landmarks(name: str, max_edge: int | None = None) -> Landmarks:
    """The landmarks of a bundled portrait, matching ``load_portrait(name, max_edge)``."""
    landmarks = _landmarks(name)
    if max_edge is None:
        return landmarks
    height, width = load_portrait(name, max_edge).shape[:2]
    return landmarks.resized(width, height)


@lru_cache(maxsize=None)
def _landmarks(name: str) -> Landmarks:
    return load_landmarks(portrait(name).landmarks_path)


class CreditsTable:
    """The bundled portraits' credits as a table (HTML in a notebook, text elsewhere).

    Examples
    --------
    >>> "Public domain" in CreditsTable()._repr_html_()
    True
    """

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td><code>{e(p.file)}</code></td><td>{e(p.person)}, {e(p.year)}</td>"
            f"<td>{e(p.credit)}</td><td>{e(p.licence)}</td><td>{e(p.evidence)}</td></tr>"
            for p in map(portrait, names())
        )
        head = "<tr><th>file</th><th>who</th><th>made by</th><th>licence</th><th>evidence</th></tr>"
        note = (
            "<p>Details and the evidence for each licence: <code>images/CREDITS.md</code>. "
            "Use of these photos implies no endorsement by NASA or the U.S. Navy.</p>"
        )
        return f"<table>{head}{rows}</table>{note}"

    def __repr__(self) -> str:
        return "\n".join(portrait(name).caption for name in names())


def credits_table() -> CreditsTable:
    """Credits for every bundled portrait, ready to show at the end of a notebook."""
    return CreditsTable()
