import json

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from portrait_lessons import examples
from portrait_lessons.colour import eras, film
from portrait_lessons.colour import look as look_module
from portrait_lessons.colour.adjust import to_ycc
from portrait_lessons.colour.white_balance import warm_cool_index
from portrait_lessons.colour.look import (
    FULL_LOOK as FULL,
    SETTINGS,
    Look,
    LookError,
    render_look,
    render_look_reference,
)
from portrait_lessons.colour.measure import (
    NATURAL_SKIN_HUE,
    cheek_patch,
    colourfulness,
    skin_tone,
)

images = arrays(np.uint8, st.tuples(st.integers(1, 40), st.integers(1, 40), st.just(3)))
looks = st.builds(
    Look,
    **{s.name: st.floats(s.minimum, s.maximum, allow_nan=False) for s in SETTINGS},
)


@given(images)
@settings(max_examples=40, deadline=None)
def test_neutral_look_returns_an_equal_new_image(image):
    for renderer in (render_look, render_look_reference):
        result = renderer(image, Look())
        assert result is not image and np.array_equal(result, image)


@given(images, looks, st.integers(0, 3))
@settings(max_examples=60, deadline=None)
def test_any_look_keeps_shape_dtype_and_input(image, look, seed):
    original = image.copy()
    result = render_look(image, look, seed=seed)
    assert result.shape == image.shape and result.dtype == np.uint8 and result.flags.writeable
    assert np.array_equal(image, original)


@pytest.mark.parametrize("name", ["jemison", "koch", "collins"])
def test_fast_renderer_agrees_with_the_float64_reference(name, monkeypatch):
    # The exact path, with colour at full size, as exports are rendered.
    monkeypatch.setattr(look_module, "CHROMA_HALF_SIZE_EDGE", 0)
    photo = examples.load_portrait(name, 512)
    for look in (FULL, *[era.look for era in eras.eras()]):
        fast, reference = render_look(photo, look, seed=3), render_look_reference(photo, look, seed=3)
        difference = np.abs(fast.astype(int) - reference.astype(int))
        assert difference.mean() < 1.5, look.changes()
        # The largest gaps are in strongly saturated colours, from applying the small
        # off-diagonal part of the Bradford matrix to encoded values (see look.py).
        assert np.percentile(difference, 99) <= 8, look.changes()


@pytest.mark.parametrize("name", ["jemison", "koch", "collins"])
def test_preview_with_half_size_colour_agrees_with_the_reference(name):
    # Previews carry colour at half size in each axis (4:2:0, like the JPEG sent to the
    # browser): luma must match pixel for pixel, colour once averaged over 2 x 2 blocks.
    photo = examples.load_portrait(name, 512)
    height, width = (size // 2 * 2 for size in photo.shape[:2])
    photo = np.ascontiguousarray(photo[:height, :width])
    assert look_module._chroma_factor(height, width) == 2

    def luma_and_block_chroma(image):
        ycc = to_ycc(image.astype(float))
        chroma = ycc[..., 1:].reshape(height // 2, 2, width // 2, 2, 2).mean(axis=(1, 3))
        return ycc[..., 0], chroma

    for look in (FULL, *[era.look for era in eras.eras()]):
        fast = luma_and_block_chroma(render_look(photo, look, seed=3))
        reference = luma_and_block_chroma(render_look_reference(photo, look, seed=3))
        for part, a, b in zip(("luma", "chroma"), fast, reference):
            difference = np.abs(a - b)
            assert difference.mean() < 1.5 and np.percentile(difference, 99) <= 8, (part, look.changes())


def test_each_setting_alone_agrees_with_the_reference(monkeypatch):
    monkeypatch.setattr(look_module, "CHROMA_HALF_SIZE_EDGE", 0)  # colour at full size (see the preview test)
    photo = examples.load_portrait("ochoa", 300)
    for setting in SETTINGS:
        if setting.name.endswith("_hue") or setting.name in ("light_leak_angle", "grain_size") or "vignette_" in setting.name:
            continue
        value = setting.maximum if setting.maximum != setting.neutral else setting.minimum
        look = Look(**{setting.name: value * 0.4 + setting.neutral * 0.6})  # a firm but usual setting
        difference = np.abs(render_look(photo, look).astype(int) - render_look_reference(photo, look).astype(int))
        assert difference.mean() < 1.5 and np.percentile(difference, 99) <= 8, setting.name


def test_render_is_deterministic_per_seed():
    photo = examples.load_portrait("glover", 256)
    look = Look(grain=50)
    assert np.array_equal(render_look(photo, look, seed=1), render_look(photo, look, seed=1))
    assert not np.array_equal(render_look(photo, look, seed=1), render_look(photo, look, seed=2))


def test_higher_temperature_measures_warmer_through_the_look():
    photo = examples.load_portrait("ochoa", 256)
    indices = [warm_cool_index(render_look(photo, Look(temperature=k))) for k in range(3000, 12001, 750)]
    assert indices == sorted(indices) and len(set(indices)) == len(indices)


def test_saturation_and_vibrance_move_colourfulness_the_right_way():
    photo = examples.load_portrait("jemison", 256)
    base = colourfulness(photo)
    assert colourfulness(render_look(photo, Look(saturation=-50))) < base < colourfulness(render_look(photo, Look(vibrance=50)))


@pytest.mark.parametrize("name", examples.names())
def test_era_presets_keep_skin_natural(name):
    if name == "johnson":
        pytest.skip("black-and-white photo: no skin hue to keep")
    photo = examples.load_portrait(name, 512)
    landmarks = examples.portrait_landmarks(name, 512)
    _, sat0 = skin_tone(cheek_patch(photo, landmarks))
    for era in eras.eras():
        hue, sat = skin_tone(cheek_patch(render_look(photo, era.look), landmarks))
        if era.look.saturation == -100:
            continue
        assert NATURAL_SKIN_HUE[0] <= hue <= NATURAL_SKIN_HUE[1], era.id
        assert sat < sat0 + 0.15, era.id


def test_to_dict_from_dict_and_json_round_trip():
    assert Look.from_dict(FULL.to_dict()) == FULL
    assert Look.from_json(FULL.to_json()) == FULL
    assert json.loads(FULL.to_json())["halation"] == 40
    assert list(Look().to_dict()) == [s.name for s in SETTINGS]


@pytest.mark.parametrize(
    "values, message",
    [
        ({"grain": 101}, "grain is 101, but it must be between 0 and 100"),
        ({"grain": "lots"}, "grain must be a number"),
        ({"grain": True}, "grain must be a number"),
        ({"grain": float("nan")}, "must be between"),
        ({"warmth": 3}, "'warmth' is not a look setting"),
        ([1, 2], "must be a dict"),
    ],
)
def test_from_dict_rejects_bad_settings_clearly(values, message):
    with pytest.raises(LookError, match=message):
        Look.from_dict(values)


def test_from_json_explains_bad_json():
    with pytest.raises(LookError, match="not valid JSON"):
        Look.from_json("{grain: 3")


def test_changes_lists_only_what_changes_the_picture():
    assert Look(grain_size=80).changes() == {} and Look(grain_size=80).is_neutral()
    assert Look(grain=10, grain_size=80).changes() == {"grain": 10.0, "grain_size": 80.0}
    assert np.array_equal(render_look(np.full((4, 4, 3), 9, np.uint8), Look(vignette_midpoint=10)), np.full((4, 4, 3), 9))


def test_render_look_explains_bad_input():
    with pytest.raises(ValueError, match="uint8 array of shape"):
        render_look(np.zeros((4, 4)), Look(grain=1))
    with pytest.raises(TypeError, match="Look"):
        render_look(np.zeros((4, 4, 3), np.uint8), {"grain": 3})


@pytest.mark.parametrize("name", examples.names())
def test_halation_leaves_light_areas_their_own_colour(name):
    # Issue 13: halation read as a salmon cast over white suits and pale backdrops.
    # Light pixels (luma 0.7 and up) keep their colour; the red stays a fringe.
    # (Main before the fix: 99th percentile 5-20 levels, up to 16 % of the frame shifted.)
    photo = examples.load_portrait(name, 512)
    light = to_ycc(photo)[..., 0] >= 0.7 * 255
    for renderer in (render_look, render_look_reference):
        # A 1 % vibrance on both sides sends the fast renderer through its colour path (4:2:0) in each.
        before = to_ycc(renderer(photo, Look(vibrance=1)))
        after = to_ycc(renderer(photo, Look(halation=100, vibrance=1)))
        shift = np.abs(after[..., 1:] - before[..., 1:]).max(axis=-1)
        if light.any():
            # The preview (4:2:0) shares each 2 x 2 block's colour, as its JPEG does: a light pixel beside a
            # glowing dark one takes part of its glow there, so the fast renderer's edges allow a little more.
            limit = 6 if renderer is render_look_reference else 12
            assert np.percentile(shift[light], 99) <= limit, (renderer.__name__, np.percentile(shift[light], 99))
        # The glow is a fringe, not a wash (at 100, now visible: 8.5-9 % of Collins's high-key frame).
        assert (shift > 3).mean() < 0.10, (renderer.__name__, (shift > 3).mean())


def _around_highlights(photo: np.ndarray) -> np.ndarray:
    """Dark pixels within 2 % of the short edge of the photo's own highlights (its top half-percent of luma).

    That is where halation shows on film: the dark side of a bright edge.
    """
    from scipy import ndimage

    y = to_ycc(photo)[..., 0] / 255
    level = np.percentile(y, 99.5)
    high = y >= level - 0.05
    ring = ndimage.binary_dilation(high, iterations=max(2, round(0.02 * min(y.shape)))) & ~high
    return ring & (y <= level - 0.2)


@pytest.mark.parametrize("name", examples.names())
def test_halation_at_mid_glows_visibly_around_each_photos_highlights(name):
    # Review 4: halation at 50 changed the picture by 0.1-0.6 levels on average, invisible on all
    # eight photos; at 100 nothing on the low-key Glover and Koch (50 and 100 the same). It is now
    # scaled to each photo's own highlights. Main at 50, mean change on these pixels: Glover 0.5,
    # Koch 0.4, Johnson 1.4, the others 4-8. The spread light is the highlights' own (linear) light,
    # so a lit face in a low-key photo glows less than a white suit: Koch 4.0, Johnson 3.7, Glover 4.5
    # (8.1, 5.0 and 9.5 when a lit forehead counted as white and ringed Koch's hair in orange); with the
    # low-key gain (up to 2x, film.halation_low_key_gain) Koch 6.2 and Glover 8.2. Review 7 kept it
    # out of dark creases inside highlights (film.halation_room): Johnson 3.7 -> 3.48 (the pen on
    # her papers, the slits between index cards), Glover 8.2 -> 8.0, the others within 0.3.
    photo = examples.load_portrait(name, 1024)
    around = _around_highlights(photo)
    base = render_look(photo, Look(vibrance=1)).astype(int)
    change = {amount: np.abs(render_look(photo, Look(halation=amount, vibrance=1)) - base).max(axis=2)[around].mean()
              for amount in (50, 100)}  # fmt: skip
    assert change[50] >= 3.4, (name, change)
    assert change[100] >= 1.8 * change[50], (name, change)


@pytest.mark.parametrize("name", ["koch", "glover"])
def test_halation_beside_a_lit_face_is_a_faint_warm_glow(name):
    # Koch at 100 got a saturated orange band along the hair beside her lit forehead, and orange
    # brows: in a low-key photo the lit face is the highlight, and it spread as much light as a
    # white suit. The colour halation adds to dark pixels (hair, brows, a dark ground; luma under
    # 0.3) near the highlights, 99th percentile of the Cb-Cr chroma gained, levels: main 44.6 (Koch)
    # and 64.4 (Glover, round his collar; the reference renderer 46.0 and 66.5); then 22.2 and 29.8 (23.3
    # and 33.4), too faint to see at 50 (review 6). A low-key photo's highlights now spread up to 2x their
    # light (film.halation_low_key_gain): Koch 35.5 (36.1), Glover 56.0 (59.0). Glover's is the dark folds
    # in and beside his white collar, the brightest thing on a black ground, where halation belongs; along
    # Koch's hair the glow stays a faint warm edge at 200 % (no band).
    bound = {"koch": 40, "glover": 62}[name]
    photo = examples.load_portrait(name, 1024)
    dark = _around_highlights(photo) & (to_ycc(photo)[..., 0] < 0.3 * 255)

    def chroma(image):
        ycc = to_ycc(image)
        return np.hypot(ycc[..., 1] - 128, ycc[..., 2] - 128)

    for renderer in (render_look, render_look_reference):
        gain = chroma(renderer(photo, Look(halation=100, vibrance=1))) - chroma(renderer(photo, Look(vibrance=1)))
        assert np.percentile(gain[dark], 99) <= bound, (renderer.__name__, np.percentile(gain[dark], 99))


#: Least mean change (levels, largest channel) halation at 50 makes on the dark pixels round a
#: low-key photo's highlights. Review 6: Glover 4.5 and Koch 4.0, a glow seen only side by side
#: (the bright photos: 9.5-19); with the low-key gain 8.2 and 6.2.
LOW_KEY_HALATION_AT_MID = 5.5


@pytest.mark.parametrize("name", ["glover", "koch"])
def test_halation_at_mid_glows_from_a_low_key_photos_highlights_and_leaves_them_their_colour(name):
    photo = examples.load_portrait(name, 1024)
    y = to_ycc(photo)[..., 0] / 255
    highlights = y >= np.percentile(y, 99.5) - 0.05  # the lit forehead, the nose, the white collar
    around = _around_highlights(photo)
    base = render_look(photo, Look(vibrance=1))
    glowing = render_look(photo, Look(halation=50, vibrance=1))
    change = np.abs(glowing.astype(int) - base).max(axis=2)[around].mean()
    assert change >= LOW_KEY_HALATION_AT_MID, f"{name}: {change:.1f} levels beside the highlights"
    # The highlights keep their own colour (no salmon cast over a white collar or a lit forehead):
    # 99th percentile of the colour shift on them 1.6 (Glover) and 0.5 levels (Koch); the reference 0.
    reference = (render_look_reference(photo, Look(vibrance=1)), render_look_reference(photo, Look(halation=50, vibrance=1)))
    for label, (before, after), limit in (("fast", (base, glowing), 3.0), ("reference", reference, 0.5)):
        shift = np.abs(to_ycc(after)[..., 1:] - to_ycc(before)[..., 1:]).max(axis=-1)
        assert np.percentile(shift[highlights], 99) <= limit, (label, np.percentile(shift[highlights], 99))


def test_halation_fringes_highlights_and_keeps_their_cores_white():
    # Real halation is light spreading *around* a highlight: a white core stays white
    # and a pale backdrop keeps its colour; only the darker surround turns red.
    frame = np.full((512, 512, 3), 40, np.uint8)
    frame[:, 300:] = 225  # a pale backdrop
    frame[200:312, 100:212] = 255  # a white highlight
    for renderer in (render_look, render_look_reference):
        out = renderer(frame, Look(halation=100)).astype(int)
        assert (out[256, 156] == 255).all(), renderer.__name__
        backdrop = out[256, 400]
        assert np.abs(backdrop - 225).max() <= 1, (renderer.__name__, backdrop)
        ring = out[256, 94] - 40  # 6 px outside the highlight
        assert ring[0] > ring[1] > ring[2] >= 0 and ring[0] > 10, (renderer.__name__, ring)


@pytest.mark.parametrize("renderer", [render_look, render_look_reference])
def test_a_light_leak_stays_visible_under_the_vignette(renderer):
    # Issue 13: the disposable camera's vignette dimmed its own light leak to nothing.
    # Stray light reaches the film without passing the lens, so the vignette leaves it alone.
    from dataclasses import replace

    from portrait_lessons.colour import film

    look = eras.preset("disposable_1990s").look
    for name in ("collins", "johnson"):
        photo = examples.load_portrait(name, 512)
        height, width = photo.shape[:2]
        leak = film.light_leak_rgb(height, width, look.light_leak_angle)[..., 0]
        edge = leak >= np.percentile(leak, 97)  # where the leak is brightest: the frame's edge
        gain = renderer(photo, look).astype(int) - renderer(photo, replace(look, light_leak=0))
        # A bright pixel takes less of the leak (film.leak_headroom), under the vignette or not.
        before = renderer(photo, replace(look, light_leak=0)) @ np.array([0.299, 0.587, 0.114])
        expected = film.light_leak_levels(look.light_leak) * leak[edge] * film.leak_headroom(before[edge])
        assert gain[edge, 0].mean() >= 0.8 * expected.mean()  # main before the fix: 0.4-0.55


@pytest.mark.parametrize("renderer", [render_look, render_look_reference])
def test_a_full_light_leak_glows_without_clipping_red(renderer):
    # Issue 13: added in full, a leak at 100 clipped the red channel on 15-19 % of the pixels
    # of bright portraits (Collins 0.21, Hopper 0.19); now at most 0.081 (Jemison's orange suit, at 400 px).
    for name in examples.names():
        photo = examples.load_portrait(name, 400)
        out = renderer(photo, Look(light_leak=100))
        newly = np.mean(out[..., 0] == 255) - np.mean(photo[..., 0] == 255)
        assert newly <= 0.09, (name, round(float(newly), 3))
        assert out.astype(int).sum() > photo.astype(int).sum() * 1.05, name  # still a visible glow


def test_the_disposable_cameras_leak_shows():
    # Issue 13: the leak was invisible under the preset's vignette (8 levels on average, 9 % of the frame
    # over 30); at 45 it changes a sixth of the frame by more than 30 levels.
    from dataclasses import replace

    look = eras.preset("disposable_1990s").look
    for name in ("collins", "hopper", "koch"):
        photo = examples.load_portrait(name, 512)
        change = np.abs(render_look(photo, look).astype(int) - render_look(photo, replace(look, light_leak=0))).sum(axis=2)
        assert np.mean(change > 30) >= 0.12, (name, float(np.mean(change > 30)))


@pytest.mark.parametrize("name", examples.names())
def test_soft_focus_at_max_keeps_a_sharp_image_under_its_glow(name):
    # Review 4: soft focus at 100 was a plain blur (60 % blurred luma: fine-detail energy x0.16 on every
    # photo), a missed focus rather than a diffusion filter. Now 30 % blurred plus a halo of the bright
    # light: x0.49-0.50 at 100, x0.73 at 50; the halo still changes the picture (Collins 12.5 levels on average).
    from scipy import ndimage

    def fine_detail(image):
        y = to_ycc(image)[..., 0]
        return float(((y - ndimage.gaussian_filter(y, 1.5)) ** 2).mean())

    photo = examples.load_portrait(name, 1024)
    base = render_look(photo, Look(vibrance=1))
    mid, full = (render_look(photo, Look(soft_focus=amount, vibrance=1)) for amount in (50, 100))
    share = {label: fine_detail(out) / fine_detail(base) for label, out in (("50", mid), ("100", full))}
    assert 0.45 <= share["100"] < share["50"] < 0.9, (name, share)


@pytest.mark.parametrize("name", ["jemison", "koch", "collins"])
def test_large_grain_is_light_not_coloured_clumps(name):
    # Review 4: grain size 100 (grain 60) made blotchy coloured clumps on skin. Grain added to luma alone
    # made dark clumps redder and light ones paler; now it scales each pixel's colour with its light, as dye
    # clouds do. Measured on 2 x 2 blocks (what the preview's 4:2:0 JPEG keeps): the skin's chromaticity
    # (r and g over the sum) varies x1000 by main 7.9 / 31.3 / 3.7 (Jemison / Koch / Collins), then 1.4 / 7.4 / 1.6.
    # Issue 13: the colour now follows half of a size-100 clump's light (film.grain_colour_share; following all
    # of it left copper light specks, see the next test), so the spread is 4.1 / 16.6 / 2.5: about half of
    # luma-alone grain's, which still fails the bound.
    from portrait_lessons.retouch.texture import skin_mask

    def blocks(values):
        height, width = values.shape[0] // 2 * 2, values.shape[1] // 2 * 2
        return values[:height, :width].reshape(height // 2, 2, width // 2, 2, *values.shape[2:]).mean(axis=(1, 3))

    def chromaticity(image):
        rgb = blocks(image.astype(float)) + 1
        return rgb[..., :2] / rgb.sum(axis=2, keepdims=True)

    photo = examples.load_portrait(name, 1024)
    skin = blocks(skin_mask(photo, examples.portrait_landmarks(name, 1024))) > 0.5
    base = render_look(photo, Look(vibrance=1))
    grainy = render_look(photo, Look(grain=60, grain_size=100, vibrance=1))
    light = np.abs(grainy.astype(float).mean(axis=2) - base.mean(axis=2))
    assert light.mean() > 3, (name, light.mean())  # the grain itself is there
    spread = 1000 * np.hypot(*(chromaticity(grainy) - chromaticity(base))[skin].std(axis=0))
    assert spread <= 0.6 * {"jemison": 7.9, "koch": 31.3, "collins": 3.7}[name] + 0.5, (name, spread)


@pytest.mark.parametrize("renderer", [render_look, render_look_reference])
@pytest.mark.parametrize("name", ["koch", "jemison"])
def test_large_grain_carries_less_colour_than_medium_grain(name, renderer):
    # Issue 13: at grain 60, size 100 made coarse colour clumps on skin (copper light specks on Jemison,
    # blotchy cheeks on Koch): with the colour following all of a clump's light, the skin's colour noise
    # (a*b*) over its light noise (L*) grew with the size, Koch 0.44 -> 0.52 from size 50 to 100 (fast
    # renderer; Jemison 0.375 -> 0.378, the reference Koch 0.58 -> 0.58). Real coarse grain is mostly light:
    # now 0.33 (Koch) and 0.18 (Jemison) at 100, 0.75 and 0.48 of size 50's (reference 0.58 and 0.42).
    from portrait_lessons.colour.measure import _lab
    from portrait_lessons.retouch.texture import skin_mask

    photo = examples.load_portrait(name, 1024)
    skin = skin_mask(photo, examples.portrait_landmarks(name, 1024)) > 0.5
    base = _lab(renderer(photo, Look(vibrance=1))[skin].astype(float))

    def noise(size):
        change = _lab(renderer(photo, Look(grain=60, grain_size=size, vibrance=1))[skin].astype(float)) - base
        return float(change[:, 0].std()), float(np.sqrt((change[:, 1:] ** 2).sum(axis=1).mean() / 2))

    (light_50, colour_50), (light_100, colour_100) = noise(50), noise(100)
    assert light_100 >= 0.9 * light_50, (name, light_50, light_100)  # the grain's light is all there
    assert colour_100 / light_100 <= 0.85 * colour_50 / light_50, (name, colour_50 / light_50, colour_100 / light_100)


def _double_in_integers(small: np.ndarray) -> np.ndarray:
    """Bilinear doubling written out in integers: weights 3/4 and 1/4, edges clamped, rounded half up."""
    padded = np.pad(small.astype(np.int64), 1, mode="edge")
    columns = np.empty((padded.shape[0], 2 * small.shape[1]), np.int64)
    columns[:, 0::2] = 3 * padded[:, 1:-1] + padded[:, :-2]
    columns[:, 1::2] = 3 * padded[:, 1:-1] + padded[:, 2:]
    out = np.empty((2 * small.shape[0], 2 * small.shape[1]), np.int64)
    out[0::2] = 3 * columns[1:-1] + columns[:-2]
    out[1::2] = 3 * columns[1:-1] + columns[2:]
    return (out + 8) >> 4


def test_the_glows_doubling_is_exact_bilinear_in_integers():
    # The glows and the light leak are enlarged by OpenCV's float resize, rounded half up at each
    # doubling; render_look's bit-for-bit agreement with the integer version rests on it.
    rng = np.random.default_rng(5)
    for height, width, scale in [(1, 1, 10), (1, 7, 300), (5, 1, 3), (17, 23, 2000), (128, 96, 400)]:
        field = np.rint(rng.normal(0, scale, (height, width))).astype(np.float32)
        doubled = look_module._double(field)
        assert doubled.dtype == np.float32
        assert np.array_equal(doubled.astype(np.int64), _double_in_integers(field.astype(np.int64)))


def test_a_vignette_amount_step_reuses_its_shape_and_matches_the_reference_terms():
    # Issue 20: an era's strength slider changes only the vignette's amount; rebuilding its mask
    # at every step cost most of the step (39 -> 3.5 ms at 1024 px). Same integers as the reference.
    look_module._vignette_shape.cache_clear()
    mask = film.vignette_mask(64, 48, 40, 30, 70)
    for amount in (-55.0, -20.0, 35.0):
        scale, lift, _ = look_module._vignette_planes(64, 48, amount, 40, 30, 70, 2)
        want_scale, want_lift = film._vignette_terms(mask, amount / 100)
        assert np.array_equal(scale, np.rint(want_scale * 128))
        assert np.array_equal(lift, np.rint(want_lift))
    assert look_module._vignette_shape.cache_info().misses == 1


@pytest.mark.parametrize("edge", [384, 720])
def test_previews_rendered_on_one_thread_match_the_two_thread_path(edge, monkeypatch):
    # Previews and drafts skip the luma thread (it cost more than it gave on a busy machine):
    # the picture must be the two-thread path's, glows, vignette, leak and grain included.
    photo = examples.load_portrait("koch", edge)
    looks = [eras.at_strength(era.look, strength) for era in eras.eras() for strength in (0.5, 1.5)]
    looks.append(Look(soft_focus=40, halation=60, light_leak=50, vignette=30, grain=40, vibrance=30))
    one = [look_module.render_look(photo, look) for look in looks]
    monkeypatch.setattr(look_module, "ONE_THREAD_PIXELS", 0)
    for look, picture in zip(looks, one):
        assert np.array_equal(look_module.render_look(photo, look), picture), look.changes()


def _creases_in_highlights(photo: np.ndarray) -> np.ndarray:
    """Dark pixels (luma under 0.3) mostly surrounded by the photo's light: folds and slits in a white collar.

    Light is within 0.2 of the photo's top half-percent of luma; "mostly" is 60 % or more of a
    Gaussian neighbourhood of 1 % of the short edge.
    """
    from portrait_lessons.retouch.texture import _gaussian_float

    y = to_ycc(photo)[..., 0] / 255
    light = (y >= np.percentile(y, 99.5) - 0.2).astype(np.float32)
    return (y < 0.3) & (_gaussian_float(light, 0.01 * min(y.shape)) >= 0.6)


#: Most colour (mean Cb-Cr chroma gained, levels) halation at 100 may add to a dark crease inside a
#: photo's light. Review 7: Glover's collar folds went orange, 59.8 (fast) and 67.3 (reference) on
#: these pixels; Armstrong's 41.6 and 47.0. Kept out of creases (film.halation_room): 38.2 / 37.1
#: and 7.7 / 4.5. The photos without such creases (under 50 pixels) are not measured.
CREASE_HALATION_CHROMA = 45


@pytest.mark.parametrize("name", examples.names())
def test_halation_leaves_a_crease_inside_a_highlight_its_colour(name):
    photo = examples.load_portrait(name, 1024)
    crease = _creases_in_highlights(photo)
    if crease.sum() < 50:
        return

    def chroma(image):
        ycc = to_ycc(image)
        return np.hypot(ycc[..., 1] - 128, ycc[..., 2] - 128)

    for renderer in (render_look, render_look_reference):
        gain = chroma(renderer(photo, Look(halation=100, vibrance=1))) - chroma(renderer(photo, Look(vibrance=1)))
        assert gain[crease].mean() <= CREASE_HALATION_CHROMA, (renderer.__name__, gain[crease].mean())
