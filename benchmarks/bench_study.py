"""The room's study: what an attendee waits for between screens, and the facilitator's merge and plot.

Baseline: encoding one 480 px picture as JPEG, which every screen needs anyway.
"""

from __future__ import annotations

import io
import tempfile

from timing import median_ms, report

from portrait_lessons.images import to_jpeg
from portrait_lessons.workshop import load_study, merge_answers, plot_study, simulate_room, summarise
from portrait_lessons.workshop.stimuli import _render, render_version


def run() -> None:
    study = load_study("four_cues")
    picture = render_version(study.portrait, study.pairs[0].a)
    base = median_ms(lambda: to_jpeg(picture, quality=88))

    def cold_screen():
        _render.cache_clear()
        for version in "ab":
            to_jpeg(render_version(study.portrait, study.pair("gaze").version(version)), quality=88)

    def warm_screen():
        for version in "ab":
            to_jpeg(render_version(study.portrait, study.pair("gaze").version(version)), quality=88)

    rows = [("next screen, gaze pair, first time (render + encode 2)", median_ms(cold_screen, repeat=10)),
            ("next screen, gaze pair, cached (encode 2)", median_ms(warm_screen))]  # fmt: skip
    with tempfile.TemporaryDirectory() as folder:
        simulate_room(study, folder, 30, {"gaze": 0.3, "skin": 0.8}, seed=1)

        def merge_and_plot():
            merge = merge_answers(study, folder)
            plot_study(merge, summarise(merge)).savefig(io.BytesIO(), format="png", dpi=90)

        rows.append(("merge 30 answers files", median_ms(lambda: merge_answers(study, folder), repeat=10)))
        rows.append(("merge 30 files, summarise, draw the plot as PNG", median_ms(merge_and_plot, repeat=5, warmup=1)))
    report("The room's study", ("encode one 480 px picture as JPEG", base), rows)


if __name__ == "__main__":
    run()
