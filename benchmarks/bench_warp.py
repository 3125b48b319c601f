"""Face warps on a 512 x 512 face region: the adaptive mesh against a dense per-pixel MLS.

Baseline: one Pillow affine resampling of the same region (the floor for any
warp that touches every pixel once). The dense per-pixel evaluation of the
same moving-least-squares map is measured in the same run, and the speed-up
of the mesh over it is printed.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.face.edits import FaceEdit, _Rig, apply_face_edits
from portrait_lessons.face.landmarks import Landmarks
from portrait_lessons.face import warp
from portrait_lessons.face.warp import mls_warp, mls_warp_dense
from timing import median_ms, report

SIZE = 512


def face_region(name: str = "koch") -> tuple[np.ndarray, Landmarks]:
    """A 512 x 512 crop round the face, with its landmarks, the face filling most of it."""
    image = examples.load_portrait(name, 1024)
    landmarks = examples.portrait_landmarks(name, 1024)
    left, top, right, bottom = landmarks.face_box
    cx, cy = round((left + right) / 2), round((top + bottom) / 2)
    x0 = min(max(0, cx - SIZE // 2), image.shape[1] - SIZE)
    y0 = min(max(0, cy - SIZE // 2), image.shape[0] - SIZE)
    crop = np.ascontiguousarray(image[y0 : y0 + SIZE, x0 : x0 + SIZE])
    shifted = Landmarks(
        {n: (x - x0, y - y0) for n, (x, y) in landmarks.points.items()},
        landmarks.iris_radius,
        tuple((x - x0, y - y0) for x, y in landmarks.face_outline),
        SIZE, SIZE,
    )  # fmt: skip
    return crop, shifted


def controls(landmarks: Landmarks, edit: FaceEdit):
    """The control points a face edit hands to the warp."""
    rig = _Rig(landmarks)
    moves = rig.moves(edit)
    sources = np.array([rig.points[name] for name in moves])
    targets = sources + np.array(list(moves.values()))
    anchors = np.array([p for name, p in rig.points.items() if name not in moves])
    return sources, targets, anchors, rig.margin


def run() -> None:
    image, landmarks = face_region()
    expression = FaceEdit(gaze_y=8, mouth_left=5, mouth_right=5, brow_left=3, brow_right=3, eyelid_narrowing=2)
    sources, targets, anchors, margin = controls(landmarks, expression)
    picture = Image.fromarray(image)

    def mesh():
        # Nothing kept from an earlier call: the warp as a first step of a slider costs it.
        warp._STEADY_SUMS.clear()
        warp._LAST_TARGETS.clear()
        return mls_warp(image, sources, targets, anchors, margin=margin, alpha=1.5, tolerance=0.3)

    def dense():
        return mls_warp_dense(image, sources, targets, anchors, margin=margin, alpha=1.5)

    baseline = (
        "Pillow affine resample of the 512 x 512 region",
        median_ms(lambda: picture.transform((SIZE, SIZE), Image.AFFINE, (1, 0.01, 0.3, 0, 1, 0.2), Image.BILINEAR)),
    )
    mesh_ms = median_ms(mesh)
    dense_ms = median_ms(dense, repeat=3, warmup=1)
    difference = np.abs(mesh().astype(int) - dense()).mean()
    rows = [
        (f"MLS warp, adaptive mesh, first step ({len(sources)} moving, {len(anchors)} still)", mesh_ms),
        ("MLS warp, dense per-pixel evaluation (reference)", dense_ms),
        ("apply_face_edits: the same expression, whole path", median_ms(lambda: apply_face_edits(image, landmarks, expression))),
        ("apply_face_edits: sideways gaze 20 degrees (eyeball slide)",
         median_ms(lambda: apply_face_edits(image, landmarks, FaceEdit(gaze_x=20)))),
        ("apply_face_edits: head tilt 8 degrees", median_ms(lambda: apply_face_edits(image, landmarks, FaceEdit(head_tilt=8)))),
    ]  # fmt: skip
    report("Face warp on a 512 x 512 face region (Christina Koch)", baseline, rows)
    print(f"  mesh is {dense_ms / mesh_ms:.0f}x faster than dense; mean difference {difference:.2f} grey levels")
