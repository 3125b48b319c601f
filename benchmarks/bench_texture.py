"""Lesson 03 and 08 effects at preview size (1024 px): skin smoothing and the depth effect.

Baseline: a naive bilateral filter (the classic edge-preserving smoother, one
shifted copy of the image per window offset) of the same image, measured in
the same run. The guided filter used for the smoothing is the fast way to get
the same kind of result.
"""

from __future__ import annotations

import numpy as np

from portrait_lessons import examples
from portrait_lessons.retouch.depth import depth_effect, protect_highlights, subject_mask, warm_midtones
from portrait_lessons.editing.recipe import Recipe, render
from portrait_lessons.retouch.texture import adjust_detail, skin_report, smooth_skin, split_frequencies
from timing import median_ms, report


def naive_bilateral(image: np.ndarray, radius: int = 5, sigma_space: float = 3.0, sigma_range: float = 0.1):
    """Bilateral filter, written plainly: weights by distance and by difference in colour."""
    values = image.astype(np.float32) / 255
    padded = np.pad(values, ((radius, radius), (radius, radius), (0, 0)), mode="edge")
    height, width = image.shape[:2]
    total = np.zeros_like(values)
    weights = np.zeros(values.shape[:2], np.float32)
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            shifted = padded[radius + dy : radius + dy + height, radius + dx : radius + dx + width]
            difference = ((shifted - values) ** 2).sum(axis=2)
            weight = np.exp(-(dx * dx + dy * dy) / (2 * sigma_space**2) - difference / (2 * sigma_range**2))
            total += weight[..., None] * shifted
            weights += weight
    return (total / weights[..., None] * 255 + 0.5).astype(np.uint8)


def run() -> None:
    for name in ("koch", "glover"):
        image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
        smoothed = smooth_skin(image, points, 0.8, 0.5)
        depth_effect(image, points, 0.6, 0.3, 0.3)  # warms the subject-mask cache, as a slider's first move does
        baseline = ("naive bilateral filter, radius 5 (same image)", median_ms(lambda: naive_bilateral(image), 3, 1))
        recipe = Recipe().set("skin", smoothing=0.8, restore=0.5).set("light", midtone_warmth=15, highlights=0.4) \
            .set("depth", blur=0.6, desaturate=0.3, darken=0.3)  # fmt: skip
        rows = [
            ("skin smoothing 80 %, restore 50 %", median_ms(lambda: smooth_skin(image, points, 0.8, 0.5))),
            ("skin smoothing 100 %, no restore", median_ms(lambda: smooth_skin(image, points, 1.0))),
            ("depth: lens blur 60 %, desaturate, darken", median_ms(lambda: depth_effect(image, points, 0.6, 0.3, 0.3))),
            ("depth: lens blur 100 %", median_ms(lambda: depth_effect(image, points, 1.0))),
            ("depth: darken only (no blur)", median_ms(lambda: depth_effect(image, points, 0, 0, 0.4))),
            ("midtone warmth +15", median_ms(lambda: warm_midtones(image, 15))),
            ("protect highlights 40 %", median_ms(lambda: protect_highlights(image, 0.4))),
            ("texture + clarity (whole photo)", median_ms(lambda: adjust_detail(image, 0.3, 0.3), 10)),
            ("frequency split (low + high)", median_ms(lambda: split_frequencies(image, 2.0))),
            ("texture meter (skin report)", median_ms(lambda: skin_report(image, smoothed, points))),
            ("whole recipe: skin + light + depth", median_ms(lambda: render(image, points, recipe), 10)),
        ]
        report(f"Texture and depth, {name} at {image.shape[1]} x {image.shape[0]}", baseline, rows)
        for label, value in rows[:4]:
            print(f"  {label}: {baseline[1] / value:,.0f} x faster than the naive bilateral filter")
