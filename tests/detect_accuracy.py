"""Errors of the automatic points against the hand-placed ones on the bundled portraits.

Shared by ``tests/test_face_detect.py`` and the numbers in the notes: each
variant turns a bundled portrait (and its hand-placed points) into a test
photo, runs the detector, and maps the points back to compare them.
"""

from __future__ import annotations

import math

import numpy as np

from portrait_lessons import examples
from portrait_lessons.face.detect import detect_faces
from portrait_lessons.images import preview
from portrait_lessons.face.landmarks import POINT_NAMES, Landmarks

EDGE = 1024
VARIANTS = ("upright", "turned 90", "mirrored", "300 px face", "300 px photo", "glasses")
FACE_WIDTH = 300


def variant(name: str, kind: str) -> tuple[np.ndarray, Landmarks]:
    """A bundled portrait at 1024 px made into the test photo ``kind``, with its true points."""
    image, truth = examples.load_portrait(name, EDGE), examples.portrait_landmarks(name, EDGE)
    if kind == "turned 90":
        return np.ascontiguousarray(np.rot90(image, -1)), truth  # truth stays upright: the detector turns it back
    if kind == "mirrored":
        return np.ascontiguousarray(image[:, ::-1]), mirrored(truth)
    if kind == "300 px face":  # from the full-size photo: faces there are 92 to 356 px wide
        return face_width(name, FACE_WIDTH)
    if kind == "300 px photo":  # faces 36 to 83 px wide
        small = preview(image, 300)
        return small, truth.resized(small.shape[1], small.shape[0])
    if kind == "glasses":
        return with_glasses(image, truth), truth
    return image, truth


def face_width(name: str, width: float) -> tuple[np.ndarray, Landmarks]:
    """The full-size portrait scaled so that its face (the outline, side to side) is ``width`` px wide.

    Smaller for Glover, Koch and Hopper, whose faces are wider than 300 px at
    full size; larger (and so softer) for the other five.
    """
    from PIL import Image

    full, truth = examples.load_portrait(name), examples.portrait_landmarks(name)
    xs = [x for x, _ in truth.face_outline]
    factor = width / (max(xs) - min(xs))
    size = (round(full.shape[1] * factor), round(full.shape[0] * factor))
    image = np.asarray(Image.fromarray(full).resize(size, Image.Resampling.LANCZOS))
    return image, truth.resized(*size)


def mirrored(truth: Landmarks) -> Landmarks:
    """The hand-placed points of the mirrored photo: x flipped, left and right swapped."""
    def swap(n: str) -> str:
        return n.replace("left", "@").replace("right", "left").replace("@", "right")

    flip = {swap(n): (truth.width - x, y) for n, (x, y) in truth.points.items()}
    return Landmarks(
        flip, {"left": truth.iris_radius["right"], "right": truth.iris_radius["left"]},
        tuple((truth.width - x, y) for x, y in truth.face_outline[::-1]), truth.width, truth.height,
    )  # fmt: skip


def with_glasses(image: np.ndarray, truth: Landmarks) -> np.ndarray:
    """Draw dark frames of glasses (rims round each eye and a bridge) onto a copy."""
    from PIL import Image, ImageDraw

    canvas = Image.fromarray(image)
    draw = ImageDraw.Draw(canvas)
    p, iod = truth.points, truth.interocular_distance
    width = max(2, round(iod / 22))
    for side in ("left", "right"):
        x, y = p[f"{side}_iris"]
        draw.rounded_rectangle((x - 0.45 * iod, y - 0.3 * iod, x + 0.45 * iod, y + 0.3 * iod),
                               radius=0.12 * iod, outline=(25, 20, 20), width=width)  # fmt: skip
    (lx, ly), (rx, ry) = p["left_iris"], p["right_iris"]
    draw.line((lx + 0.45 * iod, ly - 0.1 * iod, rx - 0.45 * iod, ry - 0.1 * iod), fill=(25, 20, 20), width=width)
    return np.asarray(canvas)


def errors(kind: str = "upright") -> dict[str, dict[str, float]]:
    """Distance from each found point to the hand-placed one, per portrait: {portrait: {point: px}}.

    Distances are in pixels of the portrait at 1024 px, whatever size the test photo had.

    Iris radii are in as ``left_iris_radius`` and ``right_iris_radius``, and
    ``outline`` is the mean distance of the found outline's points from the
    hand-drawn outline; ``_guesses`` lists the points the detector marked as
    guesses (the picker asks the learner to check those). On
    the turned variant the detector returns the photo upright, so the found
    points are compared with the upright truth.
    """
    table = {}
    for name in examples.names():
        photo, truth = variant(name, kind)
        found = detect_faces(photo)
        if not found.faces:
            table[name] = {n: math.inf for n in POINT_NAMES} | {"_guesses": tuple(POINT_NAMES)}
            continue
        marks = found.faces[0].landmarks
        # In pixels of the 1024 px photo, so a small copy's errors compare with the others.
        up = examples.load_portrait(name, EDGE).shape[1] / photo.shape[1] if found.turns % 2 == 0 else 1.0
        row = {n: up * math.dist(marks.points[n], truth.points[n]) for n in POINT_NAMES}
        for side in ("left", "right"):
            row[f"{side}_iris_radius"] = up * abs(marks.iris_radius[side] - truth.iris_radius[side])
        row["outline"] = up * float(np.mean([distance_to_polyline(p, truth.face_outline) for p in marks.face_outline]))
        row["_guesses"] = tuple(found.faces[0].guesses)
        table[name] = row
    return table


def distance_to_polyline(point, polyline) -> float:
    """Shortest distance from ``point`` to the polyline through ``polyline``'s points."""
    p, line = np.asarray(point, float), np.asarray(polyline, float)
    a, b = line[:-1], line[1:]
    t = np.clip(np.einsum("ij,ij->i", p - a, b - a) / np.maximum(np.einsum("ij,ij->i", b - a, b - a), 1e-12), 0, 1)
    return float(np.min(np.hypot(*(a + t[:, None] * (b - a) - p).T)))


def summary(table: dict[str, dict[str, float]]) -> dict[str, tuple[float, float]]:
    """{point: (mean, worst)} over the portraits."""
    names = [n for n in next(iter(table.values())) if not n.startswith("_")]
    return {n: (float(np.mean([row[n] for row in table.values()])), float(max(row[n] for row in table.values())))
            for n in names}  # fmt: skip


def worst_confident(table: dict[str, dict[str, float]]) -> dict[str, float]:
    """{point: worst error} over the portraits where the detector was sure of it (0 if it never was)."""
    return {n: max([row[n] for row in table.values() if n not in row["_guesses"]], default=0.0) for n in POINT_NAMES}


def guessed(table: dict[str, dict[str, float]]) -> dict[str, list[str]]:
    """{portrait: points marked as guesses}, for the portraits with any."""
    return {name: list(row["_guesses"]) for name, row in table.items() if row["_guesses"]}


if __name__ == "__main__":
    import sys

    for kind in sys.argv[1:] or VARIANTS:
        table = errors(kind)
        stats, sure = summary(table), worst_confident(table)
        print(f"\n{kind}: mean over all points {np.mean([m for n, (m, _) in stats.items() if n in POINT_NAMES]):.2f} px")
        print(f"  guesses: {guessed(table) or 'none'}")
        for n, (mean, worst) in stats.items():
            where = max(table, key=lambda name: table[name][n])
            extra = f"  worst where sure {sure[n]:5.2f}" if n in sure else ""
            print(f"  {n:20s} mean {mean:5.2f}  worst {worst:5.2f} ({where}){extra}")
