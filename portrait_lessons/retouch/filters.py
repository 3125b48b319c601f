"""Building blocks shared by the texture and depth effects: box means, the guided filter, resizing.

Everything here works on ``float32`` arrays (one channel ``(H, W)`` or several
``(H, W, C)``) and returns new arrays. The guided filter (He, Sun & Tang, 2013)
is the edge-preserving smoother that phone beauty filters and portrait modes
lean on: it is built from box means only, so its cost does not grow with its
radius, and its "fast" variant works on a subsampled copy.
"""

from __future__ import annotations

import numpy as np
from PIL import Image

__all__ = ["box_mean", "guided_filter", "luminance", "resize_float", "srgb_to_linear_lut", "linear_to_srgb8"]

_LUMA = np.array([0.299, 0.587, 0.114], np.float32)  # Rec. 601 weights, as JPEG's Y


def box_mean(values: np.ndarray, radius: int) -> np.ndarray:
    """Mean over a (2 r + 1)-square window around each pixel, windows clipped at the borders.

    Two running sums (cumulative sums along each axis), so the cost does not
    depend on ``radius``. Near the borders the window is smaller and the mean
    is over the pixels actually inside it, so an image's edge is not darkened.

    Examples
    --------
    >>> box_mean(np.arange(5, dtype=np.float32).reshape(1, 5), 1).round(2).tolist()
    [[0.5, 1.0, 2.0, 3.0, 3.5]]
    """
    values = np.asarray(values, np.float32)
    radius = int(radius)
    if radius < 1:
        return values.copy()
    out = _window_sum(_window_sum(values, radius, 0), radius, 1)
    height, width = values.shape[:2]
    rows = _window_sum(np.ones(height, np.float32), radius, 0)
    cols = _window_sum(np.ones(width, np.float32), radius, 0)
    counts = np.outer(rows, cols)
    return out / (counts if values.ndim == 2 else counts[..., None])


def _window_sum(values: np.ndarray, radius: int, axis: int) -> np.ndarray:
    """Sum over [i - r, i + r] along ``axis``, clipped to the array."""
    n = values.shape[axis]
    padded_shape = list(values.shape)
    padded_shape[axis] = n + 1
    running = np.zeros(padded_shape, np.float32)
    index = [slice(None)] * values.ndim
    index[axis] = slice(1, None)
    np.cumsum(values, axis=axis, out=running[tuple(index)])
    hi = np.minimum(np.arange(n) + radius + 1, n)
    lo = np.maximum(np.arange(n) - radius, 0)
    return np.take(running, hi, axis=axis) - np.take(running, lo, axis=axis)


def guided_filter(
    guide: np.ndarray, source: np.ndarray, radius: float, eps: float, subsample: int = 1
) -> np.ndarray:
    """Smooth ``source`` while keeping the edges that ``guide`` has.

    The output is, in every window, a straight-line function of the guide
    (``a * guide + b``): where the guide is flat (variance well below
    ``eps``) it becomes the local mean, where the guide has a strong edge the
    edge is kept. With ``subsample`` > 1 the line coefficients are found on a
    subsampled copy and scaled back up (the "fast guided filter", He & Sun
    2015), which looks the same on smooth content at a fraction of the cost.

    Parameters
    ----------
    guide : ndarray of float32, shape (H, W)
        Grey guide, values about 0-1.
    source : ndarray of float32, shape (H, W) or (H, W, C)
        What to smooth; may be the guide itself.
    radius : float
        Window radius in pixels of the full-size arrays.
    eps : float
        Edges with a local variance well above ``eps`` survive. In squared
        units of the guide: 0.05 ** 2 keeps edges of about 5 % contrast.
    subsample : int
        Work on every ``subsample``-th pixel, then scale back up.

    Returns
    -------
    ndarray of float32, the shape of ``source``

    Examples
    --------
    >>> step = np.zeros((8, 8), np.float32); step[:, 4:] = 1
    >>> kept = guided_filter(step, step, radius=2, eps=1e-4)
    >>> bool(abs(kept - step).max() < 0.01)  # a strong edge survives
    True
    >>> noise = np.random.default_rng(0).normal(0.5, 0.01, (16, 16)).astype(np.float32)
    >>> bool(guided_filter(noise, noise, 3, eps=1e-2).std() < noise.std() / 3)  # faint detail goes
    True
    """
    guide = np.asarray(guide, np.float32)
    source = np.asarray(source, np.float32)
    height, width = guide.shape
    step = max(1, int(subsample))
    small_guide, small_source = guide[::step, ::step], source[::step, ::step]
    r = max(1, round(radius / step))
    g = small_guide if source.ndim == 2 else small_guide[..., None]
    mean_g = box_mean(small_guide, r)
    var_g = box_mean(small_guide * small_guide, r) - mean_g * mean_g
    mean_s = box_mean(small_source, r)
    cov = box_mean(g * small_source, r) - (mean_g if source.ndim == 2 else mean_g[..., None]) * mean_s
    a = cov / ((var_g if source.ndim == 2 else var_g[..., None]) + np.float32(eps))
    b = mean_s - a * (mean_g if source.ndim == 2 else mean_g[..., None])
    mean_a, mean_b = box_mean(a, r), box_mean(b, r)
    if step > 1:
        mean_a = resize_float(mean_a, (width, height))
        mean_b = resize_float(mean_b, (width, height))
    return mean_a * (guide if source.ndim == 2 else guide[..., None]) + mean_b


def resize_float(values: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize a float array (one or more channels) to ``size`` = (width, height), bilinear.

    Examples
    --------
    >>> resize_float(np.ones((2, 3, 2), np.float32), (6, 4)).shape
    (4, 6, 2)
    """
    values = np.asarray(values, np.float32)
    if values.ndim == 2:
        return np.asarray(Image.fromarray(values, "F").resize(size, Image.Resampling.BILINEAR))
    channels = [resize_float(values[..., c], size) for c in range(values.shape[2])]
    return np.stack(channels, axis=-1)


def luminance(image: np.ndarray) -> np.ndarray:
    """Grey value 0-1 (Rec. 601 luma) of an RGB image, as float32.

    Examples
    --------
    >>> float(luminance(np.full((1, 1, 3), 255, np.uint8))[0, 0])
    1.0
    """
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return np.asarray(Image.fromarray(image).convert("L"), np.float32) * np.float32(1 / 255)
    return image.astype(np.float32) @ _LUMA


_TO_LINEAR = np.where(
    np.arange(256) / 255 <= 0.04045, np.arange(256) / 255 / 12.92, ((np.arange(256) / 255 + 0.055) / 1.055) ** 2.4
).astype(np.float32)


def srgb_to_linear_lut(image: np.ndarray) -> np.ndarray:
    """Linear light (float32, 0-1) of a uint8 sRGB image, by table lookup.

    Examples
    --------
    >>> srgb_to_linear_lut(np.array([0, 255], np.uint8)).tolist()
    [0.0, 1.0]
    """
    return _TO_LINEAR[image]


def linear_to_srgb8(values: np.ndarray) -> np.ndarray:
    """Encode linear light (0-1) back to uint8 sRGB, rounding to the nearest level.

    Examples
    --------
    >>> linear_to_srgb8(srgb_to_linear_lut(np.arange(256, dtype=np.uint8))).tolist() == list(range(256))
    True
    """
    # A fine table (16384 steps of linear light) is exact to the level and far
    # faster than a power per pixel; it is built once by bisection on the decoder.
    index = np.clip(np.asarray(values, np.float32) * np.float32(_ENCODE_STEPS - 1) + np.float32(0.5), 0,
                    _ENCODE_STEPS - 1).astype(np.int32)  # fmt: skip
    return _ENCODE_TABLE[index]


_ENCODE_STEPS = 16384
_ENCODE_TABLE = np.searchsorted(
    (_TO_LINEAR[1:] + _TO_LINEAR[:-1]) / 2, np.linspace(0, 1, _ENCODE_STEPS, dtype=np.float32)
).astype(np.uint8)
