"""The person's own colour at the soft edge: no old-backdrop rim after the background changes."""

from __future__ import annotations

import numpy as np
import pytest

from portrait_lessons import examples
from portrait_lessons.composition import background as bg
from portrait_lessons.retouch import depth, subject
from portrait_lessons.retouch.foreground import estimate_foreground, foreground, tighten_alpha

#: A light blue backdrop, the colour of the rim the review saw round Jemison and Ochoa.
SKY = np.array([150, 185, 235], np.float32)


def _blue(image):
    image = np.asarray(image, np.float32)
    return image[..., 2] - (image[..., 0] + image[..., 1]) / 2


def _strands():
    """A known foreground and backdrop, mixed by a soft disc with hair-like strands round it."""
    ys, xs = np.mgrid[:240, :320].astype(np.float32)
    front = np.stack([120 + 40 * np.sin(xs / 30), 60 + 30 * np.cos(ys / 25), 40 + 20 * np.sin((xs + ys) / 40)], -1)
    back = np.stack([60 + 0 * xs, 120 + 50 * np.sin(ys / 50), 220 - 40 * np.cos(xs / 60)], -1)
    r = np.hypot(xs - 160, ys - 120)
    strands = (np.sin(np.arctan2(ys - 120, xs - 160) * 40) > 0.6) & (r > 80) & (r < 110)
    alpha = np.maximum(np.clip((85 - r) / 10, 0, 1), strands * 0.5).astype(np.float32)
    image = np.clip(alpha[..., None] * front + (1 - alpha[..., None]) * back + 0.5, 0, 255).astype(np.uint8)
    return image, alpha, front


def test_the_estimated_foreground_is_the_true_one_at_mixed_pixels():
    image, alpha, front = _strands()
    estimate = estimate_foreground(image, alpha).astype(np.float32)
    mixed = (alpha > 0.1) & (alpha < 0.9)
    assert mixed.sum() > 2000
    assert np.abs(image - front)[mixed].mean() > 40  # the photo's own pixels are far off
    assert np.abs(estimate - front)[mixed].mean() < 8
    whole = alpha >= 0.998
    assert np.array_equal(estimate[whole], image[whole])


def test_the_estimate_is_cached_and_read_only():
    image, alpha, _ = _strands()
    first = foreground(image, alpha)
    assert foreground(image.copy(), alpha.copy()) is first
    assert not first.flags.writeable
    with pytest.raises(ValueError, match="same size"):
        estimate_foreground(image, alpha[1:])


def test_tighten_alpha_lowers_a_ramp_that_runs_onto_plain_backdrop_and_keeps_true_mixes():
    xs = np.arange(400, dtype=np.float32)[None].repeat(80, 0)
    alpha = np.clip((62 - xs) / 4, 0, 1)  # the true edge: a 4 px ramp ending at x = 62
    image = (alpha[..., None] * (190, 120, 80) + (1 - alpha[..., None]) * (60, 90, 160) + 0.5).astype(np.uint8)
    loose = np.clip((68 - xs) / 10, 0, 1).astype(np.float32)  # a mask whose ramp runs 6 px onto the backdrop
    tight = tighten_alpha(image, loose, foreground(image, loose))
    plain = (alpha == 0) & (loose > 0.05)
    assert tight[plain].max() < 0.1 < loose[plain].mean()
    assert (tight <= loose + 1e-6).all()
    mixed = (alpha > 0.2) & (alpha < 0.9)
    assert (alpha - tight)[mixed].max() < 0.15  # true mixes are not cut into


@pytest.fixture(scope="module", params=examples.names())
def staged(request):
    """A bundled person on a light blue backdrop, their soft edge mixed with it as a camera would."""
    photo = examples.load_portrait(request.param, 512)
    points = examples.portrait_landmarks(request.param, 512)
    alpha = subject.subject_mask(photo, points)[..., None]
    image = (alpha * photo + (1 - alpha) * SKY + 0.5).astype(np.uint8)
    return photo, points, alpha[..., 0], image


def test_no_old_backdrop_rim_after_desaturate_and_darken(staged):
    """The review's bluish rim round Jemison and Ochoa: 10-14 levels of blue with the photo's own pixels."""
    photo, points, alpha, image = staged
    out = depth.depth_effect(image, points, 0.0, 1.0, 1.0)
    mask = depth.subject_mask(image, points)[..., None]
    grey = out[mask[..., 0] < 0.002].mean(axis=0)
    clean = mask * photo + (1 - mask) * grey  # the person's own colour over the new background
    band = (alpha > 0.05) & (alpha < 0.95)
    # One-sided: the photo's own edge pixels hold some of its first backdrop, which the estimate also removes.
    assert (_blue(out) - _blue(clean))[band].mean() < 5


def test_no_old_backdrop_rim_on_a_new_ground(staged):
    """Lesson 04: 10-14 levels of blue and 8-25 of light with the photo's own pixels."""
    photo, points, alpha, image = staged
    ground = bg.make_ground("paper_charcoal", image.shape[1::-1])
    out = bg.composite(image, ground, alpha, wrap=0.0).astype(np.float32)
    clean = alpha[..., None] * photo + (1 - alpha[..., None]) * ground
    band = (alpha > 0.05) & (alpha < 0.95)
    # One-sided: the photo's own edge pixels hold some of its first backdrop, which the estimate also removes.
    assert (_blue(out) - _blue(clean))[band].mean() < 5
    assert (out - clean).mean(axis=2)[band].mean() < 12
