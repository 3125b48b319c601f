"""The workshop study's two views: the attendee's runner and the facilitator's results.

:class:`StudyRunner` shows a consent line, then each pair side by side with a
button under each picture (or a 1-7 rating under each), and hands the answers
in when the last pair is answered; the run itself is a
:class:`~portrait_lessons.workshop.runner.StudyRun`. :class:`StudyResults`
merges a folder and uploaded files and shows the table and the plot. Both are
built by the notebooks ``workshop_study`` and ``workshop_results`` and by the
app ``apps/study.ipynb``.
"""

from __future__ import annotations

import base64
import html
import io
import json
from pathlib import Path

import ipywidgets as widgets

from ..images import to_jpeg
from ..workshop.analysis import merge_answers, plot_study, results_table, summarise
from ..workshop.design import Study, StudyError, bundled_studies, load_study
from ..workshop.runner import ATTENTION, RunError, StudyRun
from ..workshop.stimuli import attention_picture, neutral_picture, render_version

#: Width of each picture on screen: two side by side, with the buttons, fit a 1366 x 768 laptop.
PICTURE_WIDTH = "300px"


def _message(text: str, failed: bool = False) -> str:
    colour = "#a40000" if failed else "#2e6b2e"
    return f'<span style="color:{colour}">{html.escape(text)}</span>'


class StudyRunner(widgets.VBox):
    """One attendee's study. Widgets are attributes for code and tests:
    ``agree``, ``start``, ``pictures`` (left, right), ``choose`` (left and right
    buttons), ``ratings`` (left and right), ``next``, ``progress``, ``message``.
    """

    def __init__(self, run: StudyRun):
        self.run = run
        study = run.study
        self.title = widgets.HTML(f"<h3 style='margin:4px 0'>{html.escape(study.title)}</h3>")
        self.consent = widgets.HTML(
            f"<div class='pl-consent'>{html.escape(study.consent)}<br><span style='color:#555'>Your code: "
            f"<b>{html.escape(run.participant)}</b> · {run.total} screens, about {run.total // 2 + 1} minutes."
            "</span></div>"
        )
        self.agree = widgets.Checkbox(value=run.consented, description="I agree to take part", indent=False)
        self.agree.add_class("pl-agree")
        self.start = widgets.Button(description="Start", icon="play", button_style="primary", disabled=True)
        self.start.add_class("pl-start")
        self.progress = widgets.HTML()
        self.progress.add_class("pl-progress")
        self.question = widgets.HTML()
        self.pictures = [widgets.Image(format="jpeg", layout=widgets.Layout(width=PICTURE_WIDTH)) for _ in range(2)]
        self.choose = [widgets.Button(description=f"Choose {side}", layout=widgets.Layout(width=PICTURE_WIDTH))
                       for side in ("left", "right")]  # fmt: skip
        low, high = study.question.scale
        self.ratings = [widgets.ToggleButtons(options=list(range(low, high + 1)), value=None,
                                              style={"button_width": "36px"}) for _ in range(2)]  # fmt: skip
        self.next = widgets.Button(description="Next", icon="arrow-right", disabled=True)
        self.next.add_class("pl-next")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        for index, side in enumerate(("left", "right")):
            self.pictures[index].add_class(f"pl-study-{side}")
            self.choose[index].add_class(f"pl-choose-{side}")
            self.ratings[index].add_class(f"pl-rate-{side}")
            self.choose[index].on_click(lambda _, side=side: self._choose(side))
            self.ratings[index].observe(lambda _: self._ratings_changed(), "value")
        self.agree.observe(lambda change: setattr(self.start, "disabled", not change["new"]), "value")
        self.start.on_click(lambda _: self._start())
        self.next.on_click(lambda _: self._rate())

        self.consent_box = widgets.VBox([self.consent, widgets.HBox([self.agree, self.start])])
        columns = [widgets.VBox([self.pictures[i], self.choose[i], self.ratings[i]]) for i in range(2)]
        self.trial_box = widgets.VBox([self.progress, self.question, widgets.HBox(columns), self.next])
        self.done_box = widgets.HTML()
        self.done_box.add_class("pl-study-done")
        super().__init__([self.title, self.consent_box, self.trial_box, self.done_box, self.message],
                         layout=widgets.Layout(max_width="760px"))  # fmt: skip
        self.add_class("pl-study-runner")
        if run.resumed:
            self.message.value = _message(f"Welcome back: continuing where you stopped ({run.position} of {run.total} answered).")
        self._show()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"StudyRunner(study={self.run.study.id!r}, answered={self.run.position} of {self.run.total})"

    # --- actions ---------------------------------------------------------------------
    def _start(self) -> None:
        self.run.agree()
        self._show()

    def _choose(self, side: str) -> None:
        self._act(lambda: self.run.choose(side))

    def _ratings_changed(self) -> None:
        self.next.disabled = any(r.value is None for r in self.ratings)

    def _rate(self) -> None:
        left, right = (r.value for r in self.ratings)
        self._act(lambda: self.run.rate(left, right))

    def _act(self, answer) -> None:
        try:
            answer()
        except (RunError, OSError) as error:
            self.message.value = _message(str(error), failed=True)
            return
        self.message.value = ""
        if self.run.done:
            self._hand_in()
        self._show()

    def _hand_in(self) -> None:
        try:
            self.run.answers_folder.mkdir(parents=True, exist_ok=True)
            path = self.run.finish()
            where = f"Your answers are saved as {path.name} in the study folder."
            failed = False
        except OSError as error:
            where, failed = f"Your answers could not be saved in the study folder ({error}). ", True
        data = base64.b64encode(_answers_bytes(self.run)).decode()
        name = html.escape(self.run.answers_path.name)
        link = (f'<a download="{name}" href="data:application/json;base64,{data}" class="pl-download">'
                f"Download your answers file</a>")  # fmt: skip
        hand = "Hand this file to the facilitator." if failed else "If the facilitator asks for files, hand in this one."
        self.done_box.value = (
            f"<div style='padding:8px;background:rgba(46,107,46,0.08)'><b>Thank you!</b> {html.escape(where)}<br>"
            f"{link}: {html.escape(hand)} Nothing else about you was stored.</div>"
        )
        if failed:
            self.message.value = _message(where + "Use the download link below.", failed=True)

    # --- showing -----------------------------------------------------------------------
    def _show(self) -> None:
        run = self.run
        self.consent_box.layout.display = "none" if run.consented else ""
        self.agree.value = run.consented
        trial = run.current
        self.trial_box.layout.display = "" if run.consented and trial is not None else "none"
        if trial is None:
            if run.saved_to is not None and not self.done_box.value:
                self._hand_in()
            return
        if not run.consented:
            return
        study = run.study
        rating = trial.kind == "pair" and study.question.answer == "rating"
        self.progress.value = f"<span style='color:#555'>Screen {run.position + 1} of {run.total}</span>"
        if trial.kind == ATTENTION:
            text = study.attention_check
        elif rating:
            low, high = study.question.scale
            scale = f" ({low} = {study.question.low or 'least'}, {high} = {study.question.high or 'most'})"
            text = study.question.text + scale
        else:
            text = study.question.text
        self.question.value = f"<div class='pl-question' style='font-size:16px'><b>{html.escape(text)}</b></div>"
        for index, side in enumerate(("left", "right")):
            self.pictures[index].value = to_jpeg(self._picture(trial.shown(side), trial.factor), quality=88)
            self.choose[index].layout.display = "none" if rating else ""
            self.ratings[index].layout.display = "" if rating else "none"
            self.ratings[index].value = None
        self.next.layout.display = "" if rating else "none"
        self.next.disabled = True

    def _picture(self, version: str, factor: str):
        portrait = self.run.study.portrait
        if factor == ATTENTION:
            return attention_picture(portrait) if version == "grey" else neutral_picture(portrait)
        return render_version(portrait, self.run.study.pair(factor).version(version))


def _answers_bytes(run: StudyRun) -> bytes:
    return (json.dumps(run.record(), indent=1, sort_keys=True, ensure_ascii=False) + "\n").encode()


def study_runner(study: str | Study = "four_cues", answers: str | Path = "study_answers",
                 drafts: str | Path = "study_progress") -> StudyRunner:  # fmt: skip
    """Build an attendee's study runner (it is returned, not displayed).

    ``answers`` is the folder the finished answers go to (on a JupyterHub, the
    shared folder the facilitator names); ``drafts`` is the attendee's own
    folder for an unfinished run, so that reopening the study continues it.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     runner = study_runner("competence", folder + "/answers", folder + "/drafts")
    ...     runner.agree.value = True
    ...     runner.start.click()
    ...     runner.choose[0].click()
    ...     print(runner)
    StudyRunner(study='competence', answered=1 of 3)
    """
    study = study if isinstance(study, Study) else load_study(study)
    return StudyRunner(StudyRun.resume_or_start(study, answers, drafts))


class StudyResults(widgets.VBox):
    """The facilitator's results. Widgets are attributes for code and tests:
    ``study`` (a menu of bundled studies), ``folder``, ``merge``, ``upload``,
    ``report``, ``table``, ``plot``.
    """

    def __init__(self, study: str | Study = "four_cues", folder: str | Path = "study_answers"):
        self._given = study if isinstance(study, Study) else None
        names = bundled_studies()
        start = study.id if isinstance(study, Study) else study
        if start not in names:
            names = [start, *names]
        self.study = widgets.Dropdown(options=names, value=start, description="Study")
        self.study.add_class("pl-results-study")
        self.folder = widgets.Text(value=str(folder), description="Folder", layout=widgets.Layout(width="420px"))
        self.folder.add_class("pl-results-folder")
        self.merge = widgets.Button(description="Merge answers", icon="refresh", button_style="primary")
        self.merge.add_class("pl-merge")
        self.upload = widgets.FileUpload(accept=".json", multiple=True, description="Add handed-in files",
                                        layout=widgets.Layout(width="210px"))  # fmt: skip
        self.upload.add_class("pl-results-upload")
        self.report = widgets.HTML()
        self.report.add_class("pl-report")
        self.table = widgets.HTML()
        self.table.add_class("pl-results-table")
        self.plot = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="900px"))
        self.plot.add_class("pl-results-plot")
        self.merge.on_click(lambda _: self.refresh())
        self.upload.observe(lambda _: self.refresh(), "value")
        self.study.observe(lambda _: self.refresh(), "value")
        super().__init__(
            [widgets.HBox([self.study, self.folder]), widgets.HBox([self.merge, self.upload]), self.report,
             self.table, self.plot],
            layout=widgets.Layout(max_width="1000px"),
        )  # fmt: skip
        self.add_class("pl-study-results")
        self.refresh()

    def __repr__(self) -> str:
        return f"StudyResults(study={self.study.value!r})"

    def _load(self) -> Study:
        if self._given is not None and self._given.id == self.study.value:
            return self._given
        return load_study(self.study.value)

    def refresh(self) -> None:
        """Merge the folder and the uploaded files again and redraw."""
        try:
            study = self._load()
        except StudyError as error:
            self.report.value = _message(str(error), failed=True)
            return
        sources = [list(self.upload.value)]
        folder = Path(self.folder.value.strip() or ".")
        if folder.is_dir():
            sources.insert(0, folder)
        merge = merge_answers(study, *sources)
        lines = merge.report().split("\n")
        if not folder.is_dir():
            lines.insert(0, f"The folder '{folder}' does not exist yet: no attendee has handed in there. "
                            "Check the path, or add handed-in files with the upload button.")  # fmt: skip
        items = "".join(
            f"<li style='color:{'#a40000' if line.startswith(('Refused', 'The folder')) else 'inherit'}'>"
            f"{html.escape(line)}</li>" for line in lines
        )  # fmt: skip
        self.report.value = f"<ul class='pl-merge-report' style='margin:2px 0'>{items}</ul>"
        results = summarise(merge)
        self.table.value = results_table(results)
        figure = plot_study(merge, results)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=90)
        self.plot.value = buffer.getvalue()
        self.merged = merge
        self.results = results


def study_results(study: str | Study = "four_cues", folder: str | Path = "study_answers") -> StudyResults:
    """Build the facilitator's results view for ``study`` and the answers ``folder`` (returned, not displayed).

    Examples
    --------
    >>> import tempfile
    >>> from portrait_lessons.workshop import load_study, simulate_room
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     _ = simulate_room(load_study("competence"), folder, 8, seed=1)
    ...     view = study_results("competence", folder)
    >>> len(view.merged.records), view.plot.value[:4] == b"\\x89PNG"
    (8, True)
    """
    return StudyResults(study, folder)
