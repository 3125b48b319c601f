"""Mouth corners and brows move their feature, not the rigid things next to it.

A review found both mouth corners at their minimum bending the row of teeth on open
smiles (Jemison, Collins) and an S-hook at Armstrong's corners, and Johnson's brows
bending the top rim of her glasses. These measures would have caught it.
"""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face import edits as fe
from portrait_lessons.face.edits import FaceEdit, _Rig, edit_limits, fit_landmarks
from portrait_lessons.face.warp import mls_map


def _displacement(name: str, edit: FaceEdit, points_of) -> np.ndarray:
    """How far (px at 1024 px) the content at the rig points ``points_of(rig)`` moves under ``edit``."""
    image = examples.load_portrait(name, 1024)
    landmarks = fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    rig = _Rig(landmarks)
    moves = rig.moves(fe.clamp_edit(edit, landmarks))
    sources = np.array([rig.points[n] for n in moves])
    targets = sources + np.array(list(moves.values()))
    anchors = np.array([p for n, p in rig.points.items() if n not in moves])
    points = points_of(rig)
    # Forward: where the content at ``points`` lands (the map from sources to targets).
    return mls_map(points, np.concatenate([sources, anchors]), np.concatenate([targets, anchors]), 1.5) - points


def _teeth_line(rig, fractions=np.linspace(0.2, 0.8, 13)) -> np.ndarray:
    p = rig.p
    left, right = p["mouth_left"], p["mouth_right"]
    middle = (p["upper_lip"] + p["lower_lip"]) / 2 - (left + right) / 2
    return np.array([left + f * (right - left) + (1 - (2 * f - 1) ** 2) * middle for f in fractions])


@pytest.mark.parametrize("name", examples.names())
@pytest.mark.parametrize("share", [1.0, 0.6])  # the minimum, and the "corners down" preset
def test_lowered_mouth_corners_bend_the_lip_line_as_one_smooth_curve(name, share):
    """No S-hook: the line between the lips drops toward each corner along one smooth curve.

    Its drop, averaged over a tenth of the mouth's width and sampled every tenth, may curve at
    most 15 corner drops per mouth width squared (a parabola from the middle to the corners
    curves 8; the moving-least-squares warp leaves sub-pixel steps between its points, which the
    average smooths). Still points a quarter of the way in made a kink there: 30-38 on every
    photo (Armstrong's S-hook); now 9.
    """
    landmarks = examples.portrait_landmarks(name, 1024)
    low = edit_limits(landmarks)["mouth_left"][0] * share
    edit = FaceEdit(mouth_left=low, mouth_right=low)
    drop = _displacement(name, edit, lambda rig: _teeth_line(rig, np.linspace(0, 1, 81)))[:, 1]
    smooth = np.convolve(drop, np.ones(9) / 9, mode="valid")[::8]  # at 0.05, 0.15, ... 0.95
    curvature = np.abs(np.diff(smooth, 2)) / 0.1**2 / drop[0]
    assert curvature.max() < 15, f"{name}: the lip line kinks ({curvature.max():.0f} corner drops per width squared)"


#: The open smiles among the bundled photos: their teeth are found and held.
OPEN_SMILES = ("collins", "jemison", "ochoa", "johnson")


@pytest.mark.parametrize("name", examples.names())
def test_teeth_are_found_on_open_smiles_only(name):
    image = examples.load_portrait(name, 1024)
    landmarks = fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    assert (fe._teeth_mask(image, _Rig(landmarks, image)) is not None) == (name in OPEN_SMILES)


@pytest.mark.parametrize("name", examples.names())
def test_a_lowered_corner_carries_the_crease_beyond_it_down(name):
    """No hook: just past the corner the lip line goes down with the corner, nearly as far."""
    landmarks = examples.portrait_landmarks(name, 1024)
    low = edit_limits(landmarks)["mouth_left"][0]

    def corner_and_beyond(rig):
        outward = -rig.across
        corner = rig.p["mouth_left"]
        return np.array([corner, corner + 0.1 * rig.spacing * outward, corner + 0.18 * rig.spacing * outward])

    moved = _displacement(name, FaceEdit(mouth_left=low), corner_and_beyond)
    corner, near, farther = moved[:, 1]
    assert corner > 0  # the corner goes down (y grows downward)
    assert near > 0.75 * corner and farther > 0.5 * corner, f"{name}: {corner:.1f} {near:.1f} {farther:.1f}"


def _rim_change(name: str, amount_sign: int) -> tuple[float, float]:
    """Mean change (levels) in a band round the glasses' top rim, and at the brow just above it."""
    from portrait_lessons.face.edits import apply_face_edits

    image, landmarks = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    most = edit_limits(landmarks)["brow_left"][1] * amount_sign
    after = apply_face_edits(image, landmarks, FaceEdit(brow_left=most, brow_right=most)).astype(int)
    rig = _Rig(fit_landmarks(landmarks, image), image)
    rim, brow = [], []
    for side in ("left", "right"):
        edges = rig._rim_edges(side)
        assert edges is not None, f"{name}: no rim found over the {side} eye"
        for x, y in np.round(edges).astype(int):
            rim.append(np.abs(after[y - 2 : y + 4, x] - image[y - 2 : y + 4, x]).mean())
            lift = round(0.12 * rig.spacing)
            brow.append(np.abs(after[y - lift - 6 : y - 3, x] - image[y - lift - 6 : y - 3, x]).mean())
    return float(np.mean(rim)), float(np.mean(brow))


@pytest.mark.parametrize("direction", [-1, 1])
def test_brows_move_above_a_thick_frame_and_leave_its_rim_still(direction):
    """Johnson's brows sit on the top rim of her cat-eye frames: the rim holds, the skin above moves."""
    rim, brow = _rim_change("johnson", direction)
    # Round the rim's edge, the brow warp used to change 39 to 43 levels on average (the rim
    # bent); now only resampling at the edge is left.
    assert rim < 10.0, f"the rim changed by {rim:.1f} levels"
    assert brow > 3.0, f"the brow above it changed by only {brow:.1f} levels"


def _teeth_moves(name: str, edit: FaceEdit, monkeypatch, within: bool = True) -> tuple[float, int]:
    """Largest move (px) of the teeth still seen inside the row's own place (``within``; or
    anywhere), and how many pixels show teeth.

    The warp is run on pictures whose pixels hold their own coordinates (twice over, for
    half-pixel steps), so the edited picture says where each pixel came from; the teeth are
    those found on the photo itself.
    """
    image = examples.load_portrait(name, 1024)
    landmarks = fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    rig = _Rig(landmarks, image)
    found = fe._teeth_mask(image, rig)
    (x0, y0, x1, y1), mask = found
    monkeypatch.setattr(fe, "_teeth_mask", lambda *_: found)
    pad = 40
    ys, xs = np.mgrid[0 : image.shape[0], 0 : image.shape[1]]
    coded = np.zeros(image.shape, np.uint8)
    coded[..., 0] = np.clip(2 * (xs - x0 + pad), 0, 255)
    coded[..., 1] = np.clip(2 * (ys - y0 + pad), 0, 255)
    out = fe._warp(coded, rig, fe.clamp_edit(edit, landmarks))[y0:y1, x0:x1].astype(float)
    source_x, source_y = out[..., 0] / 2 + x0 - pad, out[..., 1] / 2 + y0 - pad
    here_y, here_x = np.mgrid[y0:y1, x0:x1]
    inside = (source_x >= x0) & (source_x < x1 - 1) & (source_y >= y0) & (source_y < y1 - 1)
    shows_teeth = np.zeros(mask.shape, bool)
    shows_teeth[inside] = mask[np.round(source_y[inside] - y0).astype(int), np.round(source_x[inside] - x0).astype(int)] > 0.9
    seen = shows_teeth & (mask > 0.9) if within else shows_teeth
    moves = np.hypot(source_x - here_x, source_y - here_y)[seen]
    return float(moves.max()) if seen.any() else 0.0, int(seen.sum())


@pytest.mark.parametrize("name", OPEN_SMILES)
@pytest.mark.parametrize("share", [1.0, 0.6])  # the minimum, and the "corners down" preset
def test_lowered_corners_slide_the_lips_over_a_still_row_of_teeth(name, share, monkeypatch):
    """The teeth seen where they were have not moved: the lips slide over the row, which stays straight.

    The old warp carried the row down with the corners (the review saw the bend on Jemison at -8.1
    and Collins at -10.4). Measured here, inside the row's core (its rim of a pixel left out) to
    half a pixel: 0.7-1.1 px on Jemison, Ochoa and Johnson at both amounts; on Collins's 512 px
    photo the bend lies in the row's thin ends, outside the core, and this measure misses it.
    """
    low = edit_limits(examples.portrait_landmarks(name, 1024))["mouth_left"][0] * share
    largest, seen = _teeth_moves(name, FaceEdit(mouth_left=low, mouth_right=low), monkeypatch)
    assert seen > 10
    assert largest <= 0.5, f"{name}: teeth moved {largest:.1f} px"


def _raised_brow(name: str, side: str = "left"):
    """The rig, the backward map of the brow on ``side`` raised to the end of its range, and the raise
    (photo px) on a 1024 px copy."""
    image = examples.load_portrait(name, 1024)
    landmarks = fe.fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    edit = fe.clamp_edit(fe.FaceEdit(**{f"brow_{side}": 100}), landmarks)
    rig = fe._rig_for(landmarks, image)
    amount = getattr(edit, f"brow_{side}")
    backward, _ = rig.brow_raise(side, amount, image.shape)
    return rig, backward, amount * rig.scale


def _column(rig, backward, point, top: float, bottom: float):
    """Heights (along the face's up, from ``point``; 0.25 px apart) from ``top`` down to ``bottom`` in
    the output, the photo heights they come from, and the local stretch (output px per photo px)."""
    heights = np.arange(bottom, top, 0.25)
    source = (backward(point + heights[:, None] * rig.up) - point) @ rig.up
    return heights, source, np.gradient(heights, source)


def _brow_stretch(name: str) -> float:
    """Mean vertical stretch of the brow's lower half (output px per photo px) under the brow's middle,
    with the picture's left brow raised to the end of its range."""
    rig, backward, lift = _raised_brow(name)
    brow, lid, spacing = rig.p["left_brow_middle"], rig.p["left_upper_lid"], rig.spacing
    _, source, stretch = _column(rig, backward, brow, lift + 2, float((lid - brow) @ rig.up) + 0.1 * spacing)
    hair = (source < 0.02 * spacing) & (source > -0.09 * spacing)
    return float(np.mean(stretch[hair]))


@pytest.mark.parametrize("name", ["glover", "koch", "collins", "ochoa"])
def test_a_raised_brow_keeps_its_hairs_unstretched(name):
    """The review found Glover's raised brow (+12.2 px) smeared at 200 %: its lower half stretched 1.5x
    on average (Koch 1.38, Collins 1.58, Ochoa 1.63), held by the lid ring a few px under it. The brow
    now moves as a band (BROW_HAIRS) over an even ramp of skin: 1.10-1.13."""
    assert _brow_stretch(name) < 1.2


@pytest.mark.parametrize("name", examples.names())
@pytest.mark.parametrize("side", ["left", "right"])
def test_a_raised_brow_stretches_no_band_of_skin_between_eye_and_brow_much(name, side):
    """At the end of its range a brow rises by its stated amount and no band of skin between the upper
    lid's margin and half an eye spacing over the brow stretches more than 1.4x.

    The visual review after the brow band found the lid fold under Glover's raised brow (and Ochoa's,
    Collins's, Koch's) drawn out and smeared: the lid ring followed a fixed share of the raise a few
    pixels over the lashes, and the skin there stretched 1.6-2.1x (up to 3.4x in places). Down each of
    the brow's five inner columns, the local stretch (output px per photo px): now at most 1.27-1.39,
    the forehead giving 0.91-0.95. The lid's margin and the lashes over it keep still."""
    rig, backward, lift = _raised_brow(name, side)
    assert lift > 0
    worst = 0.0
    for k, share in zip(range(1, 6), fe.BROW_SHARES[1:6]):
        point = rig.points[f"{side}_brow_{k}"]
        margin = float((rig._lid_below(side, point) - point) @ rig.up)  # under the brow: negative
        heights, source, stretch = _column(rig, backward, point, 0.5 * rig.spacing, margin - 2)
        worst = max(worst, float(stretch.max()))
        # The brow's line lands its share of the stated raise higher (within 0.05 px: with glasses the
        # line is the corner between the two ramps, which the 0.25 px samples round).
        landed = np.interp(0.0, source, heights)
        assert abs(landed - share * lift) < 0.05, f"{name} {side} point {k}: {landed:.2f} px of {share * lift:.2f}"
        # The margin and the lashes over it stay.
        lashes = heights < margin + fe.BROW_LASHES * rig.spacing
        assert np.abs(source[lashes] - heights[lashes]).max() < 1e-6
    assert worst < 1.4, f"{name} {side}: the skin between eye and brow stretches {worst:.2f}x"


@pytest.mark.parametrize("name", OPEN_SMILES)
def test_raised_corners_slide_the_lips_over_a_still_row_of_teeth(name, monkeypatch):
    """At the top of the range the row's ends curved up with the corners (Jemison, Collins, Ochoa,
    Johnson): the line between the lips, which runs over the teeth, bent with them. No pixel
    showing the found teeth, wherever it lies, comes from further than half a pixel away. Before:
    Ochoa 3.0 px, Johnson 2.5 px; on Jemison and Collins the bend lay in the row's dim ends,
    outside the found teeth (their lower edge there rose 1.3 px on Jemison, measured by hand)."""
    high = edit_limits(examples.portrait_landmarks(name, 1024))["mouth_left"][1]
    largest, seen = _teeth_moves(name, FaceEdit(mouth_left=high, mouth_right=high), monkeypatch, within=False)
    assert seen > 10
    assert largest <= 0.5, f"{name}: teeth moved {largest:.1f} px"


@pytest.mark.parametrize("name", examples.names())
def test_a_brow_raised_to_the_end_renders_and_moves_only_round_the_brow(name):
    """Armstrong's raised brow (2.7 at the end) once stopped the warp: its box cut 3 px squares that did
    not tile the mesh's 32 px grid (mesh_warp now writes such cells pixel by pixel)."""
    image = examples.load_portrait(name, 1024)
    landmarks = examples.portrait_landmarks(name, 1024)
    high = edit_limits(landmarks)["brow_left"][1]
    raised = fe.apply_face_edits(image, landmarks, FaceEdit(brow_left=high))
    changed = np.nonzero((raised != image).any(axis=2))
    rig = _Rig(fit_landmarks(landmarks, image))
    brow = rig.p["left_brow_middle"]
    corners = max(rig.p["left_eye_outer"][1], rig.p["left_eye_inner"][1])
    assert len(changed[0]) > 50
    # Round the brow (the forehead the raise eases into reaches 0.8 eye spacings over it), not under
    # the eye's corners (but for the mesh's cells, interpolated within 0.3 px, a pixel or two across).
    assert np.hypot(changed[1] - brow[0], changed[0] - brow[1]).max() < 1.3 * rig.spacing
    assert changed[0].max() < corners + 3


def _row_top_edge(picture: np.ndarray, rig, found, columns) -> np.ndarray:
    """Where the top edge of the row of teeth runs (px, to a tenth) in each of ``columns``.

    The strongest rise of brightness (dark lip or gap to tooth) within 4 px above and 3 below the
    row's top as found on the photo, placed between pixels by a parabola through its neighbours.
    """
    import cv2

    (x0, y0, x1, y1), teeth = found
    grey = cv2.cvtColor(np.ascontiguousarray(picture[y0:y1, x0:x1]), cv2.COLOR_RGB2GRAY).astype(np.float32)
    grey = cv2.GaussianBlur(grey, (0, 0), 0.7)
    edges = []
    for column in columns:
        top = np.nonzero(teeth[:, column] > 0.5)[0].min()
        low = max(0, top - 4)
        rise = grey[low + 1 : top + 4, column] - grey[low : top + 3, column]
        k = int(np.argmax(rise))
        if 0 < k < len(rise) - 1:
            k += 0.5 * (rise[k - 1] - rise[k + 1]) / (rise[k - 1] - 2 * rise[k] + rise[k + 1] - 1e-6)
        edges.append(low + k)
    return np.array(edges)


def _row_end(name: str, side: str):
    """A photo, its landmarks and rig, its teeth found and the columns of teeth in the outer 0.3 of the
    mouth's width next to the ``side`` corner."""
    image = examples.load_portrait(name, 1024)
    landmarks = fit_landmarks(examples.portrait_landmarks(name, 1024), image)
    rig = _Rig(landmarks, image)
    found = fe._teeth_mask(image, rig)
    (x0, _, _, _), teeth = found
    left, right = rig.p["mouth_left"][0], rig.p["mouth_right"][0]
    width = right - left
    columns = [c for c in range(teeth.shape[1]) if (teeth[:, c] > 0.5).sum() >= 2
               and ((c + x0 < left + 0.3 * width) if side == "left" else (c + x0 > right - 0.3 * width))]  # fmt: skip
    assert len(columns) >= 5, f"{name}: only {len(columns)} columns of teeth by the {side} corner"
    return image, landmarks, rig, found, columns


@pytest.mark.parametrize(("name", "side"), [("jemison", "left"), ("jemison", "right"), ("ochoa", "left"), ("ochoa", "right"), ("collins", "left")])
def test_a_raised_corner_leaves_the_row_of_teeth_straight_at_its_end(name, side):
    """At the top of its range a corner moves, and the teeth beside it do not: the row's top edge in
    the outer 0.3 of the mouth's width next to that corner stays within half a pixel of where it was.

    The review saw Jemison's row lift at the corners at their maximum: only the line between the lips
    was held, so the end teeth (in shade, outside the teeth found then) rose with the corner. Before:
    Jemison 0.63 / 0.65 px (left / right corner), Ochoa 1.16 / 0.41, Collins 0.16 (its right end has
    too few columns); now 0.24 / 0.45, 0.43 / 0.24, 0.02. (Johnson's edge lies in grey on grey, too faint for
    this measure; test_raised_corners_slide_the_lips_over_a_still_row_of_teeth holds it: 0.7 -> 0 px.)
    """
    image, landmarks, rig, found, columns = _row_end(name, side)
    high = edit_limits(landmarks)[f"mouth_{side}"][1]
    edited = fe.apply_face_edits(image, landmarks, FaceEdit(**{f"mouth_{side}": high}))
    shift = np.abs(_row_top_edge(edited, rig, found, columns) - _row_top_edge(image, rig, found, columns))
    assert shift.max() <= 0.5, f"{name} {side}: the row's top edge moved {shift.max():.2f} px by the raised corner"


@pytest.mark.parametrize(("name", "side"), [("jemison", "left"), ("jemison", "right"), ("ochoa", "left"), ("ochoa", "right")])
def test_a_lowered_corner_leaves_the_end_of_the_row_of_teeth_level(name, side):
    """At the bottom of its range a corner moves down, and the teeth beside it do not: the row's top
    edge in the outer 0.3 of the mouth's width next to that corner stays, on average, within a pixel.

    The review saw Jemison's end teeth follow the lip down at -8.1: the line between the lips bent with
    the corner and carried them. Before: Jemison 2.76 / 2.66 px (left / right corner, mean over the
    columns), Ochoa 2.10 / 2.55; now 0.52 / 0.64, 0.30 / 0.69 (the row's ends hold still: _row_ends).
    """
    image, landmarks, rig, found, columns = _row_end(name, side)
    low = edit_limits(landmarks)[f"mouth_{side}"][0]
    edited = fe.apply_face_edits(image, landmarks, FaceEdit(**{f"mouth_{side}": low}))
    shift = np.abs(_row_top_edge(edited, rig, found, columns) - _row_top_edge(image, rig, found, columns))
    assert shift.mean() <= 1.0, f"{name} {side}: the row's top edge moved {shift.mean():.2f} px by the lowered corner"
