"""Facial landmarks: the named points that face edits move.

A :class:`Landmarks` holds the points of one face in the pixel coordinates of
one image. "Left" and "right" mean as seen in the picture (the viewer's left),
so ``left_eye_outer`` is the eye corner nearest the image's left edge. The
file format is described in ``images/LANDMARKS.md``.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from os import PathLike
from pathlib import Path
from typing import Mapping

import numpy as np
from PIL import Image, ImageDraw

SCHEMA_VERSION = 1

#: Every named point a landmark set must have, in a stable order.
POINT_NAMES: tuple[str, ...] = (
    "left_eye_outer", "left_eye_inner", "left_iris", "left_upper_lid", "left_lower_lid",
    "right_eye_inner", "right_eye_outer", "right_iris", "right_upper_lid", "right_lower_lid",
    "left_brow_outer", "left_brow_middle", "left_brow_inner",
    "right_brow_inner", "right_brow_middle", "right_brow_outer",
    "nose_tip", "mouth_left", "mouth_right", "upper_lip", "lower_lip", "chin",
)  # fmt: skip

MIN_OUTLINE_POINTS = 9
MAX_OUTLINE_POINTS = 17

Point = tuple[float, float]


class LandmarkError(ValueError):
    """A landmark set is missing points, malformed, or impossible for a face."""


@dataclass(frozen=True)
class Landmarks:
    """The facial points of one face in one image.

    Parameters
    ----------
    points : mapping of str to (x, y)
        One entry for each name in :data:`POINT_NAMES`, in pixels.
    iris_radius : mapping with keys "left" and "right"
        Iris radius of each eye in pixels.
    face_outline : sequence of (x, y)
        The face's visible edge from the left side at eye height, round the
        chin, to the right side.
    width, height : int
        Size of the image the points belong to.

    Examples
    --------
    >>> lm = Landmarks.from_dict(example_dict())
    >>> lm.interocular_distance
    40.0
    >>> lm.scaled(0.5).points["left_iris"]
    (10.0, 12.5)
    """

    points: Mapping[str, Point]
    iris_radius: Mapping[str, float]
    face_outline: tuple[Point, ...]
    width: int
    height: int
    notes: str = field(default="", compare=False)

    @classmethod
    def from_dict(cls, data: Mapping) -> "Landmarks":
        """Build and validate landmarks from the parsed JSON of a sidecar file."""
        if not isinstance(data, Mapping):
            raise LandmarkError("A landmark file must hold a JSON object ({...}).")
        if data.get("schema") != SCHEMA_VERSION:
            raise LandmarkError(
                f"This landmark file has schema {data.get('schema')!r}; "
                f"this workbook reads schema {SCHEMA_VERSION}."
            )
        try:
            width, height = int(data["width"]), int(data["height"])
            raw_points = data["points"]
            missing = [name for name in POINT_NAMES if name not in raw_points]
            if missing:
                raise LandmarkError("Landmark points are missing: " + ", ".join(missing) + ".")
            points = {name: _as_point(raw_points[name], name) for name in POINT_NAMES}
            radius = {side: float(data["iris_radius"][side]) for side in ("left", "right")}
            outline = tuple(_as_point(p, "face_outline") for p in data["face_outline"])
        except LandmarkError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise LandmarkError(f"The landmark file lacks or garbles an entry ({error}).") from None
        landmarks = cls(points, radius, outline, width, height, str(data.get("notes", "")))
        problems = landmarks.problems()
        if problems:
            raise LandmarkError("These landmarks don't describe a face: " + " ".join(problems))
        return landmarks

    def to_dict(self) -> dict:
        """The JSON-ready form, the inverse of :meth:`from_dict`."""
        return {
            "schema": SCHEMA_VERSION,
            "width": self.width,
            "height": self.height,
            "points": {name: [round(v, 1) for v in self.points[name]] for name in POINT_NAMES},
            "iris_radius": {side: round(r, 1) for side, r in self.iris_radius.items()},
            "face_outline": [[round(v, 1) for v in p] for p in self.face_outline],
            "notes": self.notes,
        }

    def problems(self) -> list[str]:
        """Plain-words reasons why these points cannot be a face; empty if fine.

        Checks that every point lies inside the image, that the left eye is
        left of the right eye, that lids, brows, nose, mouth and chin come in
        the order a face has from top to bottom, and that radii are positive.
        """
        p = self.points
        found = []
        outside = [
            name
            for name, (x, y) in [*p.items(), *(("face_outline", q) for q in self.face_outline)]
            if not (0 <= x <= self.width and 0 <= y <= self.height)
        ]
        if outside:
            found.append("Points outside the photo: " + ", ".join(sorted(set(outside))) + ".")
        if not p["left_eye_outer"][0] < p["left_eye_inner"][0] < p["right_eye_inner"][0] < p["right_eye_outer"][0]:
            found.append("The eye corners should run left to right: left eye outer, inner, right eye inner, outer.")
        for side in ("left", "right"):
            if not p[f"{side}_upper_lid"][1] < p[f"{side}_lower_lid"][1]:
                found.append(f"The {side} upper lid should be above the lower lid.")
            if not self.iris_radius[side] > 0:
                found.append(f"The {side} iris radius should be positive.")
        if not p["mouth_left"][0] < p["mouth_right"][0]:
            found.append("The left mouth corner should be left of the right one.")
        eye_y = (p["left_iris"][1] + p["right_iris"][1]) / 2
        mouth_y = (p["mouth_left"][1] + p["mouth_right"][1]) / 2
        if not eye_y < p["nose_tip"][1] < mouth_y:
            found.append("The nose tip should be below the eyes and above the mouth.")
        if not p["upper_lip"][1] < p["lower_lip"][1] < p["chin"][1]:
            found.append("Upper lip, lower lip and chin should come in that order downwards.")
        if not MIN_OUTLINE_POINTS <= len(self.face_outline) <= MAX_OUTLINE_POINTS:
            found.append(
                f"The face outline needs {MIN_OUTLINE_POINTS} to {MAX_OUTLINE_POINTS} points, "
                f"not {len(self.face_outline)}."
            )
        return found

    @property
    def interocular_distance(self) -> float:
        """Distance between the iris centres in pixels: the face's scale."""
        (x1, y1), (x2, y2) = self.points["left_iris"], self.points["right_iris"]
        return math.hypot(x2 - x1, y2 - y1)

    @property
    def face_box(self) -> tuple[float, float, float, float]:
        """Bounding box (left, top, right, bottom) of the outline and the brows."""
        xy = np.array([*self.face_outline, *self.points.values()])
        return (*xy.min(axis=0), *xy.max(axis=0))

    def scaled(self, factor: float) -> "Landmarks":
        """The same landmarks for the image resized by ``factor``.

        Coordinates measure from the image's corner (pixel centres sit at
        half-integers), so plain multiplication is exact for any resize.
        """
        points = {name: (x * factor, y * factor) for name, (x, y) in self.points.items()}
        radius = {side: r * factor for side, r in self.iris_radius.items()}
        outline = tuple((x * factor, y * factor) for x, y in self.face_outline)
        return Landmarks(
            points, radius, outline,
            max(1, round(self.width * factor)), max(1, round(self.height * factor)), self.notes,
        )  # fmt: skip

    def resized(self, width: int, height: int) -> "Landmarks":
        """The same landmarks for the image resized to exactly ``width`` x ``height``.

        Unlike :meth:`scaled`, the size is taken as given rather than rounded
        from a factor, so the points always match a resized image's shape.

        Examples
        --------
        >>> marks = Landmarks.from_dict(example_dict()).resized(320, 241)
        >>> (marks.width, marks.height)
        (320, 241)
        """
        fx, fy = width / self.width, height / self.height
        points = {name: (x * fx, y * fy) for name, (x, y) in self.points.items()}
        radius = {side: r * (fx + fy) / 2 for side, r in self.iris_radius.items()}
        outline = tuple((x * fx, y * fy) for x, y in self.face_outline)
        return Landmarks(points, radius, outline, width, height, self.notes)


def load_landmarks(path: str | PathLike) -> Landmarks:
    """Read and validate a landmark sidecar file.

    Raises
    ------
    LandmarkError
        If the file is not valid JSON or does not describe a face.
    """
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise LandmarkError(f"Couldn't read the landmark file {path.name}: {error}") from None
    return Landmarks.from_dict(data)


def draw_landmarks(image: np.ndarray, landmarks: Landmarks, *, labels: bool = False) -> np.ndarray:
    """Draw the landmarks over a copy of ``image`` to check them by eye.

    Points are small crosses, irises their circles, the face outline a line;
    left-side points are drawn in cyan and right-side ones in magenta so a
    swapped side shows at once.

    Examples
    --------
    >>> lm = Landmarks.from_dict(example_dict())
    >>> marked = draw_landmarks(np.zeros((100, 80, 3), np.uint8), lm)
    >>> marked.shape, bool(marked.any())
    ((100, 80, 3), True)
    """
    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    size = max(2.0, landmarks.interocular_distance / 25)
    draw.line(landmarks.face_outline, fill=(255, 220, 0), width=max(1, round(size / 2)))
    for name, (x, y) in landmarks.points.items():
        colour = (0, 230, 255) if name.startswith(("left", "mouth_left")) else (255, 0, 200)
        if not name.startswith(("left", "right", "mouth_left", "mouth_right")):
            colour = (255, 255, 255)
        if name.endswith("_iris"):
            r = landmarks.iris_radius[name.split("_")[0]]
            draw.ellipse((x - r, y - r, x + r, y + r), outline=colour)
        draw.line((x - size, y, x + size, y), fill=colour)
        draw.line((x, y - size, x, y + size), fill=colour)
        if labels:
            draw.text((x + size, y + size), name, fill=colour)
    return np.asarray(canvas)


def _as_point(value, name: str) -> Point:
    x, y = value  # raises TypeError/ValueError on a malformed entry
    x, y = float(x), float(y)
    if not (math.isfinite(x) and math.isfinite(y)):
        raise LandmarkError(f"The point {name} is not a finite number pair.")
    return (x, y)


def example_dict() -> dict:
    """A small synthetic landmark set (for doctests and tests), 80 x 100 px."""
    points = {
        "left_eye_outer": (12, 25), "left_eye_inner": (28, 25), "left_iris": (20, 25),
        "left_upper_lid": (20, 22), "left_lower_lid": (20, 28),
        "right_eye_inner": (52, 25), "right_eye_outer": (68, 25), "right_iris": (60, 25),
        "right_upper_lid": (60, 22), "right_lower_lid": (60, 28),
        "left_brow_outer": (10, 16), "left_brow_middle": (20, 14), "left_brow_inner": (30, 16),
        "right_brow_inner": (50, 16), "right_brow_middle": (60, 14), "right_brow_outer": (70, 16),
        "nose_tip": (40, 45), "mouth_left": (28, 62), "mouth_right": (52, 62),
        "upper_lip": (40, 58), "lower_lip": (40, 67), "chin": (40, 85),
    }  # fmt: skip
    angles = np.linspace(math.pi, 0, 11)
    outline = [(round(40 + 32 * math.cos(a), 1), round(25 + 60 * math.sin(a), 1)) for a in angles]
    return {
        "schema": SCHEMA_VERSION,
        "width": 80,
        "height": 100,
        "points": {k: list(v) for k, v in points.items()},
        "iris_radius": {"left": 4, "right": 4},
        "face_outline": [list(p) for p in outline],
    }
