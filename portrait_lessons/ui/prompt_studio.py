"""The Prompt Studio: build a portrait prompt layer by layer, see it linted, export it.

:class:`PromptStudioModel` holds the fields as traitlets and does the work
through :mod:`portrait_lessons.prompts`; :class:`PromptStudio` is the ipywidgets
view. The preview, the lint and every export update as the learner types.
Everything the learner typed is escaped before it becomes HTML.
"""

from __future__ import annotations

import html
from contextlib import contextmanager

import ipywidgets as widgets
import traitlets

from ..lessons import LESSONS, lesson_name
from ..prompts import PRESETS, TARGETS, PromptLibrary, PromptLibraryError, PromptSpec, export, lint, resolve
from ..prompts.exports import MAX_SEED, export_html
from ..prompts.lint import findings_html
from ..prompts.model import estimate_tokens
from ..prompts.presets import apply_preset
from ..prompts.vocabulary import LABELS, LAYERS, TEXT_FIELDS, lookup, options
from .frame import grouped
from .status import Reporting

ASPECTS = ("4:5", "2:3", "3:4", "1:1", "9:16", "16:9")

#: The Copy button's script. It reads the text box next to it, so no user text is ever part of a script.
COPY_JS = (
    "const block=this.closest('.pl-copy-block');const area=block.querySelector('textarea');"
    "const status=block.querySelector('.pl-copy-status');"
    "const manual=()=>{area.focus();area.select();let ok=false;try{ok=document.execCommand('copy');}catch(e){}"
    "status.textContent=ok?'Copied.':'Selected: press Ctrl+C (Cmd+C on a Mac) to copy.';};"
    "if(navigator.clipboard&&window.isSecureContext){navigator.clipboard.writeText(area.value)"
    ".then(()=>{status.textContent='Copied.';},manual);}else{manual();}"
)

_FIELD_HINTS = {
    "identity": "who: founder, artist, athlete...", "emotion": "the mood: approachable, reflective...",
    "gaze": "where the eyes go", "expression": "the face", "posture": "the body",
    "context": "where: studio, café, street...", "framing": "how close", "lighting": "the light",
    "palette": "the colours", "era": "a period look, or none", "camera": "lens or medium",
}  # fmt: skip


class PromptStudioModel(Reporting):
    """State of the studio: one trait per field, the goal, seed and aspect ratio.

    Examples
    --------
    >>> model = PromptStudioModel()
    >>> model.apply_goal("contemplative")
    >>> model.spec.gaze, model.spec.identity
    ('soft gaze slightly off-camera', '')
    >>> model.identity = "a ceramicist"
    >>> resolve(model.spec).split(", ")[1]
    'a ceramicist'
    """

    identity = traitlets.Unicode("")
    emotion = traitlets.Unicode("")
    gaze = traitlets.Unicode("")
    expression = traitlets.Unicode("")
    posture = traitlets.Unicode("")
    context = traitlets.Unicode("")
    framing = traitlets.Unicode("")
    lighting = traitlets.Unicode("")
    palette = traitlets.Unicode("")
    era = traitlets.Unicode("")
    camera = traitlets.Unicode("")
    realism = traitlets.Unicode("", help="comma-separated imperfect-realism cues")
    avoid = traitlets.Unicode("", help="comma-separated negative prompt")
    goal = traitlets.Unicode("")
    seed = traitlets.Int(0)
    aspect = traitlets.Unicode("4:5")
    revision = traitlets.Int(0, help="bumped once after a batch of changes, such as applying a goal")

    def __init__(self, spec: PromptSpec | None = None, library: PromptLibrary | None = None, **kwargs):
        super().__init__(**kwargs)
        self.library = library or PromptLibrary()
        self.updating = False
        if spec is not None:
            self.set_spec(spec)

    @property
    def spec(self) -> PromptSpec:
        """The prompt as the fields say now (raises ValueError for a field that is far too long)."""
        weights = PRESETS[self.goal].spec.weights if self.goal in PRESETS else ()
        return PromptSpec(**{name: getattr(self, name) for name in TEXT_FIELDS},
                          realism=self.realism, avoid=self.avoid, goal=self.goal, weights=weights)  # fmt: skip

    @contextmanager
    def batch(self):
        """Change many fields, then notify once through :attr:`revision`."""
        self.updating = True
        try:
            with self.hold_trait_notifications():
                yield
        finally:
            self.updating = False
            self.revision += 1

    def set_spec(self, spec: PromptSpec) -> None:
        """Show ``spec`` in every field."""
        with self.batch():
            for name in TEXT_FIELDS:
                setattr(self, name, getattr(spec, name))
            self.realism, self.avoid = ", ".join(spec.realism), ", ".join(spec.avoid)
            self.goal = spec.goal if spec.goal in PRESETS else ""

    def apply_goal(self, key: str) -> None:
        """Set every layer for a goal; the identity stays exactly as typed, even when it is empty.

        A goal never fills in who the portrait is of: that is the learner's to say.
        """
        if key:
            before, previous = self.spec, PRESETS[self.goal].spec if self.goal in PRESETS else None
            after = apply_preset(before, key).replace(identity=self.identity)
            # The learner's own words (not the previous goal's) that the goal replaces: say so, never silently.
            replaced = [LABELS[name] for name in TEXT_FIELDS
                        if name != "identity" and getattr(before, name).strip()
                        and getattr(before, name) != getattr(after, name)
                        and (previous is None or getattr(before, name) != getattr(previous, name))]  # fmt: skip
            self.set_spec(after)
            if replaced:
                self._report(f"The goal {PRESETS[key].label} set every field but Identity and replaced your own words "
                             f"in {', '.join(replaced)}. To keep them, type them again.")  # fmt: skip
        else:
            self.goal = ""

    def save(self, name: str, overwrite: bool = False) -> bool:
        """Save the prompt in the library under ``name``; :attr:`status` says what happened."""
        try:
            path = self.library.save(name, self.spec, overwrite=overwrite)
        except (PromptLibraryError, ValueError) as error:
            # The library speaks to code ("overwrite=True"); the studio points at its checkbox.
            self._report(str(error).replace("save with overwrite=True", 'tick "replace (old version kept)" and '
                                            "press Save again"), failed=True)  # fmt: skip
            return False
        self._report(f"Saved as {path.name} in {self.library.folder.name}/.")
        return True

    def load(self, name: str) -> bool:
        """Load a saved prompt into the fields; a bad file is reported and left untouched."""
        try:
            spec = self.library.load(name)
        except PromptLibraryError as error:
            self._report(str(error), failed=True)
            return False
        self.set_spec(spec)
        self._report(f"Loaded {name!r}.")
        return True


def _meaning_html(spec: PromptSpec) -> str:
    """What each recognised choice means, with the lesson it comes from."""
    e = html.escape
    rows = []
    for name in (*TEXT_FIELDS, "realism"):
        values = spec.realism if name == "realism" else (getattr(spec, name),)
        for value in values:
            if not value.strip():
                continue
            term = lookup(name, value)
            if term is None:
                meaning = '<span style="color:#777">your own words</span>'
            else:
                lesson = LESSONS[term.lesson]
                taught = lesson_name(term.lesson)
                where = (f'<a href="{e(lesson.file)}" target="_blank" rel="noopener">{e(taught)}</a>'
                         if lesson.available else f"{e(taught)} (on its way)")  # fmt: skip
                meaning = (f"{e(term.explanation)} <span style=\"color:#777\">(<span title=\"evidence card "
                           f"{e(term.card)}\">{e(term.strength)}</span>; {where})</span>")
            rows.append(f"<li><b>{e(LABELS[name])}:</b> {e(value.strip())} · {meaning}</li>")
    if not rows:
        return '<div class="pl-meanings" style="color:#777">Choose or type something to see what it signals.</div>'
    return (f'<ul class="pl-meanings" style="margin:0;padding-left:1.2em;max-height:280px;overflow-y:auto;'
            f'font-size:12px;line-height:1.35">{"".join(rows)}</ul>')  # fmt: skip


class PromptStudio(widgets.VBox):
    """Controls for each layer on the left; preview, lint and meanings on the right; exports below.

    Widgets are attributes so code (and tests) can drive them: ``goal``, ``fields``
    (a dict by field name), ``realism``, ``avoid``, ``seed``, ``aspect``, ``preview``,
    ``lint``, ``meanings``, ``target`` (which export is shown), ``exports`` (the box showing it),
    ``export_views`` (dict by target),
    ``save_name``, ``overwrite``, ``save``, ``saved``, ``load``, ``message``.
    """

    def __init__(self, model: PromptStudioModel | None = None):
        self.model = model or PromptStudioModel()
        wide = widgets.Layout(width="98%")
        style = {"description_width": "82px"}
        self.goal = widgets.Dropdown(
            options=[("(none)", ""), *((p.label, key) for key, p in PRESETS.items())],
            value=self.model.goal, description="Goal", style=style,
        )
        self.goal.add_class("pl-goal")
        self.fields: dict[str, widgets.Combobox] = {}
        for name in TEXT_FIELDS:
            box = widgets.Combobox(
                value=getattr(self.model, name), options=list(options(name)), ensure_option=False,
                placeholder=_FIELD_HINTS[name], description=LABELS[name], continuous_update=True,
                layout=wide, style=style,
            )  # fmt: skip
            box.add_class(f"pl-field-{name}")
            traitlets.link((box, "value"), (self.model, name))
            self.fields[name] = box
        self.realism = widgets.Text(value=self.model.realism, description="Realism", continuous_update=True,
                                    placeholder=", ".join(options("realism")[:3]), layout=wide, style=style)  # fmt: skip
        self.avoid = widgets.Text(value=self.model.avoid, description="Avoid", continuous_update=True,
                                  placeholder=", ".join(options("avoid")[:3]), layout=wide, style=style)  # fmt: skip
        self.realism.add_class("pl-field-realism")
        self.avoid.add_class("pl-field-avoid")
        traitlets.link((self.realism, "value"), (self.model, "realism"))
        traitlets.link((self.avoid, "value"), (self.model, "avoid"))
        self.seed = widgets.BoundedIntText(value=self.model.seed, min=0, max=MAX_SEED, description="Seed",
                                           style=style, layout=widgets.Layout(width="240px"))  # fmt: skip
        self.aspect = widgets.Dropdown(options=ASPECTS, value=self.model.aspect, description="Aspect",
                                       style=style, layout=widgets.Layout(width="200px"))  # fmt: skip
        traitlets.link((self.seed, "value"), (self.model, "seed"))
        traitlets.link((self.aspect, "value"), (self.model, "aspect"))

        self.preview = widgets.HTML()
        self.preview.add_class("pl-preview")
        self.lint = widgets.HTML()
        self.lint.add_class("pl-lint-box")
        self.meanings = widgets.HTML()
        self.meanings.add_class("pl-meanings-box")
        self.export_views = {target: widgets.HTML() for target in TARGETS}
        for target, view in self.export_views.items():
            view.add_class(f"pl-export-view-{target}")
        # Buttons and one export on show, not a Tab: a browser test saw a Tab's bar stop switching
        # panels, and buttons are what every other choice in the workbook looks like.
        self.target = widgets.ToggleButtons(options=[(t.label, key) for key, t in TARGETS.items()],
                                            description="Export for", style={"button_width": "auto", **style})  # fmt: skip
        self.target.add_class("pl-export-target")
        self.exports = widgets.Box([self.export_views[self.target.value]])
        self.exports.add_class("pl-exports")
        self.target.observe(lambda change: setattr(self.exports, "children", (self.export_views[change["new"]],)),
                            "value")  # fmt: skip

        self.save_name = widgets.Text(placeholder="name, e.g. founder trust", description="Name", style=style)
        self.save_name.add_class("pl-save-name")
        self.overwrite = widgets.Checkbox(value=False, description="replace (old version kept)", indent=False)
        self.save = widgets.Button(description="Save prompt", icon="save",
                                   tooltip="Save into prompt_library/ as JSON; never loses a saved prompt")  # fmt: skip
        self.save.add_class("pl-save")
        self.saved = widgets.Dropdown(options=self.model.library.names(), description="Saved", style=style)
        self.load = widgets.Button(description="Load", icon="folder-open")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")

        self._syncing_goal = False
        self.goal.observe(self._on_goal, "value")
        self.save.on_click(self._on_save)
        self.load.on_click(lambda _: self.saved.value and self.model.load(self.saved.value))
        self.model.observe(self._on_field, [*TEXT_FIELDS, "realism", "avoid", "seed", "aspect"])
        self.model.observe(self._refresh, "revision")
        self.model.observe(self._show_status, "status")

        # One group open at a time: the goal, the open group, the preview and the lint fit a laptop screen together.
        self.groups = grouped({
            "1 · Identity": [self.fields[n] for n in LAYERS["identity"]],
            "2 · Emotion: mood, gaze, expression, posture": [self.fields[n] for n in LAYERS["emotion"]],
            "3 · Context: place, framing, light, colour, era": [self.fields[n] for n in LAYERS["context"]],
            "4 · Realism, camera, negative prompt": [self.realism, self.fields["camera"],
                                                     widgets.HTML("<small>Negative prompt: comma-separated</small>"),
                                                     self.avoid],
        }, css="pl-studio-groups")  # fmt: skip
        controls = widgets.VBox([self.goal, self.groups], layout=widgets.Layout(width="50%"))
        side = widgets.VBox(
            [widgets.HTML("<b>Preview</b>"), self.preview, widgets.HTML("<b>Lint</b>"), self.lint,
             widgets.HTML("<b>What your choices signal</b>"), self.meanings],
            layout=widgets.Layout(width="50%", padding="0 0 0 12px"),
        )  # fmt: skip
        super().__init__(
            [
                widgets.HBox([controls, side]),
                widgets.HBox([self.seed, self.aspect]),
                self.target,
                self.exports,
                widgets.HBox([self.save_name, self.overwrite, self.save]),
                widgets.HBox([self.saved, self.load]),
                self.message,
            ],
            layout=widgets.Layout(max_width="1100px"),
        )
        self.add_class("pl-prompt-studio")
        self._refresh()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"PromptStudio(goal={self.model.goal!r}, findings={len(self._findings)})"

    def _on_goal(self, change) -> None:
        if not self._syncing_goal:  # a learner's choice, not the view catching up with the model
            self.model.apply_goal(change["new"])

    def _on_field(self, change) -> None:
        if not self.model.updating:
            self._refresh()

    def _on_save(self, _button) -> None:
        if self.model.save(self.save_name.value, overwrite=self.overwrite.value):
            names = self.model.library.names()
            self.saved.options = names
            key = self.save_name.value.strip().casefold()
            # The menu shows what was just saved, rather than going blank.
            self.saved.value = next((n for n in names if n.casefold() == key), names[-1] if names else None)
            self.overwrite.value = False

    def _refresh(self, change=None) -> None:
        if self.goal.value != self.model.goal:
            self._syncing_goal = True
            try:
                self.goal.value = self.model.goal
            finally:
                self._syncing_goal = False
        e = html.escape
        try:
            spec = self.model.spec
        except (ValueError, TypeError) as error:
            self._findings = []
            self.lint.value = f'<div class="pl-lint" style="color:#a40000">{e(str(error))}</div>'
            return
        text = resolve(spec)
        self._findings = lint(spec)
        words = len(text.split())
        self.preview.value = (
            f'<div class="pl-preview-text" style="font-family:monospace;white-space:pre-wrap;font-size:13px;line-height:1.45">'
            f'{e(text) or "<i>(empty)</i>"}</div>'
            f'<div class="pl-count" style="color:#777">{words} words · about {estimate_tokens(text)} tokens</div>'
        )
        self.lint.value = findings_html(self._findings)
        self.meanings.value = _meaning_html(spec)
        for target, view in self.export_views.items():
            view.value = export_html(export(spec, target, self.model.seed, self.model.aspect), COPY_JS)

    def _show_status(self, change) -> None:
        colour = "#a40000" if self.model.failed else "#2e6b2e"
        self.message.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'


def prompt_studio(spec: PromptSpec | None = None, goal: str = "", library: str = "prompt_library") -> PromptStudio:
    """Build the Prompt Studio (it is returned, not displayed).

    Start from ``spec``, or from the preset ``goal``, or empty. Saved prompts
    go to the folder ``library``.

    Examples
    --------
    >>> studio = prompt_studio(goal="trust")
    >>> studio.fields["identity"].value = "a bakery owner"
    >>> "a bakery owner" in studio.preview.value
    True
    """
    model = PromptStudioModel(library=PromptLibrary(library))
    if spec is not None:
        model.set_spec(spec)
    elif goal:
        model.apply_goal(goal)
    return PromptStudio(model)
