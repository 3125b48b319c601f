"""The moving-least-squares warp: control points land, anchors hold, the mesh matches the dense map."""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.face.warp import WarpError, mesh_warp, mls_map, mls_warp, mls_warp_dense

CORNERS = [(8, 8), (120, 8), (8, 120), (120, 120)]


def _dot_image(points, size=128, radius=2):
    image = np.full((size, size, 3), 40, np.uint8)
    yy, xx = np.mgrid[0:size, 0:size] + 0.5
    for x, y in points:
        image[(xx - x) ** 2 + (yy - y) ** 2 <= radius**2] = 255
    return image


def _centroid(image, box):
    x0, y0, x1, y1 = box
    patch = image[y0:y1, x0:x1, 0].astype(float) - 40
    patch[patch < 0] = 0
    yy, xx = np.mgrid[y0:y1, x0:x1] + 0.5
    return (xx * patch).sum() / patch.sum(), (yy * patch).sum() / patch.sum()


def test_a_control_point_lands_on_its_target():
    image = _dot_image([(50, 60)])
    moved = mls_warp(image, [(50, 60)], [(56, 57)], anchors=CORNERS)
    x, y = _centroid(moved, (40, 45, 70, 75))
    assert abs(x - 56) < 0.3 and abs(y - 57) < 0.3


def test_anchors_hold_still():
    anchors = [(30, 64), (98, 64), (64, 30), (64, 98)]
    image = _dot_image(anchors)
    moved = mls_warp(image, [(64, 64)], [(70, 66)], anchors=anchors)
    for x, y in anchors:
        cx, cy = _centroid(moved, (round(x) - 6, round(y) - 6, round(x) + 6, round(y) + 6))
        assert abs(cx - x) < 0.2 and abs(cy - y) < 0.2


def test_no_movement_returns_an_equal_copy():
    image = examples.load_portrait("koch", 256)
    result = mls_warp(image, [(100, 100)], [(100, 100)], anchors=CORNERS)
    assert (result == image).all() and result is not image


def test_input_is_never_modified():
    image = _dot_image([(50, 60)])
    before = image.copy()
    mls_warp(image, [(50, 60)], [(58, 60)], anchors=CORNERS)
    assert (image == before).all()


def test_nothing_moves_outside_the_margin():
    image = examples.load_portrait("koch", 512)
    moved = mls_warp(image, [(200, 200)], [(206, 203)], anchors=[(180, 180), (220, 220), (180, 220)], margin=20)
    changed = np.nonzero((moved != image).any(axis=2))
    assert changed[0].min() >= 180 - 20 and changed[0].max() < 220 + 20
    assert changed[1].min() >= 180 - 20 and changed[1].max() < 220 + 20


def test_mesh_matches_the_dense_evaluation():
    image = examples.load_portrait("glover", 512)
    lm = examples.portrait_landmarks("glover", 512)
    p = lm.points
    sources = [p["mouth_left"], p["mouth_right"], p["left_brow_middle"]]
    targets = [(x, y - 4) for x, y in sources]
    anchors = [p[n] for n in ("nose_tip", "chin", "upper_lip", "lower_lip", "left_iris", "right_iris")]
    mesh = mls_warp(image, sources, targets, anchors, alpha=1.5, tolerance=0.2).astype(int)
    dense = mls_warp_dense(image, sources, targets, anchors, alpha=1.5)
    difference = np.abs(mesh - dense)
    assert difference.mean() < 0.5
    assert np.percentile(difference, 99.9) < 12


def test_mls_reproduces_an_affine_map_exactly():
    rng = np.random.default_rng(0)
    controls = rng.uniform(0, 100, (8, 2))
    matrix, shift = np.array([[1.1, 0.2], [-0.1, 0.9]]), np.array([3.0, -2.0])
    points = rng.uniform(0, 100, (50, 2))
    assert np.allclose(mls_map(points, controls, controls @ matrix.T + shift), points @ matrix.T + shift)


def test_mesh_warp_of_the_identity_is_the_image():
    image = examples.load_portrait("collins", 200)
    assert (mesh_warp(image, lambda v: v, (10, 10, 150, 180)) == image).all()


@pytest.mark.parametrize(
    "kwargs, words",
    [
        (dict(sources=[(1, 1)], targets=[(2, 2), (3, 3)]), "one target for each source"),
        (dict(sources=[(1, 1)], targets=[(np.nan, 2)]), "finite"),
        (dict(sources=[(10, 10)], targets=[(12, 10)]), "at least three points"),
    ],
)
def test_bad_control_points_explain_themselves(kwargs, words):
    with pytest.raises(WarpError, match=words):
        mls_warp(np.zeros((32, 32, 3), np.uint8), **kwargs)


def test_a_non_rgb_image_is_refused_clearly():
    with pytest.raises(WarpError, match="RGB uint8"):
        mls_warp(np.zeros((32, 32), np.uint8), [(5, 5)], [(6, 6)], CORNERS)


def test_a_dragged_slider_maps_as_a_fresh_warp_would():
    """The steady points' cached share of the MLS sums gives the map a fresh evaluation gives."""
    from portrait_lessons.face import warp

    rng = np.random.default_rng(3)
    anchors = rng.uniform(20, 230, (40, 2))
    moving = rng.uniform(60, 190, (6, 2))
    region = (0, 0, 250, 250)
    whole = np.stack(np.meshgrid(np.arange(1, 249, 7.0), np.arange(1, 249, 5.0)), -1).reshape(-1, 2)
    points = {"whole pixels": whole, "pixel centres": whole + 0.5, "anywhere": whole + 0.3}
    warp._STEADY_SUMS.clear()
    warp._LAST_TARGETS.clear()
    # A drag: the first three points move further at every step; the other three hold a move.
    held = moving + (2.0, -3.0)
    for step in np.linspace(1, 6, 6):
        sources = np.concatenate([moving, anchors])
        targets = np.concatenate([moving[:3] + (step, -step / 2), held[3:], anchors])
        backward = warp.mls_backward(sources, targets, 1.5, region, 30.0)
        for v in points.values():
            fresh = warp.mls_map(v, targets, sources, 1.5, region=region, band=30.0)
            assert np.abs(backward(v) - fresh).max() < 1e-6
    assert len(warp._STEADY_SUMS) >= 2  # the steady share was kept and used


def _band_map(points: np.ndarray) -> np.ndarray:
    """A 3 px drop confined to rows 41-47 and columns 50-80: a lid's move on an eye a few pixels tall."""
    x, y = points[:, 0], points[:, 1]
    bump = np.clip(1 - np.abs(y - 44.0) / 3.5, 0, 1) * np.clip(1 - np.abs(x - 65.0) / 15.0, 0, 1)
    return points - np.stack([np.zeros_like(x), 3.0 * bump], axis=1)


def test_a_move_narrower_than_the_cells_is_caught_from_smaller_first_cells():
    """From 32 px cells the mesh's test points (16 px apart) missed a lid's move on a small eye."""
    image = np.zeros((96, 128, 3), np.uint8)
    image[:, :, 0] = np.arange(96, dtype=np.uint8)[:, None] * 2  # rows told apart by their red
    ys, xs = np.mgrid[0:96, 0:128] + 0.5
    exact = _band_map(np.stack([xs.ravel(), ys.ravel()], axis=1))[:, 1].reshape(96, 128)
    for cell, most in ((32, None), (4, 0.3)):
        warped = mesh_warp(image, _band_map, (0, 0, 128, 96), tolerance=0.3, max_cell=cell)
        error = np.abs((warped[..., 0].astype(float) / 2 + 0.5) - exact)[30:60, 40:90]  # source row found
        if most is None:
            assert error.max() > 1.5  # what the coarse mesh loses
        else:
            assert error.max() <= most + 0.5, f"from {cell} px cells: {error.max():.2f} px off"


def test_first_cells_must_tile_the_grid():
    with pytest.raises(ValueError, match="power of two"):
        mesh_warp(np.zeros((8, 8, 3), np.uint8), lambda v: v, (0, 0, 8, 8), max_cell=12)


def test_points_moved_off_the_lattice_keep_their_sums_and_their_map():
    """A raised brow's map runs before the features' one and moves some points off the whole
    pixels: the others still use the kept lattice sums, the moved ones theirs by exact place,
    and every point maps as a fresh evaluation does."""
    from portrait_lessons.face import warp

    rng = np.random.default_rng(5)
    anchors = rng.uniform(20, 230, (40, 2))
    moving = rng.uniform(60, 190, (6, 2))
    region = (0, 0, 250, 250)
    whole = np.stack(np.meshgrid(np.arange(1, 249, 3.0), np.arange(1, 249, 4.0)), -1).reshape(-1, 2)
    brow = (whole[:, 1] > 80) & (whole[:, 1] < 140)  # the band a brow's map lifts
    mixed = whole.copy()
    mixed[brow] += (0.0, -2.37)
    mixed = np.concatenate([mixed, whole[:50] + 0.5, mixed[brow][:20]])  # pixel centres and repeats too
    warp._STEADY_SUMS.clear()
    warp._LAST_TARGETS.clear()
    sources = np.concatenate([moving, anchors])
    for step in np.linspace(1, 4, 4):
        targets = np.concatenate([moving[:2] + (step, -step / 2), moving[2:] + (1.0, 1.0), anchors])
        backward = warp.mls_backward(sources, targets, 1.5, region, 30.0)
        fresh = warp.mls_map(mixed, targets, sources, 1.5, region=region, band=30.0)
        assert np.abs(backward(mixed) - fresh).max() < 1e-6
    kept = [sums for key, sums in warp._STEADY_SUMS.items() if key[-1] is None]
    assert kept and len(kept[-1].points) == brow.sum()  # each moved point's sums worked out once, then kept


def test_a_mesh_started_from_the_last_ones_points_is_the_fresh_mesh():
    """The mesh maps the last mesh's points of its region first, in one call: the cells it
    splits, their corners' sources and the pixels must be those of a mesh built from nothing."""
    from portrait_lessons.face import warp

    image = _dot_image([(40, 40), (64, 70), (90, 50)])
    anchors = CORNERS + [(64, 20), (20, 64)]
    region = (0, 0, 128, 128)
    asked = []

    def backward_of(step):
        sources = np.array([(40.0, 40.0), (64.0, 70.0), *anchors])
        targets = sources + [(step, -step / 2), (-step / 3, step), *[(0, 0)] * len(anchors)]
        mapped = warp.mls_backward(sources, targets, 1.5, region, 20.0)

        def counted(points):
            asked.append(len(points))
            return mapped(points)

        return counted

    warp._MESH_POINTS.clear()
    for step in (3.0, 3.5, 4.0):
        asked.clear()
        kept = warp._adaptive_mesh(region, backward_of(step), 0.3)
        calls_kept = len(asked)
        remembered = warp._MESH_POINTS[(region, 0.3)]
        warp._MESH_POINTS.clear()
        asked.clear()
        fresh = warp._adaptive_mesh(region, backward_of(step), 0.3)
        (cells, sources, moving), (fresh_cells, fresh_sources, fresh_moving) = kept, fresh
        assert np.array_equal(cells, fresh_cells) and np.array_equal(moving, fresh_moving)
        assert np.abs(sources - fresh_sources).max() < 1e-9  # (the second map finds every point steady: rounding)
        warp._MESH_POINTS[(region, 0.3)] = remembered
        if step > 3.0:
            assert calls_kept < len(asked)  # the levels found most of their points mapped already
    assert np.array_equal(mesh_warp(image, backward_of(4.0), region, 0.3), mesh_warp(image, backward_of(4.0), region, 0.3))
