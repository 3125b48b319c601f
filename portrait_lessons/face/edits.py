"""Face edits on real photos: gaze, mouth corners, brows, eyelids and head tilt.

Every edit moves a few facial points and lets a moving-least-squares warp
(:mod:`portrait_lessons.face.warp`) carry the picture along, while the points that
must not move (eye corners, the face's edge, the other features) hold still.
All edits share one *rig* of control points built from the landmarks, so any
combination of them is a single warp: :func:`apply_face_edits` sums what each
edit asks of each point and warps once.

Units a learner can read:

- gaze and head tilt in **degrees** (how far the eyes turn; how far the head
  rolls, positive clockwise, so the top of the head moves right);
- mouth corners, brows and eyelids in **pixels at 1024 px**: pixels as they
  would be on the photo shown 1024 px along its long edge, whatever its real
  size, so an edit looks the same in the preview and in the full-size export.

"Left" and "right" mean as seen in the picture, like the landmarks. Each edit
is clamped where the result stops looking human; :func:`edit_limits` gives the
range for a face (the tools use it for their sliders).

Examples
--------
>>> from portrait_lessons import examples
>>> image = examples.load_portrait("koch", 512)
>>> landmarks = examples.portrait_landmarks("koch", 512)
>>> smiling = apply_face_edits(image, landmarks, FaceEdit(mouth_left=4, mouth_right=4))
>>> smiling.shape == image.shape and not bool((smiling == image).all())
True
>>> bool((apply_face_edits(image, landmarks, FaceEdit()) == image).all())
True
"""

from __future__ import annotations

import copy
import math
import weakref
from dataclasses import asdict, dataclass, fields, replace
from typing import Mapping

import numpy as np
from PIL import Image, ImageFilter

from .landmarks import Landmarks
from .warp import _prepare as _prepare_warp
from .warp import mesh_warp, mls_backward

#: The long edge that "pixels at 1024 px" refer to.
REFERENCE_EDGE = 1024
#: Distance from the eye's centre of rotation to the iris, in iris radii
#: (about 10 mm against an iris radius of about 6 mm in an adult eye).
EYE_ROTATION_RADIUS = 1.7
#: How much of a vertical gaze shift the lids follow (the upper lid rides on
#: the eyeball; without this, looking down shows white above the iris: a stare).
#: Looking down, the upper lid follows the eye almost all the way (lid-eye coordination:
#: the lid margin keeps its place on the iris), or a down-gaze stares from under a still lid.
UPPER_LID_FOLLOWS = 0.7
UPPER_LID_FOLLOWS_DOWN = 0.95
LOWER_LID_FOLLOWS = 0.3
#: Where the rig's points sit along each lid margin, as fractions from the outer corner to the inner one.
LID_POINTS = (0.2, 0.35, 0.5, 0.65, 0.8)
#: The zone that slides rigidly with the iris, in iris radii: the iris and its dark rim.
IRIS_ZONE = 1.2
#: On the side the iris leaves, the rigid zone reaches this many px at 1024 px
#: further: the soft edge a photo gives a small iris, which would otherwise
#: stretch into the white as a milky, iris-coloured smear.
IRIS_SOFT_EDGE = 1.5
#: Near each eye corner, this fraction of the eye's width never slides. The
#: corner the iris moves away from holds a wider zone (STRETCHED_CORNER_ZONE):
#: its pink or reddish corner would otherwise stretch across the white and read
#: as a bloodshot eye.
CORNER_ZONE = 0.04
STRETCHED_CORNER_ZONE = 0.1
#: The white that fills the place an iris leaves is sampled no nearer the corners than
#: this fraction of the eye's width: the inner corner's pink and the outer corner's
#: shadow are no white.
CORNER_SAMPLES = 0.12
#: A side of the iris has white of its own to sample when at least this many iris radii
#: squared of it shows beyond the iris's rim (clear of the corner and the lids).
WHITE_SHOWN = 0.15
#: The fill's reach across rows, in iris radii (the white's shading under the upper lid runs
#: along the rows; a narrower reach takes in a row's lashes where the lid line is a pixel
#: off), and how strongly it favours the whitest pixels it reaches (a power of lightness).
WHITE_ROWS = 0.3
WHITENESS_POWER = 3
#: Largest sideways eye turn in degrees: past it the eye shows too much white.
MAX_GAZE_X = 25.0
#: Small irises (radius in px at 1024 px) have few pixels of white to stretch:
#: the sideways limit falls linearly from MAX_GAZE_X at LARGE_IRIS to
#: MAX_GAZE_X_SMALL_IRIS at SMALL_IRIS and below.
MAX_GAZE_X_SMALL_IRIS = 20.0
SMALL_IRIS = 6.0
LARGE_IRIS = 9.0
#: Largest turn up or down, in degrees, for a large iris. A small iris (a wide
#: shot, a small photo) turns further, up to MAX_GAZE_Y_SMALL_IRIS, until the
#: end of the range moves it GAZE_Y_MIN_PIXELS of the photo's own pixels:
#: otherwise mid-way moves it under a pixel and nothing shows. Real eyes turn
#: 25 degrees up or down easily; the lids follow (UPPER_LID_FOLLOWS).
MAX_GAZE_Y = 15.0
MAX_GAZE_Y_SMALL_IRIS = 25.0
GAZE_Y_MIN_PIXELS = 3.0
#: An eye is narrow when its opening is under this share of the iris's diameter (narrowed
#: by a smile or a squint): Jemison 0.52 and Johnson 0.46; the other bundled faces 0.61-0.79.
#: The white beside such an iris is a sliver, and the place a far-turned iris leaves, filled
#: with it, reads as a pale patch: narrow eyes turn sideways at most MAX_GAZE_X_NARROW.
NARROW_EYE = 0.55
MAX_GAZE_X_NARROW = 14.0
#: ... and up or down at most MAX_GAZE_Y_NARROW: there the iris moves a third of the opening
#: (Jemison 2.1 of 6.2 px, Johnson 1.9 of 5 px). At the 17-19 degrees a small iris otherwise
#: gets (MAX_GAZE_Y_SMALL_IRIS) it moved half of it: looking up, a band of white as tall as
#: the iris showed under it (a blank stare), and looking down the upper lid, following, all
#: but closed the eye.
MAX_GAZE_Y_NARROW = 12.0
#: Irises under this radius (the photo's own px) are small in the picture: looking up or
#: down moves them 1-2 px mid-way, and the lids that follow them carry most of what shows.
#: Collins, Armstrong, Jemison, Ochoa and Johnson: 3.5-6 px; the close-ups 8.8-11.2 px.
SMALL_IRIS_GAZE_Y = 6.5
#: The ends of the gaze sliders over every face (degrees): sideways MAX_GAZE_X, up and down
#: MAX_GAZE_Y_SMALL_IRIS (a small iris turns that far; edit_limits narrows both per face).
TURN_ENDS = {"gaze_x": MAX_GAZE_X, "gaze_y": MAX_GAZE_Y_SMALL_IRIS}
MAX_TILT = 12.0
#: The head tilt's field: the neck bends down to this many chin depths (eyes to chin) below
#: the eyes (suit rings' fronts start at 1.25 on the bundled photos), and its column is this
#: share of the face's width either side of the chin. The turn eases from the jaw into still
#: clothes over TILT_GAP eye spacings, taken from the jaw's edge of the face: the clothes
#: give up only TILT_CLOTHES_GAP, so collars and rings beside the jaw stay straight. From
#: hair it eases over TILT_HAIR_GAP (hair beside the head moves farther than the jaw), over
#: TILT_BACKDROP eye spacings of open backdrop, and over TILT_BORDER of the long edge at the
#: frame's edges. Each is wide enough that the picture never folds at MAX_TILT.
TILT_NECK_END = 1.2
TILT_NECK_WIDTH = 0.3
TILT_GAP = 0.6
TILT_CLOTHES_GAP = 0.08
TILT_HAIR_GAP = 0.8
TILT_BACKDROP = 0.7
TILT_BORDER = 0.1
#: With a subject mask the turned person is laid over the still backdrop; the person's layer
#: reaches this many eye spacings past the mask (its fringe of hair, a white cap on a white wall).
TILT_LAYER_GROW = 0.04
#: ... except below TILT_TIGHT_BELOW chin depths under the eyes (the mouth's level down): there
#: the layer keeps to the mask, and the fill behind takes the backdrop right beside it.
TILT_TIGHT_BELOW = 0.6
#: Over the top of the head (more than TILT_COVER_ABOVE chin depths above the eyes) the backdrop
#: is filled this many eye spacings past the layer: the part of a hat or hair that the mask
#: misses is covered by the fill instead of standing still as a notch. (Lower down, beside the
#: temples, the wider fill reached for the shadow under the hair and left a dark patch.)
TILT_COVER = 0.06
TILT_COVER_ABOVE = 0.5
#: Largest mouth-corner and brow moves, as fractions of the eye spacing.
MAX_MOUTH = 0.12
#: Points along the line between the lips, as fractions of the way from the left corner to
#: the right. Each follows a corner's move by (1 - 2 d)^2 at d of the mouth's width from that
#: corner: the lip line bends as one smooth curve, flat in the middle (held points a quarter
#: of the way in made a step near the corner: an S-hook on a closed mouth).
LIP_LINE = (0.125, 0.25, 0.375, 0.5, 0.625, 0.75, 0.875)
#: The teeth sit on the skull and never move with the lips: on an open smile the teeth seen
#: between the lips are found (brighter and greyer than the lips) and laid back unmoved
#: wherever the moved lips still show them, so the lips slide over a straight row of teeth.
#: Points on the crease past each mouth corner (eye spacings outward) and the share of
#: the corner's move each follows, so a lowered corner does not hook back up.
CREASE = ((0.1, 1.0), (0.22, 0.75), (0.35, 0.4))
MAX_BROW = 0.10
#: A lowered brow moves as a band in the control-point warp: points BROW_BAND eye spacings
#: under its line go with it, and the skin round the upper lid follows by BROW_SKIN_FOLLOWS.
BROW_BAND = 0.07
BROW_SKIN_FOLLOWS = 0.45
#: A raised brow is moved column by column across it (:meth:`_Rig.brow_raise`): its hairs, BROW_HAIRS eye spacings each side of its line, move
#: as one band, and the skin round them takes the move as two even ramps: under it, from the
#: lashes (BROW_LASHES over the upper lid's margin, which stays still with them) or a
#: spectacle frame's held top rim up to the band; above it, over BROW_FOREHEAD eye spacings
#: of forehead, which gives a little (0.92-0.95). Beyond the brow's ends the raise fades out
#: over BROW_END_FADE eye spacings. With the lid ring following a fixed share of the raise,
#: the lid skin over the lashes stretched 1.6-2.1x (Glover, Koch, Ochoa, Collins at the end
#: of the range) and its creases read as drawn out.
BROW_HAIRS = 0.045
BROW_LASHES = 0.015
BROW_FOREHEAD = 0.8
BROW_END_FADE = 0.15
#: Largest stretch of the skin under a raised brow: a raise stops at BROW_STRETCH - 1 times
#: that skin's height. The bundled photos' brows sit 0.20-0.23 eye spacings over the lids'
#: margins, so even an even ramp would stretch the skin 1.6-1.7x at MAX_BROW: they rise
#: 0.047-0.068 eye spacings instead (lowering a brow keeps MAX_BROW).
BROW_STRETCH = 1.37
#: Share of a brow's move at each of its seven points, outer end to inner end.
BROW_SHARES = (0.6, 0.85, 1.0, 1.0, 1.0, 0.95, 0.7)
#: With glasses the frame's top rim lies at or just under the brows: brows
#: move less, and the skin round the eye holds still so the rim stays straight.
MAX_BROW_GLASSES = 0.04
#: A frame's top rim is a step of at least RIM_STEP levels (of 255) over 2 px under the
#: brow; the brow then moves from points at least RIM_GAP eye spacings above the rim.
RIM_STEP = 60.0
RIM_GAP = 0.12
#: Largest eyelid narrowing (the lower lid's rise; the upper lid drops
#: UPPER_LID_NARROWING of it), as a fraction of the eye opening's height: at the end the eye is about
#: half closed, as in a broad felt smile; further, it reads as a squint. The
#: lids slide over the eyeball (the iris is hidden, never squashed).
MAX_NARROWING = 0.4
#: The share of an eyelid narrowing the upper lid comes down (the rest the lower lid rises).
UPPER_LID_NARROWING = 0.1
#: A small eye (a wide shot, a small photo) still narrows by at least this many
#: of the photo's own pixels, or a change of a pixel or so goes unseen ...
MIN_NARROWING_PIXELS = 2.0
#: ... but never by more than this fraction of its opening.
MAX_NARROWING_SMALL_EYE = 0.5

_UNITS = {
    "gaze_x": "degrees; + looks toward the picture's right",
    "gaze_y": "degrees; + looks up",
    "mouth_left": "px at 1024 px; + lifts the corner on the picture's left",
    "mouth_right": "px at 1024 px; + lifts the corner on the picture's right",
    "brow_left": "px at 1024 px; + raises the brow on the picture's left",
    "brow_right": "px at 1024 px; + raises the brow on the picture's right",
    "eyelid_narrowing": "px at 1024 px; + narrows both eyes from below, as a real smile does",
    "head_tilt": "degrees; + rolls the head clockwise (its top moves right)",
}


class FaceEditError(ValueError):
    """Edit settings that cannot be used, with what to do instead."""


@dataclass(frozen=True)
class FaceEdit:
    """All face-edit amounts in one value; the defaults change nothing.

    Examples
    --------
    >>> edit = FaceEdit(gaze_x=-15, mouth_left=3)
    >>> FaceEdit.from_dict(edit.to_dict()) == edit
    True
    >>> FaceEdit().is_neutral
    True
    >>> FaceEdit.from_dict({"gaze": 10})
    Traceback (most recent call last):
    ...
    portrait_lessons.face.edits.FaceEditError: Unknown face edit 'gaze'. Known edits: gaze_x, gaze_y, mouth_left, mouth_right, brow_left, brow_right, eyelid_narrowing, head_tilt.
    """

    gaze_x: float = 0.0
    gaze_y: float = 0.0
    mouth_left: float = 0.0
    mouth_right: float = 0.0
    brow_left: float = 0.0
    brow_right: float = 0.0
    eyelid_narrowing: float = 0.0
    head_tilt: float = 0.0

    def __post_init__(self):
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise FaceEditError(f"{item.name} must be a finite number ({_UNITS[item.name]}), not {value!r}.")
            object.__setattr__(self, item.name, float(value))

    @property
    def is_neutral(self) -> bool:
        """True when every amount is zero: the edit leaves the photo as it is."""
        return all(value == 0 for value in asdict(self).values())

    def to_dict(self) -> dict[str, float]:
        """A JSON-ready dict of every amount (the inverse of :meth:`from_dict`)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping) -> "FaceEdit":
        """Build an edit from a dict such as :meth:`to_dict` gives; missing keys stay neutral."""
        if not isinstance(data, Mapping):
            raise FaceEditError(f"Face edits come as a dict of amounts, not {type(data).__name__}.")
        known = [item.name for item in fields(cls)]
        for key in data:
            if key not in known:
                raise FaceEditError(f"Unknown face edit {key!r}. Known edits: {', '.join(known)}.")
        return cls(**dict(data))

    @staticmethod
    def units() -> dict[str, str]:
        """What each amount means and in which unit."""
        return dict(_UNITS)


# --- the edits, one pure function each ------------------------------------------


def gaze_horizontal(image: np.ndarray, landmarks: Landmarks, degrees: float) -> np.ndarray:
    """Turn both eyes sideways by ``degrees`` (+ toward the picture's right).

    Each iris slides as a rigid disc inside the eye opening; the white of the
    eye stretches behind it and narrows ahead of it, while the lids and eye
    corners stay exactly as they were. Examples: see :func:`apply_face_edits`.
    """
    return apply_face_edits(image, landmarks, FaceEdit(gaze_x=degrees))


def gaze_vertical(image: np.ndarray, landmarks: Landmarks, degrees: float) -> np.ndarray:
    """Turn both eyes up (+) or down (-) by ``degrees``; the upper lids follow part way."""
    return apply_face_edits(image, landmarks, FaceEdit(gaze_y=degrees))


def lift_mouth_corner_left(image: np.ndarray, landmarks: Landmarks, pixels: float) -> np.ndarray:
    """Lift (+) or lower (-) the mouth corner on the picture's left, in px at 1024 px."""
    return apply_face_edits(image, landmarks, FaceEdit(mouth_left=pixels))


def lift_mouth_corner_right(image: np.ndarray, landmarks: Landmarks, pixels: float) -> np.ndarray:
    """Lift (+) or lower (-) the mouth corner on the picture's right, in px at 1024 px."""
    return apply_face_edits(image, landmarks, FaceEdit(mouth_right=pixels))


def raise_brow_left(image: np.ndarray, landmarks: Landmarks, pixels: float) -> np.ndarray:
    """Raise (+) or lower (-) the brow on the picture's left, in px at 1024 px."""
    return apply_face_edits(image, landmarks, FaceEdit(brow_left=pixels))


def raise_brow_right(image: np.ndarray, landmarks: Landmarks, pixels: float) -> np.ndarray:
    """Raise (+) or lower (-) the brow on the picture's right, in px at 1024 px."""
    return apply_face_edits(image, landmarks, FaceEdit(brow_right=pixels))


def narrow_eyelids(image: np.ndarray, landmarks: Landmarks, pixels: float) -> np.ndarray:
    """Narrow both eyes by ``pixels`` at 1024 px, mostly from below (the eye part of a felt smile)."""
    return apply_face_edits(image, landmarks, FaceEdit(eyelid_narrowing=pixels))


def tilt_head(image: np.ndarray, landmarks: Landmarks, degrees: float) -> np.ndarray:
    """Roll the head about the face's centre by ``degrees`` (+ clockwise)."""
    return apply_face_edits(image, landmarks, FaceEdit(head_tilt=degrees))


# --- composing them ------------------------------------------------------------


def apply_face_edits(image: np.ndarray, landmarks: Landmarks, edit: FaceEdit, person: np.ndarray | None = None) -> np.ndarray:
    """Apply every amount in ``edit`` to ``image`` in one warp.

    Parameters
    ----------
    image : ndarray, RGB uint8, shape (H, W, 3)
    landmarks : Landmarks
        The face's points, for this image or for the same photo at another
        size (they are rescaled to fit).
    edit : FaceEdit
        The amounts; each is clamped to :func:`edit_limits` first.
    person : ndarray of float, shape (H, W), optional
        The subject mask of ``image``
        (:func:`portrait_lessons.retouch.subject.subject_mask`): with it the
        head tilt turns the hair and any hat with the head; without it, an
        oval round the face turns and the hair beyond it follows part way.

    Returns
    -------
    ndarray
        A new image; equal to ``image`` when the edit is neutral.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> image = examples.load_portrait("glover", 400)
    >>> landmarks = examples.portrait_landmarks("glover", 400)
    >>> looked = apply_face_edits(image, landmarks, FaceEdit(gaze_x=20))
    >>> changed = np.nonzero((looked != image).any(axis=2))
    >>> bool(abs(changed[0].mean() - landmarks.points["left_iris"][1]) < 15)  # only round the eyes
    True
    """
    landmarks = fit_landmarks(landmarks, image)
    edit = clamp_edit(edit, landmarks)
    if edit.is_neutral:
        return np.array(image, copy=True)
    rig = _rig_for(landmarks, image)
    slid, eyeball = _slide_eyeballs(image, rig, rig.gaze_pixels(edit.gaze_x), rig.gaze_pixels(edit.gaze_y))
    lids_move = edit.eyelid_narrowing > 0 or edit.gaze_y
    # Moving lids are warped from the photo as it was: warped from the slid eyes they would
    # drag along the white a turned iris uncovers under a still lid, a pale band under the
    # lid of a lowered eye. The slid eyes then go back between the moved lids.
    warped = _warp(_without_lid_glints(image, rig) if edit.gaze_y < 0 else image if lids_move else slid,
                   rig, edit, person=person)  # fmt: skip
    if lids_move:
        # The warp moves the lids (they follow an upward or downward look, or
        # narrow) and would squash or stretch the eyeball between them; put the
        # slid eyeball back as it is, so the lids cover or uncover it instead.
        still = replace(edit, eyelid_narrowing=0.0, gaze_y=0.0)
        eyes = _warp(eyeball, rig, still, _eyes_box(rig, image.shape), person)
        (x0, y0, x1, y1), mask = _opening_in_box(rig, edit, image.shape)  # the mask is 0 outside the box
        box, eye, weight = warped[y0:y1, x0:x1].astype(np.float32), eyes[y0:y1, x0:x1], mask[..., None]
        warped[y0:y1, x0:x1] = np.round(box + weight * (eye - box)).astype(np.uint8)
    return warped


def _rig_for(landmarks: Landmarks, image: np.ndarray | None = None) -> "_Rig":
    """The face's rig on this picture, built once per photo and copied for each edit.

    The rig depends on the landmarks only (and, with glasses, on the pixels round the
    eyes and brows where the frame's rim is searched), not on the slider values; building
    it again for every slider step costs 1 to 2 ms, and 20 to 40 ms with glasses.
    """
    key = (tuple((name, tuple(xy)) for name, xy in landmarks.points.items()), tuple(landmarks.iris_radius.items()),
           tuple(map(tuple, landmarks.face_outline)), landmarks.width, landmarks.height, landmarks.notes)  # fmt: skip
    if wears_glasses(landmarks) and image is not None:  # the rim search reads the photo inside the face's box
        pad = 0.2 * landmarks.interocular_distance
        left, top, right, bottom = landmarks.face_box
        box = image[max(0, int(top - pad)) : max(0, math.ceil(bottom + pad)), max(0, int(left - pad)) : max(0, math.ceil(right + pad))]
        key += (image.shape, hash(np.ascontiguousarray(box).tobytes()))
    rig = _RIGS.get(key)
    if rig is None:
        rig = _Rig(landmarks, image)
        rig.image = None  # the cache need not hold the photo
        if len(_RIGS) >= 8:
            _RIGS.pop(next(iter(_RIGS)))
        _RIGS[key] = rig
    fresh = copy.copy(rig)
    fresh.points = dict(rig.points)  # moves() sets the slid irises in it
    fresh.image = image
    return fresh


_RIGS: dict = {}


def _warp(image: np.ndarray, rig: "_Rig", edit: FaceEdit, box=None, person=None) -> np.ndarray:
    """One mesh warp for every point move and the head tilt in ``edit`` (only inside ``box`` if given)."""
    moves = rig.moves(edit)
    maps, regions = [], []
    if edit.head_tilt:  # applied last going forward, so undone first going backward
        swirl, region = rig.swirl(edit.head_tilt, person)
        maps.append(swirl)
        regions.append(region)
    for side in ("left", "right"):  # a raised brow: after the features' warp going forward
        raised = rig.brow_raise(side, getattr(edit, f"brow_{side}"), image.shape)
        if raised is not None:
            maps.append(raised[0])
            regions.append(raised[1])
    if moves:
        sources = np.array([rig.points[name] for name in moves])
        targets = sources + np.array(list(moves.values()))
        # When the lids move, the eyeball between them is laid back unsquashed afterwards
        # (apply_face_edits): a still point at the iris would only hold the lids back.
        lids_move = any("_lid_" in name for name in moves)
        anchors = np.array([point for name, point in rig.points.items()
                            if name not in moves and not (lids_move and name.endswith("_iris"))])  # fmt: skip
        _, p, q, region, band = _prepare_warp(image, sources, targets, anchors, rig.margin)
        if p is not None:
            maps.append(mls_backward(p, q, 1.5, region, band))
            regions.append(region)
    if not maps:
        return np.array(image, copy=True)
    if edit.head_tilt and box is None:
        # Two passes, the features then the tilt: the tilt turns a large area, which a dense
        # remap does in a few milliseconds, while the features' map is slow per point.
        features = len(maps) > 1  # the point moves or a raised brow besides the tilt
        moved = _warp(image, rig, replace(edit, head_tilt=0.0), None, person) if features else image
        return rig.turn_head(moved, edit.head_tilt, person)

    def backward(points):
        # Each map only where it changes anything (its box): a raised brow's box is a small
        # share of the features' region, and points outside it stay exactly on the whole
        # pixels, where the features' map finds its sums kept.
        for step, (left, top, right, bottom) in zip(maps, regions):
            inside = (points[:, 0] >= left) & (points[:, 0] <= right) & (points[:, 1] >= top) & (points[:, 1] <= bottom)
            if inside.all():
                points = step(points)
            elif inside.any():
                points = points.copy()
                points[inside] = step(points[inside])
        return points

    height, width = image.shape[:2]
    region = (
        max(0, min(r[0] for r in regions)), max(0, min(r[1] for r in regions)),
        min(width, max(r[2] for r in regions)), min(height, max(r[3] for r in regions)),
    )  # fmt: skip
    if box is not None:
        region = (max(region[0], box[0]), max(region[1], box[1]), min(region[2], box[2]), min(region[3], box[3]))
        if region[2] - region[0] < 2 or region[3] - region[1] < 2:
            return np.array(image, copy=True)
    warped = mesh_warp(image, backward, region, tolerance=0.3)
    if any("_lid_" in name for name in moves):
        warped = _lids_warped_finely(image, warped, backward, rig, region)
    if box is None and (edit.mouth_left or edit.mouth_right):
        warped = _keep_teeth(image, warped, backward, rig)
    return warped


def _lids_warped_finely(image: np.ndarray, warped: np.ndarray, backward, rig: "_Rig", region) -> np.ndarray:
    """``warped`` with the box round the eyes warped again, from mesh cells no taller than an eye's opening.

    The mesh (:func:`~portrait_lessons.face.warp.mesh_warp`) starts from 32 px cells and
    refines where their midpoints show the map bending: a lid's move on an eye a few pixels
    tall falls between them. On Jemison's eyes (6 px open) the warp kept 0.1 of the upper
    lid's 2.8 px move with a downward look, while the opening laid back between the lids
    came down in full: the squashed white and iris showed above it in blocky fragments.
    Cells no taller than the opening catch the move (to 0.3 px, the mesh's tolerance).
    """
    from .warp import MAX_CELL

    opening = min(rig.opening(side) for side in ("left", "right"))
    cell = 2 ** max(2, int(math.floor(math.log2(max(opening, 1.0)))))  # a power of two from 4 px
    x0, y0, x1, y1 = _eyes_box(rig, image.shape)
    x0, y0, x1, y1 = max(x0, region[0]), max(y0, region[1]), min(x1, region[2]), min(y1, region[3])
    if cell >= MAX_CELL or x1 - x0 < 2 or y1 - y0 < 2:
        return warped
    fine = mesh_warp(image, backward, (x0, y0, x1, y1), tolerance=0.3, max_cell=cell)
    out = np.array(warped, copy=True)
    out[y0:y1, x0:x1] = fine[y0:y1, x0:x1]
    return out


def _keep_teeth(image: np.ndarray, warped: np.ndarray, backward, rig: "_Rig") -> np.ndarray:
    """``warped`` (changed in place) with the teeth laid back unmoved wherever the moved lips still show them.

    The teeth seen between the lips (:func:`_teeth_mask`) are carried by the warp
    like the lips round them; where the carried teeth and the unmoved ones overlap,
    the unmoved ones are shown: the lips slide over the row instead of bending it.
    """
    found = _teeth_mask(image, rig)
    if found is None:
        return warped
    (x0, y0, x1, y1), teeth = found
    from .warp import _sample_bilinear

    ys, xs = np.mgrid[y0:y1, x0:x1]
    source = backward(np.stack([xs.ravel() + 0.5, ys.ravel() + 0.5], axis=1).astype(float))
    carried = _sample_bilinear(teeth[..., None], source - (x0, y0)).reshape(y1 - y0, x1 - x0)
    keep = (teeth * np.clip(carried, 0, 1))[..., None]
    box = warped[y0:y1, x0:x1].astype(np.float32)
    # (into ``warped`` itself: the warp's own new array, and the mouth's box is all that changes)
    warped[y0:y1, x0:x1] = np.round(box + keep * (image[y0:y1, x0:x1].astype(np.float32) - box)).astype(np.uint8)
    return warped


#: Teeth are told from lips by "whiteness", brightness less 2.5 times the colourfulness
#: (YCbCr levels), split in two by Otsu's threshold inside the lips; the brighter part is
#: teeth when its median brightness is at least TEETH_BRIGHTNESS and, in a colour photo,
#: its colourfulness under TEETH_GREYER of the lips'. On the bundled photos the open smiles
#: give 175-223 and 0.5-0.65; the closed mouths' lit lips 124-140 and 0.95-1.6.
TEETH_BRIGHTNESS = 160.0
TEETH_GREYER = 0.75
#: Where the row of teeth is held still beside a lifted corner, as shares of the mouth's width from it.
ROW_ENDS = (0.08, 0.15, 0.25)
#: The shaded teeth toward the corners: joined to the lit ones and at least this share of Otsu's threshold.
TEETH_SHADED = 0.5


def _teeth_mask(image: np.ndarray, rig: "_Rig"):
    """((x0, y0, x1, y1), soft mask 0..1 of the box) of the teeth seen between the lips, or None.

    It depends on the lips' points and the pixels of the mouth's box only, and a mouth
    slider's every step needs it twice: the last few are kept, found by those pixels.
    """
    p = rig.p
    lips = np.array([p["mouth_left"], p["upper_lip"], p["mouth_right"], p["lower_lip"]])
    centre = lips.mean(axis=0)
    lips = centre + (lips - centre) * 1.1  # the teeth reach a little past the marked corners
    height, width = image.shape[:2]
    x0, y0 = np.maximum(np.floor(lips.min(axis=0)).astype(int) - 2, 0)
    x1, y1 = np.minimum(np.ceil(lips.max(axis=0)).astype(int) + 3, (width, height))
    if x1 - x0 < 6 or y1 - y0 < 4:
        return None
    crop = np.ascontiguousarray(image[y0:y1, x0:x1])
    key = (lips.tobytes(), (int(x0), int(y0), int(x1), int(y1)), crop.tobytes())
    if key in _TEETH:
        return _TEETH[key]
    found = _find_teeth(crop, lips, centre, (int(x0), int(y0), int(x1), int(y1)))
    while len(_TEETH) >= 8:
        _TEETH.pop(next(iter(_TEETH)), None)
    _TEETH[key] = found
    return found


#: The teeth masks of the last few mouths, by the lips' points and the mouth's pixels.
_TEETH: dict = {}


def _find_teeth(crop: np.ndarray, lips: np.ndarray, centre: np.ndarray, box: tuple[int, int, int, int]):
    """The work of :func:`_teeth_mask` on the mouth's box ``crop``."""
    import cv2  # it ships with the subject mask

    x0, y0, x1, y1 = box
    inside = cv2.fillPoly(np.zeros(crop.shape[:2], np.uint8), [np.round(lips - (x0, y0)).astype(np.int32)], 1).astype(bool)
    ycc = cv2.cvtColor(crop, cv2.COLOR_RGB2YCrCb).astype(np.float32)
    luma, chroma = ycc[..., 0], np.hypot(ycc[..., 1] - 128, ycc[..., 2] - 128)
    whiteness = luma - 2.5 * chroma
    values = np.clip(whiteness[inside], 0, 255).astype(np.uint8)
    if values.size < 20:
        return None
    threshold, _ = cv2.threshold(values, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    teeth = inside & (whiteness > threshold)
    lip = inside & ~teeth
    if teeth.sum() < 10 or lip.sum() < 10 or float(np.median(luma[teeth])) < TEETH_BRIGHTNESS:
        return None
    colour = float(np.median(chroma[lip]))
    if colour > 3 and float(np.median(chroma[teeth])) > TEETH_GREYER * colour:
        return None  # lit lips, not teeth
    # The row runs on into the shade toward the corners (the outer teeth, whiteness 55-140 on
    # Jemison where the lit ones pass 200 and the lips stay under 45): pixels of at least
    # TEETH_SHADED of the threshold, joined to the lit teeth and within the marked corners (past
    # them, glints in the corners' shade were held as specks), are teeth too. Without them the
    # outer teeth went with a lifted corner and the row bent up at its end.
    marked = cv2.fillPoly(np.zeros(crop.shape[:2], np.uint8), [np.round(centre + (lips - centre) / 1.1 - (x0, y0)).astype(np.int32)], 1)
    shaded = (marked.astype(bool) & (whiteness > TEETH_SHADED * threshold)).astype(np.uint8)
    _, labels = cv2.connectedComponents(shaded, connectivity=8)
    teeth = shaded.astype(bool) & np.isin(labels, np.unique(labels[teeth & (shaded > 0)]))
    # The gaps between teeth belong to the row; its rim (a pixel) stays with the lips.
    mask = cv2.morphologyEx(teeth.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((3, 3), np.uint8))
    mask = cv2.erode(mask, np.ones((3, 3), np.uint8)).astype(np.float32)
    mask = cv2.GaussianBlur(mask, (0, 0), 0.7)
    mask.setflags(write=False)  # kept and shared between steps
    return box, mask


def _without_lid_glints(image: np.ndarray, rig: "_Rig") -> np.ndarray:
    """``image`` with small bright glints just under the upper lids smoothed away.

    A lid that comes down with a downward look is warped from the photo: a glint on the
    tear film at its margin (Glover's shadowed eye) was stretched with the margin into a
    second, larger light over the iris. The eye between the lids is laid back from the
    slid eyeball, catchlight and all, so only the lid's band loses the glint.
    """
    import cv2

    out = np.array(image, copy=True)
    for side in ("left", "right"):
        lids = np.concatenate([rig._lid(side, "upper", np.linspace(0, 1, 41)), rig._lid(side, "lower", np.linspace(0, 1, 41))])
        height, width = image.shape[:2]
        x0, y0 = np.maximum(np.floor(lids.min(axis=0) - 3).astype(int), 0)
        x1, y1 = np.minimum(np.ceil(lids.max(axis=0) + 3).astype(int), (width, height))
        if x1 - x0 < 5 or y1 - y0 < 5:
            continue
        box = (int(x0), int(y0), int(x1), int(y1))
        band = (_opening_mask(rig, side, box, 0.15) > 0.5) & (_opening_mask(rig, side, box, -0.5, 0.15) < 0.5)
        crop = out[y0:y1, x0:x1]
        grey = crop.astype(np.float32).mean(axis=-1)
        smooth = cv2.medianBlur(np.ascontiguousarray(crop), 5)
        glint = band & (grey - smooth.astype(np.float32).mean(axis=-1) > 25)
        glint = cv2.dilate(glint.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & band
        crop[glint] = smooth[glint]
    return out


def _eyes_box(rig: "_Rig", shape) -> tuple[int, int, int, int]:
    """A box round both eyes, with room for a head tilt to carry them."""
    xy = np.array([point for name, point in rig.points.items() if "_lid_" in name or "_eye_" in name and "skin" not in name])
    low, high = xy.min(axis=0) - 0.35 * rig.spacing, xy.max(axis=0) + 0.35 * rig.spacing
    return (max(0, math.floor(low[0])), max(0, math.floor(low[1])), min(shape[1], math.ceil(high[0])), min(shape[0], math.ceil(high[1])))


def _covered_opening_mask(rig: "_Rig", edit: FaceEdit, shape) -> np.ndarray:
    """Soft mask (0..1, image-sized) of what stays open between the edited lids.

    The lids' new margins come from :meth:`_Rig.lid_lift`; the mask sits a
    little inside them, so the lid margins (lashes, the wet line) come from the
    warp and the eyeball inside from the unsquashed picture. A head tilt turns
    the eyes rigidly about the face's centre, and the mask with them.
    """
    height, width = shape[:2]
    mask = np.zeros((height, width), np.float32)
    (x0, y0, x1, y1), inside = _opening_in_box(rig, edit, shape)
    mask[y0:y1, x0:x1] = inside
    return mask


def _opening_in_box(rig: "_Rig", edit: FaceEdit, shape) -> tuple[tuple[int, int, int, int], np.ndarray]:
    """:func:`_eyes_box` and the mask of :func:`_covered_opening_mask` inside it (read-only).

    It depends on the lids' lifts and the tilt only: while another slider (a mouth corner,
    a brow) moves, the last few are kept on the rig (1.5 ms a step).
    """
    key = ("opening", rig.lid_lift("upper", edit), rig.lid_lift("lower", edit), edit.head_tilt, tuple(shape[:2]))
    found = rig._kept.get(key)
    if found is None:
        openings = [name for name in list(rig._kept) if name[0] == "opening"]
        for name in openings[: max(0, len(openings) - 3)]:
            rig._kept.pop(name, None)
        box = _eyes_box(rig, shape)
        mask = _draw_opening(rig, edit, box)
        mask.setflags(write=False)  # kept and shared between steps
        found = rig._kept[key] = box, mask
    return found


def _draw_opening(rig: "_Rig", edit: FaceEdit, box: tuple[int, int, int, int]) -> np.ndarray:
    """The mask of :func:`_covered_opening_mask` drawn inside ``box``."""
    from PIL import Image, ImageDraw, ImageFilter

    x0, y0, x1, y1 = box
    if x1 - x0 < 2 or y1 - y0 < 2:
        return np.zeros((max(0, y1 - y0), max(0, x1 - x0)), np.float32)
    factor = 4  # drawn at 4x and reduced: anti-aliased edges
    canvas = Image.new("L", ((x1 - x0) * factor, (y1 - y0) * factor), 0)
    draw = ImageDraw.Draw(canvas)
    t = np.linspace(0, 1, 41)
    inset = 0.0 * rig.radius
    angle = math.radians(edit.head_tilt)
    turn = np.array([[math.cos(angle), -math.sin(angle)], [math.sin(angle), math.cos(angle)]])
    for side in ("left", "right"):
        upper = rig._lid(side, "upper", t, rig.lid_lift("upper", edit) - inset, marked=True)
        lower = rig._lid(side, "lower", t, rig.lid_lift("lower", edit) + inset, marked=True)
        outline = np.concatenate([upper, lower[::-1]])
        outline = (outline - rig.centre) @ turn.T + rig.centre
        draw.polygon([tuple(p) for p in ((outline - (x0, y0)) * factor).tolist()], fill=255)
    canvas = canvas.resize((x1 - x0, y1 - y0), Image.BOX).filter(ImageFilter.GaussianBlur(0.5))
    return np.asarray(canvas, np.float32) / 255


def edit_limits(landmarks: Landmarks) -> dict[str, tuple[float, float]]:
    """The range of each amount that still looks human on this face.

    Pixel amounts scale with the face: a small face in a wide shot allows
    fewer pixels at 1024 px than a close-up does.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> limits = edit_limits(examples.portrait_landmarks("glover"))
    >>> limits["gaze_x"], limits["head_tilt"]
    ((-23.1, 25.0), (-12.0, 12.0))
    """
    to_reference = REFERENCE_EDGE / max(landmarks.width, landmarks.height)
    eye_spacing = landmarks.interocular_distance * to_reference
    rig = _rig_for(landmarks)  # every slider step clamps its edit: the rig is cached
    opening = min(rig.opening(side) for side in ("left", "right")) * to_reference
    mouth = round(MAX_MOUTH * eye_spacing, 1)
    brow = round((MAX_BROW_GLASSES if rig.glasses else MAX_BROW) * eye_spacing, 1)
    raise_brow = min(brow, round(rig.brow_room() * to_reference, 1))
    gaze_left, gaze_right = rig.gaze_room()
    sideways = max_gaze_x(rig.radius * to_reference)
    vertical = max_gaze_y(rig.radius)
    if _narrow_eyes(rig):
        sideways = min(sideways, MAX_GAZE_X_NARROW)
        vertical = min(vertical, MAX_GAZE_Y_NARROW)
    return {
        "gaze_x": (-min(sideways, gaze_left), min(sideways, gaze_right)),
        "gaze_y": (-vertical, vertical),
        "mouth_left": (-mouth, mouth),
        "mouth_right": (-mouth, mouth),
        "brow_left": (-brow, raise_brow),
        "brow_right": (-brow, raise_brow),
        "eyelid_narrowing": (0.0, max_narrowing(opening, to_reference)),
        "head_tilt": (-MAX_TILT, MAX_TILT),
    }


#: Half-way along a slider, an eyelid move under this many of the photo's own pixels is hard
#: to see even zoomed in (the review found 1.0-1.4 px invisible at 300 %, 2.6-3.2 px clearly
#: seen), and a brow move under VISIBLE_MID_BROW (a brow is a larger, darker band: Hopper's
#: 1.8 px read, Johnson's 1.25 px behind her frame did not); the slider's range then says why
#: (:func:`limit_notes`).
VISIBLE_MID_PIXELS = 2.0
#: A sideways look whose range stops under this share of the usual (the iris near a corner) gets
#: a note when mid-way moves under VISIBLE_MID_PIXELS.
SHORT_TURN = 0.75
VISIBLE_MID_BROW = 1.5


def _narrow_eyes(rig: "_Rig") -> bool:
    """Whether the narrower eye's opening is under NARROW_EYE of the iris's diameter."""
    return min(rig.opening(side) for side in ("left", "right")) < NARROW_EYE * 2 * rig.radius


def limit_notes(landmarks: Landmarks) -> dict[str, str]:
    """Plain-words notes on the sliders whose range this face shortens, or whose move is small.

    A tool shows them beside its sliders, so that a learner who sees little
    change (or a short range) reads why. Sliders without a note move their
    feature visibly mid-way on this face. Sizes are the photo's own pixels:
    the same face in a larger copy moves more pixels and needs fewer notes.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> notes = limit_notes(examples.portrait_landmarks("jemison", 1024))  # as the tools show it
    >>> sorted(notes)
    ['eyelid_narrowing', 'gaze_x', 'gaze_y']
    >>> print(notes["gaze_x"])  # doctest: +ELLIPSIS
    Look left / right stops at ±14°: these eyes are narrow ...
    >>> limit_notes(examples.portrait_landmarks("koch", 1024))
    {}
    >>> print(limit_notes(examples.portrait_landmarks("ochoa", 1024))["gaze_x"])  # doctest: +ELLIPSIS
    Look right stops at +14.5°: the iris is already near the corner of the eye on that side ...
    """
    rig = _Rig(landmarks)
    limits = edit_limits(landmarks)
    own = max(landmarks.width, landmarks.height) / REFERENCE_EDGE  # photo px per px at 1024
    notes = {}
    opening = min(rig.opening(side) for side in ("left", "right"))
    if _narrow_eyes(rig):
        share = opening / (2 * rig.radius)
        notes["gaze_x"] = (
            f"Look left / right stops at ±{MAX_GAZE_X_NARROW:.0f}°: these eyes are narrow (the opening is "
            f"{share:.0%} of the iris's height), so little white shows beside the iris. Turned further, the "
            "iris would leave more white than these eyes show, and the filled-in white reads as a pale patch. "
            f"Mid-way the iris moves about {abs(rig.gaze_pixels(MAX_GAZE_X_NARROW / 2)):.0f} px."
        )
    else:
        # A look that stops early, the iris already near a corner (Ochoa looking right:
        # +14.5°), moves little mid-way on a small eye: the end shows it.
        sideways = max_gaze_x(rig.radius / own)
        for direction, end in zip(("left", "right"), limits["gaze_x"]):
            mid = abs(rig.gaze_pixels(end / 2))
            if abs(end) < SHORT_TURN * sideways and mid < VISIBLE_MID_PIXELS:
                notes["gaze_x"] = notes.get("gaze_x", "") + (" " if "gaze_x" in notes else "") + (
                    f"Look {direction} stops at {end:+.1f}°: the iris is already near the corner of the eye on "
                    f"that side (turned further, it would slide into the corner), so mid-way it moves only "
                    f"{mid:.1f} px. Use the end of the range and compare before / after."
                )
    if _narrow_eyes(rig) and limits["gaze_y"][1] < max_gaze_y(rig.radius):
        most = abs(rig.gaze_pixels(limits["gaze_y"][1]))
        notes["gaze_y"] = (
            f"Look down / up stops at ±{limits['gaze_y'][1]:.0f}°: these eyes are narrow (the opening is "
            f"{opening / (2 * rig.radius):.0%} of the iris's height), and there the iris has moved {most / opening:.0%} of it. "
            "Turned further up, a band of white would show under the iris (a blank stare); further down, the "
            "upper lid, which follows the eye, would all but close it. Mid-way the iris moves about "
            f"{most / 2:.1f} px, and most of what shows is the upper lid following it."
        )
    elif rig.radius < SMALL_IRIS_GAZE_Y:
        most = abs(rig.gaze_pixels(limits["gaze_y"][1]))
        notes["gaze_y"] = (
            f"Look down / up moves these irises only {most / 2:.1f} px mid-way and {most:.1f} px at the end: "
            f"the eyes are small in the picture (the iris about {2 * rig.radius:.0f} px across). Most of what "
            "shows is the upper lid following the eye, down over it or up off it. A close-up (Koch, Glover) "
            "shows the iris itself move."
        )
    narrowing = limits["eyelid_narrowing"][1]
    if narrowing / 2 * own < VISIBLE_MID_PIXELS:
        notes["eyelid_narrowing"] = (
            f"Eyelid narrowing: these eyes are only {opening:.0f} px tall in the photo, so the lids "
            f"can close by {narrowing * own:.1f} px at most before the eye reads as a squint, and half-way "
            f"({narrowing / 2 * own:.1f} px) is hard to see. Use the end of the range and compare before / after."
        )
    lower, brow = -limits["brow_left"][0], limits["brow_left"][1]
    if brow / 2 * own < VISIBLE_MID_BROW:
        if rig.glasses:
            why = "the frame's top rim sits under the brows and must not bend"
        elif brow < lower:
            why = ("the brows sit close over the eyes: raised further, the skin over the lids would "
                   f"stretch more than {BROW_STRETCH:.1f} times and its creases smear; lowering goes to {lower * own:.1f} px")  # fmt: skip
        else:
            why = "the face is small in the photo"
        for name in ("brow_left", "brow_right"):
            notes[name] = (
                f"Brows: they {'move' if rig.glasses else 'rise'} at most {brow * own:.1f} px in this photo ({why}), so half-way "
                f"({brow / 2 * own:.1f} px) is hard to see. Use the end of the range and compare before / after."
            )
    return notes


def max_narrowing(opening: float, to_reference: float = 1.0) -> float:
    """Largest eyelid narrowing (px at 1024 px) for an eye opening of ``opening`` px at 1024 px.

    ``to_reference`` is how many px at 1024 px one pixel of the photo makes
    (2 for a 512 px photo): the floor of :data:`MIN_NARROWING_PIXELS` is in
    the photo's own pixels, since that is what shows.

    Examples
    --------
    >>> max_narrowing(16.0), max_narrowing(6.0), max_narrowing(6.0, 2.0), max_narrowing(3.0)
    (6.4, 2.4, 3.0, 1.5)
    """
    floor = min(MIN_NARROWING_PIXELS * to_reference, MAX_NARROWING_SMALL_EYE * opening)
    return round(max(MAX_NARROWING * opening, floor), 1)


def max_gaze_y(iris_radius: float) -> float:
    """Largest turn up or down (degrees) for an iris of this radius in the photo's own pixels.

    Far enough to move the iris :data:`GAZE_Y_MIN_PIXELS` pixels, so that
    mid-way shows on a small face too; between :data:`MAX_GAZE_Y` and
    :data:`MAX_GAZE_Y_SMALL_IRIS`.

    Examples
    --------
    >>> max_gaze_y(11.0), max_gaze_y(5.5), max_gaze_y(3.5)
    (15.0, 18.7, 25.0)
    """
    ratio = min(1.0, GAZE_Y_MIN_PIXELS / (EYE_ROTATION_RADIUS * max(iris_radius, 1e-6)))
    needed = math.degrees(math.asin(ratio))
    return round(min(max(needed, MAX_GAZE_Y), MAX_GAZE_Y_SMALL_IRIS), 1)


def max_gaze_x(iris_radius: float) -> float:
    """Largest sideways eye turn (degrees) for an iris of this radius in px at 1024 px.

    A small iris (a wide shot, a small face) has only a few pixels of white
    beside it; stretching them far smears the white, so small eyes turn less.

    Examples
    --------
    >>> max_gaze_x(11.0), max_gaze_x(7.5), max_gaze_x(3.5)
    (25.0, 22.5, 20.0)
    """
    share = min(max((iris_radius - SMALL_IRIS) / (LARGE_IRIS - SMALL_IRIS), 0.0), 1.0)
    return round(MAX_GAZE_X_SMALL_IRIS + share * (MAX_GAZE_X - MAX_GAZE_X_SMALL_IRIS), 1)


def wears_glasses(landmarks: Landmarks) -> bool:
    """Whether the landmark notes say the sitter wears glasses (brow edits are then gentler).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> wears_glasses(examples.portrait_landmarks("hopper")), wears_glasses(examples.portrait_landmarks("koch"))
    (True, False)
    """
    notes = landmarks.notes.lower()
    return any(word in notes for word in ("glasses", "spectacles", "eyeglasses"))


def clamp_edit(edit: FaceEdit, landmarks: Landmarks) -> FaceEdit:
    """``edit`` with every amount brought inside :func:`edit_limits`.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> clamp_edit(FaceEdit(head_tilt=40), examples.portrait_landmarks("koch")).head_tilt
    12.0
    """
    limits = edit_limits(landmarks)
    values = {name: min(max(value, limits[name][0]), limits[name][1]) for name, value in edit.to_dict().items()}
    return replace(edit, **values)


def iris_shift(landmarks: Landmarks, x_degrees: float, y_degrees: float = 0.0) -> tuple[float, float]:
    """How far, in image pixels, a gaze turn moves each iris centre (dx, dy).

    An eye turning by angle a moves its iris by ``EYE_ROTATION_RADIUS * r *
    sin(a)``, with r the iris radius. The angles are clamped first.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> dx, dy = iris_shift(examples.portrait_landmarks("glover"), 15)
    >>> round(float(dx), 1), round(float(dy), 1)
    (6.0, -0.1)
    """
    edit = clamp_edit(FaceEdit(gaze_x=x_degrees, gaze_y=y_degrees), landmarks)
    rig = _Rig(landmarks)
    return tuple(rig.across * rig.gaze_pixels(edit.gaze_x) + rig.up * rig.gaze_pixels(edit.gaze_y))


def fit_landmarks(landmarks: Landmarks, image: np.ndarray) -> Landmarks:
    """The landmarks rescaled to ``image`` if they belong to the same photo at another size.

    Raises
    ------
    FaceEditError
        If the image's shape does not match the photo the landmarks were placed on.
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise FaceEditError(f"Expected an RGB uint8 image of shape (H, W, 3), got {image.dtype} {image.shape}.")
    height, width = image.shape[:2]
    if (width, height) == (landmarks.width, landmarks.height):
        return landmarks
    if abs(width / height - landmarks.width / landmarks.height) > 0.01 * width / height:
        raise FaceEditError(
            f"These landmarks were placed on a {landmarks.width} x {landmarks.height} photo, but this image is "
            f"{width} x {height}, a different shape. Use the landmarks of this photo (or place new ones)."
        )
    return landmarks.scaled(width / landmarks.width)


# --- the rig ---------------------------------------------------------------------


class _Rig:
    """Named control points of one face, and what each edit does to them."""

    def __init__(self, landmarks: Landmarks, image: np.ndarray | None = None):
        self.landmarks = landmarks
        self.image = image  # with glasses, the frame's top rim is found in it
        # What depends on the landmarks only (and on few slider values), worked out once: the
        # copies _rig_for hands out share it.
        self._kept: dict = {}
        p = {name: np.array(xy, float) for name, xy in landmarks.points.items()}
        self.p = p
        self.scale = max(landmarks.width, landmarks.height) / REFERENCE_EDGE  # image px per px at 1024
        self.spacing = landmarks.interocular_distance
        across = p["right_iris"] - p["left_iris"]
        self.across = across / np.linalg.norm(across)  # toward the picture's right, along the eye line
        self.up = np.array([self.across[1], -self.across[0]])  # toward the top of the head
        self.radius = (landmarks.iris_radius["left"] + landmarks.iris_radius["right"]) / 2
        self.glasses = wears_glasses(landmarks)
        self.points: dict[str, np.ndarray] = {}
        self._eyes()
        self._brows_and_forehead()
        self._mouth_and_cheeks()
        for i, xy in enumerate(landmarks.face_outline):
            self.points[f"outline_{i}"] = np.array(xy, float)
        for name in ("nose_tip", "chin"):
            self.points[name] = p[name]
        self.points["nose_bridge"] = (p["left_eye_inner"] + p["right_eye_inner"]) / 2
        self.centre = np.mean(list(p.values()), axis=0)
        self.margin = 0.45 * self.spacing
        self._frame()

    # geometry -------------------------------------------------------------
    def _eye_frame(self, side: str):
        """Outer and inner corner, and the lids' heights above/below the corner line."""
        p = self.p
        outer, inner = p[f"{side}_eye_outer"], p[f"{side}_eye_inner"]
        chord = inner - outer
        length = np.linalg.norm(chord)
        up = self.up

        def place(point):
            d = point - outer
            return float(d @ chord) / length**2, float(d @ up)

        return outer, chord, length, place

    def _lid(self, side: str, which: str, t: np.ndarray, lift: float = 0.0, marked: bool = False) -> np.ndarray:
        """Points on a lid margin at fractions ``t`` of the way from outer to inner corner.

        ``lift`` moves the lid's apex up (+) or down (-) by that many pixels,
        the rest of the margin in proportion, as the edits move the lid points.

        ``marked``: the margin through the marked apex (:meth:`_apex`), which the lids' points
        and the opening between moved lids follow. Otherwise the opening the eye's white and
        iris are read from, whose height is read straight off ``up``: on a slanted eye it runs
        up to 2.3 px below the marked apex (Glover's right eye; Jemison's 1.4-1.9 px), and the
        white fills are tuned to it.
        """
        outer, chord, _, place = self._eye_frame(side)
        height = (self._apex(side, which)[1] if marked else place(self.p[f"{side}_{which}_lid"])[1]) + lift
        return outer + t[:, None] * chord + (height * self.lid_profile(side, which, t, marked))[:, None] * self.up

    def _apex(self, side: str, which: str) -> tuple[float, float]:
        """The lid's marked apex as (share of the way from the outer corner to the inner one, height
        in px): ``outer + share * chord + height * up`` is the apex. On a slanted eye the chord is not
        square to ``up``: a height read straight off ``up`` drew the lid through a point up to 2.3 px
        below the marked apex (Glover's right eye, Jemison's 1.8 px), inside the real opening."""
        outer, chord, _, _ = self._eye_frame(side)
        share, height = np.linalg.solve(np.column_stack([chord, self.up]), self.p[f"{side}_{which}_lid"] - outer)
        return float(share), float(height)

    def lid_profile(self, side: str, which: str, t: np.ndarray, marked: bool = True) -> np.ndarray:
        """How far each point of a lid margin lies from the corners' line, as a share of its apex's (0 to 1).

        At fractions ``t`` of the way from the outer corner to the inner one: a
        parabola on each side of the apex, flat at the apex, zero at the corners.
        A lid that follows the eye moves each of its points this share of the
        apex's move (:meth:`moves`), as :meth:`_lid` draws the moved margin.
        ``marked``: the apex's place along the eye as :meth:`_apex` reads it (the
        margin the lid points follow), or as the opening the whites are read from does.
        """
        apex = self._apex(side, which)[0] if marked else self._eye_frame(side)[3](self.p[f"{side}_{which}_lid"])[0]
        apex_t = min(max(apex, 0.15), 0.85)
        u = np.where(t < apex_t, (apex_t - t) / apex_t, (t - apex_t) / (1 - apex_t))
        return 1 - u**2

    def opening(self, side: str) -> float:
        """Height of the eye opening (upper to lower lid) in image pixels."""
        _, _, _, place = self._eye_frame(side)
        return place(self.p[f"{side}_upper_lid"])[1] - place(self.p[f"{side}_lower_lid"])[1]

    def gaze_pixels(self, degrees: float) -> float:
        return EYE_ROTATION_RADIUS * self.radius * math.sin(math.radians(degrees))

    def gaze_room(self) -> tuple[float, float]:
        """Largest turns (degrees) toward the picture's left and right that keep
        each iris clear of the still zones at the eye corners."""
        room = {"left": [], "right": []}
        for side in ("left", "right"):
            iris = self.p[f"{side}_iris"]
            for corner in ("outer", "inner"):
                along = float((self.p[f"{side}_eye_{corner}"] - iris) @ self.across)
                length = float(np.linalg.norm(self.p[f"{side}_eye_inner"] - self.p[f"{side}_eye_outer"]))
                clear = IRIS_ZONE * self.radius + CORNER_ZONE * length + 0.5
                room["right" if along > 0 else "left"].append(abs(along) - clear)
        turns = []
        for direction in ("left", "right"):
            pixels = max(0.0, min(room[direction]))
            ratio = min(1.0, pixels / (EYE_ROTATION_RADIUS * self.radius))
            turns.append(round(math.degrees(math.asin(ratio)), 1))
        return turns[0], turns[1]

    # control points -----------------------------------------------------------
    def _eyes(self):
        t = np.array(LID_POINTS)
        for side in ("left", "right"):
            p = self.p
            self.points[f"{side}_eye_outer"] = p[f"{side}_eye_outer"]
            self.points[f"{side}_eye_inner"] = p[f"{side}_eye_inner"]
            for which in ("upper", "lower"):
                for k, xy in enumerate(self._lid(side, which, t, marked=True)):
                    self.points[f"{side}_{which}_lid_{k}"] = xy
            self.points[f"{side}_iris"] = p[f"{side}_iris"]
            # Skin round the eye holds still, so an eye edit stays in the eye.
            outer, chord, length, _ = self._eye_frame(side)
            centre = outer + chord / 2
            along = chord / length
            half_height = self.opening(side) / 2 + 0.9 * self.radius
            for k, angle in enumerate(np.linspace(0, 2 * np.pi, 10, endpoint=False)):
                offset = 0.72 * length * math.cos(angle) * along + half_height * math.sin(angle) * self.up
                self.points[f"{side}_eye_skin_{k}"] = centre + offset

    def _brow_curve(self, side: str) -> np.ndarray:
        """Seven points along a brow: a parabola through its three landmarks, a little past each end."""
        outer, middle, inner = (self.p[f"{side}_brow_{part}"] for part in ("outer", "middle", "inner"))
        t = np.array([-0.1, 0.1, 0.3, 0.5, 0.7, 0.9, 1.1])[:, None]
        # Quadratic Bezier-like curve passing through the middle point at t = 0.5.
        control = 2 * middle - (outer + inner) / 2
        return (1 - t) ** 2 * outer + 2 * t * (1 - t) * control + t**2 * inner

    def _brows_and_forehead(self):
        for side in ("left", "right"):
            for k, point in enumerate(self._brow_curve(side)):
                self.points[f"{side}_brow_{k}"] = point
                self.points[f"{side}_forehead_{k}"] = point + 0.8 * self.spacing * self.up
                if not self.glasses and 0 < k < 6:
                    # The brow's lower edge goes with it: the hairs move as one band and the
                    # stretch falls on the smooth skin of the lid fold below.
                    self.points[f"{side}_brow_under_{k}"] = point - BROW_BAND * self.spacing * self.up
            for part in ("outer", "middle", "inner"):
                brow = self.p[f"{side}_brow_{part}"]
                self.points[f"{side}_crown_{part}"] = brow + 1.3 * self.spacing * self.up
            if self.glasses:
                # Still points where the frame's top rim runs, under the brow:
                # the brow moves above a rigid rim instead of bending it.
                drop = 0.4 * float((self.p[f"{side}_brow_middle"] - self.p[f"{side}_upper_lid"]) @ self.up)
                curve = self._brow_curve(side)
                for k, point in enumerate(curve[1:-1]):
                    self.points[f"{side}_rim_{k}"] = point - drop * self.up
                edges = self._rim_edges(side)
                if edges is not None:
                    # The rim's top edge, found in the photo: hold the rim just above and
                    # inside it, and move the brow from points a little above it, so a
                    # brow drawn on (or just above) a thick frame never drags it along.
                    gap = RIM_GAP * self.spacing
                    for k, (point, edge) in enumerate(zip(curve[1:-1], edges)):
                        self.points[f"{side}_rim_{k}"] = edge + 1.0 * self.up
                        self.points[f"{side}_rim_inside_{k}"] = edge - 0.08 * self.spacing * self.up
                        height = float((point - edge) @ self.up)
                        if height < gap:
                            self.points[f"{side}_brow_{k + 1}"] = point + (gap - height) * self.up
                    for k in (0, 6):  # the brow's ends, beyond the rim's found stretch
                        end = curve[k]
                        height = float((end - edges[0 if k == 0 else -1]) @ self.up)
                        if height < gap:
                            self.points[f"{side}_brow_{k}"] = end + (gap - height) * self.up

    def _rim_edges(self, side: str) -> np.ndarray | None:
        """Where a spectacle frame's top rim crosses under each inner brow point, or None.

        Along each of the brow curve's five inner points the photo is searched
        downward, from just above the brow to most of the way to the upper lid,
        for the first sharp step in brightness (3 px columns, a 2 px step, at
        least RIM_STEP levels): a frame's top edge is far sharper than skin,
        brow or lid shading. Found when every column has one, within a tenth of
        an eye spacing of the others (a straight rim).
        """
        if self.image is None:
            return None
        key = (side, id(self.image), self.image.shape, tuple(np.round(np.concatenate(list(self.p.values())), 2)))
        cached = _RIM_EDGES.get(key)
        if cached is not None and cached[0]() is self.image:
            return None if cached[1] is None else cached[1].copy()
        found = self._find_rim_edges(side)
        if len(_RIM_EDGES) >= 16:
            _RIM_EDGES.pop(next(iter(_RIM_EDGES)))
        # A weak reference: the cache neither keeps a photo alive nor mistakes a new one
        # that happens to get a freed photo's id for it.
        _RIM_EDGES[key] = (weakref.ref(self.image), found)
        return None if found is None else found.copy()

    def _find_rim_edges(self, side: str) -> np.ndarray | None:
        """:meth:`_rim_edges` without the cache."""
        image = self.image
        height, width = image.shape[:2]
        lid = self.p[f"{side}_upper_lid"]
        found = []
        for point in self._brow_curve(side)[1:-1]:
            reach = float((point - lid) @ self.up)
            offsets = np.arange(-0.05 * self.spacing, 0.8 * reach, 0.5)
            samples = point - offsets[:, None] * self.up  # downward from above the brow
            x, y = np.round(samples[:, 0]).astype(int), np.round(samples[:, 1]).astype(int)
            if len(x) < 6 or x.min() < 2 or x.max() >= width - 2 or y.min() < 2 or y.max() >= height - 2:
                return None
            # Only the pixels along the search (a grey copy of the whole photo took 15-20 ms).
            rows = image[y[:, None], x[:, None] + np.arange(-1, 2)].astype(np.float32)
            profile = rows.mean(axis=(1, 2))
            step = np.abs(profile[4:] - profile[:-4])  # 2 px apart at 0.5 px spacing
            strong = np.nonzero(step >= RIM_STEP)[0]
            if not len(strong):
                return None
            # The first strong step from above is the rim's top edge (its lower edge, onto the
            # lens, is often as strong); take the sharpest point of that step.
            first = int(strong[0])
            best = first + int(np.argmax(step[first : first + 4]))
            found.append(point - offsets[best + 2] * self.up)
        found = np.array(found)
        depth = (found - self._brow_curve(side)[1:-1]) @ self.up
        if np.ptp(depth) > 0.1 * self.spacing:
            return None
        return found

    def _lid_below(self, side: str, point: np.ndarray) -> np.ndarray:
        """The upper lid's margin straight under ``point`` (beyond the eye, at its nearer corner)."""
        lid = self._lid(side, "upper", np.linspace(0.0, 1.0, 41))
        along = (lid - point) @ self.across
        order = np.argsort(along)
        at = float(np.clip(0.0, along[order][0], along[order][-1]))
        return np.array([np.interp(at, along[order], lid[order, i]) for i in (0, 1)])

    def _brow_columns(self, side: str) -> dict[str, np.ndarray]:
        """Across a brow's seven points: where each column is (``u``, along the eye line), the
        height (along ``up``) of the still line under it (``still``: lashes or a frame's rim),
        of the band's lower and upper edge and of the forehead's still end, and its share of
        the move. Sorted along the eye line.

        Every slider step reads them twice (the brow's range, and a raised brow's map) and they
        depend on the rig's points only: they are kept (1.5 ms a step, the lid found under
        each of the brow's points).
        """
        found = self._kept.get(("columns", side))
        if found is None:
            found = self._kept["columns", side] = self._find_brow_columns(side)
        return found

    def _find_brow_columns(self, side: str) -> dict[str, np.ndarray]:
        """The columns of :meth:`_brow_columns`, worked out."""
        brow = np.array([self.points[f"{side}_brow_{k}"] for k in range(7)])  # above a rim, with glasses
        u, v = brow @ self.across, brow @ self.up
        if self.glasses:  # the rim is held (_brows_and_forehead): the skin above it takes the move
            rim = np.array([self.points[f"{side}_rim_{k}"] for k in range(5)])
            order = np.argsort(rim @ self.across)
            still = np.interp(u, (rim @ self.across)[order], (rim @ self.up)[order])
        else:
            lashes = np.array([self._lid_below(side, point) for point in brow]) @ self.up
            still = lashes + BROW_LASHES * self.spacing
        # With glasses the brow's points are guesses (the frame hides or mimics the hairs): the
        # skin from the rim up to the brow's line takes the move.
        hairs = 0.0 if self.glasses else BROW_HAIRS * self.spacing
        lower = np.maximum(v - hairs, still + 1.0)
        order = np.argsort(u)
        columns = {"u": u, "still": still, "lower": lower, "upper": np.maximum(v + hairs, lower),
                   "end": v + BROW_FOREHEAD * self.spacing, "share": np.array(BROW_SHARES)}  # fmt: skip
        return {name: values[order] for name, values in columns.items()}

    def brow_room(self) -> float:
        """Largest brow raise (image px) that stretches the skin under the brow at most BROW_STRETCH.

        With glasses, MAX_BROW_GLASSES keeps the stretch over the held rim under BROW_STRETCH
        (1.27-1.36 on Hopper and Johnson); the rim is found in the photo, which the slider's
        range does not read.
        """
        if self.glasses:
            return math.inf
        room = math.inf
        for side in ("left", "right"):
            c = self._brow_columns(side)
            room = min(room, float(((BROW_STRETCH - 1) * (c["lower"] - c["still"]) / c["share"]).min()))
        return max(0.0, room)

    def brow_raise(self, side: str, amount: float, shape) -> tuple | None:
        """Backward map of a brow raised by ``amount`` (px at 1024 px), and the box it changes; None
        unless ``amount`` is a raise.

        Column by column across the brow, the band of hairs moves up whole; the skin from
        the still line under it (lashes or a frame's rim) up to the band stretches evenly,
        and the forehead above it over BROW_FOREHEAD eye spacings gives evenly: the map is
        piecewise linear along ``up``, so its inverse is exact.

        Examples
        --------
        >>> from portrait_lessons import examples
        >>> rig = _Rig(examples.portrait_landmarks("koch", 1024))
        >>> backward, box = rig.brow_raise("left", 5.0, (1024, 1024))
        >>> brow, lid = rig.points["left_brow_3"], rig.p["left_upper_lid"]
        >>> float(np.abs(backward(np.array([brow + 5.0 * rig.up])) - brow).max()) < 1e-9  # the brow rose 5 px
        True
        >>> float(np.abs(backward(np.array([lid])) - lid).max())  # the lid's margin stays
        0.0
        """
        if amount <= 0:
            return None
        c = self._brow_columns(side)
        lift = amount * self.scale
        fade = BROW_END_FADE * self.spacing
        up = self.up

        def backward(points: np.ndarray) -> np.ndarray:
            u, v = points @ self.across, points @ up
            beyond = np.maximum(c["u"][0] - u, u - c["u"][-1]) / fade
            share = np.interp(u, c["u"], c["share"]) * (1 - _smoothstep(beyond))
            move = lift * share
            still, lower, upper, end = (np.interp(u, c["u"], c[name]) for name in ("still", "lower", "upper", "end"))
            source = v.copy()
            stretched = (v > still) & (v <= lower + move)
            source[stretched] = (still + (v - still) * (lower - still) / (lower - still + move))[stretched]
            band = (v > lower + move) & (v <= upper + move)
            source[band] = (v - move)[band]
            forehead = (v > upper + move) & (v < end)
            source[forehead] = (upper + (v - upper - move) * (end - upper) / (end - upper - move))[forehead]
            return points + (source - v)[:, None] * up

        corners = np.array([u * self.across + v * up for u in (c["u"][0] - fade, c["u"][-1] + fade)
                            for v in (c["still"].min() - 1, c["end"].max() + 1)])  # fmt: skip
        height, width = shape[:2]
        left, top = np.floor(corners.min(axis=0)).astype(int) - 2
        right, bottom = np.ceil(corners.max(axis=0)).astype(int) + 2
        box = (max(0, int(left)), max(0, int(top)), min(width, int(right)), min(height, int(bottom)))
        return backward, box

    def _mouth_and_cheeks(self):
        p = self.p
        for name in ("mouth_left", "mouth_right", "upper_lip", "lower_lip"):
            self.points[name] = p[name]
        for side, sign in (("left", -1), ("right", 1)):
            corner = p[f"mouth_{side}"]
            outward = sign * self.across
            self.points[f"{side}_cheek"] = corner + 0.4 * self.spacing * self.up + 0.2 * self.spacing * outward
            self.points[f"{side}_jowl"] = corner - 0.3 * self.spacing * self.up + 0.1 * self.spacing * outward
            # The crease runs on past the corner: it goes with the corner, or a lowered
            # corner hooks back up into a still crease.
            for k, (reach, _) in enumerate(CREASE):
                self.points[f"{side}_crease_{k}"] = corner + reach * self.spacing * outward
        # The line between the lips bends as one smooth curve when the corners move (moves());
        # the teeth behind it are laid back unmoved (keep_teeth).
        left, right = p["mouth_left"], p["mouth_right"]
        middle = (p["upper_lip"] + p["lower_lip"]) / 2 - (left + right) / 2
        for k, f in enumerate(LIP_LINE):
            self.points[f"lip_line_{k}"] = left + f * (right - left) + (1 - (2 * f - 1) ** 2) * middle

    def _frame(self):
        """A still ring round the head: the body and background beyond it never move."""
        xy = np.array(list(self.points.values()))
        left, top = xy.min(axis=0) - self.margin * 0.5
        right, bottom = xy.max(axis=0) + self.margin * 0.5
        for k, fraction in enumerate(np.linspace(0, 1, 5)):
            x = left + fraction * (right - left)
            y = top + fraction * (bottom - top)
            self.points[f"frame_top_{k}"] = np.array([x, top])
            self.points[f"frame_bottom_{k}"] = np.array([x, bottom])
            if 0 < k < 4:
                self.points[f"frame_left_{k}"] = np.array([left, y])
                self.points[f"frame_right_{k}"] = np.array([right, y])

    def swirl(self, degrees: float, person: np.ndarray | None = None):
        """Backward map of a head tilt, and the box it changes.

        The head (face, hair, hat: the subject mask above the chin, and an oval
        round the face's points) turns rigidly about the face's centre. Beyond
        it the turn fades out over a narrow band of backdrop, and below the
        chin it fades out over the neck: collars, shoulders, props and the
        frame's edges stay still, instead of bending with a wide swirl. Nothing
        turns near the frame's edges, so no pixel from outside the photo is
        pulled in.
        """
        centre = self.centre
        half = self._tilt_half()
        angle = math.radians(degrees)
        weight, step = self._tilt_weight(person, half)

        def backward(points: np.ndarray) -> np.ndarray:
            d = points - centre
            t = _sample_field(weight, points / step)
            a = -angle * t  # undo the turn
            cos, sin = np.cos(a), np.sin(a)
            return centre + np.stack([cos * d[:, 0] - sin * d[:, 1], sin * d[:, 0] + cos * d[:, 1]], axis=1)

        ys, xs = np.nonzero(weight > 0)
        if len(xs) == 0:
            return backward, (0, 0, 0, 0)
        box = (int(xs.min() * step), int(ys.min() * step), int((xs.max() + 2) * step), int((ys.max() + 2) * step))
        return backward, box

    def turn_head(self, image: np.ndarray, degrees: float, person: np.ndarray | None = None, still_backdrop: bool = True) -> np.ndarray:
        """The head tilt of :meth:`swirl` applied to ``image`` (a new array).

        The turn is worked out on the tilt field's coarse grid, enlarged to every
        pixel bilinearly (it is smooth, so this stays within a few hundredths of a
        pixel of the exact map) and resampled by OpenCV's ``remap`` in C. With a subject
        mask (and ``still_backdrop``), the turned person is laid over the unmoved backdrop.
        """
        import cv2  # only the tilt needs it; it ships with the subject mask

        half = self._tilt_half()
        weight, step = self._tilt_weight(person, half)
        ys, xs = np.nonzero(weight > 0)
        height, width = image.shape[:2]
        if len(xs) == 0:
            return np.array(image, copy=True)
        left, top = max(0, int(xs.min() * step)), max(0, int(ys.min() * step))
        right, bottom = min(width, int((xs.max() + 2) * step)), min(height, int((ys.max() + 2) * step))
        # The displacement on the grid (grid point (i, j) sits at (i, j) * step).
        gy, gx = np.mgrid[0 : weight.shape[0], 0 : weight.shape[1]].astype(np.float32) * np.float32(step)
        dx, dy = gx - np.float32(self.centre[0]), gy - np.float32(self.centre[1])
        a = np.float32(-math.radians(degrees)) * weight  # undo the turn
        cos, sin = np.cos(a), np.sin(a)
        shift = np.stack([cos * dx - sin * dy - dx, sin * dx + cos * dy - dy], axis=-1)
        # Every output pixel centre of the box, in grid units, and its shift.
        px = (np.arange(left, right, dtype=np.float32) + 0.5) / np.float32(step)
        py = (np.arange(top, bottom, dtype=np.float32) + 0.5) / np.float32(step)
        map_x, map_y = np.meshgrid(px, py)
        moved = cv2.remap(shift, map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        # Source positions in OpenCV's convention (pixel centres at integers).
        source_x = map_x * np.float32(step) + moved[..., 0] - np.float32(0.5)
        source_y = map_y * np.float32(step) + moved[..., 1] - np.float32(0.5)
        result = np.array(image, copy=True)
        result[top:bottom, left:right] = cv2.remap(image, source_x, source_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        if person is None or not still_backdrop:
            return result
        # The backdrop is a still layer behind the person: the turned person (the subject mask
        # carried by the same map) is laid over the unmoved backdrop, so flags, stars, doors
        # and the Moon beside the head never bend; where the turning head uncovers backdrop,
        # the backdrop beside it is filled in, colour and grain (_fill_behind).
        # The person's layer reaches a hairline (TILT_LAYER_GROW) past the subject mask and is
        # made firm: a white cap on a white wall or a curl the mask holds only in part
        # turns whole, instead of leaving a ghost of itself in the still backdrop.
        grow = max(1, round(TILT_LAYER_GROW * self.spacing))
        box = (left, top, right, bottom)
        # Neither depends on the angle: kept while the slider moves (the fill is most of the cost).
        key = (id(person), box, grow, hash(np.ascontiguousarray(image[top:bottom:4, left:right:4]).tobytes()))
        cached = _BEHIND.get(key)
        if cached is not None and cached[0] is person:
            mask, ground = cached[1], cached[2]
        else:
            mask = np.asarray(person, np.float32)[top:bottom, left:right]
            # Below the mouth the layer's edge is the jaw, neck and collar against the backdrop:
            # no fringe of hair to reach for, so the layer keeps to the mask and the fill takes
            # the backdrop right beside it (grown and kept clear, it skipped the white stripe
            # between Hopper's jaw and the flag's red one and filled a red wedge beside her jaw).
            tight = self._below(top, bottom, left, right, TILT_TIGHT_BELOW)
            grown = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * grow + 1, 2 * grow + 1)))
            mask = np.ascontiguousarray(np.clip((np.where(tight, mask, grown) - 0.1) / 0.5, 0, 1))
            # Over the top of the head the backdrop is filled a little past the layer (TILT_COVER):
            # a piece of a hat or hair that the mask misses (the end of Hopper's cap crown beside
            # the brim, as pale as the wall) neither turns nor stays behind as a notch; it goes
            # with the backdrop's fill.
            reach = max(1, round(TILT_COVER * self.spacing))
            wider = cv2.dilate(mask, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * reach + 1, 2 * reach + 1)))
            crown = ~self._below(top, bottom, left, right, -TILT_COVER_ABOVE)
            ground = _fill_behind(image[top:bottom, left:right], np.where(crown, wider, mask), tight)
            if len(_BEHIND) >= 4:
                _BEHIND.pop(next(iter(_BEHIND)))
            _BEHIND[key] = (person, mask, ground)
        carried = cv2.remap(mask, source_x - left, source_y - top, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
        turned = result[top:bottom, left:right].astype(np.float32)
        alpha = np.clip(carried, 0, 1)[..., None]
        result[top:bottom, left:right] = np.round(ground + alpha * (turned - ground)).astype(np.uint8)
        return result

    def _below(self, top: int, bottom: int, left: int, right: int, depth: float) -> np.ndarray:
        """Which pixels of the box lie more than ``depth`` chin depths (eyes to chin) below the eyes."""
        eyes = (self.p["left_iris"] + self.p["right_iris"]) / 2
        down = -self.up
        rows = np.arange(top, bottom, dtype=np.float32)[:, None] + 0.5 - np.float32(eyes[1])
        columns = np.arange(left, right, dtype=np.float32)[None, :] + 0.5 - np.float32(eyes[0])
        chin = float((self.p["chin"] - eyes) @ down)
        return columns * np.float32(down[0]) + rows * np.float32(down[1]) > depth * chin

    def _tilt_half(self) -> np.ndarray:
        """Half the size of the oval round the face's points that turns without a subject mask."""
        xy = np.array([point for name, point in self.points.items() if not name.startswith("frame_")])
        return np.maximum(np.abs(xy - self.centre).max(axis=0), 1.0) * 1.05

    def _tilt_weight(self, person, half) -> tuple[np.ndarray, float]:
        """How much of the tilt each place takes (1 on the head, 0 beyond), on a grid ``step`` px apart.

        It does not depend on the angle: cached per face and subject mask while the slider moves.
        """
        key = (id(person), tuple(np.round(self.centre, 2)), tuple(np.round(half, 2)),
               tuple(np.round(np.concatenate(list(self.p.values())), 1)), self.landmarks.width, self.landmarks.height)  # fmt: skip
        cached = _TILT_WEIGHTS.get(key)
        if cached is not None and cached[0] is person:
            return cached[1], cached[2]
        weight, step = self._compute_tilt_weight(person, half)
        if len(_TILT_WEIGHTS) >= 8:
            _TILT_WEIGHTS.pop(next(iter(_TILT_WEIGHTS)))
        _TILT_WEIGHTS[key] = (person, weight, step)  # holding the mask keeps its id its own
        return weight, step

    def _compute_tilt_weight(self, person, half) -> tuple[np.ndarray, float]:
        import cv2  # only the tilt needs it; it ships with the subject mask

        width, height = self.landmarks.width, self.landmarks.height
        step = max(1.0, max(width, height) / 256)
        size = (max(2, math.ceil(width / step) + 1), max(2, math.ceil(height / step) + 1))
        gx, gy = np.meshgrid((np.arange(size[0])) * step, (np.arange(size[1])) * step)
        d = np.stack([gx - self.centre[0], gy - self.centre[1]], axis=-1)
        head = np.sqrt(((d / half) ** 2).sum(axis=-1)) <= 1
        eyes = (self.p["left_iris"] + self.p["right_iris"]) / 2
        down = -self.up
        chin = float((self.p["chin"] - eyes) @ down)
        grid = np.stack([gx, gy], axis=-1)
        along = (grid - eyes) @ down
        # Still for sure: everything below the neck, and the person's clothes (collar rings,
        # shoulders, held helmets) beside and below the jaw. The neck itself is not rigid: it bends.
        rigid = along > TILT_NECK_END * chin
        face = head  # without the silhouette, an oval round the face turns
        if person is not None:  # the person's silhouette: hair and hat turn with the head
            small = np.asarray(Image.fromarray(np.uint8(person * 255)).resize(size, Image.Resampling.BILINEAR)) > 127
            # Above the nose's tip the person is head and hair; lower down, beside the face,
            # collar rings and shoulders, which stay put.
            # With the silhouette at hand, the face itself is its points' outline (not the
            # wider oval), so the gap toward a collar beside the jaw lies outside the jaw.
            xy = np.array([point for name, point in self.points.items() if not name.startswith("frame_")])
            hull = cv2.convexHull(np.round(xy / step).astype(np.int32))
            face = cv2.fillConvexPoly(np.zeros(head.shape, np.uint8), hull, 1).astype(bool)
            hair = small & (along < chin * 0.5) & ~face
            outline = np.array(self.landmarks.face_outline, float)
            neck_half = TILT_NECK_WIDTH * float(np.ptp(outline @ self.across))
            neck = np.abs((grid - self.p["chin"]) @ self.across) < neck_half
            rigid |= small & ~face & ~hair & ~neck
        # The turn eases from the head to the still parts across a gap between them, wider than
        # the jaw moves at the largest turn: the gap is taken from soft hair where hair meets
        # a collar, and from the jaw's edge of the face where a collar or a suit ring touches
        # it; the clothes give up only a hairline (TILT_CLOTHES_GAP), so they stay straight.
        rigid &= _distance_outside(face) > TILT_CLOTHES_GAP * self.spacing / step
        outside_rigid = _distance_outside(rigid)
        head = face & (outside_rigid > TILT_GAP * self.spacing / step)
        if person is not None:
            head |= hair & (outside_rigid > TILT_HAIR_GAP * self.spacing / step)
        outside_head = _distance_outside(head)
        share = outside_rigid / np.maximum(outside_rigid + outside_head, 1e-6)
        # Over open backdrop the turn fades within TILT_BACKDROP eye spacings of the head.
        band = max(4.0, TILT_BACKDROP * self.spacing / step)
        radial = np.clip(1 - outside_head / band, 0, 1)
        # A linear ease (a steeper, smoothstep middle folds the picture beside the head, where
        # the turn is largest), its corners rounded by a blur; then held at exactly zero on
        # the still parts, beyond the band and at the frame's edges, each over a few cells so
        # the cut-off of the blur's tail does not tear.
        t = cv2.GaussianBlur(np.minimum(share, radial).astype(np.float32), (0, 0), 2.0)
        # Near the frame's edges the turn fades over a tenth of the long edge: hair touching
        # the top is compressed gently instead of folding, and nothing is fetched from outside.
        border = np.minimum.reduce([gx, gy, width - gx, height - gy]) / max(2.0, TILT_BORDER * max(width, height))
        t *= np.clip(outside_rigid / 3, 0, 1) * np.clip((band - outside_head) / 3, 0, 1) * _smoothstep(border)
        return t.astype(np.float32), step

    @property
    def open_smile(self) -> bool:
        """Whether teeth show between the lips (:func:`_teeth_mask`); False without the photo."""
        if not hasattr(self, "_open_smile"):
            self._open_smile = self.image is not None and _teeth_mask(self.image, self) is not None
        return self._open_smile

    def _row_ends(self, side: str) -> dict[str, np.ndarray]:
        """Points on the top and bottom edges of the row of teeth near one mouth corner (none if no teeth show).

        At ROW_ENDS of the mouth's width from the corner, in the middle of the edge pixels of
        the row (:func:`_teeth_mask`); the mesh warp holds them still.
        """
        found = _teeth_mask(self.image, self) if self.image is not None else None
        if found is None:
            return {}
        (x0, y0, _, _), teeth = found
        corner, other = self.p[f"mouth_{side}"], self.p["mouth_right" if side == "left" else "mouth_left"]
        points = {}
        for k, share in enumerate(ROW_ENDS):
            x = corner[0] + share * (other[0] - corner[0])
            rows = np.nonzero(teeth[:, min(max(int(x) - x0, 0), teeth.shape[1] - 1)] > 0.5)[0]
            if len(rows) >= 2:
                points[f"{side}_row_top_{k}"] = np.array([x, y0 + rows.min() + 0.5])
                points[f"{side}_row_bottom_{k}"] = np.array([x, y0 + rows.max() + 0.5])
        return points

    # what each edit asks of the points ------------------------------------------
    def lid_lift(self, which: str, edit: FaceEdit) -> float:
        """How far (image px, + up) an edit moves the apex of the upper or lower lids."""
        follow = LOWER_LID_FOLLOWS if which == "lower" else UPPER_LID_FOLLOWS if edit.gaze_y >= 0 else UPPER_LID_FOLLOWS_DOWN
        narrowing = edit.eyelid_narrowing * self.scale
        # Narrowing lifts the lower lid (the cheek pushes it up in a felt smile) and lowers the
        # upper one only a little: more, and the eye reads as sleepy rather than smiling.
        squeeze = narrowing if which == "lower" else -UPPER_LID_NARROWING * narrowing
        return follow * self.gaze_pixels(edit.gaze_y) + squeeze

    def moves(self, edit: FaceEdit) -> dict[str, np.ndarray]:
        """Displacement of every control point that the edit moves (others stay)."""
        moves: dict[str, np.ndarray] = {}

        def add(name, vector):
            moves[name] = moves.get(name, np.zeros(2)) + vector

        px = self.scale
        up = self.up
        # Gaze is done before the warp by sliding the eyeballs
        # (:func:`_slide_eyeballs`); the warp then starts from the slid irises.
        # Up and down likewise; the lids then follow part of the way (lid_lift).
        slid = self.across * self.gaze_pixels(edit.gaze_x) + up * self.gaze_pixels(edit.gaze_y)
        for side in ("left", "right"):
            self.points[f"{side}_iris"] = self.p[f"{side}_iris"] + slid
        narrowing = edit.eyelid_narrowing * px
        for side in ("left", "right"):
            for which in ("upper", "lower"):
                lift = self.lid_lift(which, edit)
                # Each point moves its share of the apex's move along the lid's own parabola, as
                # the moved opening is drawn (_covered_opening_mask). (Read as a point's height
                # over the outer corner, the share took in the eye's slant: on an eye whose inner
                # corner sits lower, the upper lid's inner half rose as the eye looked down, up to
                # 2 px on Jemison's left eye, and the warped white showed above the moved margin.)
                for k, share in enumerate(self.lid_profile(side, which, np.array(LID_POINTS))):
                    vector = up * float(share) * lift
                    if vector.any():
                        add(f"{side}_{which}_lid_{k}", vector)
            if narrowing:
                # The cheek rises under the eye (the felt smile's eye crinkle).
                for k in range(5, 10):
                    add(f"{side}_eye_skin_{k}", up * 0.45 * narrowing * abs(math.sin(2 * np.pi * k / 10)))
        # Mouth corners: up and a little outward, as the smiling muscle pulls.
        for side, sign, amount in (("left", -1, edit.mouth_left), ("right", 1, edit.mouth_right)):
            if amount:
                outward = sign * self.across
                lift = amount * px
                vector = up * lift + outward * abs(lift) * (0.3 if lift > 0 else 0.15)
                add(f"mouth_{side}", vector)
                for k, (_, share) in enumerate(CREASE):
                    add(f"{side}_crease_{k}", share * vector)
                # Between the lips of an open smile lie the teeth: a lifted corner bending that
                # line carried the row's ends 1.3-2.2 px up with it (Jemison, Ochoa, Johnson). There
                # the line holds still and the lips slide over the row. (Held for a lowered corner
                # too, the lips hooked down at the corners: there the line bends, _keep_teeth, and
                # only the row's ends hold.)
                if lift > 0 and self.open_smile:
                    # The row's end teeth hold still too: held only along the middle of the opening,
                    # their top edge rose 1-2 px with a lifted corner (Jemison), and the row read as
                    # bending up at its end. Points on its top and bottom edges near the corner stay.
                    self.points.update(self._row_ends(side))
                else:
                    for k, f in enumerate(LIP_LINE):
                        from_corner = f if side == "left" else 1 - f
                        if from_corner < 0.5:
                            add(f"lip_line_{k}", (1 - 2 * from_corner) ** 2 * vector)
                    if self.open_smile:
                        # The lips hook down at a lowered corner, but the teeth are rigid: carried
                        # by the bending line, the row's end teeth dropped 2-3 px (Jemison). Its
                        # ends hold still and the lips slide down over them.
                        self.points.update(self._row_ends(side))
                if lift > 0:
                    add(f"{side}_cheek", 0.35 * vector)
                else:
                    add(f"{side}_jowl", 0.3 * vector)
        # Brows: the whole brow moves (its ends a little less), and the skin
        # between brow and eye follows part way, so the brow doesn't fold round the eye.
        for side, amount in (("left", edit.brow_left), ("right", edit.brow_right)):
            if amount < 0:  # a raise is its own map (brow_raise)
                lift = up * amount * px
                for k, share in enumerate(BROW_SHARES):
                    add(f"{side}_brow_{k}", lift * share)
                    if f"{side}_brow_under_{k}" in self.points:
                        add(f"{side}_brow_under_{k}", lift * share)
                if not self.glasses:  # with glasses the ring holds the rim still
                    for k in range(1, 5):  # the upper half of the ring round the eye
                        add(f"{side}_eye_skin_{k}", lift * BROW_SKIN_FOLLOWS)
        return moves


_TILT_WEIGHTS: dict = {}
#: The person's layer mask and the backdrop filled in behind them, per photo, mask and box.
_BEHIND: dict = {}
#: Where a spectacle frame's top rim runs, per photo (weakly held) and landmarks: it depends on
#: nothing else, and the search cost 15-20 ms per gaze or brow step.
_RIM_EDGES: dict = {}


def _distance_outside(inside: np.ndarray) -> np.ndarray:
    """Distance (grid cells) from each cell to the nearest ``inside`` cell (0 inside)."""
    import cv2  # only the tilt needs it; it ships with the subject mask

    return cv2.distanceTransform((~inside).astype(np.uint8), cv2.DIST_L2, 5)


#: The backdrop behind the person is refilled under a mask this many levels over 0 (of 1),
#: grown by BEHIND_GROW px: the soft fringe of hair carries some of the person's colour.
BEHIND_LEVEL = 0.05
BEHIND_GROW = 2
#: From this share of the person up, the backdrop behind is all fill (below, mixed by the share).
BEHIND_FIRM = 0.1
#: The fill gets the backdrop's grain: its detail finer than BEHIND_GRAIN px (the
#: photo minus its blur), copied from the backdrop mirrored across the edge of the part of it
#: at least BEHIND_CLEAR px clear of the person (a mirror of the picture itself, taken up to
#: the silhouette, copied Johnson's stray hair wisps and a beige sliver of Hopper's cap), and
#: held within BEHIND_GRAIN_LIMIT times its typical size (a star's or a stripe's edge mirrored
#: in would draw a line). A smooth fill read as a soft smudge beside the flag's weave.
BEHIND_GRAIN = 1.5
BEHIND_CLEAR = 6
BEHIND_GRAIN_LIMIT = 2.5
#: The colour under the grain: the nearest clear backdrop's, blurred over this many px.
BEHIND_BLUR = 6.0
#: The fill gives way to the photo over this many px past the grown hole (within the clearance).
BEHIND_FADE = 4


def _fill_behind(image: np.ndarray, person: np.ndarray, tight: np.ndarray | None = None) -> np.ndarray:
    """``image`` (float32) with the person (a soft mask, 0..1) replaced by the backdrop round them.

    Each pixel under the person takes the colour of the nearest backdrop clear of
    the person by BEHIND_CLEAR px (near an edge of the backdrop, of the backdrop along
    that edge: :func:`_along_edges`), blurred over BEHIND_BLUR px (the seams between
    neighbours' sources soften; edges carried on stay edges), and the backdrop's grain (:func:`_backdrop_grain`);
    past the hole the fill gives way to the photo over BEHIND_FADE px, so no edge is cut.
    Only the crescent that a turned head uncovers ever shows, a few dozen pixels
    at most: the colour of the backdrop right beside it (a pyramid fill of the
    whole backdrop round the person mixed the flag's blue with the white wall
    above it into a lavender smudge beside Hopper's brim, and made a lighter band
    with an edge along Johnson's hair), and its grain.

    Examples
    --------
    >>> picture = np.full((32, 32, 3), 90, np.uint8)
    >>> person = np.zeros((32, 32), np.float32); person[8:24, 8:24] = 1
    >>> picture[8:24, 8:24] = 250
    >>> filled = _fill_behind(picture, person)
    >>> bool(np.abs(filled - 90).max() < 1)
    True
    """
    import cv2  # only the tilt needs it; it ships with the subject mask

    picture = np.asarray(image, np.float32)
    hole = (np.asarray(person) > BEHIND_LEVEL).astype(np.uint8)
    if BEHIND_GROW:
        hole = cv2.dilate(hole, np.ones((2 * BEHIND_GROW + 1,) * 2, np.uint8))
    found = _clear_backdrop(hole, tight)
    if found is None:  # no backdrop to take it from
        return picture.copy()
    nearest, clear = found
    ys, xs = np.nonzero(~clear)
    extended = picture.copy()
    extended[ys, xs] = picture[nearest[ys, xs, 0], nearest[ys, xs, 1]]
    # Near an edge of the backdrop (a flag's stripe, its border with the wall, a door frame) the
    # fill takes the backdrop along that edge instead: the edge runs on straight behind the head.
    ys, xs, along, edges = _along_edges(picture, nearest, clear)
    extended[ys, xs] += edges[ys, xs, None] * (picture[along[:, 0], along[:, 1]] - extended[ys, xs])
    # Below the mouth (tight) the fill meets the backdrop right beside the jaw and neck, whose
    # seams are kept; higher up, beside hair and hats, a kept seam carried a star's tip into the
    # flag's blue as a stray wedge, so there the fill is blurred as a whole.
    colour = _soften_seams(extended, tight, edges)
    filled = np.where(clear[..., None], picture, colour + _backdrop_grain(picture, (~clear).astype(np.uint8), found))
    filled = np.clip(filled, 0, 255)
    # Firm: a pixel a tenth the person's is all fill. Mixed in by the soft edge's share, the
    # fringe kept most of the person (Johnson's outer strands, the end of Hopper's crown),
    # left as a ghost beside the head where the turned layer no longer covers it.
    share = np.clip(np.asarray(person, np.float32) / BEHIND_FIRM, 0, 1)
    # Across the clearance round the hole the fill gives way to the photo gradually: cut at the
    # hole's edge, the step from the fill (the level BEHIND_CLEAR px out) to the photo's own
    # lighter or darker rim beside the hair drew the old outline as a 1-px ghost line (Collins)
    # and a hard arc through the Moon's craters (Armstrong).
    core = (np.asarray(person) > BEHIND_LEVEL).astype(np.uint8)
    outside = cv2.distanceTransform(1 - core, cv2.DIST_L2, 3)
    fade = _smoothstep(1 - outside / (BEHIND_GROW + BEHIND_FADE)) * ~clear
    if tight is not None:  # below the mouth: collars, suit rings and held helmets, whose rims stay put
        fade *= ~tight
    share = np.maximum(share, fade)
    return picture + share[..., None] * (filled - picture)


#: Where the sources of neighbouring fill pixels differ in hue by more than BEHIND_SEAM levels (a
#: local standard deviation over BEHIND_BLUR px of two opponent channels, summed), the seam between them
#: stays an edge of BEHIND_SEAM_BLUR px instead of being blurred: it is an edge of the backdrop
#: (a flag's red and white stripes) carried on into the hole.
BEHIND_SEAM = (12.0, 30.0)
BEHIND_SEAM_BLUR = 0.8


def _soften_seams(extended: np.ndarray, where: np.ndarray | None = None, edges: np.ndarray | None = None) -> np.ndarray:
    """``extended`` (float32 RGB) blurred over BEHIND_BLUR px, except across edges between unlike colours.

    Seams are kept only where ``where`` (bool, optional) is set, and in the share ``edges``
    (float, optional) of each pixel filled along an edge (:func:`_along_edges`); elsewhere all is blurred.

    The nearest-backdrop fill is a patchwork of its sources; between sources of one colour
    (a wall's shading) the blur softens the seams, but across sources of different colours it
    made a band of a colour the backdrop does not have: pink between a flag's red and white
    stripes beside Hopper's jaw. There the seam stays an edge, softened like the photo's own edges.

    Examples
    --------
    >>> stripes = np.zeros((20, 20, 3), np.float32); stripes[:, 10:] = (200, 30, 40)
    >>> stripes[:, :10] = (240, 240, 240)
    >>> soft = _soften_seams(stripes)
    >>> bool(np.abs(soft[:, :8] - 240).max() < 12 and np.abs(soft[:, 12:, 1] - 30).max() < 12)
    True
    >>> greys = np.where(np.arange(20)[None, :, None] < 10, 60, 200).repeat(20, 0).repeat(3, 2).astype(np.float32)
    >>> bool(abs(_soften_seams(greys)[5, 12, 0] - 200) > 20)  # lighter and darker greys blur
    True
    """
    import cv2  # only the tilt needs it; it ships with the subject mask

    mean = cv2.GaussianBlur(extended, (0, 0), BEHIND_BLUR)
    # Opponent colours: only a change of hue makes a colour of its own when blurred (a lighter
    # and a darker grey blur to a grey the backdrop has; a door's dark frame blurred into the
    # wall is a soft shadow, kept sharp it ended in a jagged cut beside Johnson's hair).
    red, green, blue = np.moveaxis(extended, -1, 0)
    opponent = np.stack([red - green, (red + green) / 2 - blue], axis=-1)
    centre = cv2.GaussianBlur(opponent, (0, 0), BEHIND_BLUR)
    square = cv2.GaussianBlur(opponent * opponent, (0, 0), BEHIND_BLUR)
    spread = np.sqrt(np.maximum(square - centre * centre, 0)).sum(axis=-1, keepdims=True)
    low, high = BEHIND_SEAM
    sharp = np.clip((spread - low) / (high - low), 0, 1)
    if where is not None:
        sharp *= where[..., None]
    if edges is not None:  # an edge carried on straight stays an edge (blurred, it was a soft blob of flag blue)
        sharp = np.maximum(sharp, cv2.GaussianBlur(edges, (0, 0), 2.0)[..., None])
    return mean + sharp * (cv2.GaussianBlur(extended, (0, 0), BEHIND_SEAM_BLUR) - mean)


#: Filling along the backdrop's edges (:func:`_along_edges`): the edge's direction is the backdrop's
#: structure tensor over BEHIND_EDGE_SIZE px at the nearest clear pixel; the fill looks up to
#: BEHIND_EDGE_REACH px along it, for pixels up to BEHIND_EDGE_DEPTH px into the hole (deeper ones
#: never show at the largest tilt's crescent near an edge). An edge counts from a gradient of
#: BEHIND_EDGE_LEVELS levels per px (none to full) and a coherence of BEHIND_EDGE_COHERENCE.
BEHIND_EDGE_SIZE = 6.0
BEHIND_EDGE_REACH = 40
BEHIND_EDGE_DEPTH = 32
BEHIND_EDGE_LEVELS = (4.0, 10.0)
BEHIND_EDGE_COHERENCE = (0.5, 0.8)
#: A thin feature (a star's arm) is not carried on: neither side of it this many px across matches
#: it within BEHIND_EDGE_THIN levels (RGB distance).
BEHIND_EDGE_SIDE = 5
BEHIND_EDGE_THIN = 40.0


def _along_edges(picture: np.ndarray, nearest: np.ndarray, clear: np.ndarray):
    """Sources along the backdrop's edges for the pixels near the hole's rim.

    For each pixel not ``clear`` within BEHIND_EDGE_DEPTH px of the clear backdrop, the
    edge's direction at its nearest clear pixel (``nearest``, from :func:`_clear_backdrop`)
    is followed both ways to the first clear pixel; the nearer hit (a pixel further in) is
    its source. Returns the pixels' rows and columns, their sources (int, shape (N, 2)) and
    a weight map 0..1 (float32, the image's shape): how sure the edge is. Nearest-pixel
    sources run a straight edge that meets the hole at a slant on square to the hole's rim
    (a soft blob of the flag's blue beside Hopper's cap, a red wedge beside her jaw).

    Examples
    --------
    >>> picture = np.full((40, 40, 3), 230, np.float32); picture[:, :20] = (30, 40, 150)
    >>> clear = np.ones((40, 40), bool); clear[5:25, 10:30] = False  # a hole across the edge
    >>> nearest = np.stack(np.mgrid[0:40, 0:40], axis=-1).astype(np.int32)
    >>> nearest[5:25, 10:30, 0] = 4  # the nearest clear pixels: the row above the hole
    >>> ys, xs, along, weight = _along_edges(picture, nearest, clear)
    >>> row = picture[along[:, 0], along[:, 1], 2][(ys == 20)]  # the blue runs on down the left half
    >>> bool(weight[20, 12] > 0.9 and (row[xs[ys == 20] < 19] == 150).all() and (row[xs[ys == 20] > 20] == 230).all())
    True
    """
    import cv2  # only the tilt needs it; it ships with the subject mask

    height, width = clear.shape
    weight = np.zeros((height, width), np.float32)
    depth = cv2.distanceTransform((~clear).astype(np.uint8), cv2.DIST_L2, 3)
    ys, xs = np.nonzero(~clear & (depth <= BEHIND_EDGE_DEPTH))
    if len(ys) == 0:
        return ys, xs, np.zeros((0, 2), int), weight
    grey = picture.mean(axis=2)
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, ksize=3) / 8
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, ksize=3) / 8
    share = clear.astype(np.float32)
    norm = np.maximum(cv2.GaussianBlur(share, (0, 0), BEHIND_EDGE_SIZE), 1e-6)
    ny, nx = nearest[ys, xs, 0], nearest[ys, xs, 1]
    a, b, c = (cv2.GaussianBlur(g * share, (0, 0), BEHIND_EDGE_SIZE)[ny, nx] / norm[ny, nx] for g in (gx * gx, gx * gy, gy * gy))
    spread = np.sqrt((a - c) ** 2 + 4 * b * b)
    coherence = spread / np.maximum(a + c, 1e-6)
    low, high = BEHIND_EDGE_LEVELS
    c_low, c_high = BEHIND_EDGE_COHERENCE
    sure = np.clip((np.sqrt(spread) - low) / (high - low), 0, 1) * np.clip((coherence - c_low) / (c_high - c_low), 0, 1)
    keep = sure > 0  # only these are followed (most of the backdrop round a head has no edge)
    ys, xs, ny, nx, a, b, c, sure = (v[keep] for v in (ys, xs, ny, nx, a, b, c, sure))
    angle = 0.5 * np.arctan2(2 * b, a - c) + np.pi / 2  # across the gradient: along the edge
    dx, dy = np.cos(angle), np.sin(angle)
    best = np.full(len(ys), np.inf, np.float32)
    along = np.stack([ny, nx], axis=1)
    for sign in (1, -1):
        active = np.arange(len(ys))  # still looking
        for k in range(1, BEHIND_EDGE_REACH + 1):
            active = active[best[active] > k]
            if len(active) == 0:
                break
            ty = np.round(ys[active] + sign * k * dy[active]).astype(int)
            tx = np.round(xs[active] + sign * k * dx[active]).astype(int)
            inside = (ty >= 0) & (ty < height) & (tx >= 0) & (tx < width)
            active, ty, tx = active[inside], ty[inside], tx[inside]  # past the frame's edge: nothing more
            hit = clear[ty, tx]
            if not hit.any():
                continue
            found, ty, tx = active[hit], ty[hit], tx[hit]
            # one step further in, off the clear backdrop's own rim where it is clear
            sy = np.clip(np.round(ys[found] + sign * (k + 1) * dy[found]).astype(int), 0, height - 1)
            sx = np.clip(np.round(xs[found] + sign * (k + 1) * dx[found]).astype(int), 0, width - 1)
            further = clear[sy, sx]
            along[found, 0] = np.where(further, sy, ty)
            along[found, 1] = np.where(further, sx, tx)
            best[found] = k
            active = active[~hit]
    here = picture[along[:, 0], along[:, 1]]
    side = np.full(len(ys), np.inf, np.float32)
    for turn in (1, -1):  # across the edge, each way
        oy = np.clip(np.round(along[:, 0] + turn * BEHIND_EDGE_SIDE * dx).astype(int), 0, height - 1)
        ox = np.clip(np.round(along[:, 1] - turn * BEHIND_EDGE_SIDE * dy).astype(int), 0, width - 1)
        side = np.minimum(side, np.linalg.norm(picture[oy, ox] - here, axis=1))
    # Not much farther along the edge than straight out (a hit far along the rim is another place).
    sure *= (best < 2.5 * np.hypot(ys - ny, xs - nx) + 8) & (side <= BEHIND_EDGE_THIN)
    weight[ys, xs] = sure
    return ys, xs, along, weight


def _clear_backdrop(hole: np.ndarray, tight: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray] | None:
    """For every pixel, the nearest pixel (row, column; int32, shape (H, W, 2)) of the backdrop at least
    BEHIND_CLEAR px clear of ``hole`` (1 inside), and that clear backdrop (bool); None if there is none.
    Where ``tight`` (bool) is set, the backdrop right beside the hole counts as clear."""
    import cv2  # only the tilt needs it; it ships with the subject mask

    near = cv2.dilate(hole, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (2 * BEHIND_CLEAR + 1,) * 2))
    if tight is not None:
        near = np.where(tight, hole, near)
    if near.all():
        return None
    _, labels = cv2.distanceTransformWithLabels(near, cv2.DIST_L2, 5, labelType=cv2.DIST_LABEL_PIXEL)
    clear_y, clear_x = np.nonzero(near == 0)
    where = np.zeros((labels.max() + 1, 2), np.int32)
    where[labels[clear_y, clear_x]] = np.stack([clear_y, clear_x], axis=1)
    return where[labels], near == 0


def _backdrop_grain(picture: np.ndarray, hole: np.ndarray, found=None) -> np.ndarray:
    """Fine detail (float32, per channel) for the pixels of ``hole`` (1 inside), taken from the backdrop round it.

    Each pixel takes the detail of the backdrop mirrored across the nearest edge of the
    backdrop clear of the hole by BEHIND_CLEAR px (or, where the mirror falls off that
    backdrop, of the clear backdrop nearest to it), so no pixel of the person or its fringe
    is ever a source; zero outside ``hole``. ``found`` is :func:`_clear_backdrop` of ``hole``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> picture = (100 + 20 * rng.standard_normal((40, 40, 3))).astype(np.float32)
    >>> hole = np.zeros((40, 40), np.uint8); hole[10:30, 10:30] = 1
    >>> grain = _backdrop_grain(picture, hole)
    >>> bool(grain[hole == 1].std() > 5 and (grain[hole == 0] == 0).all())
    True
    """
    import cv2  # only the tilt needs it; it ships with the subject mask

    found = _clear_backdrop(hole) if found is None else found
    if found is None or not hole.any():
        return np.zeros_like(picture)
    nearest, clear = found
    detail = picture - cv2.GaussianBlur(picture, (0, 0), BEHIND_GRAIN)
    height, width = hole.shape
    ys, xs = np.nonzero(hole)
    mirror_y = np.clip(2 * nearest[ys, xs, 0] - ys, 0, height - 1)
    mirror_x = np.clip(2 * nearest[ys, xs, 1] - xs, 0, width - 1)
    source = nearest[mirror_y, mirror_x]  # itself where the mirror is clear backdrop
    grain = detail[source[:, 0], source[:, 1]]
    # The grain's typical size (a robust standard deviation) over the clear backdrop nearest the hole.
    ring = clear & (cv2.dilate((~clear).astype(np.uint8), np.ones((4 * BEHIND_CLEAR + 1,) * 2, np.uint8)) > 0)
    if not ring.any():
        ring = clear
    typical = np.median(np.abs(detail[ring]), axis=0) * 1.4826 + 1e-3
    grain = np.clip(grain, -BEHIND_GRAIN_LIMIT * typical, BEHIND_GRAIN_LIMIT * typical)
    out = np.zeros_like(picture)
    out[ys, xs] = grain
    return out


def _smoothstep(x: np.ndarray) -> np.ndarray:
    """0 below 0, 1 above 1, and an S between with flat ends."""
    x = np.clip(x, 0, 1)
    return x * x * (3 - 2 * x)


def _sample_field(field: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Bilinear samples of a 2-D float field at grid positions ``xy`` (clamped to the field)."""
    height, width = field.shape
    x = np.clip(xy[:, 0], 0, width - 1.001)
    y = np.clip(xy[:, 1], 0, height - 1.001)
    x0, y0 = x.astype(int), y.astype(int)
    fx, fy = x - x0, y - y0
    top = field[y0, x0] * (1 - fx) + field[y0, x0 + 1] * fx
    bottom = field[y0 + 1, x0] * (1 - fx) + field[y0 + 1, x0 + 1] * fx
    return top * (1 - fy) + bottom * fy


# --- sideways gaze: the eyeball slides behind still lids ---------------------------


def _slide_eyeballs(image: np.ndarray, rig: _Rig, shift: float, rise: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Slide each iris ``shift`` px along the eye line and ``rise`` px up, inside the eye opening.

    Returns the picture with the slid irises inside the openings (the lids are
    the original pixels), and the *eyeball*: the same, with the eyeball's
    pixels carried on past the lids (each column's edge row repeated), for
    the parts of the eye a lid uncovers when it follows an upward look.
    """
    if not shift and not rise:
        return image, image
    result, eyeball = np.array(image, copy=True), np.array(image, copy=True)
    for side in ("left", "right"):
        _slide_one(result, eyeball, image, rig, side, shift, rise)
    return result, eyeball


def _slide_one(result: np.ndarray, eyeball: np.ndarray, image: np.ndarray, rig: _Rig, side: str, shift: float, rise: float) -> None:
    """Move one iris as a disc: fill its old place with the white, lay it down at the new one.

    The iris (with its dark rim) is a disc a little larger than the marked
    radius. Its old place is filled with the eye's own white (:func:`_fill_white`),
    and the disc is drawn back, moved along the eye's axis, with a soft edge.
    The catchlight is lifted off the iris first and put back a whole number of
    pixels away, so a catchlight of a pixel or two stays sharp instead of being
    halved by a sub-pixel move. Only the opening is changed, so the lids cover
    the moved iris as they covered the old one: no straight cuts, no stretched
    iris colour in the white, the catchlight stays in the iris.
    """
    outer, chord, length, place = rig._eye_frame(side)
    along = chord / length
    iris = rig.p[f"{side}_iris"]
    offset = shift * float(rig.across @ along) * along + rise * rig.up  # sideways along this eye's axis
    eye = _prepared_eye(image, rig, side, int(np.sign(rise)))
    if eye is None:
        return
    (x0, y0, x1, y1), xy, mask, white, iris_only, catchlight, shine, far, photo, shadow = eye
    if far.any() or shadow.any():  # the shadowed white runs on to the corner only on the side the
        # iris leaves, coming in as the iris moves its first iris radius (no jump as the slider leaves 0)
        sideways = shift * float(rig.across @ along) * along
        leaving = (xy - iris) @ sideways < 0  # (none, for a look straight up or down)
        share = min(1.0, float(np.linalg.norm(sideways)) / max(rig.radius, 1.0))
        keep = np.where(leaving & far, 1.0 - share, 1.0) * far
        # Elsewhere past the old disc (the side it turns to, or both for a look up or down) such
        # a white stays the photo's: filled out to the hole's edge, a light stripe stood between
        # the moved iris and the corner's shadow (Koch's left eye at +8: 74-115 grey beside 40-60).
        keep = np.maximum(keep, np.where(leaving, 0.0, shadow))
        white = white + keep[..., None] * (photo - white)
    from .warp import _sample_bilinear  # the same sampler as the warps

    source = (xy - offset - (x0, y0)).reshape(-1, 2)
    # (the iris and, as a fourth channel, the white its disc takes in: sampled in one pass)
    moved = _sample_bilinear(iris_only, source).reshape(y1 - y0, x1 - x0, 4).astype(np.float32)
    moved, left = moved[..., :3], moved[..., 3] / np.float32(255)
    # The catchlight is a reflection on the cornea: it moves CATCHLIGHT_FOLLOWS of the iris's
    # move, in whole pixels (rows, columns) so that a catchlight of a pixel or two stays sharp.
    step = np.round(CATCHLIGHT_FOLLOWS * offset[::-1]).astype(int)
    moved = np.maximum(moved, _shifted(catchlight, step))
    disc, soft = IRIS_ZONE * rig.radius, max(0.75, IRIS_SOFT_EDGE * rig.scale)
    new = np.linalg.norm(xy - (iris + offset), axis=-1)
    alpha = np.clip((disc + soft / 2 - new) / soft, 0, 1)
    # (the disc's white stays behind: where it lands, the eye's own white or corner shows)
    alpha = (alpha * (1 - left))[..., None]
    slid = white * (1 - alpha) + moved * alpha
    if shine is not None:  # a lens glare stays where it was, laid back over the moved eye
        slid = 255 - (255 - slid) * (1 - shine[..., None])
    eyeball[y0:y1, x0:x1] = np.round(np.clip(slid, 0, 255)).astype(np.uint8)
    box = result[y0:y1, x0:x1].astype(np.float32)
    result[y0:y1, x0:x1] = np.round(np.clip(box + mask[..., None] * (slid - box), 0, 255)).astype(np.uint8)


_PREPARED_EYES: dict = {}


def _prepared_eye(image: np.ndarray, rig: _Rig, side: str, direction: int):
    """What a gaze move of one eye needs that does not depend on how far it moves.

    The eye's box and pixel centres, the opening, the white with the iris's
    place filled (carried on past the lids), the iris without its catchlight
    (completed where a lid hides it, for a move up (``direction`` 1) or down
    (-1); with a fourth channel, 0-255: how much of each pixel is white the disc
    takes in and leaves behind, :func:`_white_in_disc`), the catchlight and any
    lens glare, where the white runs on past the hole (a side whose white is all
    shadow) and the photo's own pixels there, and how far past the old disc each
    pixel of such a side lies (kept as the photo on the side the iris turns to).
    Cached per eye while a slider moves.
    """
    lids = np.concatenate([rig._lid(side, "upper", np.linspace(0, 1, 41)), rig._lid(side, "lower", np.linspace(0, 1, 41))])
    height, width = image.shape[:2]
    # Room for a lid that follows the largest look up or down.
    pad = 3 + math.ceil(EYE_ROTATION_RADIUS * rig.radius * math.sin(math.radians(MAX_GAZE_Y_SMALL_IRIS)))
    x0, y0 = np.maximum(np.floor(lids.min(axis=0) - pad).astype(int), 0)
    x1, y1 = np.minimum(np.ceil(lids.max(axis=0) + pad).astype(int), (width, height))
    if x1 - x0 < 3 or y1 - y0 < 3:
        return None
    pixels = np.ascontiguousarray(image[y0:y1, x0:x1])
    iris = rig.p[f"{side}_iris"]
    key = (side, direction, (x0, y0, x1, y1), hash(pixels.tobytes()), tuple(np.round(lids.ravel(), 2)),
           tuple(np.round(iris, 2)), round(rig.radius, 3), rig.scale, rig.glasses)  # fmt: skip
    if key in _PREPARED_EYES:
        return _PREPARED_EYES[key]
    disc = IRIS_ZONE * rig.radius  # the iris with its dark rim
    soft = max(0.75, IRIS_SOFT_EDGE * rig.scale)
    ys, xs = np.mgrid[y0:y1, x0:x1]
    xy = np.stack([xs + 0.5, ys + 0.5], axis=-1)
    crop = pixels.astype(np.float32)
    old = np.linalg.norm(xy - iris, axis=-1)
    mask = _opening_mask(rig, side, (x0, y0, x1, y1))
    reach = disc + max(soft + 1, 0.4 * rig.radius)  # the hole: the iris, its rim and a band of white
    # Which side of the iris each pixel lies on, along the eye's axis: the white the iris
    # leaves is filled from the white on that side of that eye (a face lit from one side
    # has a bright white on one side of the iris and a shadowed one on the other).
    outer, chord, length, _ = rig._eye_frame(side)
    beside = (xy - iris) @ (chord / length)
    glare = _lens_glare(crop, mask, old < disc) if rig.glasses else np.zeros(crop.shape[:2], bool)
    inside = _opening_mask(rig, side, (x0, y0, x1, y1), -0.1) > 0.5  # clear of lashes and lid margins
    # ... and away from the corners, whose pink or shadowed skin is no white.
    t = (xy - outer) @ (chord / length) / length
    inside &= (t > CORNER_SAMPLES) & (t < 1 - CORNER_SAMPLES)
    inside &= ~glare
    # A side has white of its own when enough of it shows beyond the iris and its rim (an
    # iris near a corner leaves only the corner's pink or shadow there: the whole eye's then).
    enough = max(6.0, WHITE_SHOWN * rig.radius**2)
    own = tuple(bool((inside & (sign * beside > 0) & (old > disc + 0.5)).sum() >= enough) for sign in (-1, 1))
    # A side with no white of its own beyond the iris shows, between the iris and its corner,
    # only a white in shadow about as dark as the iris (Hopper's picture-right whites behind the
    # lens, L* 18-20 beside an iris of 16-20). Filled only to the hole's edge, a pale crescent
    # of white sat in a dark band of it: a second, ghost iris ring. There the white the iris
    # leaves runs on to the corner (see _slide_one: only on the side the iris leaves).
    shadowed = np.zeros(old.shape, bool)  # such a side, past the iris
    for sign, has in zip((-1, 1), own):
        if not has:
            shadowed |= (sign * beside > 0) & (mask > 0.5)
    far = shadowed & (old >= reach)
    # Filled a little past the hole too, to compare with the photo's white there (_match_rim).
    rim = (old >= reach) & (old < reach + 0.5 * rig.radius) & ~far
    # How far down from the upper lid to the lower each pixel lies (0 to 1): a side with no
    # white of its own takes the eye's white at the same height, so it keeps the white's
    # shading between the lids (shadow under the upper lid, lighter toward the lower one).
    upper, lower = _opening_at(rig, side, beside)
    down = (upper - (xy - iris) @ rig.up) / np.maximum(upper - lower, 1.0)
    # ... read off the opening beyond the iris on the sides with white of their own, lid to lid
    # (the white's own shading meets each lid there), clear of the corners.
    shading = (mask > 0.5) & ~glare & (old > disc + 1) & (t > CORNER_SAMPLES) & (t < 1 - CORNER_SAMPLES)
    shading &= np.logical_or.reduce([(sign * beside > 0) for sign, has in zip((-1, 1), own) if has] + [np.zeros_like(shading)])
    white = _fill_white(crop, (old < reach) | rim | far, inside, rig.radius, beside, (mask > 0.5) & ~glare, own, old < disc + 1,
                        (down, shading))  # fmt: skip
    white = _match_rim(crop, white, (old < reach) | far, rim & (mask > 0.5) & ~glare, rig.radius)
    for sign, has in zip((-1, 1), own):
        if not has and any(own):
            # A side with no white of its own takes the other side's white at the same height;
            # lit as that side is, it stood out as a pale block against its own shadow (Ochoa's
            # right eye at -18.5: 30 L* over the white beside it; Koch's lit eye at -25).
            # Its lightness goes BORROWED_LEVEL of the way down to the side's own lightest pixels.
            half = (sign * beside > 0) & (mask > 0.5) & ~glare
            seen = half & (old > disc + 0.5) & (t > 0.5 * CORNER_SAMPLES) & (t < 1 - 0.5 * CORNER_SAMPLES)
            if seen.sum() >= 3:
                level = float(np.percentile(crop[seen].mean(axis=-1), 75))
                grey = np.maximum(white.mean(axis=-1), 1.0)
                # Deeper toward the corner: there the lids and the corner shade the white more.
                past = np.clip((old - disc) / max(float(old[half].max()) - disc, 1.0), 0, 1)
                amount = BORROWED_LEVEL + (BORROWED_CORNER - BORROWED_LEVEL) * past
                dims = 1 - amount * np.clip(1 - level / grey, 0, 1)  # (never lighter)
                white = np.where((half & ((old < reach) | far))[..., None], white * dims[..., None], white)
    # Eased into the white round the hole, so the fill has no edge of its own.
    # (No white round the hole on a shadowed side to ease into: the fill runs on to the corner.)
    ease = np.where(shadowed, 1.0, np.clip((reach - old) / (reach - disc), 0, 1))[..., None]
    # Lid skin that the marked opening takes in under the iris's disc (on a small eye the
    # marks can sit a pixel or two off) stays skin: filled with white it read as a milky blotch.
    # Only near the lid lines or beyond the iris's disc: the iris's own dark rim in a shadowed
    # eye looks like dark skin too, and kept it would leave a crescent of the old iris.
    near_lids = (_opening_mask(rig, side, (x0, y0, x1, y1), -0.3) < 0.5) | (old > disc)
    ease = ease * (1 - (_lid_like(crop, mask, old, rig.radius, white) * near_lids)[..., None])
    # The corners keep their own colour (pink inside, shadow outside) where the hole reaches them.
    # (On a side whose white is all shadow, the fill runs on to the corner's own zone, the
    # zone a corner the iris leaves keeps still, and fades over the rest of the corner's samples.)
    still = 0.8 * STRETCHED_CORNER_ZONE
    # (There the fade runs round the corner, by the distance from it: faded across the eye's
    # axis, a straight edge crossed the eye where the white met the corner's shadow: Koch, Hopper.)
    fades = []
    for has, share, corner in zip(own, (t, 1 - t), (outer, outer + chord)):
        if has:
            fades.append(_smoothstep(share / CORNER_SAMPLES))
        else:
            fades.append(_smoothstep((np.linalg.norm(xy - corner, axis=-1) / length - still) / SHADOWED_CORNER_FADE))
    ease = ease * np.minimum(*fades)[..., None]
    # The fill is smooth: the white's own grain and fine vessels, read off the white round
    # the hole, go back over it (without them it read as a painted, flat patch: Glover).
    across = (xy - iris) @ np.array([-chord[1], chord[0]]) / length
    source = inside & (old >= disc + 1)  # the white round the iris, clear of its dark rim
    detail = _white_detail(crop, (old < reach) | far, source, xy - (x0, y0), chord / length, beside, across, disc + 1, max(1.0, 1.5 * rig.scale))
    detail = detail * np.sqrt(np.maximum(white, 0))
    # ... no grainier than the white round it: copied from a lit white, or picked at random where
    # a row shows none, it sparkled in a dim one (Hopper's right eye at -24.7: 3 times the grain
    # of the white beside it; Koch's lit eye at -12.5: twice).
    for sign in (-1, 1):  # (each side of the iris against its own white: a lit side's grain is coarser)
        half = sign * beside > 0
        white = white + np.where(half, _grain_scale(crop, white + detail, ((old < reach) | far) & half, source & half, source), 0)[..., None] * detail
    # The lower lid's wet margin, lighter than the white, stays where the hole takes it in: the
    # marked lid is a parabola a pixel or so off the real margin, and a fill painted down to it
    # ended in a straight, hard line across the lid (Hopper's left eye).
    # Over the last pixels above it the fill leans toward the lid just below: a white meets the
    # lid in a soft line, where a fill darker than the lid met it in a one-pixel step (40-55 levels).
    above = (xy - iris) @ rig.up - lower
    from .warp import _sample_bilinear  # the same sampler as the warps

    below = xy - (above + LOWER_LID_SAMPLE)[..., None] * rig.up - (x0, y0)
    lid = _sample_bilinear(crop, below.reshape(-1, 2)).reshape(crop.shape).astype(np.float32)
    white = white + _lower_margin(lid, white, above, rig.radius, LOWER_LID_BLEND)[..., None] * (lid - white)
    white = white + _lower_margin(crop, white, above, rig.radius)[..., None] * (crop - white)
    # Under the upper lid the photo's shade (lid margin, lashes) darker than the fill stays: the
    # lid does not move with the iris (filled up to the marked lid, the white ran on over the lid's
    # margin as a light band above the moved iris: Koch's shadowed eye at +16). On a large iris,
    # beside a white of the side's own (on a side in shadow the photo is dark throughout: kept,
    # it left the old iris's top as a dark cap; beside a small iris the band is its white).
    under = upper - (xy - iris) @ rig.up
    zone = np.clip(1 - under / (UPPER_SHADE * rig.radius + 1.0), 0, 1) * _large_iris(rig.radius) * ~shadowed
    low, high = LOWER_MARGIN_LEVELS
    darker = np.clip((white.mean(axis=-1) - crop.mean(axis=-1) - low) / (high - low), 0, 1)
    white = white + (zone * darker)[..., None] * (crop - white)
    white = _carry_on(crop + ease * (white - crop), mask > 0.5)
    shown = (old < reach) & (mask > 0.5)
    seen = shown
    if direction:  # the iris seen well clear of the lid it moves away from (marked lids can sit a pixel off)
        trailing = (0.0, -0.3) if direction > 0 else (-0.3, 0.0)  # (upper, lower) margins
        seen = seen & (_opening_mask(rig, side, (x0, y0, x1, y1), *trailing) > 0.5)
    # (inside the iris, clear of its edge: the white inside the disc's rim and a ring light's arc
    # along the edge are no catchlight)
    # The catchlight is looked for in all the iris the opening shows: one near the lid the iris moves
    # away from (Jemison's, under the upper lid) was cut by the trimmed edge and left in the iris,
    # its trimmed part painted over with the iris's rings: looking down, it split into grey pieces.
    iris_only, catchlight = _lift_catchlight(crop, (old < 0.8 * rig.radius) & shown & ~glare, rig.radius, old >= 0.8 * rig.radius)
    if glare.any():  # the glare is on the glasses, not the eye: it moves with neither
        iris_only = _normalised_fill(iris_only, glare & (old < reach), ((old < disc) & ~glare).astype(np.float32),
                                     ((0.3 * rig.radius, 0.3 * rig.radius), (rig.radius, rig.radius)))  # fmt: skip
        white = _normalised_fill(white, glare, (~glare).astype(np.float32), ((0.3 * rig.radius, 0.3 * rig.radius), (rig.radius, rig.radius)))
    if direction:
        # An iris that turns up or down brings into view what a lid hid: complete it from
        # the iris seen, so that no lashes or lid margin travel with it.
        angle = np.arctan2(xy[..., 1] - iris[1], xy[..., 0] - iris[0])
        # Only the iris itself (to its marked edge): the band of white round it that a lid hid
        # is the eye's own white there, not the white beside the iris carried round the
        # circle (in a shadowed eye that drew a bright ring round a raised or lowered iris).
        # Rings out to the disc's edge (a marked radius can fall short of the iris), then,
        # where a completed ring came out white rather than iris, the eye's own white there.
        hidden = (old < disc) & ~seen
        iris_only = _complete_rings(iris_only, old, angle, hidden, seen & (old < disc))
        core = seen & (old < 0.8 * rig.radius)
        if core.any():
            dark = float(np.median(iris_only[core].mean(axis=-1)))
            light = white.mean(axis=-1)
            whiteness = np.clip((iris_only.mean(axis=-1) - dark) / np.maximum(light - dark, 1.0) * 2 - 0.5, 0, 1)
            whiteness = np.where(hidden & (old >= 0.8 * rig.radius), whiteness, 0)[..., None]
            iris_only = iris_only + whiteness * (white - iris_only)
        band = (old >= disc) & (old < reach) & ~seen
        iris_only[band] = white[band]
    # A glare on glasses as a screen layer over the eye: what it adds to the eye under it.
    shine = _glare_layer(crop, white, iris_only, old, disc, soft, glare) if glare.any() else None
    # The disc reaches past the iris's edge where the marked radius is generous: that band of
    # white travels with the disc unless left out of it (into a corner it ended in a straight
    # light stripe against the corner's skin: Koch's right eye at -25, left eye at +8).
    matte = _white_in_disc(iris_only, white, old, rig.radius, seen & ~glare)
    # Where a side's white is all shadow, how far past the old disc each pixel lies (0 to 1 over
    # its soft edge): kept as the photo on the side the iris turns to (_slide_one).
    # From the iris's marked edge on a large iris (the disc's band past it is that side's own
    # shadow: filled, a light sliver stood by a raised or lowered iris, Koch), from the disc's
    # edge on a small one (there the band is the iris's own blurred rim: kept, a dark speck).
    start = disc - _large_iris(rig.radius) * (disc - rig.radius)
    shadow = (shadowed * np.clip((old - start) / soft, 0, 1)).astype(np.float32)
    iris_only = np.concatenate([iris_only, matte[..., None] * np.float32(255)], axis=-1)
    prepared = ((x0, y0, x1, y1), xy, mask, white, iris_only, catchlight, shine, far, crop, shadow)
    if len(_PREPARED_EYES) >= 16:
        _PREPARED_EYES.pop(next(iter(_PREPARED_EYES)))
    _PREPARED_EYES[key] = prepared
    return prepared


#: A side with no white of its own goes this share of the way from the other side's white down
#: to its own lightest pixels (their 75th percentile, past the iris's disc).
BORROWED_LEVEL = 0.6
#: ... and this much of the way at the far end of the opening, by the corner.
BORROWED_CORNER = 0.85
#: On a side whose white is all shadow, the fill fades out toward the corner over this share of
#: the eye's width past the corner's still zone, by the distance from the corner (across the
#: axis over CORNER_SAMPLES - that zone, 0.04, it ended in a straight, hard edge across the
#: eye: Koch's and Hopper's inner corners).
SHADOWED_CORNER_FADE = 0.06
#: How far below the upper lid (iris radii, plus a pixel) the photo's shade darker than the fill
#: is kept over it.
UPPER_SHADE = 0.15
#: How far above the lower lid (iris radii, plus a pixel) a lid margin lighter than the fill
#: is kept (:func:`_lower_margin`), and by how many grey levels lighter it is kept in full.
LOWER_MARGIN = 0.3
LOWER_MARGIN_LEVELS = (4.0, 16.0)
#: The lid's colour is read this many px below the marked lower lid (clear of its margin), and
#: the fill leans this much of the way to it at the lid line (less going up, LOWER_MARGIN).
LOWER_LID_SAMPLE = 2.0
LOWER_LID_BLEND = 0.5


def _lower_margin(crop: np.ndarray, fill: np.ndarray, above: np.ndarray, radius: float, most: float = 1.0) -> np.ndarray:
    """0..1 per pixel: how much of the photo to keep over ``fill`` at the lower lid.

    ``above``: each pixel's height (px) over the marked lower lid. At and just above
    the lid, a pixel of the photo lighter than the fill is the lid's margin (an iris
    is darker than the white), kept in full (``most``) from LOWER_MARGIN_LEVELS[1] lighter.

    Examples
    --------
    >>> crop = np.array([[[150.0] * 3, [60.0] * 3, [150.0] * 3]])
    >>> fill = np.full((1, 3, 3), 90.0)
    >>> [round(float(v), 2) for v in _lower_margin(crop, fill, np.array([[0.0, 0.0, 9.0]]), 8.0)[0]]
    [1.0, 0.0, 0.0]
    """
    zone = np.clip(1 - above / (LOWER_MARGIN * radius + 1.0), 0, 1)
    low, high = LOWER_MARGIN_LEVELS
    lighter = np.clip((crop.mean(axis=-1) - fill.mean(axis=-1) - low) / (high - low), 0, 1)
    return (most * zone * lighter).astype(np.float32)


#: The band of the disc searched for white, from this share of the marked iris radius out
#: (inside it, the iris itself: its catchlight is lifted apart, a light iris's pattern stays).
WHITE_IN_DISC_FROM = 1.0
#: The white there must be this much lighter (0-255 grey) than the iris to be told apart from
#: it, in full from twice that (a white in shadow as dark as the iris stays in the disc).
WHITE_OVER_IRIS_LEVELS = 12.0


def _large_iris(radius: float) -> float:
    """0 for an iris of SMALL_IRIS px radius or less, 1 from LARGE_IRIS, linear between.

    >>> _large_iris(5.0), _large_iris(7.5), _large_iris(11.0)
    (0.0, 0.5, 1.0)
    """
    return min(1.0, max(0.0, (radius - SMALL_IRIS) / (LARGE_IRIS - SMALL_IRIS)))


def _white_in_disc(iris: np.ndarray, white: np.ndarray, old: np.ndarray, radius: float, seen: np.ndarray) -> np.ndarray:
    """0..1 per pixel: how much of the moved disc's band past the iris is the eye's white.

    ``iris``: the eye with the iris's catchlight lifted; ``white``: the eye with the
    iris's place filled with its white; ``old``: each pixel's distance from the
    iris's centre; ``seen``: the iris's own pixels. A pixel from
    WHITE_IN_DISC_FROM iris radii out counts as white by how far its grey lies from
    the iris's (the median of ``seen`` within 0.8 radius) to the white's there:
    none up to a quarter of the way, all from three quarters. Only on irises of
    SMALL_IRIS px radius and up, in full from LARGE_IRIS: on a smaller one the band
    is under a pixel, and the iris's own blurred edge in it (Armstrong, Ochoa) left
    out of the disc made the moved iris smaller.

    Examples
    --------
    >>> ys, xs = np.mgrid[0:21, 0:21]; old = np.hypot(xs - 10.0, ys - 10.0)
    >>> iris = np.where(old[..., None] < 8, 40.0, 180.0) * np.ones(3, np.float32)
    >>> white = np.full((21, 21, 3), 180.0, np.float32)
    >>> matte = _white_in_disc(iris, white, old, 9.0, old < 8)
    >>> float(matte[10, 10]), float(matte[10, 19])  # the iris stays, the white round it stays behind
    (0.0, 1.0)
    """
    matte = np.zeros(old.shape, np.float32)
    core = seen & (old < 0.8 * radius)
    size = _large_iris(radius)
    if core.sum() < 5 or not size:
        return matte
    dark = float(np.median(iris[core].mean(axis=-1)))
    gap = white.mean(axis=-1) - dark
    share = np.clip((iris.mean(axis=-1) - dark) / np.maximum(gap, 1.0) * 2 - 0.5, 0, 1)
    clear = np.clip(gap / WHITE_OVER_IRIS_LEVELS - 1, 0, 1)  # a white clearly lighter than the iris
    return np.where(old >= WHITE_IN_DISC_FROM * radius, size * share * clear, 0).astype(np.float32)


def _complete_rings(crop: np.ndarray, radius: np.ndarray, angle: np.ndarray, hole: np.ndarray, seen: np.ndarray) -> np.ndarray:
    """``crop`` with ``hole`` filled from the ``seen`` pixels at the same distance from the iris's
    centre and the nearest angles round it: the dark rim stays at the edge, the lighter iris
    inside it, and the iris's shading carries on round the circle without a seam."""
    out = np.array(crop, dtype=np.float32, copy=True)
    if not hole.any() or seen.sum() < 3:
        return out
    import cv2

    rings = np.round(radius * 2).astype(int)  # half-pixel rings
    sectors = 48
    turns = (np.floor((angle + math.pi) / (2 * math.pi) * sectors).astype(int)) % sectors
    size = int(rings.max()) + 1
    cell = rings[seen] * sectors + turns[seen]
    count = np.bincount(cell, minlength=size * sectors).astype(np.float32).reshape(size, sectors)
    total = np.stack([np.bincount(cell, out[seen][:, c], size * sectors) for c in range(3)], axis=-1)
    total = total.astype(np.float32).reshape(size, sectors, 3)
    filled = np.zeros(hole.sum(), bool)
    for sigma in (2.0, 6.0, 24.0):  # sectors round the ring; further for rings seen only far away
        # Round the circle: tiled three times so the blur wraps, then the middle copy kept.
        num = cv2.GaussianBlur(np.tile(total, (1, 3, 1)), (0, 0), sigma, sigmaY=1.0)[:, sectors : 2 * sectors]
        den = cv2.GaussianBlur(np.tile(count, (1, 3)), (0, 0), sigma, sigmaY=1.0)[:, sectors : 2 * sectors]
        values = num[rings[hole], turns[hole]]
        weight = den[rings[hole], turns[hole]]
        ok = ~filled & (weight > 0.05)
        colours = out[hole]
        colours[ok] = values[ok] / weight[ok, None]
        out[hole] = colours
        filled |= ok
        if filled.all():
            break
    return out


def _carry_on(crop: np.ndarray, inside: np.ndarray) -> np.ndarray:
    """``crop`` with each column's pixels above and below ``inside`` replaced by its edge pixel there."""
    out = np.array(crop, dtype=np.float32, copy=True)
    rows = np.arange(inside.shape[0])[:, None]
    has = inside.any(axis=0)
    if not has.any():
        return out
    top = np.where(has, inside.argmax(axis=0), 0)
    bottom = np.where(has, inside.shape[0] - 1 - inside[::-1].argmax(axis=0), inside.shape[0] - 1)
    index = np.clip(rows, top, bottom)  # row to copy from, per pixel
    carried = np.take_along_axis(out, index[..., None].repeat(out.shape[2], axis=2), axis=0)
    return np.where(has[None, :, None], carried, out)


def _lens_glare(crop: np.ndarray, opening: np.ndarray, iris: np.ndarray | None = None) -> np.ndarray:
    """Where a glare on glasses crosses the eye: a near-white patch reaching out past the lids.

    A catchlight lies inside the iris and the white inside the lids; a glare
    on a lens lies on the glass in front of both, across the lid line. Over a
    dark ``iris`` (a mask) the glare fades: there it reaches as far as the
    pixels stay well above the iris's own brightness, or its dim end would be
    carried along with a moved iris as a torn light patch.
    """
    grey = crop.mean(axis=-1)
    bright = (grey > max(170.0, 0.85 * float(grey.max()))).astype(np.uint8)
    if not bright.any():
        return np.zeros(grey.shape, bool)
    import cv2

    count, labels = cv2.connectedComponents(bright, connectivity=8)
    outside = np.bincount(labels[opening < 0.05], minlength=count)
    found = np.nonzero(outside >= 3)[0]
    glare = np.isin(labels, found[found > 0])
    if iris is not None and glare.any() and (iris & ~glare).sum() >= 5:
        # Halfway between the iris and the glare's dimmest detected pixel.
        lit = iris & (grey > 0.5 * (float(np.median(grey[iris & ~glare])) + float(grey[glare].min())))
        near = cv2.dilate(glare.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
        count, labels = cv2.connectedComponents((near | lit).astype(np.uint8), connectivity=8)
        glare = glare | (lit & np.isin(labels, np.unique(labels[glare])))
    return cv2.dilate(glare.astype(np.uint8), np.ones((5, 5), np.uint8)).astype(bool)  # with its soft edge


#: How far a catchlight moves, as a share of the iris's move. A light's reflection sits
#: where the cornea's surface faces the camera, so it turns with the cornea's centre of
#: curvature (about 5.7 mm from the eye's centre of rotation: corneal radius 7.8 mm, centre
#: of rotation 13.5 mm behind the cornea) while the pupil plane turns at about 10 mm
#: (EYE_ROTATION_RADIUS): 5.7 / 10, about 0.55. Eye trackers use this difference.
CATCHLIGHT_FOLLOWS = 0.55

#: A catchlight is an iris pixel this much brighter (0-255 grey) than the iris's median.
CATCHLIGHT_CONTRAST = 30.0


def _lift_catchlight(crop: np.ndarray, iris: np.ndarray, radius: float, rim: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Split the iris into the iris without its catchlight, and the catchlight alone (0 elsewhere).

    A catchlight is a small bright spot (at most half the iris's radius
    across); larger bright shapes, such as a lid's wet margin or a ring
    light's arc round the iris, are left in the iris, and so is one cut by
    ``rim`` (where the iris ends; by default, wherever ``iris`` does).

    The catchlight's pixels (and a pixel round them) take the colour of the
    iris round them in the first; the second holds them as they were, to be
    laid back with a lighten blend.
    """
    catchlight = np.zeros_like(crop)
    if iris.sum() < 5:
        return crop, catchlight
    grey = crop.mean(axis=-1)
    # Brighter than the iris by a margin, and in the top 40 % between its median and its
    # brightest pixel: a light iris's own pattern is not a catchlight.
    median = float(np.median(grey[iris]))
    bright = iris & (grey > median + max(CATCHLIGHT_CONTRAST, 0.6 * (float(grey[iris].max()) - median)))
    if not bright.any():
        return crop, catchlight
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(bright.astype(np.uint8), connectivity=8)
    reach = max(3.0, 0.5 * radius)  # a spot: no wider or taller than this (a lid's wet margin is a long arc)
    small = np.nonzero((stats[:, cv2.CC_STAT_WIDTH] <= reach) & (stats[:, cv2.CC_STAT_HEIGHT] <= reach))[0]
    # ... and whole inside the iris: a bright shape cut by its edge carries on outside it.
    edge = cv2.dilate((~iris if rim is None else rim).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    small = np.setdiff1d(small, labels[edge & bright])
    bright = np.isin(labels, small[small > 0])
    if not bright.any():
        return crop, catchlight
    halo = cv2.dilate(bright.astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool) & iris
    # The iris round the catchlight closes over its place.
    # ... from its plain pixels: another bright reflection beside it (Jemison's ring light), drawn
    # in, left a grey blob where the catchlight had been, a second light in the moved iris.
    plain_iris = iris & ~halo & (grey <= median + CATCHLIGHT_CONTRAST)
    weight = plain_iris if plain_iris.sum() >= 5 else iris & ~halo
    plain = _normalised_fill(crop, halo, weight.astype(np.float32), ((1.5, 1.5), (4.0, 4.0), (12.0, 12.0)))
    catchlight[halo] = crop[halo]
    return plain, catchlight


def _shifted(layer: np.ndarray, step) -> np.ndarray:
    """``layer`` moved by whole pixels ``step`` = (rows, columns), zeros coming in."""
    out = np.zeros_like(layer)
    dy, dx = int(step[0]), int(step[1])
    height, width = layer.shape[:2]
    if abs(dy) >= height or abs(dx) >= width:
        return out
    out[max(dy, 0) : height + min(dy, 0), max(dx, 0) : width + min(dx, 0)] = layer[
        max(-dy, 0) : height + min(-dy, 0), max(-dx, 0) : width + min(-dx, 0)
    ]
    return out


def _fill_white(crop: np.ndarray, hole: np.ndarray, opening: np.ndarray, radius: float,
                beside: np.ndarray | None = None, fallback: np.ndarray | None = None,
                own: tuple[bool, bool] = (True, True), core: np.ndarray | None = None,
                height: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray:
    """``crop`` with ``hole`` filled by the eye's own white, mostly from the same rows and side.

    A normalised blur: each filled pixel is a weighted mean of the opening's
    pixels outside the hole, weighted much more along the row than across it
    (the shadow under the upper lid runs along the rows) and by how white they
    are, so the pink inner corner, lashes and shadow at the lids hardly count
    while the white's own shading toward a dim corner is kept.

    ``beside`` (signed distance along the eye from the iris's centre, per pixel)
    fills each side of the hole from the white on that side only, blended
    linearly over 0.75 iris radius either side of its centre: on a face lit from one side the white on one
    side of the iris is bright and the other shadowed, and a fill mixing both
    reads as a pale plate in a shadowed eye. A side with too few white pixels of
    its own (``own`` says, for the side of negative ``beside`` and the other)
    borrows the whole eye's; an eye with too few white pixels in ``opening``
    samples ``fallback`` as well. Samples come from outside ``hole``, or, if
    given, outside ``core`` (the white just round an iris is white too). With
    ``height`` = (how far each pixel lies from the upper lid to the lower, 0 to 1;
    where the eye's white shows), a borrowing side takes the lightness of the white
    at the same height between the lids (:func:`_height_fill`): the white's shading
    from lid to lid, not one flat grey; a side with white of its own beside a large
    iris takes, at each height, the white nearest the hole (:func:`_near_white`), in
    its lightness and colour.

    Examples
    --------
    >>> crop = np.zeros((5, 9, 3), np.float32); crop[:, :4] = 200; crop[:, 5:] = 100
    >>> hole = np.zeros((5, 9), bool); hole[:, 3:6] = True
    >>> beside = np.tile(np.arange(9) - 4.0, (5, 1))
    >>> filled = _fill_white(crop, hole, np.ones((5, 9), bool), 2.0, beside)
    >>> [round(float(v)) for v in filled[2, 2:7, 0]]
    [200, 183, 150, 117, 100]
    """
    out = crop.astype(np.float32)
    hidden = hole if core is None else core  # what no sample may come from (by default the hole)
    known = opening & ~hidden
    if fallback is not None and known.sum() < 6:
        known = (opening | fallback) & ~hidden
    if known.sum() < 3:
        return out
    grey = out.mean(axis=-1)
    chroma = out.max(axis=-1) - out.min(axis=-1)
    # Along the row over a little more than the iris; across it, over a few rows.
    sigmas = ((1.2 * radius, max(0.8, WHITE_ROWS * radius)), (4 * radius, max(1.5, 0.6 * radius)), (12 * radius, 3 * radius))

    def weights(where: np.ndarray) -> np.ndarray:
        # Whiter means brighter and less saturated, against the brightest white of the same
        # pixels (so a shadowed side's own white counts fully): lashes and the pink corner
        # count little, while the white's own shading toward a dim corner still counts.
        lightness = np.clip((grey - 0.5 * chroma) / max(float(np.percentile(grey[where], 90)), 1.0), 0.02, 1)
        return (where * lightness**WHITENESS_POWER).astype(np.float32)

    if beside is None:
        return _normalised_fill(out, hole, weights(known), sigmas)
    # A side without white of its own borrows the eye's whitest quarter: the rest of a
    # narrow eye's opening is mostly lid margin and lashes, and their mean read as a tan
    # patch (Jemison's right eye).
    whiteness = grey - 0.5 * chroma
    whitest = known & (whiteness >= np.percentile(whiteness[known], 75))
    sides = []
    for sign, has in zip((-1, 1), own):
        side = known & (sign * beside > 0)
        borrowed = not (has and side.sum() >= 3)
        samples = whitest if borrowed else side
        weight = weights(samples)
        fill = _normalised_fill(out, hole, weight, sigmas)
        if not borrowed and height is not None:
            # The white right beside the hole, at the same height between the lids: the whitest
            # white of the side, spread along the rows, stood lighter and flatter than the white
            # it sat in (Koch's lit eye at +16: 6 L* over it and bluer; Glover's at +25: a light
            # plate under the upper lid's shadow, with a straight top edge). In full on a large
            # iris; beside a small one (a narrow eye, a wide shot) the band is a pixel or two of
            # lid margin and the iris's blurred edge: taken in full, the fill came out nearly as
            # dark as the iris (Jemison's iris then moved 0.8 px to the eye at +7), so there only
            # SMALL_IRIS_NEAR of the way (still, a milky plate stood 9-11 L* over it: Jemison).
            near = _near_white(out, side, hidden, radius)
            fill = fill + max(_large_iris(radius), SMALL_IRIS_NEAR) * (_height_fill(out, hole, near, height[0], fallback=fill) - fill)
            if near.sum() > 0 and _large_iris(radius):  # (and its colour from the least tinted of that white, as below)
                samples, weight = near > 0, near * weights(side)
        if borrowed and height is not None and (height[1] & ~hidden).sum() >= 6:
            # The eye's white, row for row between the lids: a flat grey plate borrowed from the
            # whitest quarter read as a pasted wedge with a hard edge on the lower lid (Hopper).
            # Where few white pixels show at a height (a narrow eye's lid margins), the plate's.
            fill = _height_fill(out, hole, weights(height[1] & ~hidden), height[0], fallback=fill)
        # Its colour from the side's least tinted white: the pixels toward a corner are pinker
        # (the caruncle's and the lid's glow) and, with the whitest weighted, still tinted the
        # fill pink beside a greyer white at the iris (Ochoa). Its lightness stays the fill's.
        # A borrowed white (already the least tinted quarter) takes the colour of the eye's
        # lighter half: of its least tinted half again, it was the grey of a grey iris's
        # blurred edge and of a lens's glare (Hopper: b* 14 beside her white's 22, iris 10).
        if borrowed:
            tint = _white_tint(out, known & (grey >= np.median(grey[known])), weights(known), 100)
        else:
            tint = _white_tint(out, samples, weight, NEAR_TINT if samples is not side else TINT_PERCENTILE)
        sides.append(np.where(hole[..., None], fill.mean(axis=-1, keepdims=True) * tint, fill))
    # From one side's white to the other's across the iris's middle, as the eyeball's own
    # shading runs: the white beside the iris carries on to within 0.75 iris radius of its centre.
    seam = np.clip(beside / max(1.5 * radius, 1.0) + 0.5, 0, 1)[..., None]
    filled = sides[0] * (1 - seam) + sides[1] * seam
    return np.where(hole[..., None], filled, out)


#: The white beside the hole counts for the fill by its distance from the hole: a weight of
#: exp(-distance / (NEAR_WHITE iris radii)).
NEAR_WHITE = 1.0
#: Pixels of a side darker than this share of its white (the 75th percentile) are lashes or
#: the lid's shadow, not white, and do not count.
NEAR_WHITE_DARK = 0.6
#: How far a fill beside a small iris (SMALL_IRIS px or less) goes toward the white nearest it.
SMALL_IRIS_NEAR = 0.35
NEAR_TINT = 100


def _near_white(crop: np.ndarray, samples: np.ndarray, hidden: np.ndarray, radius: float) -> np.ndarray:
    """Weights (H, W) of the ``samples`` pixels for the white that fills ``hidden``: the nearer
    the hole, the more (NEAR_WHITE), and only the white's own pixels (NEAR_WHITE_DARK).

    Examples
    --------
    >>> crop = np.full((3, 8, 3), 180.0, np.float32); crop[:, 6] = 40  # a lash
    >>> hidden = np.zeros((3, 8), bool); hidden[:, :2] = True
    >>> w = _near_white(crop, ~hidden, hidden, 2.0)
    >>> bool(w[1, 2] > w[1, 4] > 0), float(w[1, 6]), float(w[1, 0])
    (True, 0.0, 0.0)
    """
    import cv2

    weight = np.zeros(samples.shape, np.float32)
    if samples.sum() < 3:
        return weight
    grey = crop.mean(axis=-1)
    white = samples & (grey >= NEAR_WHITE_DARK * float(np.percentile(grey[samples], 75)))
    distance = cv2.distanceTransform((~hidden).astype(np.uint8), cv2.DIST_L2, 3)
    weight[white] = np.exp(-distance[white] / max(NEAR_WHITE * radius, 1.0))
    return weight


#: How far apart (share of the opening's height) two heights between the lids may lie and
#: still give each other their white in :func:`_height_fill`.
HEIGHT_SIGMA = 0.12
#: A height between the lids is read off its white in full from this much weight (as many white
#: pixels at that very height); with less, it leans to the eye's whitest white.
HEIGHT_SAMPLES = 3.0


def _height_fill(crop: np.ndarray, hole: np.ndarray, weight: np.ndarray, down: np.ndarray, sigma: float = HEIGHT_SIGMA,
                 fallback: np.ndarray | None = None) -> np.ndarray:
    """``crop`` (float) with ``hole`` filled, per pixel, by a mean of the ``weight``-ed pixels
    at a like height ``down`` between the lids (a Gaussian of ``sigma`` in ``down``).

    Heights past the samples' take the nearest samples' (no fading to nothing at a lid).
    With ``fallback``, a height with less weight than HEIGHT_SAMPLES full samples leans
    to it in proportion (a few lash pixels are no white to copy).

    Examples
    --------
    >>> crop = np.zeros((4, 6, 3), np.float32); crop[:, :2] = np.array([60, 80, 100, 120])[:, None, None]
    >>> down = np.tile(np.linspace(0, 1, 4)[:, None], (1, 6)).astype(np.float32)
    >>> hole = np.zeros((4, 6), bool); hole[:, 4:] = True
    >>> weight = np.zeros((4, 6), np.float32); weight[:, :2] = 1
    >>> [round(float(v)) for v in _height_fill(crop, hole, weight, down, 0.05)[:, 5, 0]]
    [60, 80, 100, 120]
    """
    out = np.array(crop, dtype=np.float32, copy=True)
    sampled = weight > 0
    if not hole.any() or sampled.sum() < 3:
        return out
    heights, values, w = down[sampled], out[sampled], weight[sampled]
    wanted = np.clip(down[hole], heights.min(), heights.max())
    kernel = np.exp(-0.5 * ((wanted[:, None] - heights[None, :]) / sigma) ** 2) * w[None, :]
    total = kernel.sum(axis=1)
    out[hole] = (kernel @ values) / np.maximum(total, 1e-12)[:, None]
    if fallback is not None:
        sure = np.clip(total / HEIGHT_SAMPLES, 0, 1)[:, None]
        out[hole] = fallback[hole] + sure * (out[hole] - fallback[hole])
    return out


#: The white's detail is its grain up to this many robust standard deviations; a pixel further
#: out is the edge of a lash or the lid's margin, or a glint on the wet white: left out.
DETAIL_CLIP = 2.0
#: Fewer white pixels than this show no grain to speak of: a few pixels' spread, copied, was
#: 20-level blotches (Johnson's small eyes under the lens, 9-15 pixels of white): left smooth.
DETAIL_SAMPLES = 20


def _white_detail(crop: np.ndarray, hole: np.ndarray, source: np.ndarray, pos: np.ndarray, along: np.ndarray,
                  beside: np.ndarray, across: np.ndarray, reach: float, sigma: float) -> np.ndarray:
    """The white's fine detail (grain, fine vessels) for each pixel of ``hole``, 0 elsewhere.

    The detail is the photo's grey less its blur (``sigma`` px), over the blur's square
    root (to be multiplied by the fill's and added), where within DETAIL_CLIP robust deviations of the white's
    (0 elsewhere). A pixel inside the mirror (a disc of radius
    ``reach``; ``beside`` and ``across``: a pixel's distance from its centre along the
    eye's axis ``along`` and across it) takes the detail of the white past the
    disc's edge on the same row, mirrored at that edge (so it runs on from the white
    round it without a seam) and again at the end of the white the row shows there;
    where the row shows no white (``source``: lid, lashes, a corner, off the
    picture) on that side, the other side's, mirrored the same way; else a pixel of
    the eye's white picked at random. A pixel of ``hole`` outside the mirror that is
    white keeps its own detail. ``pos``: the pixels' centres in the crop (x, y). An eye
    showing fewer than DETAIL_SAMPLES white pixels gets none.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> crop = np.full((9, 21, 3), 180.0, np.float32) + rng.normal(0, 4, (9, 21, 1)).astype(np.float32)
    >>> ys, xs = np.mgrid[0:9, 0:21]; pos = np.stack([xs + 0.5, ys + 0.5], axis=-1)
    >>> beside, across = pos[..., 0] - 10.5, pos[..., 1] - 4.5
    >>> hole = np.hypot(beside, across) < 4
    >>> detail = _white_detail(crop, hole, ~hole, pos, np.array([1.0, 0.0]), beside, across, 4.0, 1.0)
    >>> bool(detail[hole].std() > 0.01), bool(np.all(detail[~hole] == 0))
    (True, True)
    """
    import cv2

    out = np.zeros_like(crop)
    if source.sum() < DETAIL_SAMPLES or not hole.any():
        return out
    # Over the square root of the local lightness (a photo's grain grows as that does, as
    # shot noise): copied from a lit white into a shadowed one or the other way, it takes
    # the grain's strength there. (In proportion, a shadowed white's grain glittered in a lit one.)
    # In lightness only: copied with its colour, the grain of a white beside a pink corner
    # sprinkled pink specks (Ochoa).
    grey = crop.mean(axis=-1)
    smooth = np.maximum(cv2.GaussianBlur(grey, (0, 0), sigma, borderType=cv2.BORDER_REFLECT), 8.0)
    fine = (grey - smooth) / np.sqrt(smooth)
    # Only the grain: a lash, the lid's margin or a glint on the wet white is an outlier of it.
    sampled = fine[source]
    spread = 1.4826 * float(np.median(np.abs(sampled - np.median(sampled))))
    fine[np.abs(fine) > DETAIL_CLIP * spread] = 0  # (copied, a glint repeats as sparkles)
    # ... and from the white itself, not from a lash's or a shadow's dark pixels beside it.
    source = source & (smooth >= 0.6 * float(np.percentile(smooth[source], 75)))
    if source.sum() < DETAIL_SAMPLES:
        return out
    height, width = hole.shape
    half = np.sqrt(np.clip(reach**2 - across**2, 0, None))[hole]  # the hole's half-width along its row
    depth = half - np.abs(beside[hole])  # how far inside the hole, along the row
    own = np.where(beside[hole] >= 0, 1.0, -1.0)
    x, y = pos[hole, 0], pos[hole, 1]

    def at(side, distance):
        """Rows, columns and whether it is white, ``distance`` px (per pixel, or per pixel and
        step) past the hole's edge on ``side``."""
        offset = (side * half - beside[hole])[..., None] + side[..., None] * distance
        cols = np.floor(x[..., None] + offset * along[0]).astype(int)
        rows = np.floor(y[..., None] + offset * along[1]).astype(int)
        ok = (cols >= 0) & (cols < width) & (rows >= 0) & (rows < height)
        ok[ok] = source[rows[ok], cols[ok]]
        return rows, cols, ok

    values = np.zeros(hole.sum(), np.float32)
    # Past the mirror's edge, white of the photo's own keeps its own detail.
    todo = ~(source[hole] & (depth < 0))
    values[~todo] = fine[hole][~todo]
    depth = np.maximum(depth, 0)
    # How much white each row shows past the hole's edge (px), read along the crop's rows (an
    # eye's axis is near level; each copied pixel is checked to be white all the same): the
    # detail is mirrored back and forth across that strip, so a deep hole never reaches the lid
    # or a corner. Runs of white pixels to the right and to the left of each pixel:
    columns = np.arange(width)[None, :]
    right = np.minimum.accumulate(np.where(source, width, columns)[:, ::-1], axis=1)[:, ::-1] - columns
    left = columns - np.maximum.accumulate(np.where(source, -1, columns), axis=1)
    for side in (own, -own):  # the same side first, then the other side's white
        rows, cols, inside = at(side, np.full((len(side), 1), 0.5))
        rows, cols = np.clip(rows[:, 0], 0, height - 1), np.clip(cols[:, 0], 0, width - 1)
        room = np.where(inside[:, 0], np.where(side * along[0] > 0, right[rows, cols], left[rows, cols]), 0)
        # (a triangle wave: mirrored at the hole's edge, and again at the strip's end)
        fold = np.mod(depth, 2 * np.maximum(room, 1))
        fold = np.where(fold < room, fold, 2 * room - fold - 1)
        rows, cols, ok = at(side, (np.clip(fold, 0, None) + 0.5)[:, None])
        rows, cols, ok = rows[:, 0], cols[:, 0], ok[:, 0] & todo & (room >= 2)
        values[ok] = fine[rows[ok], cols[ok]]
        todo &= ~ok
    if todo.any():  # rows with no white of their own past the edge: the eye's white, picked at random
        pool = fine[source]
        values[todo] = pool[np.random.default_rng(0).integers(0, len(pool), int(todo.sum()))]
    out[hole] = values[:, None]
    return out


def _grain(grey: np.ndarray, where: np.ndarray) -> float:
    """The robust spread (1.4826 median absolute deviation) of ``grey`` less its 1 px blur, over ``where``."""
    import cv2

    fine = (grey - cv2.GaussianBlur(grey, (0, 0), 1.0, borderType=cv2.BORDER_REFLECT))[where]
    return 1.4826 * float(np.median(np.abs(fine - np.median(fine))))


def _grain_scale(crop: np.ndarray, filled: np.ndarray, hole: np.ndarray, source: np.ndarray, fallback: np.ndarray | None = None) -> float:
    """How much of its detail a filled ``hole`` keeps (0..1) so that its grain (the finest
    detail, :func:`_grain`) is no more than that of the white (``source``, or ``fallback``
    where it has too few pixels) in ``crop``.

    Examples
    --------
    >>> rng = np.random.default_rng(1)
    >>> crop = np.full((20, 20, 3), 150.0, np.float32) + rng.normal(0, 2, (20, 20, 1)).astype(np.float32)
    >>> hole = np.zeros((20, 20), bool); hole[5:15, 5:15] = True
    >>> filled = crop + np.where(hole, rng.normal(0, 6, (20, 20)), 0)[..., None].astype(np.float32)
    >>> 0.2 < _grain_scale(crop, filled, hole, ~hole) < 0.5, round(_grain_scale(crop, crop, hole, ~hole), 1)
    (True, 1.0)
    """
    if fallback is not None and source.sum() < DETAIL_SAMPLES:
        source = fallback
    if hole.sum() < DETAIL_SAMPLES or source.sum() < DETAIL_SAMPLES:
        return 1.0
    got = _grain(filled.mean(axis=-1), hole)
    wanted = _grain(crop.astype(np.float32).mean(axis=-1), source)
    return float(np.clip(wanted / max(got, 1e-6), 0, 1))


#: The white's colour is read off its least tinted pixels: those at or under this percentile
#: of tint (chroma over lightness) among the white sampled.
TINT_PERCENTILE = 50


def _white_tint(crop: np.ndarray, samples: np.ndarray, weight: np.ndarray, percentile: float = TINT_PERCENTILE) -> np.ndarray:
    """The colour of the white in ``samples`` as RGB over its grey (mean 1): of its least tinted
    pixels (those at or under ``percentile`` of tint).

    Examples
    --------
    >>> crop = np.zeros((1, 4, 3), np.float32); crop[0] = [[200, 190, 180], [210, 150, 140], [190, 180, 170], [0, 0, 0]]
    >>> [round(float(v), 3) for v in _white_tint(crop, np.array([[True, True, True, False]]), np.ones((1, 4), np.float32))]
    [1.054, 1.0, 0.946]
    """
    pixels = crop[samples]
    grey = np.maximum(pixels.mean(axis=-1), 1.0)
    tint = (pixels.max(axis=-1) - pixels.min(axis=-1)) / grey
    plain = tint <= np.percentile(tint, percentile)
    w = weight[samples][plain][:, None] + 1e-6
    colour = (pixels[plain] / grey[plain][:, None] * w).sum(axis=0) / w.sum()
    return (colour / colour.mean()).astype(np.float32)


#: Lid skin is at least this share of the skin's CIELAB lightness round the eye (kept as
#: skin in full from the second figure up; pixels darker than the first are filled with the white).
LID_SHADOW = (0.55, 0.75)


#: The rim pixels that count as the white round the hole: those at or above this percentile of
#: its brightness (lashes, lid margin and the corner's shadow below).
RIM_WHITE = 70
#: How much of the difference at the rim the fill takes on (all of it: the fill dims to a
#: shaded corner; none: a flat plate of the whitest white).
RIM_MATCH = 0.5


def _match_rim(crop: np.ndarray, fill: np.ndarray, hole: np.ndarray, rim: np.ndarray, radius: float) -> np.ndarray:
    """``fill`` with an offset added in ``hole`` so that it meets the photo's white at ``rim``
    (``fill`` holds the fill on the rim too, to compare; outside ``hole`` the photo comes back).

    The fill leans to the eye's whitest pixels; where the white round the hole is shaded
    (toward a corner, under a brow) it stood out as a flat, lighter plate with an edge
    (Glover's lit eye). The difference photo - fill on the rim (its white pixels), spread
    into the hole by a normalised blur, carries the white's own shading in (its grey: no
    colour comes in with it), RIM_MATCH of it
    (all of it dimmed the white to the corner's shadow: a brown patch).

    Examples
    --------
    >>> crop = np.full((5, 9, 3), 150.0); fill = np.full((5, 9, 3), 200.0)
    >>> hole = np.zeros((5, 9), bool); hole[:, 3:6] = True
    >>> rim = np.zeros((5, 9), bool); rim[:, [2, 6]] = True
    >>> round(float(_match_rim(crop, fill, hole, rim, 2.0)[2, 4, 0]))  # half way: RIM_MATCH
    175
    """
    if rim.sum() < 3:
        return fill
    grey = crop.mean(axis=-1)
    # Only the rim's white: lashes and lid margin on it would pull the fill dark.
    white = rim & (grey >= np.percentile(grey[rim], RIM_WHITE))
    if white.sum() < 3:
        return fill
    # In lightness only: the rim's colour (a pink corner, a lid's glow) stays out of the fill.
    offset = np.zeros_like(fill)
    offset[white] = (crop - fill)[white].mean(axis=-1, keepdims=True)
    spread = _normalised_fill(offset, hole, white.astype(np.float32), ((radius, 0.5 * radius), (3 * radius, radius)))
    return np.where(hole[..., None], fill + RIM_MATCH * spread, crop)


def _lid_like(crop: np.ndarray, opening: np.ndarray, old: np.ndarray, radius: float, white: np.ndarray) -> np.ndarray:
    """0..1 per pixel: how much more like the lid's skin than like the iris or the white it is.

    The skin is sampled round the opening, within an iris radius of it; the iris
    inside its marked radius; the white is ``white`` (the fill) at each pixel.
    Distances are in CIELAB, so a dark iris, a tan lid and a white tell apart.
    """
    from ..colour.measure import _lab

    skin = (opening < 0.02) & (old < 2.5 * radius)
    iris = (opening > 0.5) & (old < 0.7 * radius)
    if skin.sum() < 5 or iris.sum() < 5:
        return np.zeros(crop.shape[:2], np.float32)
    lab = _lab(crop.reshape(-1, 3)).reshape(crop.shape)
    to_skin = np.linalg.norm(lab - np.median(lab[skin], axis=0), axis=-1)
    to_iris = np.linalg.norm(lab - np.median(lab[iris], axis=0), axis=-1)
    to_white = np.linalg.norm(lab - _lab(np.clip(white, 0, 255).reshape(-1, 3)).reshape(crop.shape), axis=-1)
    nearest_other = np.minimum(to_iris, to_white)
    # 1 where skin is clearly the nearest, 0 where it is not, a soft step between.
    like = np.clip((nearest_other - to_skin) / 10.0, 0, 1) * (old > 0.7 * radius)
    # Skin inside the opening is the lid's edge: it joins the skin outside. Lone skin-coloured
    # pixels amid the iris or white are its shadowed rim (kept, dark specks in Koch's white).
    import cv2

    found = (like > 0.1).astype(np.uint8)
    count, labels = cv2.connectedComponents(found, connectivity=8)
    outside = cv2.dilate((opening < 0.5).astype(np.uint8), np.ones((3, 3), np.uint8)).astype(bool)
    joined = np.unique(labels[outside & (found > 0)])
    like = like * np.isin(labels, joined[joined > 0])
    # Far darker than the lid's skin is the iris's shadowed edge where it meets the lid, not
    # lit skin: kept, it stayed behind as a dark speck under the white (Glover's right eye, whose
    # reddish shadow at the iris's foot sat nearer the skin's colour than the near-black iris's).
    skin_lightness = max(float(np.median(lab[skin][:, 0])), 1.0)
    lit = np.clip((lab[..., 0] / skin_lightness - LID_SHADOW[0]) / (LID_SHADOW[1] - LID_SHADOW[0]), 0, 1)
    return (like * lit).astype(np.float32)


def _glare_layer(crop: np.ndarray, white: np.ndarray, iris: np.ndarray, old: np.ndarray, disc: float, soft: float,
                 glare: np.ndarray) -> np.ndarray:
    """How much a lens glare lightens each pixel (0..1, a screen blend), over the eye without it.

    The glare lies on the glass in front of the eye: when the iris moves under
    it, the glare must stay as it was and the moved iris show through its soft
    edge. Its strength is read off the photo against the eye with the glare
    filled in (``white`` and ``iris``), as a screen blend: seen = 1 - (1 - under)(1 - shine).
    """
    alpha = np.clip((disc + soft / 2 - old) / soft, 0, 1)[..., None]
    under = white * (1 - alpha) + iris * alpha
    shine = 1 - (255 - crop) / np.maximum(255 - under, 1.0)
    shine = np.clip(shine.min(axis=-1), 0, 1)  # the least any channel was lifted: no colour cast
    # Faint "shine" is the fill's own error round the glare, not glare: left out, or the old
    # iris's edge would be laid back as a ghost over the moved eye.
    shine = np.clip((shine - 0.25) / 0.5, 0, 1) * shine
    import cv2

    reach = cv2.GaussianBlur(glare.astype(np.float32), (0, 0), 1.0)  # the glare and its soft edge only
    return (shine * np.clip(reach * 2, 0, 1)).astype(np.float32)


def _normalised_fill(crop: np.ndarray, hole: np.ndarray, weight: np.ndarray, sigmas) -> np.ndarray:
    """``crop`` (float) with ``hole`` filled by Gaussian means of the pixels, weighted by ``weight``.

    Each (sx, sy) in ``sigmas`` is tried in turn on what is still unfilled,
    for places too far from any weighted pixel at the smaller reach.
    """
    import cv2  # it ships with the subject mask

    out = np.array(crop, dtype=np.float32, copy=True)
    for sx, sy in sigmas:
        den = cv2.GaussianBlur(weight, (0, 0), sx, sigmaY=sy, borderType=cv2.BORDER_REFLECT)
        num = cv2.GaussianBlur(out * weight[..., None], (0, 0), sx, sigmaY=sy, borderType=cv2.BORDER_REFLECT)
        ok = hole & (den > min(1e-4, 1e-3 * float(den.max())))  # reached by some weight (weights may be tiny)
        out[ok] = num[ok] / den[ok, None]
        hole = hole & ~ok
        if not hole.any():
            break
    return out


def _opening_at(rig: _Rig, side: str, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Heights of the upper and lower lid above the iris centre at axis positions ``u``."""
    outer, chord, length, _ = rig._eye_frame(side)
    along = chord / length
    iris = rig.p[f"{side}_iris"]
    t = np.clip((u + float((iris - outer) @ along)) / length, 0, 1)
    base = float((iris - outer) @ rig.up)  # the iris centre's height above the corner line
    heights = []
    for which in ("upper", "lower"):
        samples = np.linspace(0, 1, 101)
        lid = rig._lid(side, which, samples)
        h = (lid - outer) @ rig.up
        heights.append(np.interp(t, samples, h) - base)
    return heights[0], heights[1]


def _opening_mask(rig: _Rig, side: str, box: tuple[int, int, int, int], margin: float = 0.15, lower: float | None = None) -> np.ndarray:
    """Soft mask (0..1) of the eye opening inside ``box``, ``margin`` iris radii generous at the lids.

    ``lower``, if given, is the margin at the lower lid (``margin`` then is the upper lid's).
    """
    from PIL import Image, ImageDraw, ImageFilter

    x0, y0, x1, y1 = box
    factor = 4  # drawn at 4x and reduced: anti-aliased edges
    t = np.linspace(0, 1, 41)
    upper = rig._lid(side, "upper", t) + margin * rig.radius * rig.up
    lower = rig._lid(side, "lower", t) - (margin if lower is None else lower) * rig.radius * rig.up
    outline = np.concatenate([upper, lower[::-1]])
    canvas = Image.new("L", ((x1 - x0) * factor, (y1 - y0) * factor), 0)
    ImageDraw.Draw(canvas).polygon([tuple(p) for p in ((outline - (x0, y0)) * factor).tolist()], fill=255)
    canvas = canvas.resize((x1 - x0, y1 - y0), Image.BOX).filter(ImageFilter.GaussianBlur(0.6))
    return np.asarray(canvas, np.float32) / 255


def head_box(landmarks: Landmarks, pad: float = 0.5) -> tuple[int, int, int, int]:
    """A box (left, top, right, bottom) round the head, for showing face edits up close.

    It extends ``pad`` face-widths to each side, a little more above (for the
    hair) and less below, clipped to the image.

    Examples
    --------
    >>> from portrait_lessons.face.landmarks import example_dict
    >>> head_box(Landmarks.from_dict(example_dict()))
    (0, 0, 80, 100)
    """
    left, top, right, bottom = landmarks.face_box
    width, height = right - left, bottom - top
    return (
        max(0, math.floor(left - pad * width)),
        max(0, math.floor(top - 1.2 * pad * height)),
        min(landmarks.width, math.ceil(right + pad * width)),
        min(landmarks.height, math.ceil(bottom + 0.6 * pad * height)),
    )
