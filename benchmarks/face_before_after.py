"""Face edits' whole path before and after a change, in one run: ``python benchmarks/face_before_after.py REF``.

The package at git ref ``REF`` (say ``main``) is exported to a temporary folder;
then the two versions take turns, each in its own process, over a few rounds, so
both see the same load. Every edit of the face panel is timed on each bundled
photo at 1024 px, dragged (the slider value moves a little at every step, as
under the mouse). Figures are CPU time of the timing thread with BLAS and
OpenCV held to one thread: on a shared, loaded machine, wall time mostly
measures the neighbours. Not part of ``make bench`` (it needs git and takes
minutes).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import itertools, json, sys, time
sys.path.insert(0, sys.argv[1])
import cv2
import numpy as np
cv2.setNumThreads(1)
from portrait_lessons import examples
from portrait_lessons.face.edits import FaceEdit, apply_face_edits
EXPRESSION = dict(gaze_y=8, mouth_left=5, mouth_right=5, brow_left=3, brow_right=3, eyelid_narrowing=2)
DRAGS = {
    "head tilt 6..10": [FaceEdit(head_tilt=v) for v in np.linspace(6, 10, 9)],
    "mouth corner 2..4": [FaceEdit(mouth_left=v) for v in np.linspace(2, 4, 9)],
    "brow 2..4": [FaceEdit(brow_left=v) for v in np.linspace(2, 4, 9)],
    "eyelid narrowing 1.5..2.5": [FaceEdit(eyelid_narrowing=v) for v in np.linspace(1.5, 2.5, 9)],
    "gaze sideways 8..12": [FaceEdit(gaze_x=v) for v in np.linspace(8, 12, 9)],
    "gaze up 6..10": [FaceEdit(gaze_y=v) for v in np.linspace(6, 10, 9)],
    "expression, mouth 4..6": [FaceEdit(**{**EXPRESSION, "mouth_left": v}) for v in np.linspace(4, 6, 9)],
}
out = {}
for name in sys.argv[2].split(","):
    image, points = examples.load_portrait(name, 1024), examples.portrait_landmarks(name, 1024)
    for label, drag in DRAGS.items():
        steps = itertools.cycle(drag)
        for _ in range(3):
            apply_face_edits(image, points, next(steps))
        times = []
        for _ in range(int(sys.argv[3])):
            edit = next(steps)
            start = time.thread_time()
            apply_face_edits(image, points, edit)
            times.append(time.thread_time() - start)
        out[f"{name}|{label}"] = times
print(json.dumps(out))
"""


def export(ref: str, folder: Path) -> None:
    """The package and its photos at ``ref``, unpacked into ``folder``."""
    archive = subprocess.run(["git", "archive", ref, "portrait_lessons", "images"], cwd=ROOT, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive.stdout, check=True)


def main(ref: str = "main", names: str = "collins,armstrong,jemison,ochoa,glover,koch,hopper,johnson",
         rounds: int = 3, repeat: int = 9) -> None:
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as before:
        export(ref, Path(before))
        times: dict[str, dict[str, list[float]]] = {"before": {}, "after": {}}
        for _ in range(rounds):
            for label, path in (("before", before), ("after", str(ROOT))):
                run = subprocess.run([sys.executable, "-c", CHILD, path, names, str(repeat)],
                                     env=env, capture_output=True, text=True, check=True)  # fmt: skip
                for key, values in json.loads(run.stdout).items():
                    times[label].setdefault(key, []).extend(values)
    print(f"Face edits' whole path, 1024 px, dragged: median CPU ms, {ref} (before) and this tree (after), same run")
    print(f"  {'photo | edit':<44}{'before':>8}{'after':>8}{'speed-up':>10}")
    for key in times["before"]:
        b, a = (1e3 * statistics.median(times[label][key]) for label in ("before", "after"))
        print(f"  {key.replace('|', ' | '):<44}{b:>8.1f}{a:>8.1f}{b / a:>9.1f}x")


if __name__ == "__main__":
    main(*sys.argv[1:2])
