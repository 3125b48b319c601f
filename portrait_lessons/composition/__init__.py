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
    "FramingError", "crop", "draw_overlays", "eye_line_height", "face_ism", "frame_box",
    "gaze_direction", "head_top", "headroom", "lead_room", "measures", "scale_box",
]  # fmt: skip
