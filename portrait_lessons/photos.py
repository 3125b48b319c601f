"""The photos a tool can offer: the bundled portraits, then the learner's own saved ones.

Lessons 01 and 02 let a learner place landmarks on their own photo and save
it, with a landmark sidecar, into ``my_photos/``
(:func:`~portrait_lessons.face.fit.save_with_landmarks`). Tools that need
a face's landmarks (the texture tool, the editing panel) list those saved
photos beside the bundled portraits. A photo is named by a *key*: a bundled
portrait's short name (``"koch"``) or the path of a saved photo.
"""

from __future__ import annotations

from functools import lru_cache
from os import PathLike
from pathlib import Path

import numpy as np

from . import examples
from .images import preview
from .face.fit import load_with_landmarks, saved_photos
from .face.landmarks import Landmarks

__all__ = ["MY_PHOTOS", "is_bundled", "load_photo", "photo_choices", "photo_stem"]

#: Where lessons 01 and 02 save the learner's photos with their landmarks.
MY_PHOTOS = "my_photos"


def photo_choices(folder: str | PathLike = MY_PHOTOS) -> list[tuple[str, str]]:
    """(label, key) for every photo a tool can offer: bundled portraits first, then saved ones.

    Examples
    --------
    >>> photo_choices("no-such-folder")[0]
    ('Eileen Collins', 'collins')
    """
    bundled = [
        (examples.portrait(name).person.split(",")[0], name)
        for name in examples.names()
    ]
    own = [(f"My photo: {path.name}", str(path)) for path in saved_photos(folder)]
    return bundled + own


def is_bundled(key: str) -> bool:
    """Whether ``key`` names a bundled portrait (rather than a saved photo's path).

    Examples
    --------
    >>> is_bundled("koch"), is_bundled("my_photos/me.jpg")
    (True, False)
    """
    return key in examples.names()


def photo_stem(key: str) -> str:
    """A short name for files made from the photo: ``"koch"``, or a saved photo's file name without extension.

    Examples
    --------
    >>> photo_stem("koch"), photo_stem("my_photos/me.jpg")
    ('koch', 'me')
    """
    return key if is_bundled(key) else Path(key).stem


def load_photo(key: str, max_edge: int | None = None) -> tuple[np.ndarray, Landmarks]:
    """(image, landmarks) of a bundled portrait or a saved photo, optionally downscaled to ``max_edge``.

    The image is read-only and cached; the landmarks match its size.

    Raises
    ------
    ImageLoadError, LandmarkError
        If a saved photo or its landmark file can't be read.

    Examples
    --------
    >>> image, points = load_photo("glover", 256)
    >>> max(image.shape[:2]), (points.width, points.height) == (image.shape[1], image.shape[0])
    (256, True)
    """
    if is_bundled(key):
        return examples.load_portrait(key, max_edge), examples.portrait_landmarks(
            key, max_edge
        )
    path = Path(key)
    stamp = (
        path.stat().st_mtime_ns if path.exists() else 0
    )  # a re-saved photo is read afresh
    return _load_saved(str(path), stamp, max_edge)


@lru_cache(maxsize=8)
def _load_saved(
    path: str, stamp: int, max_edge: int | None
) -> tuple[np.ndarray, Landmarks]:
    image, landmarks = load_with_landmarks(path)
    if max_edge is not None:
        image = preview(image, max_edge)
        landmarks = landmarks.resized(image.shape[1], image.shape[0])
    image.setflags(write=False)
    return image, landmarks
