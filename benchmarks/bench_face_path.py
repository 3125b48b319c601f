"""Every face edit's whole path at 1024 px, step by step, held still and dragged.

``apply_face_edits`` on the whole 1024 px photo, for each slider of the face
panel (tilt, mouth corner, brow, eyelid narrowing, gaze sideways and up) and
for all of them at once, on Glover (the benchmark's photo) and Hopper (glasses).
Two medians per edit: the same value again (what a redraw costs) and a drag
(the value moves a little at every step, as under the mouse). Where the time
goes is shown for the drag: each step's share, timed by wrapping the functions
of the path. Baseline: one Pillow affine resampling of the same photo (the least
any warp touching every pixel once costs).

Target (issue 20): each whole path at most 15 ms.
"""

from __future__ import annotations

import itertools
import time
from collections import defaultdict

import numpy as np
from PIL import Image
from timing import median_ms, report

from portrait_lessons import examples
from portrait_lessons.face import edits, warp
from portrait_lessons.face.edits import FaceEdit, apply_face_edits

#: Each edit at a mid value, and the slider values a drag steps through.
EDITS = {
    "head tilt 8 degrees": ("head_tilt", np.linspace(6, 10, 9)),
    "mouth corner up 3": ("mouth_left", np.linspace(2, 4, 9)),
    "brow up 3": ("brow_left", np.linspace(2, 4, 9)),
    "eyelid narrowing 2": ("eyelid_narrowing", np.linspace(1.5, 2.5, 9)),
    "gaze 10 degrees right": ("gaze_x", np.linspace(8, 12, 9)),
    "gaze 8 degrees up": ("gaze_y", np.linspace(6, 10, 9)),
}
EXPRESSION = dict(gaze_y=8, mouth_left=5, mouth_right=5, brow_left=3, brow_right=3, eyelid_narrowing=2)

#: The steps of the path, as (module, function name, label).
STEPS = [
    (edits, "_slide_eyeballs", "gaze: eyeball slide"),
    (edits, "_opening_in_box", "lids: opening mask"),
    (edits, "_keep_teeth", "mouth: teeth laid back"),
    (edits._Rig, "turn_head", "tilt: dense turn"),
    (warp, "_adaptive_mesh", "warp: mesh and MLS map"),
    (warp, "_source_map", "warp: dense source map"),
]


def _edits():
    """(label, edit at the mid value, values of a drag as edits)."""
    for label, (field, values) in EDITS.items():
        middle = FaceEdit(**{field: float(values[len(values) // 2])})
        yield label, middle, [FaceEdit(**{field: float(v)}) for v in values]
    drag = [FaceEdit(**{**EXPRESSION, "mouth_left": float(v)}) for v in np.linspace(4, 6, 9)]
    yield "expression (gaze, mouth, brows, eyelids)", FaceEdit(**EXPRESSION), drag


def breakdown(image, points, drag) -> dict[str, float]:
    """Mean ms per call of each step of the path over a drag, and the rest."""
    spent = defaultdict(float)
    originals = []
    for owner, name, label in STEPS:
        function = getattr(owner, name)
        originals.append((owner, name, function))

        def timed(*args, _function=function, _label=label, **kwargs):
            start = time.perf_counter()
            try:
                return _function(*args, **kwargs)
            finally:
                spent[_label] += time.perf_counter() - start

        setattr(owner, name, timed)
    try:
        steps = itertools.cycle(drag)
        for _ in range(3):
            apply_face_edits(image, points, next(steps))
        spent.clear()
        start, count = time.perf_counter(), 30
        for _ in range(count):
            apply_face_edits(image, points, next(steps))
        total = time.perf_counter() - start
    finally:
        for owner, name, function in originals:
            setattr(owner, name, function)
    # The mesh's own time includes the MLS map; the remap is what mesh_warp adds round both.
    shares = {label: 1e3 * value / count for label, value in spent.items()}
    shares["everything else (remap, copies, blends, rig)"] = 1e3 * total / count - sum(shares.values())
    return shares


def run() -> None:
    for name in ("glover", "hopper"):
        image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
        picture = Image.fromarray(image)
        baseline = ("Pillow affine resample of the whole photo, 1024 px",
                    median_ms(lambda: picture.transform(picture.size, Image.AFFINE, (1, 0.01, 0.3, 0, 1, 0.2), Image.BILINEAR)))  # fmt: skip
        rows, details = [], []
        for label, middle, drag in _edits():
            steps = itertools.cycle(drag)
            rows.append((f"{label}, same value", median_ms(lambda e=middle: apply_face_edits(image, points, e), 15)))
            rows.append((f"{label}, dragged", median_ms(lambda s=steps: apply_face_edits(image, points, next(s)), 15)))
            details.append((label, breakdown(image, points, drag)))
        report(f"Face edits' whole path, 1024 px, {name.title()} (target <= 15 ms each)", baseline, rows)
        print("  where a drag's time goes (mean ms per step):")
        for label, shares in details:
            parts = ", ".join(f"{step} {ms:.1f}" for step, ms in shares.items() if ms >= 0.05)
            print(f"    {label}: {parts}")


if __name__ == "__main__":
    run()
