"""The pictures a study shows: versions of one bundled portrait, made by the package's own edits.

Each version is rendered from the study's portrait by the same functions the
lessons teach (or, for a posture, is lesson 04's drawn figure in that posture): skin smoothing first (its mask follows the original
landmarks), then the face edits in one warp, then the white-balance warmth.
The attention check's picture is the unedited portrait in black and white.
Renders are cached, so an attendee's next pair appears at once.

Examples
--------
>>> from portrait_lessons.workshop.design import load_study
>>> study = load_study("four_cues")
>>> direct, averted = (render_version(study.portrait, study.pair("gaze").version(v), 256) for v in "ab")
>>> direct.shape == averted.shape and bool((direct != averted).any())
True
>>> grey = attention_picture(study.portrait, 256)
>>> bool((grey[..., 0].astype(int) - grey[..., 2]).__abs__().max() <= 2)
True
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .. import examples
from ..colour.adjust import saturation
from ..colour.white_balance import warmth
from ..composition.figure import preset, render_figure
from ..face.edits import FaceEdit, apply_face_edits
from ..retouch.texture import smooth_skin
from .design import Version

#: Long edge of the pictures attendees compare: two fit side by side on a 1366 x 768 laptop.
STIMULUS_EDGE = 480


def render_version(portrait: str, version: Version, max_edge: int = STIMULUS_EDGE) -> np.ndarray:
    """The bundled ``portrait`` with ``version``'s edits, at most ``max_edge`` px along its long edge.

    The result is cached and read-only; copy it before writing to it.
    """
    return _render(portrait, _key(version), max_edge)


def attention_picture(portrait: str, max_edge: int = STIMULUS_EDGE) -> np.ndarray:
    """The unedited portrait in black and white: the attention check's answer."""
    return _attention(portrait, max_edge)


def neutral_picture(portrait: str, max_edge: int = STIMULUS_EDGE) -> np.ndarray:
    """The unedited portrait at the study's size: the attention check's other picture."""
    return examples.load_portrait(portrait, max_edge)


def _key(version: Version) -> tuple:
    return (tuple(sorted(version.face.items())), version.warmth, version.smoothing, version.restore, version.posture)


@lru_cache(maxsize=64)
def _render(portrait: str, key: tuple, max_edge: int) -> np.ndarray:
    face, mireds, smoothing, restore, posture = key
    if posture:  # lesson 04's figure, at the portrait's size, so both sides of a pair match
        height, width = examples.load_portrait(portrait, max_edge).shape[:2]
        image = render_figure(preset(posture), (width, height))
        image.setflags(write=False)
        return image
    image = examples.load_portrait(portrait, max_edge)
    landmarks = examples.portrait_landmarks(portrait, max_edge)
    if smoothing:
        image = smooth_skin(image, landmarks, smoothing, restore)
    if face:
        image = apply_face_edits(image, landmarks, FaceEdit(**dict(face)))
    if mireds:
        image = warmth(image, mireds)
    image = np.array(image, copy=True)
    image.setflags(write=False)
    return image


@lru_cache(maxsize=8)
def _attention(portrait: str, max_edge: int) -> np.ndarray:
    image = saturation(examples.load_portrait(portrait, max_edge), -100)
    image.setflags(write=False)
    return image
