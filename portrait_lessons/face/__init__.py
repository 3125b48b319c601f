"""The face: facial points, the warp that moves them, the edits, and symmetry.

Lessons 01 (eyes and gaze) and 02 (expression and asymmetry) are built on this
package; lessons 03, 08 and 09 use its landmarks to find skin and features.

- :mod:`.landmarks`: the 22 named points of a face, their sidecar files and drawing.
- :mod:`.fit`: a first guess of the points on the learner's own photo, checks, saving.
- :mod:`.detect`: the points found automatically (the optional ``faces`` extra).
- :mod:`.warp`: moving-least-squares deformation on an adaptive mesh.
- :mod:`.edits`: gaze, mouth corners, brows, eyelids and head tilt as pure functions.
- :mod:`.symmetry`: mirror composites and asymmetry measures.
"""

from .edits import (
    FaceEdit,
    FaceEditError,
    apply_face_edits,
    edit_limits,
    limit_notes,
    gaze_horizontal,
    gaze_vertical,
    iris_shift,
    lift_mouth_corner_left,
    lift_mouth_corner_right,
    narrow_eyelids,
    raise_brow_left,
    raise_brow_right,
    tilt_head,
)
from .landmarks import POINT_NAMES, LandmarkError, Landmarks, draw_landmarks, load_landmarks
from .symmetry import landmark_asymmetry, mirror_composites, pixel_asymmetry, upright_face
from .warp import mls_warp
