import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portrait_lessons import examples
from portrait_lessons.colour import film
from portrait_lessons.colour.adjust import to_ycc

images = arrays(np.uint8, st.tuples(st.integers(1, 20), st.integers(1, 20), st.just(3)))
EFFECTS = [film.grain, film.fade, film.halation, film.vignette, film.cross_process, film.colour_cast,
           film.soft_focus, film.light_leak]  # fmt: skip


@pytest.mark.parametrize("effect", EFFECTS, ids=lambda f: f.__name__)
@given(image=images)
@settings(max_examples=20, deadline=None)
def test_neutral_returns_an_equal_new_image(effect, image):
    result = effect(image)
    assert result is not image and np.array_equal(result, image)


@given(images, st.floats(0, 100), st.floats(-100, 100), st.floats(0, 100), st.floats(0, 360), st.integers(0, 5))
@settings(max_examples=40, deadline=None)
def test_effects_keep_shape_dtype_and_input(image, amount, signed, shape, hue, seed):
    original = image.copy()
    for result in (
        film.grain(image, amount, shape, seed), film.fade(image, amount), film.halation(image, amount),
        film.vignette(image, signed, shape, signed, shape), film.cross_process(image, amount),
        film.colour_cast(image, hue, amount), film.soft_focus(image, amount), film.light_leak(image, amount, hue),
    ):  # fmt: skip
        assert result.shape == image.shape and result.dtype == np.uint8
    assert np.array_equal(image, original)


def test_grain_is_seeded_and_depends_on_luminance():
    ramp = np.repeat(np.repeat(np.array([10, 128, 245], np.uint8), 200)[None, :, None], 200, axis=0)
    ramp = np.repeat(ramp, 3, axis=2)
    a, b, c = film.grain(ramp, 60, seed=1), film.grain(ramp, 60, seed=1), film.grain(ramp, 60, seed=2)
    assert np.array_equal(a, b) and not np.array_equal(a, c)
    noise = a.astype(int) - ramp
    dark, mid, bright = (noise[:, i * 200 + 20 : i * 200 + 180].std() for i in range(3))
    assert mid > 2 * dark and mid > 2 * bright


def test_grain_size_is_relative_to_the_frame():
    # The same grain setting at twice the resolution has twice the clump size in pixels.
    def clump(size):
        t = film.grain_texture(size, size, 80, 0)
        return np.corrcoef(t[:, :-2].ravel(), t[:, 2:].ravel())[0, 1]

    assert clump(2048) > clump(512) + 0.1
    assert film.grain_particle_px((2048, 2048), 50) == pytest.approx(2 * film.grain_particle_px((1024, 1024), 50))


def test_fade_lifts_blacks_monotonically():
    x = np.linspace(0, 1, 256)
    curve = film._fade_curve(x, 100)
    assert curve[0] > 0.2 and np.all(np.diff(curve) > 0)


def test_vignette_shape_controls():
    mask = lambda **kw: film.vignette_mask(200, 300, **kw)
    assert mask()[100, 150] == 0 and mask()[0, 0] > 0.9
    assert mask(midpoint=80)[10, 10] < mask(midpoint=20)[10, 10]
    round_, square = mask(roundness=100), mask(roundness=-100)
    # A circle reaches further in along the long side than a frame-shaped ellipse does.
    assert round_[100, 20] > mask()[100, 20]
    assert square[30, 45] < mask()[30, 45]  # squarer contours: diagonals are reached later
    assert np.abs(np.diff(mask(feather=100)[100])).max() < np.abs(np.diff(mask(feather=0)[100])).max()


def test_vignette_darkens_or_lightens_the_corners_only():
    grey = np.full((100, 100, 3), 128, np.uint8)
    dark, light = film.vignette(grey, -60), film.vignette(grey, 60)
    assert dark[0, 0, 0] < 128 < light[0, 0, 0]
    assert dark[50, 50, 0] == light[50, 50, 0] == 128


def test_halation_is_red_and_around_highlights():
    frame = np.full((256, 256, 3), 30, np.uint8)
    frame[100:156, 100:156] = 255
    glow = film.halation(frame, 80).astype(int) - frame
    ring = glow[128, 96]  # 4 px outside the bright square
    assert ring[0] > ring[1] > ring[2] >= 0 and ring[0] > 5
    assert np.abs(glow[5, 5]).max() == 0  # far from the light, nothing


def test_cross_process_gives_blue_shadows_and_yellow_highlights():
    shadows = film.cross_process(np.full((1, 1, 3), 30, np.uint8), 100)[0, 0].astype(int)
    highlights = film.cross_process(np.full((1, 1, 3), 220, np.uint8), 100)[0, 0].astype(int)
    assert shadows[2] > shadows[0] and highlights[2] < highlights[0]


def test_soft_focus_softens_edges_and_keeps_flat_areas():
    frame = np.zeros((200, 200, 3), np.uint8)
    frame[:, 100:] = 200
    soft = film.soft_focus(frame, 100).astype(int)
    assert soft[100, 98, 0] > 0 and soft[100, 101, 0] < 200
    assert soft[100, 10, 0] == 0 and soft[100, 190, 0] == 200


def test_light_leak_enters_where_it_is_pointed():
    grey = np.full((100, 150, 3), 80, np.uint8)
    top = film.light_leak(grey, 70, angle=90)
    assert top[0, 75].sum() > top[99, 75].sum() + 100
    r, g, b = (top[0, 75].astype(int) - 80)
    assert r > g > b  # warm


@pytest.mark.parametrize("name", ["koch", "jemison"])
def test_film_effects_keep_luma_of_the_face_close(name):
    photo = examples.load_portrait(name, 384)
    centre = slice(150, 230), slice(110, 190)
    for effect in (lambda p: film.grain(p, 30), lambda p: film.vignette(p, -40), lambda p: film.fade(p, 30)):
        before, after = to_ycc(photo[centre])[..., 0].mean(), to_ycc(effect(photo)[centre])[..., 0].mean()
        assert abs(after - before) < 12


def test_grain_stays_fine_enough_not_to_read_as_blotchy_skin():
    # Blotches are texture that survives averaging over patches of 0.8 % of the frame
    # (8 px at 1024); film grain is finer. At the largest grain size, little may survive.
    texture = film.grain_texture(1024, 1024, 100, 0)
    patches = texture.reshape(128, 8, 128, 8).mean(axis=(1, 3))
    assert patches.std() < 0.45
