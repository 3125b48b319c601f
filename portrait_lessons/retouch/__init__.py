"""Retouching: skin texture, detail and depth, as a beauty filter or a photographer does them.

Lessons 03 (texture and imperfection) and 08 (editing for warmth and depth) are
built on this package.

- :mod:`.filters`: box mean, guided filter, resizing, sRGB and linear-light tables.
- :mod:`.texture`: frequency separation, beauty-filter smoothing and restore, the texture meter.
- :mod:`.subject`: the subject mask every tool shares (the person, not the backdrop):
  ``portrait_lessons.retouch.subject.subject_mask(image, landmarks)``.
- :mod:`.depth`: that mask adjustable by eye, lens blur and background grading.
"""

from .depth import depth_effect, subject_mask, warm_midtones
from .texture import (
    adjust_detail,
    face_closeup,
    merge_frequencies,
    skin_mask,
    skin_report,
    smooth_skin,
    smoothing_mask,
    split_frequencies,
    texture_energy,
)
