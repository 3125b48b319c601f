"""Exercises answered with the mouse: choose, set, or type, press **Check**, read the feedback.

Every exercise of the workbook is one :class:`Exercise`: a few answer widgets
(or none, when the answer is what the learner did in a tool above), a
**Check** button, and a feedback line. The feedback is the sentence the
lesson's check function in :mod:`portrait_lessons.checks` returns, so the
mouse route and the code route say exactly the same thing.

ipywidgets alone does it: a quiz package (jupyterquiz, say) checks fixed
answers written into the notebook, while these checks measure what the
learner made in a tool (a warmer portrait, a matched gaze and expression).

Examples
--------
>>> exercise = choose(lambda answer: f"Well done: {answer}." if answer == "b" else "Not there yet: try again.",
...                   ["a", "b"], "Which?")
>>> exercise.answers["answer"].value = "b"
>>> exercise.check.click()
>>> exercise.feedback.value
'<div class="pl-feedback pl-feedback-done" ...>Well done: b.</div>'
"""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence

import ipywidgets as widgets

#: What Check says when nothing is chosen yet.
PICK_FIRST = "Choose an answer first, then press Check."
#: How feedback opens when the exercise is done (the checks' own wording).
DONE = ("Well done",)
_STYLE = {
    True: "background:#e6f4e6;border-left:4px solid #2e6b2e;color:#1f4a1f",
    False: "background:#fff4d6;border-left:4px solid #b35806;color:#5a3000",
}


def feedback_html(text: str) -> str:
    """A check's sentence as a coloured feedback box: green when done, amber otherwise; escaped.

    Examples
    --------
    >>> "pl-feedback-done" in feedback_html("Well done: yes.")
    True
    >>> "&lt;b&gt;" in feedback_html("Not there yet: <b>")
    True
    """
    done = text.startswith(DONE)
    return (f'<div class="pl-feedback {"pl-feedback-done" if done else "pl-feedback-todo"}" '
            f'style="{_STYLE[done]};padding:4px 8px;border-radius:3px;margin-top:4px">{html.escape(text)}</div>')  # fmt: skip


class Exercise(widgets.VBox):
    """Answer widgets, a **Check** button and the feedback.

    Parameters
    ----------
    check : callable
        Called with each answer widget's value by name; returns the feedback sentence.
    answers : mapping of str to widget
        The answer widgets (none when the answer is the state of a tool above).
    label : str
        What the Check button says.
    actions : mapping of str to callable
        Extra buttons (for instance "Load this prompt into the studio"), shown above ``tool``.
    tool : widget, optional
        A tool shown inside the exercise, above Check: a second view of a tool further
        up (the same widget, kept in step with it), so the learner works on it and
        checks without scrolling between the two.

    Widgets for code and tests: ``answers`` (by name), ``check`` (the button),
    ``feedback``, ``buttons`` (the extra ones, by label), ``tool``.

    Examples
    --------
    >>> studio_like = widgets.Text(value="a ceramicist")
    >>> exercise = Exercise(lambda: f"Well done: {studio_like.value}", tool=studio_like,
    ...                     actions={"Start over": lambda: setattr(studio_like, "value", "")})
    >>> exercise.children[1] is studio_like  # the buttons, the tool, then Check and the feedback
    True
    >>> exercise.buttons["Start over"].click(); exercise.run()
    'Well done: '
    """

    def __init__(self, check: Callable[..., str], answers: Mapping[str, widgets.Widget] | None = None, *,
                 label: str = "Check", actions: Mapping[str, Callable[[], object]] | None = None,
                 tool: widgets.Widget | None = None):  # fmt: skip
        self._check = check
        self.answers = dict(answers or {})
        self.check = widgets.Button(description=label, icon="check", button_style="primary",
                                    layout=widgets.Layout(width="auto", min_width="120px"))  # fmt: skip
        self.check.add_class("pl-check")
        self.check.on_click(lambda _: self.run())
        self.buttons = {}
        for text, action in (actions or {}).items():
            button = widgets.Button(description=text, layout=widgets.Layout(width="auto"))
            button.on_click(lambda _, action=action: self._act(action))
            self.buttons[text] = button
        self.feedback = widgets.HTML()
        self.feedback.add_class("pl-feedback-line")
        self.tool = tool
        if tool is None:
            rows = [*self.answers.values(), widgets.HBox([self.check, *self.buttons.values()]), self.feedback]
        else:  # do the steps in the tool, then Check right under it
            rows = [widgets.HBox(list(self.buttons.values())), tool, *self.answers.values(), widgets.HBox([self.check]),
                    self.feedback]
        super().__init__(rows, layout=widgets.Layout(max_width="900px" if tool is None else "1300px"))  # fmt: skip
        self.add_class("pl-exercise")

    def __repr__(self) -> str:
        return f"Exercise(answers={list(self.answers)})"

    def _repr_mimebundle_(self, **kwargs):
        # What a notebook shows in its place until it runs: words for the learner, not a repr.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = "The exercise's Check button appears here once the notebook runs: menu Run > Run All Cells."
        return bundle

    def run(self) -> str:
        """Check the answers now (what the button does); returns the feedback sentence."""
        try:
            text = self._check(**{name: widget.value for name, widget in self.answers.items()})
        except Exception as error:  # a check must never leave the learner with a traceback
            text = f"The check couldn't run: {error}. Run the cells above again (Run > Run All Cells), then check."
        self.feedback.value = feedback_html(text)
        return text

    def _act(self, action) -> None:
        try:
            action()
        except Exception as error:
            self.feedback.value = feedback_html(f"That didn't work: {error}")
        else:
            self.feedback.value = ""


def check_tool(check: Callable[[], str], label: str = "Check") -> Exercise:
    """An exercise whose answer is what the learner did in a tool above: just a Check button.

    Examples
    --------
    >>> exercise = check_tool(lambda: "Not there yet: warm it.")
    >>> exercise.run()
    'Not there yet: warm it.'
    """
    return Exercise(check, label=label)


def choose(check: Callable[[str], str], options: Sequence | Mapping, description: str = "",
           buttons: bool = False) -> Exercise:  # fmt: skip
    """Pick one answer (radio buttons, or toggle buttons with ``buttons=True``), then Check.

    ``options`` is a list of answers or a {label: value} mapping; ``check``
    receives the chosen value as ``answer``.

    Examples
    --------
    >>> exercise = choose(lambda answer: answer.upper(), {"First": "a", "Second": "b"}, "Pick")
    >>> exercise.run()
    'Choose an answer first, then press Check.'
    >>> exercise.answers["answer"].value = "b"
    >>> exercise.run()
    'B'
    """
    options = list(options.items()) if isinstance(options, Mapping) else list(options)
    kind = widgets.ToggleButtons if buttons else widgets.RadioButtons
    # Nothing chosen at first: a first option chosen for the learner could be the answer, checked unread.
    widget = kind(options=options, value=None, description=description, style={"description_width": "initial"},
                  layout=widgets.Layout(width="auto"))  # fmt: skip
    widget.add_class("pl-answer")
    return Exercise(lambda answer: check(answer) if answer is not None else PICK_FIRST, {"answer": widget})


def type_in(check: Callable[[str], str], description: str = "Your answer", placeholder: str = "") -> Exercise:
    """Type an answer into a box, then Check; ``check`` receives the text as ``answer``.

    Examples
    --------
    >>> exercise = type_in(lambda answer: f"You typed {answer!r}.")
    >>> exercise.answers["answer"].value = "Grace Hopper"
    >>> exercise.run()
    "You typed 'Grace Hopper'."
    """
    widget = widgets.Text(description=description, placeholder=placeholder, style={"description_width": "initial"},
                          layout=widgets.Layout(width="420px"))  # fmt: skip
    widget.add_class("pl-answer")
    return Exercise(lambda answer: check(answer), {"answer": widget})


def form(check: Callable[..., str], fields: Mapping[str, tuple[str, str]]) -> Exercise:
    """Several text boxes (name -> (label, starting text)), then Check with every box by name.

    Examples
    --------
    >>> exercise = form(lambda gaze, context: f"{gaze} / {context}", {"gaze": ("Gaze", "direct"),
    ...                                                           "context": ("Where", "a studio")})
    >>> exercise.answers["gaze"].value = "averted"
    >>> exercise.run()
    'averted / a studio'
    """
    answers = {}
    for name, (label, start) in fields.items():
        box = widgets.Text(value=start, description=label, style={"description_width": "110px"},
                           layout=widgets.Layout(width="680px"))  # fmt: skip
        box.add_class(f"pl-answer-{name}")
        answers[name] = box
    return Exercise(check, answers)
