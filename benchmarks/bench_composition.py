"""Lesson 04's slider paths: figure redraw, camera distance, crop with overlays, a new ground.

Each path is timed as a slider step does it (the pixels the tool shows, JPEG
encoding excluded) and printed against a baseline measured in the same run:
one Pillow bilinear resize of the same photo to half size, the cheapest
whole-frame operation a step could do.
"""

from __future__ import annotations

import statistics
import time

import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.composition import background as bg
from portrait_lessons.composition import distance as dist
from portrait_lessons.composition import figure as fig
from portrait_lessons.composition import framing as fr
from portrait_lessons.face.warp import mls_warp
from timing import median_ms, report


def _mesh_warp(image, marks, distance):
    """The previous camera-distance path, kept here as a same-run comparison."""
    sources, targets = dist.reproject_points(marks, distance)
    anchors = dist.head_ring(marks, 1.7)
    margin = 0.05 * float(np.ptp(anchors, axis=0).max())
    return mls_warp(image, sources, targets, anchors, margin=margin, alpha=1.5, tolerance=0.5)


def cpu_ms(function, repeat: int = 10, warmup: int = 2) -> float:
    """Median CPU time of ``function()`` in ms: on a shared machine it moves less than wall time."""
    for _ in range(warmup):
        function()
    times = []
    for _ in range(repeat):
        start = time.process_time()
        function()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1e3


def run() -> None:
    # The figure at 768 px (its long edge), every preset.
    canvas = Image.new("RGB", (576, 768), fig.PAPER)
    baseline = ("Pillow: new 576 x 768 canvas, reduce a 2x copy", median_ms(lambda: canvas.resize((1152, 1536)).reduce(2)))
    rows = [(f"render_figure {name} (576 x 768)", median_ms(lambda n=name: fig.render_figure(fig.preset(n)), repeat=20)) for name in fig.PRESETS]
    report("Posable figure at 768 px", baseline, rows)
    baseline = ("CPU: Pillow new 576 x 768 canvas, reduce a 2x copy", cpu_ms(lambda: canvas.resize((1152, 1536)).reduce(2)))
    rows = [(f"CPU render_figure {name}", cpu_ms(lambda n=name: fig.render_figure(fig.preset(n)))) for name in fig.PRESETS]
    report("Posable figure at 768 px, CPU time", baseline, rows)

    # Camera distance at 1024 px on every photo: a slider step (the per-photo
    # part made once, as the tool keeps it), that part itself, and the
    # previous path (Pillow's mesh transform, one call per adaptive cell).
    reference = examples.load_portrait("koch", 1024)
    picture = Image.fromarray(reference)
    baseline = ("Pillow bilinear half-size resize of koch at 1024 px",
                median_ms(lambda: picture.resize((picture.width // 2, picture.height // 2), Image.BILINEAR)))  # fmt: skip
    rows = []
    for name in examples.names():
        image = examples.load_portrait(name, 1024)
        marks = examples.portrait_landmarks(name, 1024)
        size = (image.shape[1], image.shape[0])
        rows.append((f"{name}: DistanceWarp made (once per photo)", median_ms(lambda: dist.DistanceWarp(marks, size), repeat=3, warmup=1)))
        for d in (0.3, 0.6, 3.0):
            rows.append((f"{name}: change_distance to {d:g} m", median_ms(lambda d=d: dist.change_distance(image, marks, d), repeat=15, warmup=2)))
        rows.append((f"{name}: previous Pillow mesh warp, 0.3 m", median_ms(lambda: _mesh_warp(image, marks, 0.3), repeat=5, warmup=1)))
    rows.append(("change_distance at the photo's own distance (neutral copy)", median_ms(lambda: dist.change_distance(image, marks, 1.5))))
    report("Camera distance at 1024 px, every photo", baseline, rows)

    # The same in CPU time, which other processes on a shared machine disturb less.
    baseline = ("CPU: Pillow bilinear half-size resize of koch at 1024 px",
                cpu_ms(lambda: picture.resize((picture.width // 2, picture.height // 2), Image.BILINEAR)))  # fmt: skip
    rows = []
    for name in examples.names():
        image = examples.load_portrait(name, 1024)
        marks = examples.portrait_landmarks(name, 1024)
        rows.append((f"CPU {name}: change_distance to 0.3 m", cpu_ms(lambda: dist.change_distance(image, marks, 0.3))))
        rows.append((f"CPU {name}: previous Pillow mesh warp, 0.3 m", cpu_ms(lambda: _mesh_warp(image, marks, 0.3), repeat=3, warmup=1)))
    report("Camera distance at 1024 px, CPU time", baseline, rows)

    # Crop and ground at the tools' preview size.
    image = examples.load_portrait("koch", 768)
    marks = examples.portrait_landmarks("koch", 768)
    size = (image.shape[1], image.shape[0])
    picture = Image.fromarray(image)
    baseline = ("Pillow bilinear half-size resize at 768 px", median_ms(lambda: picture.resize((size[0] // 2, size[1] // 2), Image.BILINEAR)))
    box = fr.frame_box(marks, size, 0.6, aspect=0.8)
    mask = bg.refine_edge(image, bg.person_mask(image, marks), marks)
    cafe = bg.make_ground("cafe", size)
    light = bg.wrap_light(cafe, mask)
    rows = [
        ("frame_box + four measures", median_ms(lambda: fr.measures(marks, fr.frame_box(marks, size, 0.6, aspect=0.8), -1))),
        ("draw_overlays on the crop", median_ms(lambda: fr.draw_overlays(image, marks, box))),
        ("place_on_ground paper (mask cached)", median_ms(lambda: bg.place_on_ground(image, marks, "paper_blue", mask=mask))),
        ("place_on_ground cafe (mask cached)", median_ms(lambda: bg.place_on_ground(image, marks, "cafe", mask=mask))),
        ("place_on_ground own background blurred (mask cached)", median_ms(lambda: bg.place_on_ground(image, marks, "own_blurred", mask=mask), repeat=10)),
        ("a place drawn (cafe; once per ground and size, then cached)", median_ms(lambda: bg._place(bg.GROUNDS["cafe"], *size), repeat=5)),
        ("a place drawn (city at night)", median_ms(lambda: bg._place(bg.GROUNDS["city_night"], *size), repeat=5)),
        ("a place drawn (park)", median_ms(lambda: bg._place(bg.GROUNDS["park"], *size), repeat=5)),
        ("light-wrap slider step (ground and its light cached)",
         median_ms(lambda: bg.composite(image, cafe, mask, 0.7, light))),
        ("change_distance at the tool's 768 px, 0.3 m", median_ms(lambda: dist.change_distance(image, marks, 0.3), repeat=10)),
        ("subject mask + refine_edge (once per photo)", median_ms(lambda: bg.refine_edge(image, bg.person_mask(image, marks), marks), repeat=5, warmup=1)),
    ]  # fmt: skip
    report("Crop and ground at 768 px (Christina Koch)", baseline, rows)
    baseline = ("CPU: Pillow bilinear half-size resize at 768 px", cpu_ms(lambda: picture.resize((size[0] // 2, size[1] // 2), Image.BILINEAR)))
    rows = [
        ("CPU place_on_ground cafe (mask cached)", cpu_ms(lambda: bg.place_on_ground(image, marks, "cafe", mask=mask))),
        ("CPU place_on_ground own background blurred", cpu_ms(lambda: bg.place_on_ground(image, marks, "own_blurred", mask=mask))),
        ("CPU a place drawn (park, once per size)", cpu_ms(lambda: bg._place(bg.GROUNDS["park"], *size), repeat=5)),
        ("CPU light-wrap slider step", cpu_ms(lambda: bg.composite(image, cafe, mask, 0.7, light))),
        ("CPU change_distance at the tool's 768 px, 0.3 m", cpu_ms(lambda: dist.change_distance(image, marks, 0.3))),
    ]
    report("Crop and ground at 768 px, CPU time", baseline, rows)
