"""The curriculum: which lessons exist, in what order, and what each teaches."""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

NOTEBOOK_DIR = Path(__file__).resolve().parent.parent / "notebooks"


@dataclass(frozen=True)
class Lesson:
    """One notebook of the workbook."""

    number: int
    slug: str
    title: str
    principle: str
    activity: str

    @property
    def file(self) -> str:
        """The notebook's file name."""
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def available(self) -> bool:
        """Whether this copy of the workbook has the notebook yet."""
        return (NOTEBOOK_DIR / self.file).exists()


LESSONS: tuple[Lesson, ...] = (
    Lesson(0, "start_here", "Start here", "how to use the workbook",
           "run a first live tool on a bundled portrait, then on your own photo"),
    Lesson(1, "eyes_and_gaze", "Eyes and gaze", "direct and averted gaze; the shared-signal hypothesis",
           "shift the gaze of a real photo and pair it with an expression"),
    Lesson(2, "expression_and_asymmetry", "Expression and asymmetry", "micro-expression, smile intensity, symmetry",
           "lift mouth corners and brows one side at a time; build mirror composites"),
    Lesson(3, "texture_and_imperfection", "Texture and imperfection", "believability and over-smoothing",
           "smooth skin as a beauty filter does, measure what is lost, restore it"),
    Lesson(4, "posture_framing_background", "Posture, framing and background",
           "posture, camera distance, crop, background as narrative",
           "pose a drawn figure, re-photograph a face from 30 cm to 3 m, re-crop, put a portrait on other grounds"),
    Lesson(5, "colour_psychology", "Colour psychology", "colour presence amplifies a mood; saturation reads happier",
           "white balance, vibrance and grading; measure warmth and colourfulness"),
    Lesson(6, "nostalgia_and_culture", "Nostalgia and culture", "nostalgic cues and era looks",
           "apply era looks and compute a viewer's nostalgia window"),
    Lesson(7, "prompt_studio", "Prompt studio", "identity, emotion and context in a prompt",
           "build, check and export prompts for image generators"),
    Lesson(8, "editing_for_warmth_and_depth", "Editing for warmth and depth", "editing that keeps the person present",
           "use a full edit panel with before/after and export"),
    Lesson(9, "portrait_checklist", "Portrait checklist", "the whole workbook as a checklist",
           "audit a portrait for a goal, follow fix-it links, and leave with a brand portrait brief"),
)  # fmt: skip


def lesson_name(number: int) -> str:
    """How a learner is told where something is taught: "lesson 02, Expression and asymmetry", not a file name.

    Examples
    --------
    >>> lesson_name(7)
    'lesson 07, Prompt studio'
    """
    return f"lesson {number:02d}, {LESSONS[number].title}"


class LessonMap:
    """The lesson table, shown as HTML in a notebook.

    Lessons present in this copy link to their notebook; the others are
    marked as on their way.

    Examples
    --------
    >>> "01_eyes_and_gaze.ipynb" in LessonMap()._repr_html_()
    True
    """

    def _repr_html_(self) -> str:
        rows = []
        for lesson in LESSONS:
            title = html.escape(lesson.title)
            if lesson.available:
                title = f'<a href="{lesson.file}">{title}</a>'
            else:
                title = f'{title} <span style="color:#777">(on its way)</span>'
            rows.append(
                f"<tr><td>{lesson.number:02d}</td><td>{title}</td><td>{html.escape(lesson.principle)}</td>"
                f"<td>{html.escape(lesson.activity)}</td><td><code>{lesson.file}</code></td></tr>"
            )
        head = "<tr><th>#</th><th>lesson</th><th>principle</th><th>what you do</th><th>notebook</th></tr>"
        return f'<table class="pl-lesson-map">{head}{"".join(rows)}</table>'

    def __repr__(self) -> str:
        return "\n".join(
            f"{lesson.number:02d} {lesson.title}{'' if lesson.available else ' (on its way)'}" for lesson in LESSONS
        )
