"""Slider latency as a learner feels it: key press to new pixels, in JupyterLab and Chromium.

``make bench-browser`` (not part of ``make test``). For each tool in
:data:`TOOLS` the benchmark opens its notebook in a real JupyterLab (the same
harness as the browser tests), runs it, focuses the tool's main slider and

- presses an arrow key once at a time, waiting for the answer, and times
  each press from ``keydown`` (caught in the page) to the ``load`` event of
  the new preview image: median, 95th percentile and maximum;
- holds the key: a burst of fast presses, counting how many images arrive
  and timing the last one from the last key press.

In the same run it measures a *floor*: a minimal widget that only sends
back one of two cached JPEGs of the same size as a tool's preview. The floor
runs alone in an empty notebook, first and again last (on a shared machine the
load drifts; the first ratio is to the mean of the two 95th percentiles), and
as the last cell of each tool's own notebook, timed after its tools in the same
page and kernel: the second ratio says what the tool adds to what any widget
in that notebook costs. Each row records the machine's load average. Results
are printed and written to ``benchmarks/results/browser_latency.json``.

Usage: ``python benchmarks/browser_latency.py [presses] [tool ...]``.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from jupyterlab_browser import CHROMIUM_ARGS, JupyterLab, find_chromium  # noqa: E402

RESULTS = HERE / "results" / "browser_latency.json"


@dataclass(frozen=True)
class Tool:
    """A tool to time: its notebook, the main slider and the preview image (CSS selectors)."""

    name: str
    notebook: str
    slider: str
    image: str
    key: str = "ArrowRight"
    choose: tuple[str, str] = ()  # (a <select>, the option's label) to pick before timing


#: Every image tool of every lesson, with the slider a learner moves most.
VIEWPORT = (1366, 768)

#: The floor's slider and image, alone in a notebook or appended to a tool's notebook.
FLOOR = Tool("floor alone (cached JPEG)", "latency_floor.ipynb", ".pl-floor .pl-floor-slider", ".pl-floor img")

TOOLS = (
    Tool("00 warmth", "00_start_here.ipynb", ".pl-start-here .pl-warmth", ".pl-start-here img.pl-after"),
    Tool("01 gaze", "01_eyes_and_gaze.ipynb", ".pl-gaze .pl-gaze-x", ".pl-gaze img.pl-after"),
    Tool("02 mouth corner", "02_expression_and_asymmetry.ipynb", ".pl-expression .pl-mouth-left",
         ".pl-expression img.pl-after"),
    Tool("03 smoothing", "03_texture_and_imperfection.ipynb", ".pl-texture-tool .pl-smoothing",
         ".pl-texture-tool img.pl-after"),
    Tool("04 figure turn", "04_posture_framing_background.ipynb", ".pl-figure-tool .pl-figure-turn",
         ".pl-figure-tool img.pl-figure-picture"),
    Tool("04 camera distance", "04_posture_framing_background.ipynb", ".pl-distance-tool .pl-distance",
         ".pl-distance-tool img.pl-after", "ArrowLeft"),
    Tool("04 crop zoom", "04_posture_framing_background.ipynb", ".pl-crop-tool .pl-crop-zoom",
         ".pl-crop-tool img.pl-crop-picture"),
    Tool("04 light wrap", "04_posture_framing_background.ipynb", ".pl-ground-tool .pl-ground-wrap",
         ".pl-ground-tool img.pl-after"),
    Tool("05 grading temperature", "05_colour_psychology.ipynb", ".pl-grading .pl-temperature",
         ".pl-grading img.pl-after"),
    Tool("06 era strength", "06_nostalgia_and_culture.ipynb", ".pl-era-picker .pl-strength",
         ".pl-era-picker img.pl-after", "ArrowLeft", (".pl-era-picker .pl-era select", "Instant photo")),
    Tool("08 panel midtone warmth", "08_editing_for_warmth_and_depth.ipynb",
         ".pl-editing-panel .pl-light-midtone-warmth", ".pl-editing-panel img.pl-panel-image"),
)  # fmt: skip

#: The floor: a slider that answers each step with one of two cached JPEGs the size of a preview.
FLOOR_SOURCE = """\
import io
import ipywidgets as widgets
import numpy as np
from PIL import Image

from portrait_lessons import examples
from portrait_lessons.images import to_jpeg
from portrait_lessons.ui.frame import PREVIEW_EDGE

photo = examples.load_portrait("koch", PREVIEW_EDGE)  # the size of a tool's preview
frames = [to_jpeg(photo), to_jpeg(photo[:, ::-1].copy())]
image = widgets.Image(value=frames[0], format="jpeg")
image.add_class("pl-floor-image")
slider = widgets.IntSlider(value=0, min=0, max=1000)
slider.add_class("pl-floor-slider")
slider.observe(lambda change: setattr(image, "value", frames[change["new"] % 2]), "value")
box = widgets.VBox([slider, image])
box.add_class("pl-floor")
box
"""

# Installed in the page: times keydown -> load of the watched <img>.
_WATCH_JS = """
(selector) => {
  const state = window.__latency = {t0: null, last: null, loads: [], presses: 0};
  document.addEventListener('keydown', () => { state.t0 = state.t0 ?? performance.now();
                                                state.last = performance.now(); state.presses += 1; }, true);
  const img = document.querySelector(selector);
  img.addEventListener('load', () => {
    if (state.t0 !== null) { state.loads.push({first: performance.now() - state.t0,
                                               last: performance.now() - state.last}); state.t0 = null; }
  });
  return !!img;
}
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def measure(page, tool: Tool, presses: int, burst: int = 10) -> dict:
    """Time ``presses`` single key presses and one held-key burst on ``tool``, in an open ``page``."""
    if tool.choose:
        page.locator(tool.choose[0]).first.select_option(label=tool.choose[1])
        page.wait_for_timeout(1500)
    handle = page.locator(f"{tool.slider} .noUi-handle").first
    handle.scroll_into_view_if_needed()
    page.locator(tool.image).first.wait_for(state="visible")
    page.evaluate(_WATCH_JS, tool.image)
    handle.focus()
    key = tool.key
    singles = []
    for index in range(presses + 2):  # the first two warm the path and are dropped
        if index and index % 8 == 0:  # turn back before the slider's end
            key = "ArrowLeft" if key == "ArrowRight" else "ArrowRight"
        count = page.evaluate("window.__latency.loads.length")
        handle.press(key)
        try:
            page.wait_for_function(f"window.__latency.loads.length > {count}", timeout=5000)
        except Exception:  # noqa: BLE001  (a press that changes nothing: e.g. a clamped slider)
            page.evaluate("window.__latency.t0 = null")
            continue
        if index >= 2:
            singles.append(page.evaluate("window.__latency.loads.at(-1).first"))
        page.wait_for_timeout(250)
    page.evaluate("window.__latency.loads = []; window.__latency.t0 = null")
    for _ in range(burst):  # a held key repeats about every 33 ms
        handle.press(key)
        page.wait_for_timeout(33)
    page.wait_for_timeout(1500)
    loads = page.evaluate("window.__latency.loads")
    return {
        "tool": tool.name,
        "load_average": round(os.getloadavg()[0], 2),  # 1-minute, read when the tool was done
        "presses": len(singles),
        "median_ms": statistics.median(singles) if singles else None,
        "p95_ms": _percentile(singles, 0.95) if singles else None,
        "max_ms": max(singles) if singles else None,
        "burst_presses": burst,
        "burst_images": len(loads),
        "burst_last_after_last_key_ms": loads[-1]["last"] if loads else None,
    }


def _floor_cell() -> dict:
    return {"cell_type": "code", "execution_count": None, "id": "latency-floor", "metadata": {}, "outputs": [],
            "source": FLOOR_SOURCE.splitlines(keepends=True)}  # fmt: skip


def _with_floor(root: Path, notebook: str) -> str:
    """Write a copy of ``notebook`` with the floor appended as its last cell; return the copy's name."""
    content = json.loads((root / notebook).read_text())
    content["cells"].append(_floor_cell())
    name = f"{Path(notebook).stem}_with_floor.ipynb"
    (root / name).write_text(json.dumps(content))
    return name


def _row(row: dict, floor: float | None) -> str:
    if "error" in row or not row["presses"]:
        return f"  {row['tool']:<28}  {row.get('error', 'no press changed the picture')}"
    here = row.get("floor_here_p95_ms")
    row["p95_over_floor"] = row["p95_ms"] / floor if floor else None
    row["p95_over_floor_here"] = row["p95_ms"] / here if here else None
    ratios = "".join(f"{r:>8.2f}" if r else f"{'':>8}" for r in (row["p95_over_floor"], row["p95_over_floor_here"]))
    return (f"  {row['tool']:<28}{row['median_ms']:>8.1f}{row['p95_ms']:>8.1f}{row['max_ms']:>8.1f}{ratios}"
            f"{row['burst_images']:>8} / {row['burst_presses']:<4}{row['burst_last_after_last_key_ms'] or 0:>9.0f}"
            f"{row['load_average']:>6.1f}")  # fmt: skip


def main(presses: int = 20, only: list[str] | None = None) -> list[dict]:
    chromium = find_chromium()
    if chromium is None:
        sys.exit("No system Chromium found (on Debian: apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    tools = [t for t in TOOLS if not only or any(w in t.name for w in only)]
    notebooks = list(dict.fromkeys(t.notebook for t in tools))
    results = []

    def timed(page, tool: Tool) -> dict:
        started = time.monotonic()
        try:
            row = measure(page, tool, presses)
        except Exception as error:  # noqa: BLE001  (report the tool and go on with the others)
            row = {"tool": tool.name, "error": f"{type(error).__name__}: {error}"[:300]}
        print(f"  measured {tool.name} in {time.monotonic() - started:.0f} s", file=sys.stderr)
        results.append(row)
        return row

    def floor_alone() -> None:
        page = lab.open("latency_floor.ipynb", viewport=VIEWPORT)
        try:
            timed(page, FLOOR)
        finally:
            page.close()

    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as workdir:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        lab = JupyterLab(Path(workdir), browser).start()
        root = Path(workdir) / "root"
        (root / "latency_floor.ipynb").write_text(json.dumps({
            "cells": [_floor_cell()], "nbformat": 4, "nbformat_minor": 5,
            "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}}}))
        try:
            # The floor alone first and again last: on a shared machine the load drifts, and each
            # tool's first ratio is to the mean of the two. Each notebook also carries the floor as
            # its last cell, timed after its tools in the same page and kernel: the second ratio,
            # about the tool rather than the notebook it sits in.
            floor_alone()
            for notebook in notebooks:
                page = lab.open(_with_floor(root, notebook), viewport=VIEWPORT)
                try:
                    rows = [timed(page, t) for t in tools if t.notebook == notebook]
                    here = timed(page, replace(FLOOR, name=f"floor in {notebook[:2]}"))
                finally:
                    page.close()
                for row in rows:
                    row["floor_here_p95_ms"] = here.get("p95_ms")
            floor_alone()
        finally:
            lab.stop()
            browser.close()
    results[-1]["tool"] = "floor alone, again last"
    floors = [row["p95_ms"] for row in (results[0], results[-1]) if row.get("p95_ms")]
    floor = statistics.mean(floors) if floors else None
    print(f"\nKey press to new pixels, {VIEWPORT[0]} x {VIEWPORT[1]}, {presses} single presses per tool"
          " (floor: a widget that only sends a cached JPEG; p95 / floor: to the floor alone,"
          " / here: to the floor in the tool's own notebook)")  # fmt: skip
    print(f"  {'tool':<28}{'median':>8}{'p95':>8}{'max':>8}{'/ floor':>8}{'/ here':>8}{'burst images':>14}"
          f"{'last':>9}{'load':>6}")
    for row in results:
        print(_row(row, floor))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps({"presses": presses, "viewport": list(VIEWPORT), "floor_p95_ms": floor,
                                   "tools": results}, indent=2))
    print(f"\nWritten to {RESULTS.relative_to(HERE.parent)}")
    return results


if __name__ == "__main__":
    arguments = sys.argv[1:]
    count = int(arguments.pop(0)) if arguments and arguments[0].isdigit() else 20
    main(count, arguments)
