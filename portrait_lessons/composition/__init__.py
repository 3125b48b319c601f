"""Composition: posture, camera distance, framing and background (lesson 04).

What it teaches: how the body, the camera's place and the frame round a face
change what viewers read in a portrait, before anything about the face itself
changes.

- :mod:`.figure`: a posable, shaded 3-D mannequin (postures are never judged
  on real people in this workbook).
- :mod:`.distance`: re-photographs a face from 30 cm to 3 m at the same face
  size (a close crop is not a close camera).
- :mod:`.framing`: the crop model and its measures: face-ism, headroom, eye
  line, room ahead of the gaze. Lesson 09's audit uses these measures too.
- :mod:`.background`: the same portrait on other grounds, with light wrap.

Used by ``notebooks/04_posture_framing_background.ipynb`` and lesson 09.
"""

from .background import FAMILIES, GROUNDS, BackgroundError, ground_sheet, person_mask, place_on_ground, refine_edge
from .distance import DistanceError, change_distance, nose_base_widening, perspective_scale, reproject_landmarks
from .figure import PRESETS, Pose, preset, render_figure
from .framing import (
    FramingError,
    crop,
    draw_overlays,
    eye_line_height,
    face_ism,
    frame_box,
    gaze_direction,
    head_top,
    headroom,
    lead_room,
    measures,
    scale_box,
)

__all__ = [
    "FAMILIES", "GROUNDS", "BackgroundError", "ground_sheet", "person_mask", "place_on_ground", "refine_edge",
    "DistanceError", "change_distance", "nose_base_widening", "perspective_scale", "reproject_landmarks",
    "PRESETS", "Pose", "preset", "render_figure",
    "FramingError", "crop", "draw_overlays", "eye_line_height", "face_ism", "frame_box",
    "gaze_direction", "head_top", "headroom", "lead_room", "measures", "scale_box",
]  # fmt: skip
