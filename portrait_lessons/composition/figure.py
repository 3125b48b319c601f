"""A posable 3-D figure, drawn like an artist's wooden mannequin.

The lesson on posture needs bodies, and the bundled photos are head and
shoulders; learners must also never rate real people on traits. So posture is
taught on a figure: a 3-D skeleton (head, neck, shoulders, elbows, wrists,
hands, spine, hips, knees, feet) posed by a few numbers (:class:`Pose`) and
seen through a camera the learner places. :func:`render_figure` turns a pose
into an RGB picture.

How it is drawn: every body part is a tapered capsule (a "round cone": two
spheres and the cone that joins them) or an ellipsoid. Each is projected
through the camera (weak perspective per part, exact perspective for its
end points), and the parts are painted far to near with Pillow at twice the
output size, then reduced to the output size for anti-aliasing. A part is a
dark contour, then stacked lighter, smaller copies shifted towards the light
(a sphere's shading in a few tones, as a drawing's value study has). The
floor below the horizon is a shade darker: the horizon crosses the figure at
the height of the lens, the draughtsman's way to read a camera's height.

Examples
--------
>>> picture = render_figure(Pose(), size=(96, 128))
>>> picture.shape, picture.dtype.name
((128, 96, 3), 'uint8')
>>> sorted(PRESETS)[:2]
['calm_authority', 'closed_guarded']
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, fields, replace
from functools import cached_property

import numpy as np
from PIL import Image, ImageDraw

# ------------------------------------------------------------------ the pose
#: Arm positions, as data. For each arm (the figure's "left" arm is on the
#: viewer's right when it faces the camera): where the wrist goes and which
#: way the elbow points, in the torso's frame in metres (x outwards from the
#: body's middle on that arm's side, y up from the floor, z forwards).
ARMS: dict[str, dict[str, dict[str, tuple[float, float, float]]]] = {
    "crossed": {
        "left": {"wrist": (-0.13, 1.17, 0.17), "elbow": (0.5, -1.0, 0.35)},
        "right": {"wrist": (-0.12, 1.21, 0.14), "elbow": (0.5, -1.0, 0.3)},
    },
    "sides": {
        "left": {"wrist": (0.24, 0.87, 0.04), "elbow": (0.1, 0.0, -1.0)},
        "right": {"wrist": (0.24, 0.87, 0.04), "elbow": (0.1, 0.0, -1.0)},
    },
    "open": {
        "left": {"wrist": (0.62, 1.0, 0.16), "elbow": (0.2, -1.0, -0.3)},
        "right": {"wrist": (0.62, 1.0, 0.16), "elbow": (0.2, -1.0, -0.3)},
    },
    "hips": {
        "left": {"wrist": (0.17, 1.02, 0.02), "elbow": (1.0, 0.1, -0.4)},
        "right": {"wrist": (0.17, 1.02, 0.02), "elbow": (1.0, 0.1, -0.4)},
    },
    "hand_to_chin": {
        "left": {"wrist": (-0.06, 1.13, 0.18), "elbow": (0.5, -1.0, 0.3)},
        "right": {"wrist": (0.03, 1.44, 0.17), "elbow": (0.2, -1.0, 0.6)},
    },
}
#: What the arm choices are called in the tool.
ARM_LABELS = {
    "crossed": "arms crossed",
    "sides": "arms at the sides",
    "open": "arms open",
    "hips": "hands on hips",
    "hand_to_chin": "hand to chin",
}


@dataclass(frozen=True)
class Pose:
    """How the figure stands and where the camera is.

    Parameters
    ----------
    arms : str
        One of :data:`ARMS`: "crossed", "sides", "open", "hips", "hand_to_chin".
    lean : float
        Degrees the upper body leans from the hips: + towards the camera, - back.
    head_pitch : float
        Degrees the chin is raised (+) or lowered (-).
    head_roll : float
        Degrees the head tilts to the side (+ towards the viewer's right).
    turn : float
        Degrees the body is turned away from the camera (+ turns its front to
        the viewer's right). The head turns back half as far, towards the lens,
        as people do when they pose.
    shoulders : float
        -1 (dropped, relaxed) to +1 (raised, tense).
    stance : float
        Half the distance between the feet, in metres.
    camera_height : float
        Height of the lens in metres; 1.6 is the figure's eye level.

    Examples
    --------
    >>> Pose(lean=10).lean
    10.0
    >>> Pose(arms="waving")
    Traceback (most recent call last):
    ...
    ValueError: arms must be one of: crossed, sides, open, hips, hand_to_chin (got 'waving')
    """

    arms: str = "sides"
    lean: float = 0.0
    head_pitch: float = 0.0
    head_roll: float = 0.0
    turn: float = 0.0
    shoulders: float = 0.0
    stance: float = 0.12
    camera_height: float = 1.6

    def __post_init__(self):
        if self.arms not in ARMS:
            raise ValueError(f"arms must be one of: {', '.join(ARMS)} (got {self.arms!r})")
        for item in fields(self):
            if item.name != "arms":
                value = float(getattr(self, item.name))
                if not math.isfinite(value):
                    raise ValueError(f"{item.name} must be a finite number (got {value!r})")
                lo, hi = LIMITS[item.name]
                if not lo <= value <= hi:
                    raise ValueError(f"{item.name} runs from {lo} to {hi} (got {value:g})")
                object.__setattr__(self, item.name, value)

    def to_dict(self) -> dict:
        """The pose as plain values (for a sidecar or a widget state)."""
        return asdict(self)


#: The range of each number in a :class:`Pose` (the sliders' ends).
LIMITS = {
    "lean": (-25.0, 25.0),
    "head_pitch": (-30.0, 30.0),
    "head_roll": (-25.0, 25.0),
    "turn": (-60.0, 60.0),
    "shoulders": (-1.0, 1.0),
    "stance": (0.04, 0.3),
    "camera_height": (0.4, 2.8),
}

#: Postures the article and the evidence name, as data: the pose and what the
#: literature says viewers read in it (see the lesson's evidence cards).
PRESETS: dict[str, dict] = {
    "neutral": {
        "label": "neutral",
        "pose": {},
        "reading": "a reference: arms at the sides, upright, camera at eye level",
    },
    "open_confident": {
        "label": "open and confident",
        "pose": {"arms": "open", "stance": 0.22, "head_pitch": 4.0, "shoulders": -0.4},
        "reading": "expansive, open postures read as dominant and confident (Hall et al. 2005)",
    },
    "closed_guarded": {
        "label": "closed and guarded",
        "pose": {"arms": "crossed", "stance": 0.06, "head_pitch": -8.0, "shoulders": 0.7, "turn": 30.0, "lean": -4.0},
        "reading": "a contracted posture, arms across the body, reads as less dominant and less open",
    },
    "leaning_in": {
        "label": "leaning in",
        "pose": {"arms": "sides", "lean": 16.0, "head_roll": 7.0, "shoulders": -0.2, "stance": 0.1, "turn": -25.0},
        "reading": "leaning towards the viewer is read as engaged and interested (practitioner advice)",
    },
    "calm_authority": {
        "label": "calm authority, leaning back",
        "pose": {"arms": "hips", "lean": -9.0, "head_pitch": 7.0, "shoulders": -0.6, "stance": 0.2, "turn": -10.0},
        "reading": "a raised chin reads as more dominant and less approachable (Mignault & Chaudhuri 2003)",
    },
    "contemplative": {
        "label": "contemplative",
        "pose": {"arms": "hand_to_chin", "head_pitch": -12.0, "head_roll": 9.0, "turn": 25.0, "lean": 4.0},
        "reading": "a lowered, tilted head reads as more submissive or sad (Mignault & Chaudhuri 2003)",
    },
}


def preset(name: str) -> Pose:
    """The :class:`Pose` of one of :data:`PRESETS`.

    Examples
    --------
    >>> preset("leaning_in").lean
    16.0
    """
    try:
        return Pose(**PRESETS[name]["pose"])
    except KeyError:
        raise KeyError(f"No posture preset is called {name!r}; choose one of: {', '.join(PRESETS)}.") from None


# ---------------------------------------------------------------- the skeleton
#: Body measurements of an adult of about 1.75 m, in metres.
BODY = {
    "hip_y": 0.93, "hip_x": 0.095, "knee_y": 0.5, "ankle_y": 0.08, "foot": 0.15,
    "waist_y": 1.08, "chest_y": 1.3, "neck_y": 1.46, "head_y": 1.64, "shoulder_y": 1.43, "shoulder_x": 0.19,
    "upper_arm": 0.29, "forearm": 0.26, "hand": 0.1,
}  # fmt: skip


def _rot_x(deg: float) -> np.ndarray:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def _rot_y(deg: float) -> np.ndarray:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def _rot_z(deg: float) -> np.ndarray:
    a = math.radians(deg)
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


@dataclass(frozen=True)
class Part:
    """One body part in world coordinates: a round cone or an ellipsoid."""

    name: str
    kind: str  # "cone" or "ellipsoid"
    a: np.ndarray  # cone: first end; ellipsoid: centre
    b: np.ndarray | None = None  # cone: second end
    ra: float = 0.0  # cone radii at a and b
    rb: float = 0.0
    axes: np.ndarray | None = None  # ellipsoid: 3 x 3, columns = semi-axes
    points: np.ndarray | None = None  # loft: surface points; its outline is their convex hull


#: The two blocks of the trunk, as rings (height from the part's joint, half
#: width, half depth) in metres: a chest narrowing to the waist, a pelvis
#: widening to the hips. Each is convex, so its outline is the convex hull
#: of its projected surface points.
CHEST = ((0.15, 0.11, 0.06), (0.12, 0.165, 0.09), (0.05, 0.175, 0.105), (-0.06, 0.15, 0.1), (-0.2, 0.12, 0.085), (-0.25, 0.095, 0.07))
PELVIS = ((0.17, 0.11, 0.08), (0.1, 0.13, 0.09), (0.02, 0.165, 0.1), (-0.06, 0.16, 0.095), (-0.11, 0.12, 0.075), (-0.14, 0.07, 0.05))


def _loft(name: str, origin, rot, rings) -> "Part":
    t = np.linspace(0, 2 * np.pi, 16, endpoint=False)
    cos, sin = np.cos(t), np.sin(t)
    local = np.concatenate([np.stack([w * cos, np.full_like(t, y), d * sin], 1) for y, w, d in rings])
    return Part(name, "loft", np.asarray(origin, float), points=np.asarray(origin, float) + local @ rot.T)


def skeleton(pose: Pose) -> dict[str, np.ndarray]:
    """The joints of the posed figure, world coordinates in metres (y up, z to the camera).

    Examples
    --------
    >>> joints = skeleton(Pose())
    >>> round(float(joints["head"][1]), 2), round(float(joints["l_shoulder"][0]), 2)
    (1.64, 0.19)
    """
    B = BODY
    hip = np.array([0.0, B["hip_y"], 0.0])
    body_turn = _rot_y(pose.turn)
    # Upper body: leaning about the hips (+ towards the camera), then the whole turn.
    lean = _rot_x(pose.lean)

    def upper(p):
        return body_turn @ (hip + lean @ (np.asarray(p, float) - hip))

    def lower(p):
        return body_turn @ np.asarray(p, float)

    raise_ = 0.045 * pose.shoulders
    narrow = 1 - 0.1 * max(pose.shoulders, 0.0)
    joints = {
        "pelvis": lower([0, B["hip_y"], 0]),
        "waist": upper([0, B["waist_y"], 0]),
        "chest": upper([0, B["chest_y"], 0]),
        "neck": upper([0, B["neck_y"] + 0.3 * raise_, 0]),
    }
    for side, s in (("l", 1), ("r", -1)):
        joints[f"{side}_shoulder"] = upper([s * B["shoulder_x"] * narrow, B["shoulder_y"] + raise_, -0.01])
        joints[f"{side}_hip"] = lower([s * B["hip_x"], B["hip_y"], 0])
        knee = np.array([s * (B["hip_x"] + pose.stance) / 2 + s * 0.01, B["knee_y"], 0.02])
        ankle = np.array([s * pose.stance, B["ankle_y"], 0.0])
        joints[f"{side}_knee"] = lower(knee)
        joints[f"{side}_ankle"] = lower(ankle)
        joints[f"{side}_toe"] = lower(ankle + [s * 0.03, -0.04, B["foot"]])
    # Head: nods and tilts about the top of the neck, turned back half the body's turn.
    neck_top = np.array([0, B["neck_y"] + 0.06, 0])
    head_rot = _rot_y(-0.5 * pose.turn) @ _rot_x(-pose.head_pitch) @ _rot_z(-pose.head_roll)
    head_centre = neck_top + head_rot @ (np.array([0, B["head_y"], 0.01]) - neck_top)
    joints["neck_top"] = upper(neck_top)
    joints["head"] = upper(head_centre)
    joints["_head_rot"] = body_turn @ lean @ head_rot  # orientation, not a point
    joints["_torso_rot"] = body_turn @ lean
    joints["_turn_rot"] = body_turn
    # Arms: wrist targets and elbow directions in the torso's frame, solved as two bones.
    for side, s, key in (("l", 1, "left"), ("r", -1, "right")):
        spec = ARMS[pose.arms][key]
        wrist = np.array(spec["wrist"]) * (s, 1, 1)
        pole = np.array(spec["elbow"]) * (s, 1, 1)
        shoulder_t = np.array([s * B["shoulder_x"] * narrow, B["shoulder_y"] + raise_, -0.01])
        elbow_t, wrist_t = _two_bones(shoulder_t, wrist, pole, B["upper_arm"], B["forearm"])
        joints[f"{side}_elbow"] = upper(elbow_t)
        joints[f"{side}_wrist"] = upper(wrist_t)
        direction = (wrist_t - elbow_t) / np.linalg.norm(wrist_t - elbow_t)
        joints[f"{side}_hand"] = upper(wrist_t + B["hand"] * direction)
    return joints


def _two_bones(root, target, pole, upper_len, lower_len):
    """Elbow and wrist for a two-bone limb reaching for ``target``, bending towards ``pole``."""
    span = target - root
    d = float(np.linalg.norm(span))
    reach = upper_len + lower_len - 1e-4
    u = span / d
    if d > reach:
        target, d = root + u * reach, reach
    along = (upper_len**2 - lower_len**2 + d * d) / (2 * d)
    height = math.sqrt(max(upper_len**2 - along**2, 0.0))
    side = pole - np.dot(pole, u) * u
    norm = np.linalg.norm(side)
    side = side / norm if norm > 1e-9 else np.array([0.0, 0.0, -1.0])
    return root + along * u + height * side, target


def body_parts(pose: Pose, joints: dict | None = None) -> list[Part]:
    """The figure's parts (round cones and ellipsoids), posed, in world coordinates."""
    j = skeleton(pose) if joints is None else joints
    torso, head_rot = j["_torso_rot"], j["_head_rot"]

    def ellipsoid(name, centre, radii, rot):
        return Part(name, "ellipsoid", np.asarray(centre, float), axes=rot @ np.diag(radii))

    def cone(name, a, b, ra, rb, shrink=0.0):
        a, b = np.asarray(a, float), np.asarray(b, float)
        if shrink:  # leave a gap for the joint ball, as a wooden mannequin has
            d = b - a
            length = np.linalg.norm(d)
            a, b = a + d * (shrink / length), b - d * (shrink / length)
        return Part(name, "cone", a, b, ra, rb)

    parts = [
        _loft("pelvis", j["pelvis"], j["_turn_rot"], PELVIS),
        _loft("chest", j["chest"], torso @ _rot_x(-4), CHEST),
        cone("neck", j["neck"], j["neck_top"], 0.048, 0.043),
        ellipsoid("head", j["head"], [0.077, 0.112, 0.096], head_rot),
    ]
    for s in ("l", "r"):
        parts += [
            Part(f"{s}_shoulder_ball", "cone", j[f"{s}_shoulder"], j[f"{s}_shoulder"], 0.055, 0.055),
            cone(f"{s}_upper_arm", j[f"{s}_shoulder"], j[f"{s}_elbow"], 0.047, 0.037, 0.035),
            Part(f"{s}_elbow_ball", "cone", j[f"{s}_elbow"], j[f"{s}_elbow"], 0.035, 0.035),
            cone(f"{s}_forearm", j[f"{s}_elbow"], j[f"{s}_wrist"], 0.036, 0.027, 0.03),
            cone(f"{s}_hand", j[f"{s}_wrist"], j[f"{s}_hand"], 0.03, 0.036),
            cone(f"{s}_thigh", j[f"{s}_hip"], j[f"{s}_knee"], 0.082, 0.052, 0.03),
            Part(f"{s}_knee_ball", "cone", j[f"{s}_knee"], j[f"{s}_knee"], 0.05, 0.05),
            cone(f"{s}_shin", j[f"{s}_knee"], j[f"{s}_ankle"], 0.052, 0.036, 0.045),
            cone(f"{s}_foot", j[f"{s}_ankle"], j[f"{s}_toe"], 0.04, 0.032),
        ]
    return parts


# ------------------------------------------------------------------ the camera
#: The camera stands this far in front of the figure (metres) and aims here.
CAMERA_DISTANCE = 4.0
CAMERA_TARGET = np.array([0.0, 0.92, 0.0])
#: The frame's height covers this much of the scene at the figure (metres).
VIEW_HEIGHT = 2.25


@dataclass(frozen=True)
class Camera:
    """A pinhole camera at ``height`` metres, :data:`CAMERA_DISTANCE` in front, aimed at the hips."""

    height: float
    size: tuple[int, int]

    @cached_property
    def basis(self):
        centre = np.array([0.0, self.height, CAMERA_DISTANCE])
        forward = CAMERA_TARGET - centre
        forward /= np.linalg.norm(forward)
        right = np.cross(forward, [0.0, 1.0, 0.0])
        right /= np.linalg.norm(right)
        up = np.cross(right, forward)
        return centre, right, up, forward

    @property
    def focal(self) -> float:
        return self.size[1] * CAMERA_DISTANCE / VIEW_HEIGHT

    def to_camera(self, points: np.ndarray) -> np.ndarray:
        centre, right, up, forward = self.basis
        rel = np.asarray(points, float) - centre
        return np.stack([rel @ right, rel @ up, rel @ forward], -1)

    def project(self, cam: np.ndarray) -> np.ndarray:
        w, h = self.size
        f = self.focal
        return np.stack([w / 2 + f * cam[..., 0] / cam[..., 2], h / 2 - f * cam[..., 1] / cam[..., 2]], -1)

    def horizon(self) -> float:
        """Image row of the horizon (the height of the lens, seen far away)."""
        _, _, up, forward = self.basis
        # A horizontal direction straight ahead, projected.
        ahead = np.array([0.0, 0.0, -1.0])
        cam = np.array([0.0, ahead @ up, ahead @ forward])
        return float(self.size[1] / 2 - self.focal * cam[1] / cam[2])


# ----------------------------------------------------------------- the drawing
PAPER = (238, 232, 220)
FLOOR = (222, 214, 200)
CONTOUR = (58, 46, 38)
SHADOW_TONE = (150, 120, 92)
LIGHT_TONE = (240, 220, 190)
#: Tones from the shadow side to the highlight, one per stacked layer.
LAYERS = 7
#: Towards the light, in the image (x right, y down): from the upper left.
LIGHT = np.array([-0.55, -0.83])
SUPERSAMPLE = 2
#: Metres added to a part's depth when sorting, where the centre alone
#: misjudges: the neck sits behind the head and chest, joint balls in front of
#: the limbs that meet at them; thighs start inside the pelvis.
DEPTH_BIAS = {"neck": 0.12, "thigh": 0.15, "head": -0.04, "shoulder_ball": -0.02, "elbow_ball": -0.02, "knee_ball": -0.02}


def render_figure(pose: Pose | None = None, size: tuple[int, int] = (576, 768)) -> np.ndarray:
    """Draw the posed figure through its camera.

    Parameters
    ----------
    pose : Pose, optional
        Default: the neutral :class:`Pose`.
    size : (width, height)
        Output size in pixels.

    Returns
    -------
    ndarray
        RGB uint8 of shape (height, width, 3).

    Examples
    --------
    >>> a = render_figure(Pose(), (120, 160))
    >>> b = render_figure(Pose(lean=15), (120, 160))
    >>> bool((a != b).any())
    True
    """
    pose = pose or Pose()
    width, height = int(size[0]), int(size[1])
    if width < 16 or height < 16:
        raise ValueError(f"The figure needs at least 16 x 16 pixels (got {width} x {height}).")
    k = SUPERSAMPLE
    camera = Camera(pose.camera_height, (width * k, height * k))
    joints = skeleton(pose)
    shapes = [_project(part, camera) for part in body_parts(pose, joints)]
    # Only the figure's box is drawn at k times the size (the paper is flat).
    left, top, right, bottom = _extent(shapes, width * k, height * k, k)
    background = Image.new("RGB", (width, height), PAPER)
    horizon = camera.horizon() / k
    if horizon < height:
        ImageDraw.Draw(background).rectangle([0, max(round(horizon), 0), width, height], fill=FLOOR)
    canvas = background.crop((left // k, top // k, right // k, bottom // k)).resize((right - left, bottom - top), Image.NEAREST)
    draw = ImageDraw.Draw(canvas)
    _draw_floor_shadow(draw, camera, pose, (left, top))
    line = 1.3 * k * max(1.0, height / 768)
    # Far to near; a joint ball counts as a little nearer than the limbs that meet at it.
    order = sorted(range(len(shapes)), key=lambda i: -shapes[i]["depth"])
    tones = [_mix(SHADOW_TONE, LIGHT_TONE, t) for t in np.linspace(0, 1, LAYERS) ** 0.8]
    for i in order:
        shape = _moved(shapes[i], (-left, -top))
        _paint(draw, shape, line, 0.0, (0, 0), CONTOUR)
        for n, tone in enumerate(tones):
            shrink = 0.78 * n / (LAYERS - 1)
            _paint(draw, shape, 0.0, shrink, LIGHT * 0.55 * shrink, tone)
        if shape["name"] == "head":
            _head_lines(draw, joints, camera, line, (left, top))
    background.paste(canvas.reduce(k), (left // k, top // k))
    return np.asarray(background)


def _extent(shapes, width, height, k):
    """The box round every part (plus the floor shadow's reach), on multiples of ``k``, inside the image."""
    xs, ys = [], []
    for shape in shapes:
        if shape["kind"] == "cone":
            for (x, y), r in zip(shape["xy"], shape["r"]):
                xs += [x - r, x + r]
                ys += [y - r, y + r]
        else:
            cx, cy = shape["centre"]
            r = shape["radius"]
            xs += [cx - r, cx + r]
            ys += [cy - r, cy + r]
    pad = 0.12 * height  # room for the floor shadow and the contour
    left = max(0, int(min(xs) - pad) // k * k)
    top = max(0, int(min(ys) - 8 * k) // k * k)
    right = min(width, -(-int(max(xs) + pad) // k) * k)
    bottom = min(height, -(-int(max(ys) + pad) // k) * k)
    return left, top, right, bottom


def _moved(shape: dict, offset) -> dict:
    dx, dy = offset
    moved = dict(shape)
    if shape["kind"] == "cone":
        moved["xy"] = [[x + dx, y + dy] for x, y in shape["xy"]]
    else:
        moved["centre"] = [shape["centre"][0] + dx, shape["centre"][1] + dy]
    return moved


def _mix(a, b, t):
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))


def _project(part: Part, camera: Camera) -> dict:
    """A part's 2-D outline data at the camera: circles for a cone, an ellipse for an ellipsoid."""
    f = camera.focal
    if part.kind == "cone":
        cam = camera.to_camera(np.stack([part.a, part.b]))
        xy = camera.project(cam)
        radii = f * np.array([part.ra, part.rb]) / cam[:, 2]
        depth = float(cam[:, 2].mean()) + DEPTH_BIAS.get(part.name.split("_", 1)[-1], 0.0)
        return {
            "name": part.name, "kind": "cone", "xy": xy.tolist(), "r": radii.tolist(), "depth": depth,
            "ball": part.a is part.b,
        }  # fmt: skip
    if part.kind == "loft":
        cam = camera.to_camera(part.points)
        hull = _convex_hull(camera.project(cam))
        centre = hull.mean(axis=0)
        radius = float(np.linalg.norm(hull - centre, axis=1).max())
        return {
            "name": part.name, "kind": "ellipse", "centre": centre.tolist(), "radius": radius,
            "base": hull - centre, "unit": _outward(hull - centre), "depth": float(cam[:, 2].mean()),
        }  # fmt: skip
    centre = camera.to_camera(part.a[None])[0]
    x, y, z = centre
    jac = (f / z) * np.array([[1.0, 0.0, -x / z], [0.0, -1.0, y / z]])
    _, right, up, forward = camera.basis
    axes_cam = np.stack([right, up, forward]) @ part.axes
    m = jac @ axes_cam
    values, vectors = np.linalg.eigh(m @ m.T)
    axes = vectors * np.sqrt(np.maximum(values, 0.0))
    lengths = np.maximum(np.linalg.norm(axes, axis=0), 1e-9)
    return {
        "name": part.name,
        "kind": "ellipse",
        "centre": camera.project(centre[None])[0].tolist(),
        "radius": float(lengths.max()),
        "base": _CIRCLE @ axes.T,
        "unit": _CIRCLE @ (axes / lengths).T,
        "depth": float(z) + DEPTH_BIAS.get(part.name, 0.0),
    }


def _convex_hull(points: np.ndarray) -> np.ndarray:
    """The outline of a convex set of 2-D points: its support point in each of 48 directions.

    Every support point is a vertex of the convex hull, and 48 of them trace
    it to well under a pixel for the smooth blocks of the trunk; one matrix
    product instead of a sort keeps it cheap.
    """
    best = np.argmax(_SUPPORT @ points.T, axis=1)
    keep = np.r_[True, best[1:] != best[:-1]]
    return points[best[keep]]


def _outward(offsets: np.ndarray) -> np.ndarray:
    """Unit vectors from the centre out through each outline point (to grow a contour)."""
    return offsets / np.maximum(np.linalg.norm(offsets, axis=1, keepdims=True), 1e-9)


_ANGLES = np.linspace(0, 2 * np.pi, 36, endpoint=False)
_CIRCLE = np.stack([np.cos(_ANGLES), np.sin(_ANGLES)], 1)
_SUPPORT = np.stack([np.cos(np.linspace(0, 2 * np.pi, 48, endpoint=False)), np.sin(np.linspace(0, 2 * np.pi, 48, endpoint=False))], 1)


def _paint(draw: ImageDraw.ImageDraw, shape: dict, grow: float, shrink: float, shift, fill) -> None:
    """Fill a part's outline, grown by ``grow`` px, shrunk by ``shrink`` (a fraction), moved by ``shift`` radii.

    Plain floats rather than small numpy arrays: this runs a few hundred times per picture.
    """
    scale = 1.0 - shrink
    sx, sy = float(shift[0]), float(shift[1])
    if shape["kind"] == "ellipse":
        cx, cy = shape["centre"]
        radius = shape["radius"]
        points = shape["base"] * scale + shape["unit"] * grow + (cx + sx * radius, cy + sy * radius)
        draw.polygon(points.ravel().tolist(), fill=fill)
        return
    (x0, y0), (x1, y1) = shape["xy"]
    ra, rb = shape["r"]
    x0, y0, x1, y1 = x0 + sx * ra, y0 + sy * ra, x1 + sx * rb, y1 + sy * rb
    r0, r1 = ra * scale + grow, rb * scale + grow
    draw.ellipse((x0 - r0, y0 - r0, x0 + r0, y0 + r0), fill=fill)
    if shape["ball"]:
        return
    draw.ellipse((x1 - r1, y1 - r1, x1 + r1, y1 + r1), fill=fill)
    dx, dy = x1 - x0, y1 - y0
    length = math.hypot(dx, dy)
    if length <= abs(r0 - r1) + 1e-6:
        return
    ux, uy = dx / length, dy / length
    nx, ny = -uy, ux
    sin = (r0 - r1) / length
    cos = math.sqrt(max(0.0, 1 - sin * sin))
    k1x, k1y = -sin * ux + cos * nx, -sin * uy + cos * ny
    k2x, k2y = -sin * ux - cos * nx, -sin * uy - cos * ny
    draw.polygon(
        [x0 + r0 * k1x, y0 + r0 * k1y, x1 + r1 * k1x, y1 + r1 * k1y,
         x1 + r1 * k2x, y1 + r1 * k2y, x0 + r0 * k2x, y0 + r0 * k2y],
        fill=fill,
    )  # fmt: skip


def _head_lines(draw, j: dict, camera: Camera, line: float, origin=(0, 0)) -> None:
    """The construction lines of a drawn head: the centre line and the eye line, on the visible side."""
    radii = np.array([0.077, 0.112, 0.096])
    rot = j["_head_rot"] * radii  # the head's rotation times diag(radii)
    # Its inverse is diag(1 / radii) @ rotation.T, written out: np.linalg.inv of a 3 x 3 goes
    # through LAPACK, which on a loaded machine took up to 10 ms waking its threads.
    inverse = j["_head_rot"].T / radii[:, None]
    t = np.linspace(-np.pi, np.pi, 73)
    curves = [
        np.stack([np.zeros_like(t), np.cos(t), np.sin(t)], 1),  # centre line, over the top and under the chin
        np.stack([np.cos(t), np.full_like(t, -0.1), np.sin(t)], 1) / np.sqrt(1 + 0.01),  # eye line
    ]
    centre_w = j["head"]
    cam_centre = camera.basis[0]
    for curve in curves:
        points = centre_w + curve @ rot.T
        normals = curve @ inverse  # normal of an ellipsoid's surface at each point
        visible = np.einsum("ij,ij->i", normals, cam_centre - points) > 0
        xy = camera.project(camera.to_camera(points)) - origin
        run: list[tuple[float, float]] = []
        for ok, p in zip(visible, xy.tolist()):
            if ok:
                run.append(tuple(p))
            elif run:
                if len(run) > 1:
                    draw.line(run, fill=(110, 86, 66), width=max(1, round(line * 0.8)))
                run = []
        if len(run) > 1:
            draw.line(run, fill=(110, 86, 66), width=max(1, round(line * 0.8)))


def _draw_floor_shadow(draw, camera: Camera, pose: Pose, origin=(0, 0)) -> None:
    """A soft contact shadow on the floor under the feet: three nested, darkening ellipses."""
    t = np.linspace(0, 2 * np.pi, 48, endpoint=False)
    for n, (scale, tone) in enumerate(((1.0, 0.93), (0.75, 0.88), (0.5, 0.83))):
        rx, rz = (0.32 + pose.stance) * scale, 0.2 * scale
        ring = np.stack([rx * np.cos(t), np.zeros_like(t), 0.04 + rz * np.sin(t)], 1)
        ring = ring @ _rot_y(pose.turn).T
        xy = camera.project(camera.to_camera(ring)) - origin
        draw.polygon([tuple(p) for p in xy.tolist()], fill=tuple(int(c * tone) for c in FLOOR))


def pose_with(pose: Pose, **changes) -> Pose:
    """A copy of ``pose`` with some values changed (validated like a new pose)."""
    return replace(pose, **changes)
