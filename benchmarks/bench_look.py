"""A full look (every colour and film setting at once) on a 1024 x 1024 preview.

Baseline: the same look written plainly in float64 numpy
(:func:`portrait_lessons.colour.look.render_look_reference`), measured in the same run.
Target: render_look at most 15 ms median and at least 5x faster than the baseline.
"""

from __future__ import annotations

import itertools

import numpy as np
from PIL import Image
from timing import median_ms, report

from portrait_lessons import examples
from portrait_lessons.colour import eras
from portrait_lessons.colour.look import FULL_LOOK, Look, render_look, render_look_reference


def run() -> None:
    photo = np.asarray(Image.fromarray(examples.load_portrait("jemison")).resize((1024, 1024), Image.LANCZOS))
    baseline = ("float64 numpy reference, same look", median_ms(lambda: render_look_reference(photo, FULL_LOOK), repeat=3, warmup=1))
    temperatures = itertools.cycle(range(7000, 8000, 50))
    grains = itertools.cycle(range(30, 50))
    instant = eras.preset("instant_1980s").look
    rows = [
        ("render_look, full look (tables and masks cached)", median_ms(lambda: render_look(photo, FULL_LOOK), repeat=40)),
        ("render_look, slider step: temperature changes", median_ms(
            lambda: render_look(photo, FULL_LOOK.replace(temperature=next(temperatures))), repeat=20)),
        ("render_look, slider step: grain changes", median_ms(
            lambda: render_look(photo, FULL_LOOK.replace(grain=next(grains))), repeat=20)),
        ("render_look, instant-photo era preset", median_ms(lambda: render_look(photo, instant), repeat=40)),
        ("render_look, white balance only", median_ms(lambda: render_look(photo, Look(temperature=8000)), repeat=40)),
    ]  # fmt: skip
    report("Full look on a 1024 x 1024 preview (target: <= 15 ms, >= 5x faster than the reference)", baseline, rows)
    speedup = baseline[1] / rows[0][1]
    print(f"  speed-up of render_look over the float64 reference: {speedup:.0f}x")
