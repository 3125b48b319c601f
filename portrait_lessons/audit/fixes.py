"""Fix-it links: for an item that is worth a look, the edit that would move it, and the edit applied.

A :class:`Fix` names one control of the editing panel (lesson 08) with a
suggested value, a face edit (lessons 01-02), a re-crop (lesson 04), or,
where no edit can honestly help (the face's own structure, a head turned in
the shot), words to add to the prompt (lesson 07). Values are found by
trying them: each candidate is rendered on a small copy and measured again,
and the first that brings the item into the goal's range is suggested.
:class:`Edit` collects the fixes a learner accepts; :func:`render_edit` makes
the edited photo and its moved face points, so the audit can run on it.

Examples
--------
>>> from portrait_lessons import examples
>>> photo, points = examples.load_portrait("hopper"), examples.portrait_landmarks("hopper")
>>> from portrait_lessons.audit.core import audit
>>> result = audit(photo, points, "thought_leadership")
>>> fix = suggest_fix(result.finding("clutter"), photo, points)
>>> fix.kind, fix.stage, fix.field
('stage', 'depth', 'blur')
>>> edited, moved = render_edit(photo, points, Edit().add(fix))
>>> audit(edited, moved, "thought_leadership").finding("clutter").value < result.finding("clutter").value
True
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from ..composition.framing import face_ism, frame_box, headroom, lead_room
from ..editing.recipe import Recipe, get_stage
from ..face.edits import FaceEdit, clamp_edit, edit_limits, iris_shift
from ..face.landmarks import Landmarks
from ..images import preview
from .core import Finding, PhotoMeasures, measure_photo
from .goals import Range

__all__ = ["Edit", "Fix", "crop_landmarks", "edited_landmarks", "render_edit", "suggest_fix"]

#: Long edge of the copy that candidate values are tried on.
PROBE_EDGE = 256


@dataclass(frozen=True)
class Fix:
    """One suggested edit and what it is for.

    ``kind`` is "stage" (an editing-panel control: ``stage``, ``field``,
    ``value``), "face" (a face edit: ``field``, ``value``), "crop" (``box``
    in the photo's pixels) or "prompt" (only ``words``: regenerate or
    re-shoot with them). ``reaches`` says whether the value brings the item
    into the goal's range (else it only moves it toward it).
    """

    item: str
    kind: str
    words: str
    stage: str = ""
    field: str = ""
    value: float = 0.0
    box: tuple[int, int, int, int] | None = None
    reaches: bool = True

    @property
    def applicable(self) -> bool:
        """Whether the workbook can make this edit itself (prompt fixes are for the generator)."""
        return self.kind != "prompt"


@dataclass(frozen=True)
class Edit:
    """The fixes accepted so far: an editing-panel recipe (face edits included) and a crop."""

    recipe: Recipe = field(default_factory=Recipe)
    box: tuple[int, int, int, int] | None = None

    def add(self, fix: Fix) -> "Edit":
        """A copy with ``fix`` applied on top (prompt fixes change nothing here)."""
        if fix.kind == "crop":
            return Edit(self.recipe, fix.box)
        if fix.kind in ("stage", "face"):
            stage = "face" if fix.kind == "face" else fix.stage
            names = ("mouth_left", "mouth_right") if fix.field == "mouth_both" else (fix.field,)
            return Edit(self.recipe.set(stage, **{name: fix.value for name in names}), self.box)
        return self

    @property
    def is_neutral(self) -> bool:
        return self.recipe.is_neutral and self.box is None

    def summary(self) -> list[str]:
        lines = [] if self.recipe.is_neutral else self.recipe.summary()
        if self.box is not None:
            left, top, right, bottom = self.box
            lines.append(f"Re-cropped to {right - left} x {bottom - top} px from ({left}, {top}).")
        return lines or ["No changes: the photo is as it came."]


# --------------------------------------------------------------------------- moving the points with an edit


def edited_landmarks(landmarks: Landmarks, edit: FaceEdit) -> Landmarks:
    """Where the face's points are after a face edit, by the amounts the edit is defined by.

    Gaze moves both irises (:func:`~portrait_lessons.face.edits.iris_shift`);
    mouth corners rise along the face's up direction and a little outward;
    narrowing lifts the lower lids and lowers the upper ones a little; a head
    tilt turns every point about the face's centre.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> points = examples.portrait_landmarks("glover")
    >>> moved = edited_landmarks(points, FaceEdit(mouth_left=8))
    >>> moved.points["mouth_left"][1] < points.points["mouth_left"][1]
    True
    """
    edit = clamp_edit(edit, landmarks)
    if edit.is_neutral:
        return landmarks
    p = {name: np.array(xy, float) for name, xy in landmarks.points.items()}
    across = p["right_iris"] - p["left_iris"]
    across /= max(np.linalg.norm(across), 1e-9)
    up = np.array([across[1], -across[0]])
    scale = max(landmarks.width, landmarks.height) / 1024
    shift = np.array(iris_shift(landmarks, edit.gaze_x, edit.gaze_y), float)
    for side in ("left", "right"):
        p[f"{side}_iris"] = p[f"{side}_iris"] + shift
        narrowing = edit.eyelid_narrowing * scale
        p[f"{side}_lower_lid"] = p[f"{side}_lower_lid"] + up * narrowing
        p[f"{side}_upper_lid"] = p[f"{side}_upper_lid"] - up * 0.3 * narrowing
    for side, sign, amount in (("left", -1, edit.mouth_left), ("right", 1, edit.mouth_right)):
        lift = amount * scale
        p[f"mouth_{side}"] = p[f"mouth_{side}"] + up * lift + sign * across * abs(lift) * (0.3 if lift > 0 else 0.15)
    for side, amount in (("left", edit.brow_left), ("right", edit.brow_right)):
        for part in ("outer", "middle", "inner"):
            p[f"{side}_brow_{part}"] = p[f"{side}_brow_{part}"] + up * amount * scale
    outline = np.array(landmarks.face_outline, float)
    if edit.head_tilt:
        centre = np.mean(list(np.array(xy, float) for xy in landmarks.points.values()), axis=0)
        a = math.radians(edit.head_tilt)
        turn = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
        p = {name: (xy - centre) @ turn.T + centre for name, xy in p.items()}
        outline = (outline - centre) @ turn.T + centre
    return _rebuilt(landmarks, {k: tuple(map(float, v)) for k, v in p.items()},
                    tuple(tuple(map(float, q)) for q in outline), landmarks.width, landmarks.height)  # fmt: skip


def crop_landmarks(landmarks: Landmarks, box: tuple[int, int, int, int]) -> Landmarks:
    """The landmarks in the pixels of a crop ``box`` = (left, top, right, bottom).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> points = examples.portrait_landmarks("koch")
    >>> crop_landmarks(points, (100, 50, 800, 1000)).points["nose_tip"][0] == points.points["nose_tip"][0] - 100
    True
    """
    left, top, right, bottom = box
    width, height = right - left, bottom - top

    def move(xy):
        return (min(max(xy[0] - left, 0.0), width), min(max(xy[1] - top, 0.0), height))

    return _rebuilt(landmarks, {k: move(v) for k, v in landmarks.points.items()},
                    tuple(move(q) for q in landmarks.face_outline), width, height)  # fmt: skip


def _rebuilt(landmarks: Landmarks, points, outline, width, height) -> Landmarks:
    # Plain floats: numpy scalars in the points upset Pillow filters sized from them.
    points = {name: (float(x), float(y)) for name, (x, y) in points.items()}
    outline = tuple((float(x), float(y)) for x, y in outline)
    return Landmarks(points, dict(landmarks.iris_radius), outline, int(width), int(height), landmarks.notes)


def render_edit(image: np.ndarray, landmarks: Landmarks | None, edit: Edit) -> tuple[np.ndarray, Landmarks | None]:
    """The edited photo and its face points: the recipe rendered, then the crop cut.

    ``landmarks`` may belong to the photo at another size; they are rescaled.
    """
    if landmarks is not None and (landmarks.width, landmarks.height) != (image.shape[1], image.shape[0]):
        landmarks = landmarks.resized(image.shape[1], image.shape[0])
    out = edit.recipe.render(image, landmarks) if not edit.recipe.is_neutral else image.copy()
    moved = landmarks
    if landmarks is not None and "face" in edit.recipe.settings:
        moved = edited_landmarks(landmarks, edit.recipe.get("face"))
    if edit.box is not None:
        left, top, right, bottom = edit.box
        out = np.ascontiguousarray(out[top:bottom, left:right])
        moved = crop_landmarks(moved, edit.box) if moved is not None else None
    return out, moved


# --------------------------------------------------------------------------- suggestions

# Editing-panel controls that move each pixel item, with the values to try (in order) for
# moving it down or up.
_STAGE_FIXES: dict[str, dict[str, tuple[str, str, tuple[float, ...], str]]] = {
    "warmth": {
        "up": ("light", "midtone_warmth", (5, 10, 15, 20, 25, 30, 35, 40), "Warm the midtones"),
        "down": ("light", "midtone_warmth", (-5, -10, -15, -20, -25, -30, -35, -40), "Cool the midtones"),
    },
    "colourfulness": {
        "up": ("look", "vibrance", (10, 20, 30, 40, 50, 60, 80), "Raise vibrance"),
        "down": ("look", "saturation", (-10, -20, -30, -40, -50, -60), "Lower saturation"),
    },
    "clutter": {
        "down": ("depth", "blur", (0.25, 0.5, 0.75, 1.0), "Blur the background"),
    },
    "separation": {
        "up": ("depth", "darken", (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0), "Darken the background"),
    },
    "background_colour": {
        "down": ("depth", "desaturate", (0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0), "Take colour out of the background"),
    },
    "skin_texture": {
        "up": ("detail", "texture", (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.8, 1.0), "Bring back fine texture"),
    },
}

_PROMPT_FIXES = {
    "asymmetry": 'Keep the face as it is (no mirroring or symmetrising); when regenerating, add '
                 '"slight natural facial asymmetry" to the prompt (lesson 07).',
    "head_turn": "A head turn can't be edited in: re-shoot, or regenerate with the posture the goal's preset "
                 "names (lesson 07's goal presets).",
    "headroom": "The crop cuts the head and the photo has no more room above it: re-shoot or regenerate with "
                "a looser framing.",
    "face_size": "The photo holds no wider crop: re-shoot or regenerate with the framing the goal's preset names.",
    "smile": "Re-shoot or regenerate with the expression the goal's preset names (lesson 07).",
    "clutter": 'A very plain background: regenerate with a setting that says something about the person '
               '("a sense of place", lesson 04).',
}


def suggest_fix(finding: Finding, image: np.ndarray, landmarks: Landmarks | None) -> Fix | None:
    """The edit that would move a "worth a look" or "works against" item toward the goal; None if it fits.

    ``image`` and ``landmarks`` are the photo the finding was measured on.
    """
    if not finding.worth_fixing or finding.range is None or finding.value is None:
        return None
    key, value, found = finding.item.key, finding.value, finding.range
    size = abs(value) if finding.item.magnitude else value
    direction = "up" if size < found.low else "down"
    photo = measure_photo(image, landmarks)
    if key in _STAGE_FIXES and direction in _STAGE_FIXES[key]:
        return _stage_fix(photo, key, found, _STAGE_FIXES[key][direction])
    face = _face_fix(photo, finding, direction)
    if face is not None:
        return face
    if finding.item.question == "posture" and key in ("face_size", "headroom", "lead_room"):
        crop = _crop_fix(photo, key, found)
        if crop is not None:
            return crop
    if key in _PROMPT_FIXES:
        return Fix(key, "prompt", _PROMPT_FIXES[key], reaches=False)
    return None


def _probe_copy(photo: PhotoMeasures, key: str) -> tuple[np.ndarray, Landmarks | None]:
    """A small copy to try values on: small for colour, big enough to hold pores for skin texture."""
    image, landmarks = photo.full, photo.landmarks
    # The background's measures run on a 384 px copy: try values at that size too.
    edge = 384 if key in ("clutter", "separation", "background_colour") else PROBE_EDGE
    if key == "skin_texture" and landmarks is not None:
        edge = max(PROBE_EDGE, round(max(image.shape[:2]) * min(1.0, 110 / landmarks.interocular_distance)))
    small = preview(image, edge)
    points = landmarks.resized(small.shape[1], small.shape[0]) if landmarks is not None else None
    return small, points


def _stage_fix(photo: PhotoMeasures, key: str, found: Range, plan) -> Fix:
    """Try the control's values on a small copy; the change they make there is added to the photo's value."""
    from .items import ITEM

    stage, name, candidates, verb = plan
    item = ITEM[key]
    small, points = _probe_copy(photo, key)
    base = PhotoMeasures(small, points)
    start, value = base.value(item), photo.value(item)
    chosen, reached = candidates[-1], False
    for candidate in candidates:
        trial = PhotoMeasures(Recipe().set(stage, **{name: candidate}).render(small, points), points)
        if item.question == "background":
            trial.__dict__["mask"] = base.mask  # the same person: keep the mask, measure the new pixels
        after = trial.value(item)
        if after is None or start is None or value is None:
            continue
        # Measures scale with the copy's size; what carries over is the edit's effect:
        # a shift for warmth (signed), a ratio for the others.
        predicted = value + (after - start) if key == "warmth" else value * after / max(start, 1e-6)
        if found.contains(abs(predicted) if item.magnitude else predicted):
            chosen, reached = candidate, True
            break
    control = next((c for c in get_stage(stage).sliders if c.name == name), None)
    amount = control.words(chosen) if control is not None else f"{chosen:g}"
    label = control.label if control is not None else name
    where = f"{get_stage(stage).group} › {label}"
    tail = "" if reached else " (the most this control does; it moves the value toward the range)"
    return Fix(key, "stage", f"{verb}: {where} {amount}{tail}.", stage, name, float(chosen), reaches=reached)


def _face_fix(photo: PhotoMeasures, finding: Finding, direction: str) -> Fix | None:
    landmarks = photo.landmarks
    key, value, found = finding.item.key, finding.value, finding.range
    if landmarks is None:
        return None
    scale = 1024 / max(landmarks.width, landmarks.height)  # image px -> px at 1024
    iod = landmarks.interocular_distance
    target = found.target(abs(value) if finding.item.magnitude else value)
    if key == "gaze":
        gaze = photo.gaze
        half = _half_eye_width(landmarks)
        per_degree_x = abs(iris_shift(landmarks, 10.0)[0]) / 10 or 1e-6
        per_degree_y = abs(iris_shift(landmarks, 0.0, 10.0)[1]) / 10 or 1e-6
        if direction == "down":  # look at the lens: undo the offset
            edit = FaceEdit(gaze_x=-gaze.horizontal * half / per_degree_x, gaze_y=gaze.vertical * half / per_degree_y)
            words = "Turn the eyes to the lens"
        else:  # look away, toward the side the face is turned to
            side = 1.0 if photo.head_turn >= 0 else -1.0
            edit = FaceEdit(gaze_x=side * (target + 0.05) * half / per_degree_x)
            words = "Turn the eyes away from the lens"
        edit = clamp_edit(edit, landmarks)
        fields = {"gaze_x": round(edit.gaze_x), "gaze_y": round(edit.gaze_y)}
        name, amount = max(fields.items(), key=lambda kv: abs(kv[1]))
        return _face(photo, finding, name, amount, f"{words}: Face › {_label(name)} {amount:+.0f}°")
    if key == "smile":
        lift = (target - value) * iod * scale
        return _face_pair(photo, finding, lift, "Lift the mouth corners" if lift > 0 else "Relax the mouth corners")
    if key == "smile_symmetry":
        s = photo.smile
        name = "mouth_left" if s.left < s.right else "mouth_right"
        amount = (s.asymmetry - target) * iod * scale
        return _face(photo, finding, name, round(amount, 1), f"Lift the lower corner: Face › {_label(name)} {amount:+.1f} px")
    if key == "smiling_eyes" and direction == "down":
        width = iod * 0.45  # an eye is a little under half the eye spacing wide
        amount = (value - target) * width * scale / 1.3  # lower lid rises, upper lid comes down 0.3 as far
        limit = edit_limits(landmarks)["eyelid_narrowing"][1]
        amount = round(min(max(amount, 0.5), limit), 1)
        return _face(photo, finding, "eyelid_narrowing", amount, f"Let the smile reach the eyes: Face › Smiling eyes {amount:.1f} px")
    if key == "head_tilt":
        amount = round(-(value - math.copysign(target, value)), 1)
        return _face(photo, finding, "head_tilt", amount, f"Level the head: Face › Head tilt {amount:+.1f}°")
    return None


def _face_pair(photo, finding, lift, words) -> Fix:
    limits = edit_limits(photo.landmarks)["mouth_left"]
    amount = round(min(max(lift, limits[0]), limits[1]), 1)
    return _face(photo, finding, "mouth_both", amount, f"{words}: Face › Mouth corners, both {amount:+.1f} px")


def _face(photo: PhotoMeasures, finding: Finding, name: str, amount: float, words: str) -> Fix:
    """A face fix, checked by moving the points as the edit would and measuring again."""
    fields = {"mouth_left": amount, "mouth_right": amount} if name == "mouth_both" else {name: amount}
    moved = edited_landmarks(photo.landmarks, FaceEdit(**fields))
    trial = PhotoMeasures(photo.image, moved.resized(photo.image.shape[1], photo.image.shape[0]))
    trial.landmarks = moved
    new = trial.value(finding.item)
    reached = new is not None and finding.range.contains(abs(new) if finding.item.magnitude else new)
    tail = "" if reached else " (the edit's limit: it moves the value toward the range)"
    return Fix(finding.item.key, "face", words + tail + ".", "face", name, float(amount), reaches=reached)


def _label(name: str) -> str:
    control = next((c for c in get_stage("face").sliders if c.name == name), None)
    return control.label if control is not None else name


def _half_eye_width(landmarks: Landmarks) -> float:
    p = landmarks.points
    widths = [abs(p["left_eye_inner"][0] - p["left_eye_outer"][0]), abs(p["right_eye_outer"][0] - p["right_eye_inner"][0])]
    return float(np.mean(widths)) / 2


def _crop_fix(photo: PhotoMeasures, key: str, found: Range) -> Fix | None:
    """The least re-crop that brings face size, headroom and lead room into the goal's ranges."""
    landmarks = photo.landmarks
    size = (landmarks.width, landmarks.height)
    direction = photo.gaze.horizontal if photo.gaze.direction in ("left", "right") else 0.0
    measures = {
        "face_size": lambda box: face_ism(landmarks, box),
        "headroom": lambda box: headroom(landmarks, box),
        "lead_room": lambda box: lead_room(landmarks, box, direction) if direction else None,
    }
    aspect = size[0] / size[1]
    offsets = (0.0,) if not direction else tuple(np.sign(direction) * -k for k in (0.0, 0.25, 0.5, 0.75, 1.0))
    for zoom in np.linspace(0.05, 1.0, 20):
        for offset in offsets:
            box = frame_box(landmarks, size, float(zoom), aspect=aspect, offset=float(offset))
            value = measures[key](box)
            if value is not None and found.contains(value):
                w, h = box[2] - box[0], box[3] - box[1]
                return Fix(key, "crop", f"Re-crop: keep {w} x {h} px of the {size[0]} x {size[1]} photo "
                                        f"(zoom {zoom:.0%} of the way to a headshot).", box=box)  # fmt: skip
    return None
