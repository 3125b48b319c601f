"""Mirror composites of the photo in the landmark picker, redrawn whenever its points change.

Lesson 02 builds mirror composites of the learner's own face. The view below
listens to the picker's model: as soon as the picker hands over usable points
(found on an upload, placed by hand, or confirmed with *Use these points*) the
upright face, its *left-left* and *right-right* composites and the shape
asymmetry appear, and they follow every point the learner drags. No cell has to
be run again. The asymmetry comes with the picker's warning when the points are
a guess, were doubted by the face finder, or measure implausibly high.
"""

from __future__ import annotations

import html

import ipywidgets as widgets
import numpy as np

from .. import examples
from ..face import landmark_asymmetry, mirror_composites, upright_face
from ..images import preview, to_jpeg
from .frame import PLACEHOLDER
from .landmark_picker import LandmarkModel

#: Long edge of each of the three pictures sent to the browser.
MIRROR_EDGE = 360
#: What each picture shows, left to right.
TITLES = ("as taken (upright)", "left-left", "right-right")


class MirrorView(widgets.VBox):
    """The upright face and its two mirror composites, for the photo and points of a landmark picker.

    Widgets for code and tests: ``pictures`` (three ``widgets.Image``),
    ``readout`` (the asymmetry and any warning, HTML) and ``message`` (what
    to do while there is nothing to show).

    Examples
    --------
    >>> from portrait_lessons.ui.landmark_picker import landmark_picker
    >>> picker = landmark_picker("koch")
    >>> view = MirrorView(picker.model)
    >>> "Load your own photo" in view.message.value
    True
    """

    def __init__(self, model: LandmarkModel, bundled_too: bool = False):
        self.model = model
        self.bundled_too = bundled_too
        self.pictures = [widgets.Image(format="jpeg", layout=widgets.Layout(width="100%", object_fit="contain",
                                                                            max_height="300px"))
                         for _ in TITLES]  # fmt: skip
        columns = [widgets.VBox([widgets.HTML(f"<b>{title}</b>"), picture], layout=widgets.Layout(width="32%"))
                   for title, picture in zip(TITLES, self.pictures)]  # fmt: skip
        self._row = widgets.HBox(columns, layout=widgets.Layout(width="100%", justify_content="space-between"))
        self.readout = widgets.HTML()
        self.readout.add_class("pl-readout")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        super().__init__([self.message, self._row, self.readout], layout=widgets.Layout(max_width="760px"))
        self.add_class("pl-mirror-view")
        model.observe(lambda _: self.refresh(), ["landmarks", "image"])
        self.refresh()

    def __repr__(self) -> str:  # short and stable
        return "MirrorView()"

    def _repr_mimebundle_(self, **kwargs):
        # What a saved notebook shows in place of the view until it runs: words for the learner, not a repr.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = PLACEHOLDER
        return bundle

    def refresh(self) -> None:
        """Draw the composites of the picker's photo and points, or say what is missing."""
        model = self.model
        own = model.photo_name not in examples.names()
        if not own and not self.bundled_too:
            self._show_nothing("Load your own photo in the picker above (<b>Upload your photo</b>): its mirror composites "
                               "appear here as soon as its points are ready.")  # fmt: skip
            return
        if model.landmarks is None:
            self._show_nothing("The points are not ready yet: place both irises in the picker above, or check the "
                               "points and press <i>Use these points</i>. The composites appear here at once.")  # fmt: skip
            return
        image, landmarks = model.image, model.landmarks
        left_left, right_right = mirror_composites(image, landmarks)
        for picture, face in zip(self.pictures, (upright_face(image, landmarks), left_left, right_right)):
            picture.value = to_jpeg(preview(np.ascontiguousarray(face), MIRROR_EDGE), quality=88)
        shape = landmark_asymmetry(landmarks)
        warning = model.asymmetry_warning(shape.overall)
        self.readout.value = (
            f"<div>Shape asymmetry of these points: <b>{shape.overall:.1f} %</b> of the eye spacing "
            f"(left higher than right by: eyes {shape.eyes:+.1f} %, brows {shape.brows:+.1f} %, "
            f"mouth corners {shape.mouth_corners:+.1f} %).</div>"
            + (f"<div class='pl-asymmetry-warning' style='background:#fff4d6;padding:4px 8px;border-radius:4px;"
               f"margin-top:4px'>{html.escape(warning)}</div>" if warning else "")
        )  # fmt: skip
        self.message.value = ""
        self._row.layout.display = None

    def _show_nothing(self, words: str) -> None:
        self.message.value = f"<div style='color:#8a5a00'>{words}</div>"
        self._row.layout.display = "none"
        self.readout.value = ""
        for picture in self.pictures:
            picture.value = b""


def mirror_view(model: LandmarkModel) -> MirrorView:
    """Mirror composites that follow a landmark picker's model (returned, not displayed).

    Examples
    --------
    >>> from portrait_lessons.ui.landmark_picker import landmark_picker
    >>> picker = landmark_picker("koch")
    >>> view = mirror_view(picker.model)
    >>> len(view.pictures[0].value)  # a bundled portrait: nothing drawn until the learner's photo comes
    0
    """
    return MirrorView(model)
