"""A workshop on one machine: many learners dragging sliders at once (``make bench-load``).

Each simulated learner is its own process, as each attendee's kernel is, and
drives a tool the way its widgets do: it sets a slider's value, which runs
the tool's observers (render, measure, JPEG encode) in that process. It drags
in bursts of steps at 10 per second with pauses between them, cycling through
the tools of several lessons. For N = 1, 2, 4, ... learners the benchmark
reports the 95th-percentile step time and the peak memory per process, and
the N at which the 95th percentile passes 100 ms.

It also runs every lesson notebook top to bottom in a real kernel and reports
the kernel's memory afterwards (the figure a JupyterHub's per-user limit must
hold). Results go to ``benchmarks/results/load.json``.

Usage: ``python benchmarks/load.py [max_learners]``.
"""

from __future__ import annotations

import json
import multiprocessing as mp
import resource
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
RESULTS = HERE / "results" / "load.json"

BURST_STEPS, STEP_INTERVAL_S, PAUSE_S, BURSTS = 10, 0.1, 0.6, 4


def _tools():
    """(name, slider widget, values to step through) for the tools a learner drags most."""
    from portrait_lessons.ui.editing_panel import editing_panel
    from portrait_lessons.ui.face_tools import gaze_tool
    from portrait_lessons.ui.grading import grading_panel
    from portrait_lessons.ui.start_here import warmth_tool

    warm = warmth_tool("koch")
    gaze = gaze_tool("glover")
    grading = grading_panel("koch")
    panel = editing_panel("koch")
    midtones = next(s for (stage, name), s in panel.sliders.items() if name == "midtone_warmth")
    return [
        ("00 warmth", warm.warmth, range(-30, 31, 3)),
        ("01 gaze", gaze.gaze_x, range(-15, 16, 2)),
        ("05 grading temperature", grading.sliders["temperature"], range(5000, 8001, 150)),
        ("08 panel midtone warmth", midtones, range(0, 61, 3)),
    ]


def learner(index: int, start_at: float, queue) -> None:
    """One learner: wait for the common start, then drag each tool's slider in bursts."""
    tools = _tools()
    times = []
    while time.time() < start_at:
        time.sleep(0.01)
    for burst in range(BURSTS):
        name, slider, values = tools[(burst + index) % len(tools)]
        values = list(values)
        for step in range(BURST_STEPS):
            tick = time.perf_counter()
            slider.value = values[(step + burst) % len(values)]
            elapsed = time.perf_counter() - tick
            times.append(elapsed * 1e3)
            time.sleep(max(0.0, STEP_INTERVAL_S - elapsed))
        time.sleep(PAUSE_S)
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    queue.put((times, peak_mib))


def run_learners(count: int) -> dict:
    context = mp.get_context("spawn")
    queue = context.Queue()
    start_at = time.time() + 8 + 1.5 * count  # every process built its tools before the first step
    processes = [context.Process(target=learner, args=(i, start_at, queue)) for i in range(count)]
    for process in processes:
        process.start()
    outcomes = [queue.get(timeout=600) for _ in processes]
    for process in processes:
        process.join()
    steps = sorted(t for times, _ in outcomes for t in times)
    return {
        "learners": count,
        "steps": len(steps),
        "median_ms": statistics.median(steps),
        "p95_ms": steps[min(len(steps) - 1, round(0.95 * (len(steps) - 1)))],
        "peak_mib_per_process": max(m for _, m in outcomes),
    }


_MEMORY_CELL = """\
import resource
with open("/proc/self/status") as status:
    rss = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
print(f"KERNEL_MEMORY {rss / 1024:.1f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def lesson_memory() -> list[dict]:
    """Each lesson run top to bottom in a real kernel, then the kernel's resident and peak memory."""
    import tempfile

    import nbformat
    from nbclient import NotebookClient

    rows = []
    for path in sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        notebook = nbformat.read(path, as_version=4)
        notebook.cells.append(nbformat.v4.new_code_cell(_MEMORY_CELL))
        with tempfile.TemporaryDirectory() as workdir:  # exports and saved photos land here, not in the repo
            for item in (REPO / "notebooks").iterdir():
                if item.is_dir() and item.name != "solutions":
                    (Path(workdir) / item.name).symlink_to(item)
            started = time.monotonic()
            NotebookClient(notebook, timeout=600, resources={"metadata": {"path": workdir}}).execute()
        text = "".join(o.get("text", "") for o in notebook.cells[-1].outputs)
        resident, peak = (float(v) for v in text.split("KERNEL_MEMORY")[1].split()[:2])
        rows.append({"lesson": path.stem, "resident_mib": resident, "peak_mib": peak,
                     "seconds": time.monotonic() - started})  # fmt: skip
        print(f"  {path.stem:<40}{resident:>8.0f} MiB now{peak:>8.0f} MiB peak", file=sys.stderr)
    return rows


def main(max_learners: int = 16) -> dict:
    counts = [n for n in (1, 2, 4, 6, 8, 12, 16, 24, 32) if n <= max_learners]
    print(f"Learners dragging sliders: bursts of {BURST_STEPS} steps at {1 / STEP_INTERVAL_S:.0f} per second")
    print(f"  {'learners':>9}{'steps':>8}{'median ms':>11}{'p95 ms':>9}{'peak MiB / kernel':>19}")
    rows = []
    for count in counts:
        row = run_learners(count)
        rows.append(row)
        print(f"  {count:>9}{row['steps']:>8}{row['median_ms']:>11.1f}{row['p95_ms']:>9.1f}"
              f"{row['peak_mib_per_process']:>19.0f}")  # fmt: skip
        if row["p95_ms"] > 300:  # far past the 100 ms line: more learners only take longer
            break
    over = next((r["learners"] for r in rows if r["p95_ms"] > 100), None)
    limit = over if over else f"more than {rows[-1]['learners']}"
    print(f"  95th percentile passes 100 ms at: {limit} learners")
    print("\nKernel memory after running each lesson top to bottom")
    lessons = lesson_memory()
    for row in lessons:
        print(f"  {row['lesson']:<40}{row['resident_mib']:>8.0f} MiB{row['peak_mib']:>8.0f} MiB peak")
    result = {"cores": mp.cpu_count(), "learners": rows, "p95_over_100ms_at": over, "lessons": lessons}
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2))
    print(f"\nWritten to {RESULTS.relative_to(REPO)}")
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 16)
