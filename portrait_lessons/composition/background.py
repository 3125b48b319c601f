"""Background as narrative: the same portrait on other grounds.

Context changes which emotion and which person viewers read in a face
(Aviezer et al. 2008; Righart & de Gelder 2008; Masuda et al. 2008). This
module puts one portrait on several grounds so a learner can watch that
happen: the photo's own background blurred, greyed or darkened; studio
backdrops (seamless paper in several colours, a mottled painted canvas like
the NASA portraits'); and places made procedurally, already out of focus as a
portrait lens at a wide aperture leaves them: a café in the evening (a dusk
window, the bar, tables, string lights), a street at night (lit windows, street
lamps, cars on a wet road) and a park (sky through the leaves, trunks, a lawn).
Each place is its scene's structure blurred by a disc the aperture's size,
with its lights drawn as "bokeh": discs of several sizes and colour
temperatures, brighter at the rim, clipped to a cat's eye toward the frame's
edges, added as light.

The subject is cut out with the one mask call of this module,
:func:`person_mask` (today :func:`portrait_lessons.retouch.subject_mask`;
when the better mask of ``retouch/subject.py`` lands, only that function
changes). At the edge, a little of the new ground's light spills over the
subject (*light wrap*), as real light from a bright background does, so the
person does not look cut out with scissors: only where the ground is lighter,
and as much as the edge reflects (light hair takes it, a navy uniform hardly).

Every ground is data (:data:`GROUNDS`); places are drawn from a seed, so the
same settings always give the same picture.

Examples
--------
>>> from portrait_lessons import examples
>>> photo = examples.load_portrait("ochoa", 256)
>>> marks = examples.portrait_landmarks("ochoa", 256)
>>> bool((place_on_ground(photo, marks, "original") == photo).all())
True
>>> place_on_ground(photo, marks, "paper_charcoal").shape == photo.shape
True
"""

from __future__ import annotations

from functools import lru_cache

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..retouch.depth import lens_blur
from ..retouch.foreground import foreground


class BackgroundError(ValueError):
    """A ground the module does not know, or settings out of range."""


#: Every ground, as data. ``kind`` says how it is made; the rest are its settings.
GROUNDS: dict[str, dict] = {
    "original": {"label": "the photo as it is", "kind": "original"},
    "own_blurred": {"label": "its own background, blurred", "kind": "own", "blur": 0.035},
    "own_grey": {"label": "its own background, greyed", "kind": "own", "grey": 1.0},
    "own_dark": {"label": "its own background, darkened", "kind": "own", "dark": 0.6},
    "paper_white": {"label": "seamless paper, white", "kind": "paper", "colour": (236, 236, 232)},
    "paper_grey": {"label": "seamless paper, mid grey", "kind": "paper", "colour": (128, 130, 132)},
    "paper_charcoal": {"label": "seamless paper, charcoal", "kind": "paper", "colour": (44, 46, 50)},
    "paper_blue": {"label": "seamless paper, deep blue", "kind": "paper", "colour": (38, 66, 112)},
    "paper_mustard": {"label": "seamless paper, mustard", "kind": "paper", "colour": (196, 150, 58)},
    "canvas_blue": {"label": "mottled canvas, blue-grey", "kind": "canvas", "colour": (74, 98, 134), "seed": 4},
    "cafe": {"label": "a café with warm lights", "kind": "place", "scene": "cafe", "seed": 11},
    "city_night": {"label": "a city at night", "kind": "place", "scene": "city", "seed": 23},
    "park": {"label": "a park in green light", "kind": "place", "scene": "park", "seed": 5},
}  # fmt: skip

#: Grounds by family, for a tool's menu.
FAMILIES = {
    "the photo's own": ("original", "own_blurred", "own_grey", "own_dark"),
    "studio": ("paper_white", "paper_grey", "paper_charcoal", "paper_blue", "paper_mustard", "canvas_blue"),
    "places": ("cafe", "city_night", "park"),
}


# ------------------------------------------------------------------ the mask
def person_mask(image: np.ndarray, landmarks) -> np.ndarray:
    """Where the person is, 0-1 float32 of shape (H, W): the one place this module asks for a mask.

    Today this is :func:`portrait_lessons.retouch.depth.subject_mask`; a
    better mask can replace it here without touching anything else.
    """
    from ..retouch.depth import subject_mask

    return subject_mask(image, landmarks)


#: Long edge at which the edge of the mask is refined (the cut follows colour, not detail).
REFINE_EDGE = 480
#: The face kept whole by refine_edge is its outline scaled by this much towards its centre.
FACE_KEEP_SCALE = 0.93


def refine_edge(image: np.ndarray, mask: np.ndarray, landmarks=None) -> np.ndarray:
    """Pull a soft person mask onto the edge between person and backdrop, by colour.

    A mask made for blurring a background may be generous: a blurred halo of
    backdrop round the hair does not show, but on a new ground it would. In
    the mask's uncertain band each pixel is compared with two *plates*, the
    backdrop's local colour (a normalised blur of the pixels sure to be
    backdrop) and the person's (the same over the pixels sure to be person);
    the nearer plate decides. A guided filter then keeps the result on the
    photo's own edges. Sure person and sure backdrop are left as they were.
    With ``landmarks`` the face itself (outline closed over the brows) is
    always kept. Dark hair on a dark backdrop stays hard: there the mask
    keeps a little backdrop round the head rather than cut into the hair.

    Examples
    --------
    >>> image = np.zeros((60, 60, 3), np.uint8); image[:, 30:] = (200, 120, 90)
    >>> loose = np.clip((np.arange(60, dtype=np.float32) - 15) / 30, 0, 1)[None].repeat(60, 0)
    >>> tight = refine_edge(image, loose)
    >>> float(tight[30, 25]) < float(loose[30, 25]), float(tight[30, 35]) > float(loose[30, 35])
    (True, True)
    """
    from ..retouch.filters import box_mean, guided_filter, resize_float

    height, width = image.shape[:2]
    factor = min(1.0, REFINE_EDGE / max(width, height))
    size = (max(8, round(width * factor)), max(8, round(height * factor)))
    small = np.asarray(Image.fromarray(np.asarray(image)).resize(size, Image.BILINEAR), np.float32) / 255
    m = resize_float(np.asarray(mask, np.float32), size)
    radius = max(3, round(0.06 * max(size)))
    face = np.zeros(m.shape, bool)
    if landmarks is not None:
        # The face: its outline closed over the brows.
        p = landmarks.points
        ring = [*landmarks.face_outline, p["right_brow_outer"], p["right_brow_middle"], p["right_brow_inner"],
                p["left_brow_inner"], p["left_brow_middle"], p["left_brow_outer"]]  # fmt: skip
        # Drawn a little inside the outline's points: they sit on the face's edge give or take
        # a few pixels, and forcing those pixels to person kept a fringe of Hopper's red stripe.
        ring = np.asarray(ring, np.float64)
        centre = ring.mean(axis=0)
        ring = centre + (ring - centre) * FACE_KEEP_SCALE
        outline = Image.new("L", size, 0)
        ImageDraw.Draw(outline).polygon([(x * factor, y * factor) for x, y in ring], fill=255)
        face = np.asarray(outline) > 0
    sure_person = face | (m > 0.95)
    plates = []
    for weight in ((m < 0.08).astype(np.float32), sure_person.astype(np.float32)):
        total = box_mean(weight, radius)
        mean = box_mean(small * weight[..., None], radius) / np.maximum(total, 1e-4)[..., None]
        fallback = (small * weight[..., None]).sum(axis=(0, 1)) / max(float(weight.sum()), 1.0)
        plates.append(np.where(total[..., None] > 1e-3, mean, fallback))
    to_back = np.linalg.norm(small - plates[0], axis=2)
    to_person = np.linalg.norm(small - plates[1], axis=2)
    by_colour = to_back / (to_back + to_person + 1e-3)
    # A firmer decision than a plain ratio, leaning towards keeping the person:
    # a little backdrop left round the hair shows less than hair cut away.
    by_colour = np.clip((by_colour - 0.3) * 2.5 + 0.5, 0, 1)
    band = (m > 0.08) & (m < 0.8)
    refined = np.where(band, by_colour, m).astype(np.float32)
    grey = small.mean(axis=2)
    refined = np.clip(guided_filter(grey, refined, radius=max(2, radius // 6), eps=1e-3), 0, 1)
    keep = (m >= 0.8) & ~band
    refined = np.where(keep, np.maximum(refined, m), np.where(m < 0.08, 0.0, refined))
    refined = np.where(face, 1.0, refined).astype(np.float32)
    return np.clip(resize_float(refined, (width, height)), 0, 1)


# ----------------------------------------------------------------- the grounds
def make_ground(name: str, size: tuple[int, int], image: np.ndarray | None = None, mask: np.ndarray | None = None) -> np.ndarray:
    """The ground ``name`` at ``size`` = (width, height), RGB uint8.

    Grounds made from the photo itself ("own_...") need ``image`` and its
    ``mask``; studio and place grounds are drawn and cached.

    Examples
    --------
    >>> make_ground("cafe", (64, 80)).shape
    (80, 64, 3)
    """
    spec = _spec(name)
    kind = spec["kind"]
    if kind in ("original", "own"):
        if image is None:
            raise BackgroundError(f"The ground {name!r} is made from the photo: pass the image.")
        return _own_ground(image, mask, spec) if kind == "own" else np.asarray(image).copy()
    width, height = int(size[0]), int(size[1])
    return _drawn_ground(name, width, height).copy()


def _spec(name: str) -> dict:
    try:
        return GROUNDS[name]
    except KeyError:
        raise BackgroundError(f"No ground is called {name!r}; choose one of: {', '.join(GROUNDS)}.") from None


def _own_ground(image: np.ndarray, mask: np.ndarray | None, spec: dict) -> np.ndarray:
    height, width = image.shape[:2]
    ground = np.asarray(image)
    if "blur" in spec:
        # The subject must not smear into its own background: weight it out of the blur.
        weights = None if mask is None else (1.0 - mask).astype(np.float32)
        ground = lens_blur(ground, spec["blur"] * max(width, height), weights)
    if "grey" in spec:
        grey = np.asarray(Image.fromarray(ground).convert("L"))
        ground = np.repeat(grey[..., None], 3, axis=2)
    if "dark" in spec:
        ground = (ground.astype(np.float32) * (1 - spec["dark"])).astype(np.uint8)
    return ground


@lru_cache(maxsize=24)
def _drawn_ground(name: str, width: int, height: int) -> np.ndarray:
    spec = GROUNDS[name]
    if spec["kind"] == "paper":
        ground = _paper(spec["colour"], width, height)
    elif spec["kind"] == "canvas":
        ground = _canvas(spec["colour"], width, height, spec["seed"])
    else:
        ground = _place(spec, width, height)
    ground.setflags(write=False)
    return ground


def _radial(width: int, height: int, centre=(0.5, 0.38), reach: float = 0.75) -> np.ndarray:
    """1 at ``centre`` falling smoothly towards the corners: the light of a background spot."""
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    scale = max(width, height)
    d = np.hypot((xs / width - centre[0]) * width / scale, (ys / height - centre[1]) * height / scale) / reach
    return np.clip(1 - d * d, 0, 1)


def _paper(colour, width: int, height: int) -> np.ndarray:
    """Seamless paper lit by a spot behind the sitter: lighter in the middle, a little darker below."""
    light = _radial(width, height)
    sweep = np.linspace(1.0, 0.88, height, dtype=np.float32)[:, None]  # the paper curving to the floor
    gain = (0.72 + 0.4 * light) * sweep
    return np.clip(np.asarray(colour, np.float32) * gain[..., None], 0, 255).astype(np.uint8)


def _noise(width: int, height: int, rng: np.random.Generator, scales=(4, 12, 40)) -> np.ndarray:
    """Smooth noise in 0-1: random values at a few coarse scales, each upsampled smoothly and summed."""
    total = np.zeros((height, width), np.float32)
    for n, cells in enumerate(scales):
        small = rng.random((max(2, cells * height // max(width, height)), max(2, cells * width // max(width, height))))
        layer = Image.fromarray((small * 255).astype(np.uint8)).resize((width, height), Image.BICUBIC)
        total += np.asarray(layer, np.float32) / 255 / (1.6**n)
    total -= total.min()
    return total / max(float(total.max()), 1e-6)


def _canvas(colour, width: int, height: int, seed: int) -> np.ndarray:
    """A hand-painted, mottled canvas backdrop: soft clouds of lighter and darker paint."""
    rng = np.random.default_rng(seed)
    clouds = _noise(width, height, rng)
    light = _radial(width, height, reach=0.9)
    base = np.asarray(colour, np.float32)
    tint = np.array([0.9, 1.0, 1.12], np.float32)  # the darker paint is cooler
    shade = (0.62 + 0.55 * clouds)[..., None] * (0.75 + 0.35 * light)[..., None]
    picture = base * shade * (1 + (1 - clouds)[..., None] * (tint - 1))
    return np.clip(picture, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------ defocused places
# A place is drawn the way a portrait lens at a wide aperture records it: the
# scene's structure (walls, windows, trees, buildings, the floor below the
# horizon) reduced to soft masses of light and colour, and every small bright
# light turned into a disc of the aperture's shape. The discs are added as
# light (where they overlap they brighten), their size grows with the light's
# depth behind the sitter, their rim is a little brighter than their body, and
# toward the frame's edges the lens barrel clips them into a cat's eye.
# A place is data: :data:`PLACES` lists its palette and the lights' groups.

#: The horizon of an eye-level camera sits near the eye line (fraction of the height from the top).
HORIZON = 0.42
#: Largest bokeh disc radius, as a fraction of the frame's long edge (lights far behind the sitter).
DISC = 0.05


def _smooth(t):
    t = np.clip(t, 0.0, 1.0)
    return t * t * (3 - 2 * t)


def _bokeh_disc(radius: float, offset: tuple[float, float], fx: float, fy: float) -> np.ndarray:
    """The light of one defocused point: a flat disc with a brighter rim, clipped to a cat's eye.

    ``offset`` moves the clipping circle (the lens barrel) toward the frame's
    centre; ``fx, fy`` are the point's sub-pixel position in its stamp.
    """
    n = int(np.ceil(radius + 2))
    ys, xs = np.mgrid[-n : n + 1, -n : n + 1].astype(np.float32)
    xs, ys = xs - fx, ys - fy
    edge = max(1.0, 0.05 * radius)  # a defocused edge is soft over a few pixels
    d = np.hypot(xs, ys)
    shape = np.clip((radius - d) / edge + 0.5, 0, 1)
    barrel = np.hypot(xs - offset[0], ys - offset[1])
    shape *= np.clip((radius * 1.04 - barrel) / edge + 0.5, 0, 1)
    rim = 0.7 + 0.3 * _smooth((d / max(radius, 1e-6) - 0.62) / 0.38)
    return shape * rim


def _add_lights(canvas: np.ndarray, lights, scale: float) -> None:
    """Add each (x, y, radius, colour, brightness) as a bokeh disc into the float ``canvas`` (in place)."""
    height, width = canvas.shape[:2]
    cx, cy, half_diagonal = width / 2, height / 2, np.hypot(width, height) / 2
    for x, y, radius, colour, brightness in lights:
        r = radius * scale
        if r < 0.8:
            continue
        px, py = x * width, y * height
        # Cat's eye: the farther from the centre, the more the barrel cuts the disc's outer side.
        reach = np.hypot(px - cx, py - cy) / half_diagonal
        pull = 0.55 * r * reach**1.5
        direction = np.array([cx - px, cy - py]) / max(np.hypot(px - cx, py - cy), 1e-6)
        ix, iy = int(np.floor(px)), int(np.floor(py))
        stamp = _bokeh_disc(r, tuple(direction * pull), px - ix - 0.5, py - iy - 0.5)
        n = stamp.shape[0] // 2
        top, left = iy - n, ix - n
        y0, x0 = max(top, 0), max(left, 0)
        y1, x1 = min(top + stamp.shape[0], height), min(left + stamp.shape[1], width)
        if y1 <= y0 or x1 <= x0:
            continue
        part = stamp[y0 - top : y1 - top, x0 - left : x1 - left]
        canvas[y0:y1, x0:x1] += part[..., None] * (np.asarray(colour, np.float32) * brightness)


def _jitter(colour, rng, amount: float = 0.08):
    """A light's colour with a little of its own temperature: no two bulbs are quite alike."""
    c = np.asarray(colour, np.float32)
    warm = rng.normal(0, amount)
    return np.clip(c * np.array([1 + warm, 1.0, 1 - warm]), 0, 255)


def _cafe_scene(w: int, h: int, rng) -> tuple[Image.Image, list]:
    """A café in the evening: a warm wall, a dusk window on one side, the bar, tables, lamps and string lights."""
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    wall = np.array([46, 28, 18], np.float32) * (1 - y) + np.array([112, 72, 44], np.float32) * y
    floor = np.array([120, 80, 50], np.float32) * (1.25 - 0.7 * y)
    scene = np.where(y < HORIZON + 0.12, wall, floor)
    picture = Image.fromarray(np.clip(np.broadcast_to(scene, (h, w, 3)), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    # A tall window on the left: cool dusk light, divided by mullions.
    left, right = int(-0.02 * w), int(0.24 * w)
    draw.rectangle((left, int(0.08 * h), right, int(0.5 * h)), fill=(58, 78, 112))
    for mx in np.linspace(left, right, 3)[1:-1]:
        draw.rectangle((int(mx) - 1, int(0.08 * h), int(mx) + 1, int(0.5 * h)), fill=(30, 24, 22))
    draw.rectangle((left, int(0.29 * h), right, int(0.30 * h) + 1), fill=(30, 24, 22))
    # The bar across the back: its dark front, a lit top edge, shelves of bottles above it on the right.
    draw.rectangle((int(0.3 * w), int(0.5 * h), w, int(0.62 * h)), fill=(40, 24, 16))
    draw.rectangle((int(0.3 * w), int(0.495 * h), w, int(0.51 * h)), fill=(170, 112, 60))
    for shelf in (0.32, 0.4):
        draw.rectangle((int(0.55 * w), int(shelf * h), w, int(shelf * h) + 2), fill=(150, 100, 58))
    # Tables and chairs nearer the camera: dark shapes with lighter tops.
    for tx, ty, tw in ((0.08, 0.7, 0.2), (0.78, 0.74, 0.26), (0.42, 0.8, 0.16)):
        draw.ellipse((int((tx - tw / 2) * w), int((ty - 0.015) * h), int((tx + tw / 2) * w), int((ty + 0.02) * h)),
                     fill=(176, 124, 76))  # fmt: skip
        draw.rectangle((int((tx - 0.01) * w), int(ty * h), int((tx + 0.01) * w), int((ty + 0.2) * h)), fill=(30, 18, 12))
    # Pools of lamp light on the back wall, and a lit doorway to the kitchen.
    for x in (0.45, 0.8):
        draw.ellipse((int((x - 0.16) * w), int(0.12 * h), int((x + 0.16) * w), int(0.5 * h)), fill=(150, 98, 56))
    draw.rectangle((int(0.33 * w), int(0.2 * h), int(0.43 * w), int(0.5 * h)), fill=(196, 150, 96))
    lights = []
    # String lights sagging across the top: the café's signature.
    count = int(rng.integers(9, 13))
    for i, t in enumerate(np.linspace(-0.04, 1.04, count)):
        sag = 0.1 + 0.07 * (1 - (2 * t - 1) ** 2) + rng.normal(0, 0.006)
        lights.append((t + rng.normal(0, 0.01), sag, DISC * rng.uniform(0.55, 0.8),
                       _jitter((255, 176, 92), rng), rng.uniform(0.55, 0.85)))  # fmt: skip
    # Two pendant lamps over the bar: big, bright, a little warmer.
    for x in rng.uniform(0.35, 0.95, 2):
        lights.append((x, rng.uniform(0.22, 0.28), DISC * rng.uniform(0.85, 1.0), _jitter((255, 196, 120), rng), 0.9))
    # Glints of bottles and glasses behind the bar: small, some coloured.
    for x in rng.uniform(0.58, 1.0, 6):
        colour = [(255, 226, 170), (140, 200, 120), (255, 150, 70)][int(rng.integers(3))]
        lights.append((x, rng.choice([0.31, 0.39]) - 0.01, DISC * rng.uniform(0.2, 0.32), _jitter(colour, rng), 0.6))
    # A candle on each table.
    for tx, ty in ((0.1, 0.69), (0.75, 0.73)):
        lights.append((tx, ty, DISC * rng.uniform(0.25, 0.35), _jitter((255, 170, 80), rng), 0.7))
    return picture, lights


def _city_scene(w: int, h: int, rng) -> tuple[Image.Image, list]:
    """A street at night: buildings with lit windows, a cool glow over the horizon, a wet road, street lamps and cars."""
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    sky = np.array([8, 12, 28], np.float32) * (1 - y) + np.array([44, 50, 84], np.float32) * y  # the city's glow
    road = np.array([36, 42, 60], np.float32) * (1.6 - 1.0 * y)
    horizon = HORIZON + 0.14
    scene = np.where(y < horizon, sky, road)
    picture = Image.fromarray(np.clip(np.broadcast_to(scene, (h, w, 3)), 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    lights = []
    # Buildings along both sides of the street, their windows warm or cool.
    x = -0.05
    while x < 1.05:
        bw = rng.uniform(0.12, 0.26)
        top = rng.uniform(0.05, 0.35)
        shade = rng.uniform(0.8, 1.3)
        draw.rectangle((int(x * w), int(top * h), int((x + bw) * w), int(horizon * h)),
                       fill=tuple(int(c * shade) for c in (26, 30, 46)))  # fmt: skip
        for wy in np.arange(top + 0.03, horizon - 0.04, 0.045):
            for wx in np.arange(x + 0.02, x + bw - 0.02, 0.04):
                if rng.random() < 0.45:
                    colour = (255, 196, 120) if rng.random() < 0.45 else (170, 200, 255)
                    draw.rectangle((int(wx * w), int(wy * h), int((wx + 0.024) * w), int((wy + 0.028) * h)),
                                   fill=colour)  # fmt: skip
        x += bw + rng.uniform(0.0, 0.03)
    # Shop fronts at street level: a neon sign and a lit window.
    draw.rectangle((int(0.62 * w), int((horizon - 0.07) * h), int(0.84 * w), int((horizon - 0.045) * h)), fill=(210, 60, 150))
    draw.rectangle((int(0.05 * w), int((horizon - 0.08) * h), int(0.25 * w), int(horizon * h)), fill=(150, 130, 96))
    # Street lamps receding along the left: sodium orange and white LED, with reflections on the wet road.
    for i, t in enumerate(np.sort(rng.uniform(0, 1, 5))):
        x, y0 = 0.04 + 0.4 * t + rng.normal(0, 0.02), 0.26 + 0.22 * t + rng.normal(0, 0.015)
        colour = (255, 160, 64) if i == 1 else (215, 230, 255)  # LED street lights, one old sodium lamp
        lights.append((x + rng.normal(0, 0.01), y0, DISC * (1.0 - 0.3 * t), _jitter(colour, rng), 0.85))
        draw.rectangle((int((x - 0.02) * w), int((horizon + 0.01) * h), int((x + 0.02) * w), int((horizon + 0.3) * h)),
                       fill=tuple(int(c * 0.45) for c in colour))  # fmt: skip
    # Cars: red tail lights in pairs going away, white headlights coming.
    for _ in range(3):
        x = rng.uniform(0.45, 0.95)
        for dx in (0.0, 0.05):
            lights.append((x + dx, horizon + 0.015, DISC * rng.uniform(0.4, 0.5), _jitter((240, 40, 36), rng, 0.03), 0.8))
    for _ in range(2):
        x = rng.uniform(0.1, 0.5)
        for dx in (0.0, 0.06):
            lights.append((x + dx, horizon + 0.02, DISC * rng.uniform(0.5, 0.6), _jitter((235, 240, 255), rng, 0.03), 0.75))
    for x, y0, _, colour, _ in lights[-10:]:
        if y0 > horizon:
            draw.rectangle((int((x - 0.012) * w), int((horizon + 0.03) * h), int((x + 0.012) * w), int((horizon + 0.22) * h)),
                           fill=tuple(int(c * 0.3) for c in colour))  # fmt: skip
    # A traffic light, and a few bright windows far away.
    lights.append((rng.uniform(0.55, 0.7), horizon - 0.12, DISC * 0.45, (80, 240, 150), 0.8))
    for _ in range(5):
        lights.append((rng.uniform(0, 1), rng.uniform(0.12, horizon - 0.1), DISC * rng.uniform(0.2, 0.35),
                       _jitter((255, 210, 150), rng), 0.45))  # fmt: skip
    return picture, lights


def _park_scene(w: int, h: int, rng) -> tuple[Image.Image, list]:
    """A park in the afternoon: bright sky through the canopy, trunks, a far tree line, a lawn with sun and shade."""
    y = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    sky = np.array([222, 236, 246], np.float32) * (1 - 0.1 * y) + np.array([30, 20, 0], np.float32) * y
    lawn = np.array([150, 176, 78], np.float32) * (1.25 - 0.5 * y)
    scene = np.where(y < HORIZON + 0.08, sky, lawn)
    picture = Image.fromarray(np.clip(np.broadcast_to(scene, (h, w, 3)), 0, 255).astype(np.uint8))
    # Sun and shade on the lawn: soft patches.
    patches = _noise(w, h, rng, scales=(3, 6))
    shade = np.where(np.linspace(0, 1, h)[:, None] > HORIZON + 0.08, 0.75 + 0.45 * patches, 1.0)
    picture = Image.fromarray(np.clip(np.asarray(picture, np.float32) * shade[..., None], 0, 255).astype(np.uint8))
    draw = ImageDraw.Draw(picture)
    # The far tree line along the horizon, and trunks rising into the canopy.
    draw.rectangle((0, int((HORIZON - 0.06) * h), w, int((HORIZON + 0.08) * h)), fill=(74, 104, 52))
    for x in rng.uniform(0.0, 1.0, 4):
        tw = rng.uniform(0.025, 0.05)
        draw.rectangle((int((x - tw / 2) * w), 0, int((x + tw / 2) * w), int((HORIZON + 0.1) * h)), fill=(52, 46, 34))
    # The canopy: leaf masses with holes where the sky shows through.
    leaves = 0.6 * _noise(w, h, rng, scales=(5, 11)) + 0.4 * _noise(w, h, rng, scales=(24, 48))
    reach = _smooth((np.linspace(0, 1, h)[:, None] - 0.05) / (HORIZON - 0.05))  # 0 at the top, 1 at the horizon
    cover = _smooth((leaves + 0.6 * (1 - reach) - 0.72) / 0.05) * (reach < 1)
    # Leaves in sun and in shade: a yellower green where light falls through, a bluer one in the shadow.
    dapple = _noise(w, h, rng, scales=(16, 40))[..., None]
    greens = (np.array([34, 70, 34], np.float32) * (1 - dapple) + np.array([96, 132, 52], np.float32) * dapple) * (
        0.7 + 0.6 * leaves[..., None])
    base = np.asarray(picture, np.float32)
    picture = Image.fromarray(np.clip(base * (1 - cover[..., None]) + greens * cover[..., None], 0, 255).astype(np.uint8))
    lights = []
    # Sun through the gaps in the leaves: the brightest highlights, white-gold, some tinted green by the leaves.
    gaps = np.argwhere((cover < 0.5) & (np.linspace(0, 1, h)[:, None] < HORIZON - 0.06))
    if len(gaps):
        for gy, gx in gaps[rng.choice(len(gaps), size=min(len(gaps), 16), replace=False)]:
            colour = (255, 246, 214) if rng.random() < 0.65 else (206, 236, 150)
            lights.append(((gx + 0.5) / w, (gy + 0.5) / h, DISC * rng.uniform(0.3, 0.8), _jitter(colour, rng, 0.04),
                           rng.uniform(0.25, 0.55)))  # fmt: skip
    # Pinholes of sky in the leaves: too small to draw, but each becomes a small disc.
    for _ in range(20):
        lights.append((rng.uniform(0, 1), rng.uniform(0.02, HORIZON - 0.12), DISC * rng.uniform(0.15, 0.35),
                       _jitter((236, 246, 226), rng, 0.03), rng.uniform(0.2, 0.4)))  # fmt: skip
    return picture, lights


#: How each place's structure and lights are drawn (a place in :data:`GROUNDS` names its scene and seed).
PLACES = {"cafe": _cafe_scene, "city": _city_scene, "park": _park_scene}


def _place(spec: dict, width: int, height: int) -> np.ndarray:
    """A defocused place: its structure drawn small and blurred by a disc (the aperture), then its lights as bokeh.

    A pure function of the spec (its seed) and the size.
    """
    rng = np.random.default_rng(spec["seed"])
    scale = max(width, height)
    small_w, small_h = max(16, width // 4), max(16, height // 4)
    structure, lights = PLACES[spec["scene"]](small_w, small_h, rng)
    # Defocus: a disc-shaped blur (the aperture), as wide as the largest highlight, then a touch of softness.
    radius = max(1.0, DISC * max(small_w, small_h) * 0.8)
    size = 2 * int(np.ceil(radius)) + 1
    yy, xx = np.mgrid[:size, :size] - size // 2
    kernel = np.clip(radius + 0.5 - np.hypot(xx, yy), 0, 1).astype(np.float32)
    soft = cv2.filter2D(np.asarray(structure, np.float32), -1, kernel / kernel.sum(), borderType=cv2.BORDER_REFLECT)
    soft = cv2.GaussianBlur(soft, (0, 0), radius * 0.25)
    canvas = cv2.resize(soft, (width, height), interpolation=cv2.INTER_CUBIC)
    _add_lights(canvas, lights, scale)
    # The lens darkens the corners a little; the sensor adds a fine grain.
    ys, xs = np.mgrid[0:height, 0:width].astype(np.float32)
    falloff = 1 - 0.22 * (((xs / width - 0.5) ** 2 + (ys / height - 0.5) ** 2) / 0.5)
    canvas *= falloff[..., None]
    canvas += np.random.default_rng(spec["seed"] + 1).normal(0, 1.6, (height, width, 1)).astype(np.float32)
    return np.clip(canvas + 0.5, 0, 255).astype(np.uint8)


# ------------------------------------------------------------------ compositing
def light_wrap_weight(mask: np.ndarray, width_px: float) -> np.ndarray:
    """How much ground light spills onto the subject near its edge: 0 outside and deep inside.

    Examples
    --------
    >>> mask = np.zeros((40, 40), np.float32); mask[:, 20:] = 1
    >>> w = light_wrap_weight(mask, 4)
    >>> float(w[20, 21]) > float(w[20, 30]), float(w[20, 5])
    (True, 0.0)
    """
    mask_image = Image.fromarray((np.clip(mask, 0, 1) * 255).astype(np.uint8))
    blurred = np.asarray(mask_image.filter(ImageFilter.GaussianBlur(max(0.5, width_px))), np.float32) / 255
    return np.clip(mask * (1 - blurred) * 2, 0, 1).astype(np.float32)


def place_on_ground(
    image: np.ndarray,
    landmarks,
    ground: str = "original",
    *,
    wrap: float = 0.5,
    mask: np.ndarray | None = None,
) -> np.ndarray:
    """The portrait cut out and set on ``ground``, with light wrap at its edge.

    Parameters
    ----------
    image : ndarray, RGB uint8, shape (H, W, 3)
        The portrait; not modified.
    landmarks : Landmarks
        Its landmarks (for the mask).
    ground : str
        A key of :data:`GROUNDS`; "original" returns the photo unchanged.
    wrap : float
        0 to 1: how much of the ground's light spills over the subject's edge.
    mask : ndarray, optional
        The subject mask, if already computed (:func:`refine_edge` of :func:`person_mask`).

    Returns
    -------
    ndarray
        A new image the size of ``image``.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo = examples.load_portrait("koch", 200)
    >>> marks = examples.portrait_landmarks("koch", 200)
    >>> out = place_on_ground(photo, marks, "paper_white")
    >>> int(out[3, 3].mean()) > int(photo[3, 3].mean())   # a dark backdrop became white paper
    True
    """
    image = np.asarray(image)
    if image.ndim != 3 or image.shape[2] != 3 or image.dtype != np.uint8:
        raise BackgroundError(f"Expected an RGB uint8 photo of shape (H, W, 3), got {image.dtype} {image.shape}.")
    spec = _spec(ground)
    if not 0.0 <= wrap <= 1.0:
        raise BackgroundError(f"Light wrap runs from 0 to 1 (got {wrap}).")
    if spec["kind"] == "original":
        return image.copy()
    height, width = image.shape[:2]
    if mask is None:
        mask = refine_edge(image, person_mask(image, landmarks), landmarks)
    new_ground = make_ground(ground, (width, height), image, mask)
    return composite(image, new_ground, mask, wrap)


#: The wrap's reach, a share of the frame's long edge: the light spreads this far in over the edge.
WRAP_WIDTH = 0.008
#: The ground's light is blurred over this share of the long edge before it wraps (light from around
#: the edge, not from the one pixel behind it).
WRAP_BLUR = 0.02
#: A subject pixel takes the ground's light in proportion to its own lightness up to this luma (0-255):
#: light from behind scatters off a light surface (hair, a white collar) and is swallowed by a dark one
#: (a navy uniform), where a blend towards the ground turned the shoulders pale.
WRAP_FULL_LUMA = 170.0
_LUMA = np.array([0.299, 0.587, 0.114], np.float32)


def wrap_light(ground: np.ndarray, mask: np.ndarray) -> tuple[Image.Image, np.ndarray]:
    """The light a ground wraps over the subject's edge, and where: (blurred ground, weight 0-1).

    Both depend only on the ground and the mask, so a tool computes them once
    per ground and reuses them while the light-wrap slider moves.
    """
    scale = max(mask.shape)
    glow = Image.fromarray(np.asarray(ground)).filter(ImageFilter.BoxBlur(max(1, round(WRAP_BLUR * scale))))
    return glow, light_wrap_weight(mask, WRAP_WIDTH * scale)


def wrapped_light(subject: np.ndarray, glow: np.ndarray, weight: np.ndarray, wrap: float,
                  alpha: np.ndarray | None = None) -> np.ndarray:
    """The light the ground adds to the subject's edge (float32, levels, shape of ``subject``).

    Only where the ground is lighter than the subject there (a darker ground adds
    nothing: it does not darken light hair), by how much lighter, at most
    ``wrap`` times :func:`light_wrap_weight`'s weight, and in proportion to the
    subject's own lightness up to :data:`WRAP_FULL_LUMA` (a dark uniform
    reflects little of it; light hair and skin take it fully). Where ``alpha``
    (the mask) is under 1, a fringe of fine hair the ground shows through, the
    light passes whatever the hair's colour: at least ``1 - alpha`` of it.

    Examples
    --------
    >>> subject = np.array([[[30, 30, 40], [200, 190, 170], [200, 190, 170], [30, 30, 40]]], np.uint8)
    >>> glow = np.array([[[220, 230, 200], [240, 240, 240], [90, 90, 90], [220, 230, 200]]], np.uint8)
    >>> light = wrapped_light(subject, glow, np.full((1, 4), 0.5, np.float32), 0.5, np.array([[1, 1, 1, 0.5]]))
    >>> [round(float(v)) for v in light[0].mean(axis=1)]  # dark cloth, light hair, a darker ground, a dark fringe
    [8, 13, 0, 23]
    """
    subject = np.asarray(subject, np.float32)
    lighter = np.maximum(np.asarray(glow, np.float32) - subject, 0)
    takes = np.clip((subject @ _LUMA) / WRAP_FULL_LUMA, 0, 1)
    if alpha is not None:  # a fringe of fine hair, partly see-through, lets the light through
        takes = np.maximum(takes, np.clip(1 - np.asarray(alpha, np.float32), 0, 1))
    return lighter * (wrap * weight * takes)[..., None]


def composite(
    image: np.ndarray, ground: np.ndarray, mask: np.ndarray, wrap: float = 0.5, light: tuple | None = None
) -> np.ndarray:
    """Subject over ground by ``mask``, with the ground's blurred light wrapped over the edge.

    The wrap takes the ground blurred by about 2 % of the frame (light from
    around the edge, not one pixel) and adds it to the subject where
    :func:`light_wrap_weight` says, by at most ``wrap``, only where it is
    lighter than the subject and in proportion to the subject's lightness (see
    :func:`wrapped_light`). Only the edge band is computed; the blending is
    done by Pillow in C on 8-bit masks. ``light`` is :func:`wrap_light`'s
    result, if already computed for this ground and mask.

    Examples
    --------
    >>> image = np.full((20, 20, 3), 200, np.uint8)
    >>> ground = np.zeros((20, 20, 3), np.uint8)
    >>> mask = np.zeros((20, 20), np.float32); mask[5:15, 5:15] = 1
    >>> out = composite(image, ground, mask, wrap=0.0)
    >>> int(out[10, 10, 0]), int(out[0, 0, 0])
    (200, 0)
    """
    # The person's own colour at the soft edge (computed once per photo and mask): the photo's
    # edge pixels still hold the old backdrop, which would show as a rim on the new ground.
    person = foreground(image, mask)
    back = Image.fromarray(np.asarray(ground))
    if wrap > 0:
        box, full = _full_wrap(person, mask, light if light is not None else wrap_light(ground, mask))
        if full is not None:
            person = person.copy()
            # (no lower clip: the person's levels and the added light are never negative)
            person[box] = np.minimum(person[box] + wrap * full + 0.5, 255).astype(np.uint8)
    subject = Image.fromarray(person)
    return np.asarray(Image.composite(subject, back, _alpha_image(mask)))


#: The last few masks as Pillow 8-bit images (newest last), by identity: the mask is the same
#: array at every step of the slider, and making the image cost a clip of the whole frame.
_ALPHAS: list = []


def _alpha_image(mask: np.ndarray) -> Image.Image:
    """``mask`` (0..1) as an 8-bit Pillow image, kept for the last two masks (a draft's and a preview's).

    Examples
    --------
    >>> mask = np.array([[0.0, 0.5, 1.2]], np.float32)
    >>> np.asarray(_alpha_image(mask)).tolist(), _alpha_image(mask) is _alpha_image(mask)
    ([[0, 128, 255]], True)
    """
    for kept, alpha in _ALPHAS:
        if kept is mask:
            return alpha
    alpha = Image.fromarray((np.clip(mask, 0, 1) * 255 + 0.5).astype(np.uint8))
    _ALPHAS.append((mask, alpha))
    del _ALPHAS[:-2]
    return alpha


#: The last few full wraps (newest last): two, because a tool draws a small draft while the
#: slider moves and the full preview when it rests, and each would push the other out.
_FULL_WRAP: list = []
_FULL_WRAP_SIZE = 2


def _full_wrap(person: np.ndarray, mask: np.ndarray, light: tuple) -> tuple[tuple, np.ndarray | None]:
    """The light the ground adds at full wrap, in the box round the edge band: (box, levels).

    It does not depend on the slider, so it is kept for the last two photos
    and grounds (the draft's and the preview's; checked by identity: the
    foreground, the glow and the weight are the same arrays while a tool's
    slider moves), and a step only scales it.

    Examples
    --------
    >>> person = np.full((8, 8, 3), 90, np.uint8); mask = np.zeros((8, 8), np.float32); mask[2:6, 2:6] = 1
    >>> weight = np.zeros((8, 8), np.float32); weight[2, 2:6] = 0.5
    >>> light = (Image.new("RGB", (8, 8), (250, 250, 250)), weight)
    >>> box, full = _full_wrap(person, mask, light)
    >>> box, _full_wrap(person, mask, light)[1] is full
    ((slice(2, 3, None), slice(2, 6, None)), True)
    """
    glow, weight = light
    for cached in _FULL_WRAP:
        if cached[0] is person and cached[1] is glow and cached[2] is weight:
            return cached[3], cached[4]
    rows, columns = np.nonzero(weight.any(axis=1))[0], np.nonzero(weight.any(axis=0))[0]
    if not rows.size:
        return (slice(0, 0), slice(0, 0)), None
    box = (slice(rows[0], rows[-1] + 1), slice(columns[0], columns[-1] + 1))
    glow_box = np.asarray(glow.crop((columns[0], rows[0], columns[-1] + 1, rows[-1] + 1)))
    full = wrapped_light(person[box], glow_box, weight[box], 1.0, mask[box])
    _FULL_WRAP.append((person, glow, weight, box, full))
    del _FULL_WRAP[:-_FULL_WRAP_SIZE]
    return box, full


def ground_sheet(image: np.ndarray, landmarks, names=("original", "paper_charcoal", "canvas_blue", "cafe", "city_night", "park"), *, width: int = 220) -> np.ndarray:
    """One face on several grounds side by side (the figure that asks what the learner reads).

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> sheet = ground_sheet(examples.load_portrait("jemison", 160), examples.portrait_landmarks("jemison", 160), width=60)
    >>> sheet.shape[1]
    360
    """
    mask = refine_edge(image, person_mask(image, landmarks), landmarks)
    tiles = []
    for name in names:
        picture = place_on_ground(image, landmarks, name, mask=mask)
        tile = Image.fromarray(picture)
        tile = tile.resize((width, round(width * tile.height / tile.width)), Image.LANCZOS)
        tiles.append(np.asarray(tile))
    return np.hstack(tiles)
