"""A tool model's photo: a bundled portrait, or the learner's own upload."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import traitlets

from .. import examples
from ..images import ImageLoadError, load_image, preview
from .status import Reporting

#: Long edge of the preview while sliders move.
PREVIEW_EDGE = 720
#: The ``photo`` value that means "the learner's upload".
YOUR_PHOTO = "your photo"


class PhotoModel(Reporting):
    """Which photo a tool works on, at full size (for saving) and at preview size.

    Examples
    --------
    >>> model = PhotoModel(photo="koch")
    >>> max(model.before.shape[:2])
    720
    >>> model.load_photo(b"not a photo", "notes.jpg")
    False
    >>> model.failed, model.photo
    (True, 'koch')
    """

    photo = traitlets.Unicode("koch")
    uploaded = traitlets.Instance(np.ndarray, allow_none=True, help="the learner's photo, full size")
    upload_name = traitlets.Unicode("")
    _uploaded_preview: np.ndarray | None = None

    @property
    def full(self) -> np.ndarray:
        """The current photo at full size (for saving)."""
        if self.photo == YOUR_PHOTO:
            return self.uploaded
        return examples.load_portrait(self.photo)

    @property
    def before(self) -> np.ndarray:
        """The current photo at preview size, unedited."""
        if self.photo == YOUR_PHOTO:
            return self._uploaded_preview
        return examples.load_portrait(self.photo, PREVIEW_EDGE)

    def load_photo(self, source, name: str = "") -> bool:
        """Use the learner's own photo; on a bad file, keep the current one.

        ``source`` is anything :func:`~portrait_lessons.images.load_image`
        reads. Returns whether it worked; :attr:`status` says what happened in
        words for the learner either way.
        """
        try:
            image = load_image(source)
        except ImageLoadError as error:
            message = str(error)
            self._report(message if not name or name in message else f"{name}: {message}", failed=True)
            return False
        self._uploaded_preview = preview(image, PREVIEW_EDGE)
        with self.hold_trait_notifications():  # one redraw, with the new photo
            self.upload_name = Path(name).stem or "my-photo"
            self.uploaded = image
            self.photo = YOUR_PHOTO
        height, width = image.shape[:2]
        self._report(f"Loaded {name or 'your photo'} ({width} x {height} px). The original file is untouched.")
        return True
