"""The look and the editing panel's steps before and after a change, in one run.

``python benchmarks/look_before_after.py REF [PAIRS]``: the package at git ref ``REF``
(say ``main``) is exported to a temporary folder as ``portrait_lessons_old``, and both
versions are imported into this one process. Each row then times the two in alternating
pairs (old, new, new, old, ...), so both see the same load; it prints wall medians and
95th percentiles, the median of the per-pair ratios, and CPU time: the calling thread's
and all threads'. On a shared, loaded machine wall time mostly measures the neighbours;
the ratio and the calling thread's CPU (the look's critical path on an idle machine) say
more. Not part of ``make bench`` (it needs git and takes a few minutes).
"""

from __future__ import annotations

import itertools
import os
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent


def _export(ref: str, folder: Path) -> None:
    """``ref``'s package as ``folder/portrait_lessons_old`` (its photos linked from this checkout)."""
    archive = folder / "old.tar"
    subprocess.run(["git", "-C", str(ROOT), "archive", "-o", str(archive), ref, "portrait_lessons"], check=True)
    with tarfile.open(archive) as tar:
        tar.extractall(folder, filter="data")
    (folder / "portrait_lessons").rename(folder / "portrait_lessons_old")
    (folder / "images").symlink_to(ROOT / "images")  # the package finds its photos beside itself


def _pairs(old, new, n: int) -> dict[str, np.ndarray]:
    for _ in range(3):
        old(), new()
    times = {"old": [], "new": []}
    for i in range(n):
        for name in ("old", "new") if i % 2 == 0 else ("new", "old"):
            call = old if name == "old" else new
            wall, cpu, thread = time.perf_counter(), time.process_time(), time.thread_time()
            call()
            times[name].append(((time.perf_counter() - wall) * 1e3, (time.thread_time() - thread) * 1e3,
                                (time.process_time() - cpu) * 1e3))  # fmt: skip
    return {name: np.array(rows) for name, rows in times.items()}


def _row(label: str, old, new, n: int) -> None:
    t = _pairs(old, new, n)
    o, m = t["old"], t["new"]
    print(f"  {label:52s} {np.median(o[:, 0]):7.1f} {np.percentile(o[:, 0], 95):7.1f} {np.median(m[:, 0]):7.1f} "
          f"{np.percentile(m[:, 0], 95):7.1f} {np.median(m[:, 0] / o[:, 0]):6.2f}   "
          f"{np.median(o[:, 1]):5.1f} {np.median(m[:, 1]):5.1f}   {np.median(o[:, 2]):5.1f} {np.median(m[:, 2]):5.1f}",
          flush=True)  # fmt: skip


def _panel_step(recipe_module, images, stage: str, field: str, values):
    from portrait_lessons.images import to_jpeg

    image, points = images
    r = recipe_module.Recipe
    full = (r().set("face", gaze_x=6, mouth_left=2).set("skin", smoothing=0.6, restore=0.3)
            .set("detail", texture=0.2, clarity=0.2).set("light", midtone_warmth=12, highlights=0.3)
            .set("depth", blur=0.5, desaturate=0.2, darken=0.2).set("look", temperature=7000, vibrance=20))  # fmt: skip
    cache = recipe_module.RenderCache(image, points)
    cache.render(full)
    values = itertools.cycle(values)
    return lambda: to_jpeg(cache.render(full.set(stage, **{field: next(values)})), quality=90)


def main(ref: str, n: int) -> None:
    from PIL import Image

    with tempfile.TemporaryDirectory() as folder:
        _export(ref, Path(folder))
        sys.path.insert(0, folder)
        import portrait_lessons_old.editing.stages  # noqa: F401 - registers the old stages
        from portrait_lessons_old import examples as old_examples
        from portrait_lessons_old.colour import look as old_look
        from portrait_lessons_old.editing import recipe as old_recipe

        import portrait_lessons.editing.stages  # noqa: F401
        from portrait_lessons import examples
        from portrait_lessons.colour import look as new_look
        from portrait_lessons.editing import recipe as new_recipe

        print(f"{ref} (old) against this checkout (new); load {os.getloadavg()[0]:.1f}; {n} alternating pairs per row; ms")
        print(f"  {'':52s} {'wall: old median, p95':>15s} {'new median, p95':>17s} {'new/old':>7s}   "
              f"{'CPU: calling thread':>11s}   {'all threads (old, new)':>11s}")
        square = np.asarray(Image.fromarray(examples.load_portrait("jemison")).resize((1024, 1024), Image.LANCZOS))
        _row("full look, 1024 x 1024", lambda: old_look.render_look(square, old_look.FULL_LOOK),
             lambda: new_look.render_look(square, new_look.FULL_LOOK), n)  # fmt: skip
        glover = examples.load_portrait("glover", 1024)
        _row("panel's look (7000 K, vibrance 20), 1024 px", lambda: old_look.render_look(glover, old_look.Look(temperature=7000, vibrance=20)),
             lambda: new_look.render_look(glover, new_look.Look(temperature=7000, vibrance=20)), n)  # fmt: skip
        old_images = glover, old_examples.portrait_landmarks("glover", 1024)
        new_images = glover, examples.portrait_landmarks("glover", 1024)
        for label, stage, field, values in (
            ("panel step, middle stage (midtone warmth) + JPEG", "light", "midtone_warmth", range(5, 30)),
            ("panel step, last stage (look temperature) + JPEG", "look", "temperature", range(6000, 8000, 50)),
        ):
            _row(label, _panel_step(old_recipe, old_images, stage, field, values),
                 _panel_step(new_recipe, new_images, stage, field, values), n)  # fmt: skip
        print(f"load at end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "main", int(sys.argv[2]) if len(sys.argv) > 2 else 31)
