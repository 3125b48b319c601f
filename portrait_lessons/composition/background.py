"""Background as narrative: the same portrait on other grounds.

Context changes which emotion and which person viewers read in a face
(Aviezer et al. 2008; Righart & de Gelder 2008; Masuda et al. 2008). This
module puts one portrait on several grounds so a learner can watch that
happen: the photo's own background blurred, greyed or darkened; studio
backdrops (seamless paper in several colours, a mottled painted canvas like
the NASA portraits'); and places made procedurally, already out of focus as a
portrait lens at a wide aperture leaves them (warm café lights, a cool city at
night, green park light), with round highlights ("bokeh").

The subject is cut out with the one mask call of this module,
:func:`person_mask` (today :func:`portrait_lessons.retouch.subject_mask`;
when the better mask of ``retouch/subject.py`` lands, only that function
changes). At the edge, a little of the new ground's light spills over the
subject (*light wrap*), as real light from a bright background does, so the
person does not look cut out with scissors.

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

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

from ..retouch.depth import lens_blur


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
    "cafe": {"label": "a café with warm lights", "kind": "place", "seed": 11, "sky": ((58, 36, 22), (104, 66, 38)),
             "lights": ((255, 196, 110), (255, 160, 70), (255, 226, 160)), "count": 34, "band": (0.05, 0.6)},
    "city_night": {"label": "a city at night", "kind": "place", "seed": 23, "sky": ((10, 16, 34), (28, 40, 64)),
                   "lights": ((180, 210, 255), (255, 255, 255), (255, 170, 80), (230, 60, 60), (120, 240, 220)),
                   "count": 48, "band": (0.25, 0.75)},
    "park": {"label": "a park in green light", "kind": "place", "seed": 5, "sky": ((196, 222, 170), (70, 108, 52)),
             "lights": ((236, 250, 200), (200, 232, 140), (150, 196, 90)), "count": 40, "band": (0.0, 0.55)},
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


def _place(spec: dict, width: int, height: int) -> np.ndarray:
    """A defocused place: a soft gradient of its light, blurred shapes, and round highlights.

    Drawn small and enlarged (a defocused scene has no fine detail), then the
    bokeh discs are drawn at full size: a lens at a wide aperture turns each
    small light into a disc of its aperture's shape, with a slightly brighter
    rim, larger for lights farther behind the focus.
    """
    rng = np.random.default_rng(spec["seed"])
    top, bottom = (np.asarray(c, np.float32) for c in spec["sky"])
    small_w, small_h = max(8, width // 8), max(8, height // 8)
    t = np.linspace(0, 1, small_h, dtype=np.float32)[:, None, None]
    base = top * (1 - t) + bottom * t
    # Soft darker and lighter masses: out-of-focus walls, trees, buildings.
    masses = _noise(small_w, small_h, rng, scales=(3, 7))
    base = base * (0.7 + 0.6 * masses[..., None])
    small = Image.fromarray(np.clip(base, 0, 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(2))
    picture = small.resize((width, height), Image.BICUBIC).convert("RGBA")
    scale = max(width, height)
    lights = spec["lights"]
    overlay = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    band_top, band_bottom = spec["band"]
    for _ in range(spec["count"]):
        x = rng.uniform(-0.05, 1.05) * width
        y = rng.uniform(band_top, band_bottom) * height
        r = scale * rng.uniform(0.018, 0.06)
        colour = lights[rng.integers(len(lights))]
        alpha = int(rng.uniform(70, 170))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(*colour, alpha))
        inner = r * 0.86  # the disc's body is a little dimmer than its rim
        draw.ellipse((x - inner, y - inner, x + inner, y + inner), fill=(*colour, int(alpha * 0.8)))
    overlay = overlay.filter(ImageFilter.GaussianBlur(max(1.0, scale / 700)))
    return np.asarray(Image.alpha_composite(picture, overlay).convert("RGB"))


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


def wrap_light(ground: np.ndarray, mask: np.ndarray) -> tuple[Image.Image, np.ndarray]:
    """The light a ground wraps over the subject's edge, and where: (blurred ground, weight 0-1).

    Both depend only on the ground and the mask, so a tool computes them once
    per ground and reuses them while the light-wrap slider moves.
    """
    scale = max(mask.shape)
    glow = Image.fromarray(np.asarray(ground)).filter(ImageFilter.BoxBlur(max(1, round(0.02 * scale))))
    return glow, light_wrap_weight(mask, 0.012 * scale)


def composite(
    image: np.ndarray, ground: np.ndarray, mask: np.ndarray, wrap: float = 0.5, light: tuple | None = None
) -> np.ndarray:
    """Subject over ground by ``mask``, with the ground's blurred light wrapped over the edge.

    The wrap takes the ground blurred by about 2 % of the frame (light from
    around the edge, not one pixel) and blends it onto the subject where
    :func:`light_wrap_weight` says, by at most ``wrap``. All blending is done
    by Pillow in C on 8-bit masks. ``light`` is :func:`wrap_light`'s result,
    if already computed for this ground and mask.

    Examples
    --------
    >>> image = np.full((20, 20, 3), 200, np.uint8)
    >>> ground = np.zeros((20, 20, 3), np.uint8)
    >>> mask = np.zeros((20, 20), np.float32); mask[5:15, 5:15] = 1
    >>> out = composite(image, ground, mask, wrap=0.0)
    >>> int(out[10, 10, 0]), int(out[0, 0, 0])
    (200, 0)
    """
    subject = Image.fromarray(np.asarray(image))
    back = Image.fromarray(np.asarray(ground))
    if wrap > 0:
        glow, weight = light if light is not None else wrap_light(ground, mask)
        subject = Image.composite(glow, subject, Image.fromarray((weight * (255 * wrap)).astype(np.uint8)))
    alpha = Image.fromarray((np.clip(mask, 0, 1) * 255 + 0.5).astype(np.uint8))
    return np.asarray(Image.composite(subject, back, alpha))


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
