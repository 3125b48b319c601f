"""The photos a tool can offer: the bundled portraits, then the learner's own saved ones.

Lessons 01 and 02 let a learner place landmarks on their own photo and save
it, with a landmark sidecar, into ``my_photos/``
(:func:`~portrait_lessons.face.fit.save_with_landmarks`). Tools that need
a face's landmarks (the texture tool, the editing panel) list those saved
photos beside the bundled portraits. A photo is named by a *key*: a bundled
portrait's short name (``"koch"``) or the path of a saved photo.
:func:`save_upload` makes a saved photo straight from an upload when its face
is found with every point confident, so uploading is enough there too.
"""

from __future__ import annotations

from functools import lru_cache
from os import PathLike
from pathlib import Path

import numpy as np

from . import examples
from .face import detect
from .face.fit import load_with_landmarks, save_with_landmarks, saved_photos
from .face.landmarks import LandmarkError, Landmarks
from .images import ImageLoadError, load_image, preview

__all__ = ["MY_PHOTOS", "OWN_PHOTO", "is_bundled", "own_photo_label", "load_photo", "photo_choices", "photo_stem", "save_upload"]

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
    own = [(own_photo_label(path.name, saved=True), str(path)) for path in saved_photos(folder)]
    return bundled + own


#: What every tool and the landmark picker call the learner's photo: one name everywhere.
OWN_PHOTO = "Your photo"


def own_photo_label(name: str = "", saved: bool = False) -> str:
    """The menu entry for the learner's photo: ``Your photo: me.jpg``, marked when it is a saved copy.

    Examples
    --------
    >>> own_photo_label("me.jpg"), own_photo_label("me.jpg", saved=True), own_photo_label()
    ('Your photo: me.jpg', 'Your photo: me.jpg (saved)', 'Your photo')
    """
    label = f"{OWN_PHOTO}: {name}" if name else OWN_PHOTO
    return f"{label} (saved)" if saved else label


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


_PICKER = "place the points by hand in the landmark picker (lesson 01 or 02), save, then choose it here"


def save_upload(source, name: str = "", folder: str | PathLike = MY_PHOTOS) -> tuple[str | None, str]:
    """Find the face on an uploaded photo and save a copy with its points, ready for any face tool.

    Parameters
    ----------
    source
        Anything :func:`~portrait_lessons.images.load_image` reads (an upload's value, bytes, a path).
    name : str
        The file's name, for the copy's name and for messages.
    folder : str or path-like
        Where the copy and its landmark sidecar go (never overwriting).

    Returns
    -------
    (key or None, message)
        The saved photo's key for :func:`load_photo`, or None when the photo
        can't be used as it is: unreadable, no face or several found, some
        points only guessed, or the face finder not installed. The message
        says what happened and what to do, in the learner's words.

    Examples
    --------
    >>> import tempfile
    >>> save_upload(b"not a photo", "notes.jpg", tempfile.mkdtemp())[0] is None
    True
    """
    try:
        image = load_image(source)
    except ImageLoadError as error:
        return None, str(error)
    label = name or "your photo"
    if not detect.available():
        return None, f"The face finder is not installed (see the README), so {_PICKER}."
    found = detect.detect_faces(image)
    if found.turns:  # lying on its side: the copy is saved upright
        image = np.ascontiguousarray(np.rot90(image, found.turns))
    if not found.faces:
        return None, f"No face was found on {label}: {_PICKER}."
    if len(found.faces) > 1:
        return None, f"{len(found.faces)} faces were found on {label}: to choose one, {_PICKER}."
    face = found.faces[0]
    if face.doubts:
        return None, f"The points found on {label} may not be on a face ({' and '.join(face.doubts)}): {_PICKER}."
    if not face.confident:
        why = " (glasses frames can hide the brows)" if face.glasses else ""
        return None, f"Some points on {label} could not be seen well{why}: {_PICKER}."
    try:
        copy, _ = save_with_landmarks(image, face.landmarks, folder, Path(name).stem or "my-photo")
    except (OSError, LandmarkError) as error:
        return None, f"Couldn't save a copy of {label} ({getattr(error, 'strerror', None) or error}): {_PICKER}."
    return str(copy), (
        f"The face on {label} was found and every point placed; a copy with its points is saved as "
        f"{copy}. Your original file is untouched."
    )
