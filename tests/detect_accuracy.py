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

#: Per point and test photo: (mean, worst) error over the 8 portraits, px at 1024 px, as measured
#: with ``python tests/detect_accuracy.py --table`` (which prints this table). The accuracy test
#: asserts each figure with a margin (:func:`bound`), so that any step that makes a point worse shows.
MEASURED = {
    "upright": {
        "left_eye_outer": (1.02, 2.61), "left_eye_inner": (1.26, 2.62), "left_iris": (0.63, 1.69),
        "left_upper_lid": (0.98, 2.73), "left_lower_lid": (0.70, 1.66), "right_eye_inner": (1.84, 5.76),
        "right_eye_outer": (0.83, 1.28), "right_iris": (0.82, 1.52), "right_upper_lid": (0.91, 2.22),
        "right_lower_lid": (0.95, 1.96), "left_brow_outer": (2.58, 4.02), "left_brow_middle": (1.16, 4.00),
        "left_brow_inner": (3.29, 6.62), "right_brow_inner": (3.84, 7.22), "right_brow_middle": (1.34, 3.03),
        "right_brow_outer": (3.51, 7.08), "nose_tip": (2.49, 4.41), "mouth_left": (1.09, 1.68),
        "mouth_right": (1.23, 2.71), "upper_lip": (1.87, 3.68), "lower_lip": (1.54, 2.42), "chin": (1.94, 5.40),
        "left_iris_radius": (0.30, 0.81), "right_iris_radius": (0.28, 0.73), "outline": (2.87, 6.23),
    },
    "mirrored": {
        "left_eye_outer": (1.44, 4.89), "left_eye_inner": (2.20, 4.70), "left_iris": (0.72, 1.64),
        "left_upper_lid": (0.48, 1.21), "left_lower_lid": (0.97, 2.28), "right_eye_inner": (1.51, 4.02),
        "right_eye_outer": (1.43, 4.13), "right_iris": (0.65, 1.58), "right_upper_lid": (1.02, 2.09),
        "right_lower_lid": (0.79, 2.12), "left_brow_outer": (3.23, 7.10), "left_brow_middle": (1.87, 6.47),
        "left_brow_inner": (3.85, 8.13), "right_brow_inner": (3.69, 5.31), "right_brow_middle": (1.37, 4.58),
        "right_brow_outer": (2.06, 3.85), "nose_tip": (3.40, 6.16), "mouth_left": (1.23, 2.79),
        "mouth_right": (1.43, 2.77), "upper_lip": (1.81, 5.70), "lower_lip": (1.63, 4.04), "chin": (2.85, 4.95),
        "left_iris_radius": (0.35, 1.18), "right_iris_radius": (0.35, 1.08), "outline": (3.28, 6.51),
    },
    "300 px face": {
        "left_eye_outer": (1.05, 2.33), "left_eye_inner": (1.01, 1.86), "left_iris": (0.79, 1.62),
        "left_upper_lid": (0.95, 2.62), "left_lower_lid": (0.81, 1.90), "right_eye_inner": (1.93, 5.87),
        "right_eye_outer": (0.96, 2.40), "right_iris": (0.56, 1.12), "right_upper_lid": (0.82, 1.89),
        "right_lower_lid": (0.74, 2.29), "left_brow_outer": (2.72, 5.28), "left_brow_middle": (1.26, 4.33),
        "left_brow_inner": (3.19, 6.24), "right_brow_inner": (3.85, 7.40), "right_brow_middle": (1.27, 2.94),
        "right_brow_outer": (3.54, 6.91), "nose_tip": (2.35, 4.73), "mouth_left": (1.03, 1.49),
        "mouth_right": (1.24, 2.46), "upper_lip": (2.05, 3.76), "lower_lip": (1.47, 2.16), "chin": (1.90, 5.95),
        "left_iris_radius": (0.28, 0.84), "right_iris_radius": (0.33, 0.71), "outline": (2.89, 6.32),
    },
    "300 px photo": {
        "left_eye_outer": (2.04, 3.29), "left_eye_inner": (2.89, 4.75), "left_iris": (1.46, 2.99),
        "left_upper_lid": (1.89, 2.43), "left_lower_lid": (1.70, 2.62), "right_eye_inner": (2.73, 4.91),
        "right_eye_outer": (2.31, 4.44), "right_iris": (1.43, 2.61), "right_upper_lid": (1.65, 2.88),
        "right_lower_lid": (1.52, 2.58), "left_brow_outer": (4.06, 15.01), "left_brow_middle": (4.09, 18.45),
        "left_brow_inner": (4.38, 14.44), "right_brow_inner": (4.22, 14.03), "right_brow_middle": (2.82, 10.70),
        "right_brow_outer": (6.04, 20.11), "nose_tip": (3.46, 6.47), "mouth_left": (2.50, 4.31),
        "mouth_right": (2.85, 4.82), "upper_lip": (2.58, 7.06), "lower_lip": (2.47, 5.06), "chin": (3.48, 7.95),
        "left_iris_radius": (0.54, 0.96), "right_iris_radius": (0.58, 1.63), "outline": (3.43, 6.39),
    },
    "glasses": {
        "left_eye_outer": (1.38, 3.65), "left_eye_inner": (2.42, 6.36), "left_iris": (0.77, 1.68),
        "left_upper_lid": (1.20, 3.54), "left_lower_lid": (0.84, 1.80), "right_eye_inner": (1.49, 2.82),
        "right_eye_outer": (1.84, 4.98), "right_iris": (0.82, 1.64), "right_upper_lid": (1.20, 3.27),
        "right_lower_lid": (0.88, 2.35), "left_brow_outer": (4.16, 6.78), "left_brow_middle": (3.03, 12.35),
        "left_brow_inner": (6.15, 11.77), "right_brow_inner": (6.05, 8.27), "right_brow_middle": (2.34, 7.85),
        "right_brow_outer": (6.47, 11.16), "nose_tip": (4.35, 7.54), "mouth_left": (1.09, 1.92),
        "mouth_right": (1.59, 2.95), "upper_lip": (1.66, 4.04), "lower_lip": (2.05, 4.11), "chin": (2.08, 3.34),
        "left_iris_radius": (0.30, 1.20), "right_iris_radius": (0.53, 1.32), "outline": (2.94, 7.12),
    },
}  # fmt: skip
# A turned photo is found turned back upright: the same points to the hundredth.
MEASURED["turned 90"] = MEASURED["upright"]


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


def bound(figure: float, share: float = 0.15, least: float = 0.3) -> float:
    """A measured figure plus the margin the tests allow: ``share`` of it, at least ``least`` px.

    >>> bound(2.0), bound(10.0, least=1.0)
    (2.3, 11.5)
    """
    return round(figure + max(share * figure, least), 2)


def measured_table(kinds=VARIANTS) -> str:
    """:data:`MEASURED` as Python source, measured afresh on the bundled portraits."""
    lines = ["MEASURED = {"]
    for kind in kinds:
        items = [f'"{n}": ({mean:.2f}, {worst:.2f})' for n, (mean, worst) in summary(errors(kind)).items()]
        lines.append(f'    "{kind}": {{')
        row = " " * 8
        for item in items:
            if len(row) + len(item) + 2 > 118:
                lines.append(row.rstrip())
                row = " " * 8
            row += item + ", "
        lines += [row.rstrip(), "    },"]
    return "\n".join(lines + ["}  # fmt: skip"])


def per_photo(table: dict[str, dict[str, float]], points) -> str:
    """The errors of ``points`` on each portrait, with their mean, as a text table (``*``: a guess).

    Shows which portraits carry a mean: ``python tests/detect_accuracy.py --photos upright _brow_``
    prints it for every point whose name holds ``_brow_``.

    >>> table = {"a": {"chin": 1.0, "_guesses": ()}, "b": {"chin": 3.0, "_guesses": ("chin",)}}
    >>> print(per_photo(table, ["chin"]))
                chin
    a           1.00
    b           3.00*
    mean        2.00
    """
    width = max(len(n) for n in points) + 2

    def cells(values, guesses=()):
        return "".join(f"{v:{width}.2f}" + ("*" if n in guesses else " ") for n, v in zip(points, values))

    lines = [" " * 10 + "".join(f"{n:>{width}s} " for n in points)]
    lines += [f"{name:10s}" + cells([row[n] for n in points], row["_guesses"]) for name, row in table.items()]
    lines.append(f"{'mean':10s}" + cells([np.mean([row[n] for row in table.values()]) for n in points]))
    return "\n".join(line.rstrip() for line in lines)


def guessed(table: dict[str, dict[str, float]]) -> dict[str, list[str]]:
    """{portrait: points marked as guesses}, for the portraits with any."""
    return {name: list(row["_guesses"]) for name, row in table.items() if row["_guesses"]}


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--table"]:
        print(measured_table())
        sys.exit()
    if sys.argv[1:2] == ["--photos"]:  # --photos KIND [PART]: per portrait, the points whose names hold PART
        kind, part = sys.argv[2], (sys.argv[3:] or [""])[0]
        print(per_photo(errors(kind), [n for n in POINT_NAMES if part in n]))
        sys.exit()
    for kind in sys.argv[1:] or VARIANTS:
        table = errors(kind)
        stats, sure = summary(table), worst_confident(table)
        print(f"\n{kind}: mean over all points {np.mean([m for n, (m, _) in stats.items() if n in POINT_NAMES]):.2f} px")
        print(f"  guesses: {guessed(table) or 'none'}")
        for n, (mean, worst) in stats.items():
            where = max(table, key=lambda name: table[name][n])
            extra = f"  worst where sure {sure[n]:5.2f}" if n in sure else ""
            print(f"  {n:20s} mean {mean:5.2f}  worst {worst:5.2f} ({where}){extra}")
