"""Lesson 04's tools: the posable figure, the camera-distance slider, the crop tool, the ground picker.

Each tool is a model (plain Python with traitlets: the state and what it
computes) and a view (an ipywidgets box that links to it). The picture sits
on the left and the sliders and readouts on the right, so picture, main
sliders and readouts are all visible at once on a 1366 x 768 laptop.
Factories return the tools; they do not display them.

The camera-distance, crop and ground tools sit in the workbook's one tool
frame (:mod:`portrait_lessons.ui.frame`: photo menu, upload, saved photos,
before / after / split, Save full size with a settings sidecar, one status
line). The figure draws a figure, not a photo, so it needs no frame.

Exercise 1's rating sliders (:func:`rating_exercise`) are an
:class:`~portrait_lessons.ui.exercises.Exercise` like every other exercise
of the workbook: set, press the button, read the feedback.
"""

from __future__ import annotations

import html
from typing import Callable

import cv2
import ipywidgets as widgets
import numpy as np
import traitlets
from PIL import Image

from ..composition import background as bg
from ..composition import distance as dist
from ..composition import figure as fig
from ..composition import framing as fr
from ..face.edits import gaze_horizontal
from ..face.landmarks import Landmarks
from ..images import to_jpeg
from .frame import DRAFT_EDGE, PLACEHOLDER, YOUR_PHOTO, FrameModel, ToolFrame, _browser_loop  # noqa: F401 (tests import YOUR_PHOTO from here)
from .exercises import Exercise

#: Long edge of the photo the crop and ground tools work on while a slider moves.
PREVIEW_EDGE = 768
#: The figure's picture size (width, height): the size it is shown at (PICTURE_HEIGHT high), so
#: the browser shows the pixels sent instead of scaling a larger picture down at every step.
FIGURE_SIZE = (375, 500)
#: The tallest any tool's picture is shown, in CSS pixels (fits a 768 px-high screen).
PICTURE_HEIGHT = 500


def _picture(css: str, width: str = "auto") -> widgets.Image:
    image = widgets.Image(format="jpeg", layout=widgets.Layout(max_height=f"{PICTURE_HEIGHT}px", width=width, object_fit="contain"))
    image.add_class(css)
    return image


def _slider(model, name: str, description: str, css: str, low: float, high: float, step: float, fmt: str = "+.0f"):
    slider = widgets.FloatSlider(
        value=getattr(model, name), min=low, max=high, step=step, description=description, readout_format=fmt,
        continuous_update=True, style={"description_width": "150px"}, layout=widgets.Layout(width="430px"),
    )  # fmt: skip
    slider.add_class(css)
    traitlets.link((slider, "value"), (model, name))
    return slider


# =================================================================== the figure
class FigureModel(traitlets.HasTraits):
    """The figure's pose and camera, and its picture.

    Examples
    --------
    >>> model = FigureModel()
    >>> model.apply_preset("closed_guarded")
    >>> model.pose.arms, model.picture().shape
    ('crossed', (500, 375, 3))
    """

    arms = traitlets.Unicode("sides")
    lean = traitlets.Float(0.0)
    head_pitch = traitlets.Float(0.0)
    head_roll = traitlets.Float(0.0)
    turn = traitlets.Float(0.0)
    shoulders = traitlets.Float(0.0)
    stance = traitlets.Float(0.12)
    camera_height = traitlets.Float(1.6)
    preset = traitlets.Unicode("neutral")

    FIELDS = ("arms", "lean", "head_pitch", "head_roll", "turn", "shoulders", "stance", "camera_height")

    @property
    def pose(self) -> fig.Pose:
        return fig.Pose(**{name: getattr(self, name) for name in self.FIELDS})

    def apply_preset(self, name: str) -> None:
        pose = fig.preset(name)
        with self.hold_trait_notifications():
            for key, value in pose.to_dict().items():
                setattr(self, key, value)
            self.preset = name

    def picture(self) -> np.ndarray:
        return fig.render_figure(self.pose, FIGURE_SIZE)

    def reading(self) -> str:
        """What the literature says viewers read in this pose, as far as it says anything."""
        p = self.pose
        notes = []
        if p.arms in ("open", "hips") or p.stance >= 0.2:
            notes.append("an expansive posture (viewers tend to read power and dominance: Hall et al. 2005, a meta-analysis)")
        elif p.arms == "crossed" or p.stance <= 0.07:
            notes.append("a contracted posture (reads as less dominant; 'defensive' is the popular reading)")
        if p.head_pitch >= 5:
            notes.append("chin raised (more dominant, less approachable: Mignault & Chaudhuri 2003)")
        elif p.head_pitch <= -5:
            notes.append("chin lowered (more submissive or sad: Mignault & Chaudhuri 2003)")
        if p.lean >= 8:
            notes.append("leaning in (engaged, in practitioner writing)")
        elif p.lean <= -6:
            notes.append("leaning back (at ease or distant, in practitioner writing)")
        if p.camera_height <= 1.0:
            notes.append("camera below (looking up made subjects seem more powerful in one study of products: Meyers-Levy & Peracchio 1992)")
        elif p.camera_height >= 2.2:
            notes.append("camera above (the subject looks smaller and the viewer looks down on them)")
        if p.shoulders >= 0.5:
            notes.append("shoulders raised (tension)")
        return "; ".join(notes) if notes else "a neutral stance: nothing here the studies single out"


class FigureTool(widgets.HBox):
    """The posable figure: presets, arms, sliders for the body and the camera.

    Widgets for code and tests: ``presets``, ``arms``, ``sliders`` (a dict by
    pose field), ``picture``, ``readout``.
    """

    def __init__(self, model: FigureModel | None = None):
        self.model = model = model or FigureModel()
        self.presets = widgets.Dropdown(
            options=[(spec["label"], name) for name, spec in fig.PRESETS.items()], value=model.preset,
            description="Posture", layout=widgets.Layout(width="330px"),
        )  # fmt: skip
        self.presets.add_class("pl-figure-preset")
        self.presets.observe(lambda c: model.apply_preset(c["new"]), "value")
        self.arms = widgets.ToggleButtons(
            options=[(label, key) for key, label in fig.ARM_LABELS.items()], value=model.arms,
            style={"button_width": "auto"},  # whole labels ("arms at the sides"), on two rows if need be
        )  # fmt: skip
        self.arms.add_class("pl-figure-arms")
        traitlets.link((self.arms, "value"), (model, "arms"))
        spec = {
            "lean": ("Lean back / forward (°)", -25, 25, 1, "+.0f"),
            "head_pitch": ("Chin down / up (°)", -30, 30, 1, "+.0f"),
            "head_roll": ("Head tilt to the side (°)", -25, 25, 1, "+.0f"),
            "turn": ("Body turned (°)", -60, 60, 1, "+.0f"),
            "shoulders": ("Shoulders down / up", -1, 1, 0.1, "+.1f"),
            "stance": ("Feet apart (m, half)", 0.04, 0.3, 0.01, ".2f"),
            "camera_height": ("Camera height (m)", 0.4, 2.8, 0.1, ".1f"),
        }
        self.sliders = {name: _slider(model, name, *args[:1], f"pl-figure-{name.replace('_', '-')}", *args[1:]) for name, args in spec.items()}
        self.picture = _picture("pl-figure-picture", f"{FIGURE_SIZE[0] * PICTURE_HEIGHT // FIGURE_SIZE[1]}px")
        self.readout = widgets.HTML(layout=widgets.Layout(width="430px"))
        self.readout.add_class("pl-readout")
        note = widgets.HTML("<small>Eye level is 1.6 m. The horizon line crosses the figure at the camera's height.</small>")
        controls = widgets.VBox([self.presets, self.arms, *self.sliders.values(), note, self.readout])
        super().__init__([self.picture, controls], layout=widgets.Layout(align_items="flex-start"))
        self.add_class("pl-figure-tool")
        model.observe(self._redraw, list(FigureModel.FIELDS))
        self._redraw()

    def _repr_mimebundle_(self, **kwargs):
        # What a notebook shows in place of the figure until it runs: words for the learner, not a repr.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = PLACEHOLDER
        return bundle

    _drawn = None  # the pose drawn last
    _draw_asked = False

    def _redraw(self, change=None) -> None:
        # A preset sets every field at once (one notification each): the pose is drawn once.
        # From the browser the drawing waits for the event loop, so values a newer one has
        # made stale (a held key) are never drawn; code in a cell gets the picture at once.
        loop = _browser_loop()
        if loop is None:
            self._draw()
        elif not self._draw_asked:
            self._draw_asked = True
            loop.add_callback(self._draw)

    def _draw(self) -> None:
        self._draw_asked = False
        pose = self.model.pose
        if pose == self._drawn:
            return
        self.picture.value = to_jpeg(self.model.picture())
        self._drawn = pose
        # The same text again sends nothing (traitlets compares), so most steps send only the picture.
        self.readout.value = f"<b>What viewers tend to read:</b> {html.escape(self.model.reading())}."


def figure_tool(preset: str = "neutral") -> FigureTool:
    """Build the posable figure (returned, not displayed).

    Examples
    --------
    >>> tool = figure_tool("leaning_in")
    >>> tool.sliders["lean"].value = -10
    >>> tool.model.pose.lean
    -10.0
    """
    model = FigureModel()
    model.apply_preset(preset)
    return FigureTool(model)


# ================================================================ camera distance
class DistanceModel(FrameModel):
    """A portrait re-photographed from ``distance`` metres at the same face size.

    It sits in the tool frame (:class:`~portrait_lessons.ui.frame.FrameModel`):
    before and after are a close-up of the head, Save writes the whole photo
    re-photographed at full size with its settings.

    Examples
    --------
    >>> model = DistanceModel(photo="jemison")
    >>> model.distance = 0.3
    >>> model.after.shape == model.before.shape, round(model.nose_change, 2)
    (True, 0.28)
    >>> model.settings()
    {'distance_m': 0.3}
    """

    tool_name = "distance"
    needs_landmarks = True  # the head's depth comes from its landmarks
    preview_edge = PREVIEW_EDGE
    distance = traitlets.Float(dist.REFERENCE_DISTANCE)

    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        return dist.change_distance(image, landmarks, self.distance)

    def settings(self) -> dict:
        return {"distance_m": round(float(self.distance), 3)}

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The head and some space round it, in :attr:`image`."""
        ring = dist.head_ring(self.landmarks, 1.25)
        h, w = self.image.shape[:2]
        left, top = np.maximum(ring.min(axis=0), 0).astype(int)
        right, bottom = np.minimum(ring.max(axis=0), (w, h)).astype(int)
        return int(left), int(top), int(right), int(bottom)

    @property
    def before(self) -> np.ndarray:
        if self.missing_landmarks:
            return self.image
        left, top, right, bottom = self.box
        return self.image[top:bottom, left:right]

    @property
    def after(self) -> np.ndarray:
        if self.missing_landmarks:
            return self.image
        # Only the close-up is resampled (about half the warped region's pixels).
        return dist.change_distance(self.image, self.landmarks, self.distance, box=self.box)

    @property
    def nose_change(self) -> float:
        """How much wider the nose base looks, relative to the face, than from the photo's own distance."""
        return dist.nose_base_widening(self.distance) - 1


class DistanceTool(ToolFrame):
    """Move the camera from 30 cm to 3 m; the face keeps its size, its shape changes.

    Widgets for code and tests: ``distance``, ``presets`` and the frame's
    (``portrait``, ``upload``, ``view``, ``save``, ``before``, ``after``, ``readout``, ``message``).
    """

    MARKS = {"selfie, 30 cm": 0.3, "arm's length plus, 60 cm": 0.6, "portrait, 1.5 m": 1.5, "across the room, 3 m": 3.0}

    def __init__(self, model: DistanceModel | None = None):
        model = model or DistanceModel()
        self.distance = widgets.FloatSlider(
            value=model.distance, min=dist.NEAREST, max=dist.FARTHEST, step=0.05, description="Camera distance (m)",
            readout_format=".2f", continuous_update=True, style={"description_width": "150px"},
            layout=widgets.Layout(width="400px"),
        )  # fmt: skip
        self.distance.add_class("pl-distance")
        traitlets.link((self.distance, "value"), (model, "distance"))
        self.presets = widgets.ToggleButtons(options=list(self.MARKS), value=None, style={"button_width": "190px"})
        self.presets.add_class("pl-distance-preset")
        self.presets.observe(lambda c: c["new"] and setattr(model, "distance", self.MARKS[c["new"]]), "value")
        hint = widgets.HTML("<small>Before: the head as taken (about 1.5 m). After: from the slider's distance.</small>")
        super().__init__(model, [self.distance, self.presets, hint], watch=["distance"], css="pl-distance-tool",
                         side_width="410px")  # fmt: skip

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"DistanceTool(photo={self.model.photo!r}, distance={self.model.distance:.2f})"

    def use_photo(self, image, landmarks, label: str = "Your photo") -> None:
        """Work on another photo (the learner's own) with landmarks placed on it."""
        self.model.use_photo(image, landmarks, label)

    def describe(self, before, after) -> str:
        if self.model.missing_landmarks:
            return ""
        d, change = self.model.distance, self.model.nose_change
        if abs(change) < 0.005:
            words = "the photo as taken"
        else:
            words = f"the nose base {abs(change) * 100:.0f} % {'wider' if change > 0 else 'narrower'} relative to the face"
        return (
            f"<b>{d:.2f} m:</b> {html.escape(words)}. The face keeps its size: a close <i>crop</i> "
            "would only enlarge it; a close <i>camera</i> changes its shape."
        )


def distance_tool(photo: str = "jemison") -> DistanceTool:
    """Build the camera-distance tool (returned, not displayed).

    Examples
    --------
    >>> tool = distance_tool("koch")
    >>> tool.distance.value = 0.3
    >>> tool.model.distance
    0.3
    """
    return DistanceTool(DistanceModel(photo=photo))


# ====================================================================== framing
ASPECTS = {"4:5 (portrait)": 0.8, "1:1 (square)": 1.0, "2:3 (tall)": 2 / 3, "16:9 (wide)": 16 / 9, "as taken": None}


class CropModel(FrameModel):
    """A crop of a portrait, with the gaze edit of lesson 01 and the four framing measures.

    It sits in the tool frame (:class:`~portrait_lessons.ui.frame.FrameModel`):
    *after* is the crop with its overlays, Save writes the crop (gaze edit
    included, no overlays) from the full-size photo with its settings.

    Examples
    --------
    >>> model = CropModel(photo="koch")
    >>> model.zoom = 0.8
    >>> 0 < model.measures()["face_ism"] <= 1
    True
    >>> model.settings()["zoom"]
    0.8
    """

    tool_name = "crop"
    needs_landmarks = True  # the crop is placed by the eyes and the head
    preview_edge = PREVIEW_EDGE
    zoom = traitlets.Float(0.0)
    aspect = traitlets.Unicode("as taken")
    eye_line = traitlets.Float(fr.DEFAULT_EYE_LINE)
    offset = traitlets.Float(0.0)
    gaze = traitlets.Float(0.0)
    thirds = traitlets.Bool(True)
    eyes = traitlets.Bool(True)
    headroom = traitlets.Bool(True)

    @property
    def box(self) -> tuple[int, int, int, int]:
        h, w = self.image.shape[:2]
        return fr.frame_box(self.landmarks, (w, h), self.zoom, aspect=ASPECTS[self.aspect], eye_line=self.eye_line, offset=self.offset)

    def edited(self, image: np.ndarray | None = None, landmarks: Landmarks | None = None) -> np.ndarray:
        image = self.image if image is None else image
        landmarks = self.landmarks if landmarks is None else landmarks
        return gaze_horizontal(image, landmarks, self.gaze) if self.gaze else image

    def gaze_side(self) -> float:
        """The gaze's direction in the picture: the edit's if any, else the photo's own."""
        if abs(self.gaze) >= 3:
            return float(np.sign(self.gaze))
        return fr.gaze_direction(self.landmarks)

    def measures(self) -> dict[str, float | None]:
        return fr.measures(self.landmarks, self.box, self.gaze_side())

    def picture(self) -> np.ndarray:
        return fr.draw_overlays(self.edited(), self.landmarks, self.box, thirds=self.thirds, eyes=self.eyes, head=self.headroom)

    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        """The crop of ``image`` (any size of this photo), gaze edit included, no overlays."""
        factor = image.shape[1] / self.image.shape[1]
        return fr.crop(self.edited(image, landmarks), fr.scale_box(self.box, factor))

    @property
    def after(self) -> np.ndarray:
        if self.missing_landmarks:
            return self.image
        return self.picture()

    #: While a slider moves, a wide crop is drawn from the photo at this size (the picture's box
    #: is at most 500 px high); the preview's follows when the sliders rest.
    draft_edge = DRAFT_EDGE

    def draft(self) -> np.ndarray | None:
        """The crop with its overlays from the photo at :attr:`draft_edge`, or None for a tight crop.

        A tight crop from the small photo would show fewer pixels than its box on screen,
        so it is drawn from the preview (it is small there too).

        Examples
        --------
        >>> model = CropModel(photo="koch")
        >>> max(model.draft().shape[:2]) <= 480
        True
        >>> model.zoom = 1.0
        >>> model.draft() is None
        True
        """
        if self.missing_landmarks:
            return None
        image, landmarks = self._draft_photo()
        factor = image.shape[1] / self.image.shape[1]
        box = fr.scale_box(self.box, factor)
        if max(box[2] - box[0], box[3] - box[1]) < 0.8 * PICTURE_HEIGHT:
            return None
        return fr.draw_overlays(self.edited(image, landmarks), landmarks, box, thirds=self.thirds, eyes=self.eyes, head=self.headroom)

    def settings(self) -> dict:
        return {"zoom": round(float(self.zoom), 3), "aspect": self.aspect, "eye_line": round(float(self.eye_line), 3),
                "offset": round(float(self.offset), 3), "gaze_degrees": round(float(self.gaze), 1)}  # fmt: skip


class CropTool(ToolFrame):
    """Crop from the widest frame to a tight headshot, with overlays and the framing measures.

    Widgets for code and tests: ``zoom``, ``aspect``, ``eye_line``, ``offset``, ``gaze``,
    ``overlays``, ``picture`` (the crop, shown in the *After* view) and the frame's
    (``portrait``, ``upload``, ``view``, ``save``, ``readout``, ``message``).
    """

    def __init__(self, model: CropModel | None = None):
        model = model or CropModel()
        self.aspect = widgets.ToggleButtons(options=list(ASPECTS), value=model.aspect, style={"button_width": "auto"})
        self.aspect.add_class("pl-crop-aspect")
        traitlets.link((self.aspect, "value"), (model, "aspect"))
        self.zoom = _slider(model, "zoom", "Widest ↔ tightest", "pl-crop-zoom", 0, 1, 0.02, ".2f")
        self.eye_line = _slider(model, "eye_line", "Eye line height", "pl-crop-eye-line", 0.3, 0.9, 0.01, ".2f")
        self.offset = _slider(model, "offset", "Face left ↔ right", "pl-crop-offset", -1, 1, 0.05, "+.2f")
        self.gaze = _slider(model, "gaze", "Gaze left ↔ right (°)", "pl-crop-gaze", -25, 25, 1)
        for slider in (self.zoom, self.eye_line, self.offset, self.gaze):
            slider.layout.width = "410px"
        self.overlays = {
            name: widgets.Checkbox(value=getattr(model, name), description=label, indent=False, layout=widgets.Layout(width="130px"))
            for name, label in (("thirds", "thirds"), ("eyes", "eye line"), ("headroom", "headroom"))
        }
        for name, box in self.overlays.items():
            traitlets.link((box, "value"), (model, name))
        controls = [self.aspect, self.zoom, self.eye_line, self.offset, self.gaze, widgets.HBox(list(self.overlays.values()))]
        super().__init__(model, controls, watch=["zoom", "aspect", "eye_line", "offset", "gaze", "thirds", "eyes", "headroom"],
                         css="pl-crop-tool", view="After", side_width="420px")  # fmt: skip
        self.picture = self.image
        self.picture.add_class("pl-crop-picture")

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"CropTool(photo={self.model.photo!r}, zoom={self.model.zoom:.2f})"

    def use_photo(self, image, landmarks, label: str = "Your photo") -> None:
        """Work on another photo (the learner's own) with landmarks placed on it."""
        self.model.use_photo(image, landmarks, label)

    def describe(self, before, after) -> str:
        if self.model.missing_landmarks:
            return ""
        return describe_measures(self.model.measures())


def describe_measures(values: dict[str, float | None]) -> str:
    """The four measures as an HTML table with what each is known to mean.

    Examples
    --------
    >>> "face-ism" in describe_measures({"face_ism": 0.5, "headroom": 0.1, "eye_line_height": 0.66, "lead_room": None})
    True
    """
    lead = values["lead_room"]
    if lead is None:
        lead_text, lead_note = "—", "looks into the lens: no side is ahead"
    else:
        lead_text = f"{lead:.2f}"
        lead_note = "looks into the frame (preferred: Palmer et al. 2008)" if lead > 0.55 else (
            "looks out of the frame" if lead < 0.45 else "centred")
    headroom = values["headroom"]
    rows = [
        ("face-ism", f"{values['face_ism']:.2f}", "share of the figure that is head; higher read as more intelligent and ambitious (Archer et al. 1983, supported, dated)"),
        ("headroom", f"{headroom:+.2f}", "crown cut off" if headroom < 0 else "space above the head; 'a little headroom' is a popular claim"),
        ("eye line", f"{values['eye_line_height']:.2f}", "height of the eyes from the bottom; 0.67 is the rule of thirds, a popular claim"),
        ("lead room", lead_text, lead_note),
    ]
    body = "".join(f"<tr><td><b>{a}</b></td><td>{b}</td><td><small>{html.escape(c)}</small></td></tr>" for a, b, c in rows)
    return f'<table class="pl-measures">{body}</table>'


def crop_tool(photo: str = "koch") -> CropTool:
    """Build the crop tool (returned, not displayed).

    Examples
    --------
    >>> tool = crop_tool("jemison")
    >>> tool.zoom.value = 0.6
    >>> tool.model.box != crop_tool("jemison").model.box
    True
    """
    return CropTool(CropModel(photo=photo))


# =================================================================== background
class GroundModel(FrameModel):
    """A portrait on a chosen ground, with light wrap.

    It sits in the tool frame (:class:`~portrait_lessons.ui.frame.FrameModel`):
    Save writes the portrait on its ground at full size with its settings.

    Examples
    --------
    >>> model = GroundModel(photo="ochoa")
    >>> model.ground = "paper_blue"
    >>> model.after.shape == model.image.shape
    True
    >>> model.settings()
    {'ground': 'paper_blue', 'light_wrap': 0.5}
    """

    tool_name = "ground"
    needs_landmarks = True  # the person's mask is seeded by the landmarks
    preview_edge = PREVIEW_EDGE
    ground = traitlets.Unicode("original")
    wrap = traitlets.Float(0.5)

    def settings(self) -> dict:
        return {"ground": self.ground, "light_wrap": round(float(self.wrap), 3)}

    def _cache(self, name: str) -> dict:
        """This model's own cache ``name`` (one entry: the current photo's)."""
        return self.__dict__.setdefault(f"_cache_{name}", {})

    def _key(self) -> tuple:
        # A new upload under the same key is another photo: its array tells them apart.
        return (self.photo, id(self.uploaded) if self.is_own else None)

    @staticmethod
    def _mask(image: np.ndarray, landmarks: Landmarks) -> np.ndarray:
        return bg.refine_edge(image, bg.person_mask(image, landmarks), landmarks)

    @property
    def mask(self) -> np.ndarray:
        masks = self._cache("mask")
        key = self._key()
        if key not in masks:
            masks.clear()
            masks[key] = self._mask(self.image, self.landmarks)
        return masks[key]

    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        """The portrait on the ground at any size (Save uses it at full size)."""
        if self.ground == "original":
            return image
        mask = self._mask(image, landmarks)
        h, w = image.shape[:2]
        ground = bg.make_ground(self.ground, (w, h), image, mask)
        return bg.composite(image, ground, mask, self.wrap, bg.wrap_light(ground, mask))

    def _ground(self) -> tuple[np.ndarray, tuple]:
        """The ground at preview size and its wrapped light (one entry: the current photo and ground)."""
        # They depend on the photo and the ground, not on the light-wrap amount: made once,
        # so the slider only blends.
        grounds = self._cache("ground")
        key = (*self._key(), self.ground)
        if key not in grounds:
            grounds.clear()
            h, w = self.image.shape[:2]
            ground = bg.make_ground(self.ground, (w, h), self.image, self.mask)
            grounds[key] = (ground, bg.wrap_light(ground, self.mask))
        return grounds[key]

    @property
    def after(self) -> np.ndarray:
        if self.missing_landmarks or self.ground == "original":
            return self.image
        ground, light = self._ground()
        return bg.composite(self.image, ground, self.mask, self.wrap, light)

    #: While the light wrap moves, the frame shows the blend at this size (the picture's box
    #: Side by side is about 290 x 480 px); the full preview follows when the slider rests.
    draft_edge = DRAFT_EDGE

    def draft(self) -> np.ndarray | None:
        """The after picture at :attr:`draft_edge`, blended from the preview's ground, light and mask shrunk.

        Examples
        --------
        >>> model = GroundModel(photo="ochoa", ground="cafe")
        >>> max(model.draft().shape[:2]), model.draft().shape[:2] == model._draft_photo()[0].shape[:2]
        (480, True)
        """
        if self.missing_landmarks or self.ground == "original":
            return None
        image = self._draft_photo()[0]
        drafts = self._cache("draft")
        key = (*self._key(), self.ground, image.shape)
        if key not in drafts:
            drafts.clear()
            ground, (glow, weight) = self._ground()
            size = (image.shape[1], image.shape[0])
            shrink = lambda a: cv2.resize(np.asarray(a), size, interpolation=cv2.INTER_AREA)  # noqa: E731
            drafts[key] = (shrink(ground), shrink(self.mask), (Image.fromarray(shrink(glow)), shrink(weight)))
        ground, mask, light = drafts[key]
        return bg.composite(image, ground, mask, self.wrap, light)


class GroundTool(ToolFrame):
    """Put the portrait on another ground; before and after side by side.

    Widgets for code and tests: ``ground``, ``wrap`` and the frame's
    (``portrait``, ``upload``, ``view``, ``save``, ``before``, ``after``, ``readout``, ``message``).
    """

    def __init__(self, model: GroundModel | None = None):
        model = model or GroundModel()
        options = [(f"{family}: {bg.GROUNDS[name]['label']}", name) for family, names in bg.FAMILIES.items() for name in names]
        self.ground = widgets.Select(options=options, value=model.ground, rows=8, layout=widgets.Layout(width="400px"))
        self.ground.add_class("pl-ground")
        traitlets.link((self.ground, "value"), (model, "ground"))
        self.wrap = _slider(model, "wrap", "Light wrap", "pl-ground-wrap", 0, 1, 0.05, ".2f")
        self.wrap.layout.width = "400px"
        super().__init__(model, [self.ground, self.wrap], watch=["ground", "wrap"], css="pl-ground-tool",
                         side_width="410px")  # fmt: skip

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"GroundTool(photo={self.model.photo!r}, ground={self.model.ground!r})"

    def use_photo(self, image, landmarks, label: str = "Your photo") -> None:
        """Work on another photo (the learner's own) with landmarks placed on it."""
        self.model.use_photo(image, landmarks, label)

    def describe(self, before, after) -> str:
        if self.model.missing_landmarks:
            return ""
        label = bg.GROUNDS[self.model.ground]["label"]
        return (
            f"<b>Ground:</b> {html.escape(label)}. What do you read in the face now: mood, job, where they belong? "
            "Context changes how a face is read (established); which ground is 'better' is not."
        )


def ground_tool(photo: str = "ochoa", ground: str = "city_night") -> GroundTool:
    """Build the ground picker (returned, not displayed), showing ``ground`` first.

    Examples
    --------
    >>> tool = ground_tool("glover")
    >>> tool.ground.value = "cafe"
    >>> tool.model.ground
    'cafe'
    """
    return GroundTool(GroundModel(photo=photo, ground=ground))


# =================================================================== exercises
def rating_exercise(presets, check: Callable[[dict], str],
                    question: str = "How dominant and confident does the figure look? (1 = not at all, 7 = very)") -> Exercise:  # fmt: skip
    """Rate each posture preset on a 1-7 scale with sliders, then compare with the studies (exercise 1).

    An :class:`~portrait_lessons.ui.exercises.Exercise` like every other, with
    the figures drawn above their sliders; ``check`` receives {preset: rating}.

    Examples
    --------
    >>> ex = rating_exercise(["open_confident", "closed_guarded"], lambda r: f"{len(r)} rated")
    >>> ex.answers["open_confident"].value = 6
    >>> ex.run()
    '2 rated'
    """
    sliders = {
        name: widgets.IntSlider(value=4, min=1, max=7, description=fig.PRESETS[name]["label"],
                                style={"description_width": "220px"}, layout=widgets.Layout(width="480px"))
        for name in presets
    }  # fmt: skip
    for name, slider in sliders.items():
        slider.add_class(f"pl-rate-{name.replace('_', '-')}")
    thumbs = widgets.HBox([
        widgets.VBox([widgets.Image(value=to_jpeg(fig.render_figure(fig.preset(name), (150, 200))), format="jpeg",
                                    layout=widgets.Layout(width="150px")),
                      widgets.HTML(f"<small>{html.escape(fig.PRESETS[name]['label'])}</small>")])
        for name in presets
    ])  # fmt: skip
    exercise = Exercise(lambda **ratings: check(ratings), sliders, label="Compare with the studies")
    exercise.children = (widgets.HTML(f"<b>{html.escape(question)}</b>"), thumbs, *exercise.children)
    return exercise
