"""Lesson 09's tool: audit a portrait for a goal, follow fix-it links, compare, and save a brief.

:class:`AuditModel` holds the state in plain Python: the photo (a bundled
portrait, a photo saved with its points, an upload, or the landmark picker's
photo), the goal, the accepted fixes, the audits of the original and the
edited version, and the learner's words for the brief. :class:`AuditTool` is
the view: photo and goal on the left with the picture, the checklist (or the
comparison) on the right, fix-it buttons beneath it, and the brief's fields
at the bottom. Everything is done with the mouse.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from ..audit import GOALS, Audit, Brief, Edit, audit, brief_html, goal_label, render_edit, save_brief, suggest_fix
from ..audit.report import audit_table_html, comparison_html
from ..face.landmarks import Landmarks
from ..images import ImageLoadError, load_image, preview, to_jpeg
from ..photos import MY_PHOTOS, is_bundled, load_photo, photo_choices, photo_stem
from .status import Reporting

#: Long edge the tool works at (the audit's own working copy is smaller still).
TOOL_EDGE = 1024
#: The ``photo`` value of an upload or of the landmark picker's photo.
YOUR_PHOTO = "your photo"


class AuditModel(Reporting):
    """State of the audit tool.

    Examples
    --------
    >>> model = AuditModel(photo="hopper", goal="thought_leadership")
    >>> model.result.finding("clutter").verdict
    'worth a look'
    >>> key = model.fix_keys()[0]
    >>> model.apply_fix(key)
    True
    >>> model.edited_result is not None
    True
    """

    photo = traitlets.Unicode("koch")
    goal = traitlets.Unicode("trust")
    folder = traitlets.Unicode(MY_PHOTOS)
    job = traitlets.Unicode("")
    story = traitlets.Unicode("")
    identity = traitlets.Unicode("")
    title = traitlets.Unicode("")
    edit = traitlets.Instance(Edit, kw={})
    result = traitlets.Instance(Audit, allow_none=True)
    edited_result = traitlets.Instance(Audit, allow_none=True)
    saved = traitlets.Unicode("", help="path of the last brief saved")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._own: tuple[np.ndarray, Landmarks | None, str] | None = None
        self._edited: tuple[np.ndarray, Landmarks | None] | None = None
        self._fixes: tuple = (None, {})
        self.observe(lambda _: self.run(), ["photo", "goal"])
        self.observe(lambda _: self._on_story(), "story")
        self.run()

    # --- the photo ----------------------------------------------------------------
    @property
    def source(self) -> tuple[np.ndarray, Landmarks | None]:
        """(image, landmarks or None) of the photo being audited, at most TOOL_EDGE px long."""
        if self.photo == YOUR_PHOTO and self._own is not None:
            return self._own[0], self._own[1]
        return load_photo(self.photo if self.photo != YOUR_PHOTO else "koch", TOOL_EDGE)

    @property
    def name(self) -> str:
        """A short name for files made from this photo."""
        return self._own[2] if self.photo == YOUR_PHOTO and self._own else photo_stem(self.photo)

    def load_upload(self, source, name: str = "") -> bool:
        """Audit the learner's photo (no face points yet: colour only, until the picker gives them)."""
        try:
            image = load_image(source)
        except ImageLoadError as error:
            message = str(error)
            self._report(message if not name or name in message else f"{name}: {message}", failed=True)
            return False
        small = preview(image, TOOL_EDGE)
        points = found_points(small)
        self.use_photo(small, points, Path(name).stem or "my-photo")
        height, width = image.shape[:2]
        found = ("Its face points were found automatically: check them in the landmark picker before trusting "
                 "the face lines." if points is not None else
                 "Place its face points with the landmark picker to measure the face.")  # fmt: skip
        self._report(f"Loaded {name or 'your photo'} ({width} x {height} px); the original file is untouched. {found}")
        return True

    def use_photo(self, image: np.ndarray, landmarks: Landmarks | None, name: str = "my-photo") -> None:
        """Audit ``image`` with ``landmarks`` (or None), for example the landmark picker's photo."""
        self._own = (image, landmarks, name)
        self.edit = Edit()
        if self.photo == YOUR_PHOTO:
            self.run()
        else:
            self.photo = YOUR_PHOTO

    def connect_picker(self, picker_model) -> None:
        """Follow a landmark picker: once its points are usable, audit its photo with them."""

        def follow(change=None):
            if picker_model.landmarks is not None and picker_model.image is not None:
                self.use_photo(picker_model.image, picker_model.landmarks, picker_model.photo_name or "my-photo")
                self._report("Auditing the photo from the landmark picker, with its points.")

        picker_model.observe(follow, "landmarks")
        follow()

    # --- the audit ----------------------------------------------------------------
    def run(self) -> None:
        """Audit the photo (and the edited version, if there is one) for the goal."""
        try:
            image, landmarks = self.source
        except (ImageLoadError, ValueError) as error:
            self._report(f"Couldn't open that photo: {error}", failed=True)
            return
        self.result = audit(image, landmarks, self.goal, self.story)
        self._edited = None if self.edit.is_neutral else render_edit(image, landmarks, self.edit)
        self.edited_result = None if self._edited is None else audit(*self._edited, self.goal, self.story)
        self._report(self.current.summary())

    @property
    def current(self) -> Audit:
        """The audit of the version shown: the edited one once a fix is applied."""
        return self.edited_result or self.result

    @property
    def current_photo(self) -> tuple[np.ndarray, Landmarks | None]:
        return self._edited or self.source

    def fixes(self) -> dict:
        """item key -> the suggested :class:`~portrait_lessons.audit.fixes.Fix`, for the shown version."""
        current = self.current
        if self._fixes[0] is current:
            return self._fixes[1]
        image, landmarks = self.current_photo
        found = {}
        for finding in current.findings:
            fix = suggest_fix(finding, image, landmarks)
            if fix is not None:
                found[finding.item.key] = fix
        self._fixes = (current, found)
        return found

    def fix_keys(self) -> list[str]:
        """Items with a fix the workbook can make itself."""
        return [key for key, fix in self.fixes().items() if fix.applicable]

    def apply_fix(self, key: str) -> bool:
        """Accept the fix for item ``key`` and audit the edited photo again."""
        fix = self.fixes().get(key)
        if fix is None or not fix.applicable:
            self._report(f"There is no edit to make for {key}: it fits, or only a new photo can change it.", failed=True)
            return False
        if fix.kind == "crop" and self.edit.box is not None:
            self._report("The photo is already re-cropped: reset the edits to crop again.", failed=True)
            return False
        self.edit = self.edit.add(fix)
        self.run()
        self._report(f"Applied: {fix.words} Audited again: {self.current.summary()}")
        return True

    def reset(self) -> None:
        """Drop every accepted fix."""
        self.edit = Edit()
        self.run()

    def _on_story(self) -> None:
        if self.result is not None:
            self.result = audit(*self.source, self.goal, self.story)  # cached: only the verdicts are redone
            if self._edited is not None:
                self.edited_result = audit(*self._edited, self.goal, self.story)

    # --- the brief ------------------------------------------------------------------
    def brief(self) -> Brief:
        image, _ = self.source
        edited = self._edited[0] if self._edited is not None else None
        return Brief(self.goal, self.result, image, self.job, self.story, self.identity, self.title,
                     edited, self.edited_result, tuple(self.edit.summary()) if edited is not None else ())  # fmt: skip

    def save_brief(self, folder: str | Path = "exports") -> Path | None:
        """Write the brief into ``folder`` under a new name; returns its path (None on failure)."""
        if not self.job.strip():
            self._report("Write the emotional job first (one sentence): the brief starts from it.", failed=True)
            return None
        try:
            path = save_brief(brief_html(self.brief()), f"brief-{self.name}", folder)
        except OSError as error:
            self._report(f"Couldn't save the brief: {error}. Check that the folder {folder}/ can be written.",
                         failed=True)  # fmt: skip
            return None
        self.saved = str(path)
        self._report(f"Saved the brief as {path}. Open it in the file browser, or print it from your browser.")
        return path


def found_points(image: np.ndarray) -> Landmarks | None:
    """The face's points found automatically (lesson 01's face finder), or None.

    Only a single upright face with every point confident is used; otherwise
    the learner places the points in the landmark picker. Without the optional
    face finder installed, always None.
    """
    from ..face import detect

    if not detect.available():
        return None
    try:
        found = detect.detect_faces(image, try_turns=False)
    except Exception:  # a finder that cannot start leaves the learner to place the points
        return None
    if len(found.faces) != 1 or found.turns or not found.faces[0].confident:
        return None
    return found.faces[0].landmarks


# --------------------------------------------------------------------------- the view


class AuditTool(widgets.VBox):
    """The audit tool. Widgets are attributes so code and tests can drive them.

    ``photo_menu``, ``upload``, ``goal``, ``view`` (Checklist / Compare),
    ``shown`` (Original / Edited), ``fix_menu``, ``apply``, ``reset``,
    ``job``, ``story``, ``identity``, ``save``; readouts ``image``,
    ``table``, ``status``, ``saved``.
    """

    def __init__(self, model: AuditModel | None = None, picker=None):
        self.model = model or AuditModel()
        self._listing = False
        m = self.model
        self.photo_menu = widgets.Dropdown(options=self._photo_options(), value=m.photo, description="Photo",
                                           layout=widgets.Layout(flex="1 1 auto", width="auto"),
                                           style={"description_width": "45px"})  # fmt: skip
        self.upload = widgets.FileUpload(accept="image/*,.heic,.heif,.avif,.webp", multiple=False, description="",
                                         tooltip="Upload your own photo or AI selfie",
                                         layout=widgets.Layout(width="44px", flex="0 0 auto"))  # fmt: skip
        self.upload.add_class("pl-upload")
        self.goal = widgets.Dropdown(options=[(goal_label(g), g) for g in GOALS], value=m.goal, description="Goal",
                                     layout=widgets.Layout(width="auto"), style={"description_width": "45px"})  # fmt: skip
        self.goal.add_class("pl-goal")
        self.shown = widgets.ToggleButtons(options=["Original", "Edited"], value="Original",
                                           style={"button_width": "80px"})  # fmt: skip
        self.shown.add_class("pl-shown")
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(max_width="100%", max_height="440px",
                                                                        object_fit="contain"))  # fmt: skip
        self.image.add_class("pl-audit-image")
        self.view = widgets.ToggleButtons(options=["Checklist", "Compare"], value="Checklist",
                                          style={"button_width": "90px"})  # fmt: skip
        self.view.add_class("pl-view")
        self.table = widgets.HTML(layout=widgets.Layout(max_height="430px", overflow="auto"))
        self.table.add_class("pl-audit-checklist")
        self.fix_menu = widgets.Dropdown(description="Fix-it", layout=widgets.Layout(flex="1 1 auto", width="auto", min_width="0"),
                                         style={"description_width": "45px"})  # fmt: skip
        self.fix_menu.add_class("pl-fix-menu")
        self.apply = widgets.Button(description="Apply fix", icon="magic", button_style="info",
                                    layout=widgets.Layout(width="105px", flex="0 0 auto"))  # fmt: skip
        self.apply.add_class("pl-apply-fix")
        self.reset = widgets.Button(description="Reset edits", icon="undo", layout=widgets.Layout(width="115px", flex="0 0 auto"))
        self.reset.add_class("pl-reset")
        label = {"description_width": "95px"}
        self.job = widgets.Text(description="Emotional job", placeholder="e.g. warm and quietly confident",
                                layout=widgets.Layout(width="100%"), style=label)  # fmt: skip
        self.job.add_class("pl-job")
        self.identity = widgets.Text(description="Who (prompt)", placeholder="e.g. a ceramicist",
                                     layout=widgets.Layout(width="100%"), style=label)  # fmt: skip
        self.identity.add_class("pl-identity")
        self.story = widgets.Textarea(description="Story", placeholder="What story does this portrait tell?",
                                      layout=widgets.Layout(width="100%", height="60px"),
                                      style={"description_width": "45px"})  # fmt: skip
        self.story.add_class("pl-story-input")
        self.save = widgets.Button(description="Save brief", icon="file", button_style="success",
                                   layout=widgets.Layout(width="120px"))  # fmt: skip
        self.save.add_class("pl-save-brief")
        self.saved = widgets.HTML()
        self.saved.add_class("pl-saved")
        self.status = widgets.HTML()
        self.status.add_class("pl-status")

        for name in ("job", "story", "identity"):
            traitlets.link((getattr(self, name), "value"), (m, name))
        self.photo_menu.observe(self._on_photo, "value")
        self.upload.observe(self._on_upload, "value")
        self.goal.observe(lambda c: setattr(m, "goal", c["new"]), "value")
        self.view.observe(lambda _: self._show_table(), "value")
        self.shown.observe(lambda _: self._show_image(), "value")
        self.apply.on_click(lambda _: self._on_apply())
        self.reset.on_click(lambda _: m.reset())
        self.save.on_click(lambda _: m.save_brief())
        m.observe(lambda _: self._refresh(), ["result", "edited_result"])
        m.observe(self._show_status, "status")
        m.observe(lambda c: self._show_saved(), "saved")
        if picker is not None:
            m.connect_picker(picker.model)

        # Proportions rather than pixels: the tool fits beside JupyterLab's file browser on a 1366 px screen.
        left = widgets.VBox([widgets.HBox([self.photo_menu, self.upload]), self.goal, self.shown, self.image],
                            layout=widgets.Layout(width="33%", min_width="260px"))  # fmt: skip
        fixing = widgets.HBox([self.fix_menu, self.apply, self.reset], layout=widgets.Layout(width="100%"))
        right = widgets.VBox([self.view, self.table, fixing], layout=widgets.Layout(width="65%"))
        brief = widgets.HBox([widgets.VBox([self.job, self.identity], layout=widgets.Layout(width="42%")),
                              widgets.Box([self.story], layout=widgets.Layout(width="38%")),
                              widgets.VBox([self.save, self.saved], layout=widgets.Layout(width="20%"))])  # fmt: skip
        super().__init__([widgets.HBox([left, right]), brief, self.status], layout=widgets.Layout(max_width="1300px"))
        self.add_class("pl-audit-tool")
        self._refresh()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"AuditTool(photo={self.model.photo!r}, goal={self.model.goal!r})"

    def _photo_options(self):
        options = photo_choices(self.model.folder)
        if self.model.photo == YOUR_PHOTO:
            options.append(("Your photo", YOUR_PHOTO))
        return options

    def _on_photo(self, change) -> None:
        if not self._listing and change["new"] is not None and change["new"] != self.model.photo:
            self.model.edit = Edit()
            self.model.photo = change["new"]

    def _on_upload(self, change) -> None:
        for entry in (change["new"] or ())[-1:]:
            name = entry.get("name", "") if isinstance(entry, dict) else getattr(entry, "name", "")
            content = entry.get("content") if isinstance(entry, dict) else getattr(entry, "content", None)
            self.model.load_upload(bytes(content), name)

    def _on_apply(self) -> None:
        if self.fix_menu.value:
            self.model.apply_fix(self.fix_menu.value)
            self.shown.value = "Edited"

    def _refresh(self) -> None:
        m = self.model
        self._listing = True  # a new list resets the menu's value: not a pick of the learner's
        try:
            if m.photo == YOUR_PHOTO and YOUR_PHOTO not in [v for _, v in self.photo_menu.options]:
                self.photo_menu.options = self._photo_options()
            if self.photo_menu.value != m.photo:
                self.photo_menu.value = m.photo
        finally:
            self._listing = False
        self.shown.disabled = m.edited_result is None
        if m.edited_result is None:
            self.shown.value = "Original"
        fixes = m.fixes()
        options = [(f"{f.words}", key) for key, f in fixes.items() if f.applicable]
        self.fix_menu.options = options or [("Nothing to fix with an edit: every item fits or needs a new photo.", "")]
        self.fix_menu.value = self.fix_menu.options[0][1]
        self.apply.disabled = not options
        self._show_table(fixes)
        self._show_image()

    def _show_table(self, fixes=None) -> None:
        m = self.model
        if self.view.value == "Compare":
            if m.edited_result is None:
                self.table.value = "<p>Apply a fix first: the comparison shows the original and the edited version side by side.</p>"
            else:
                self.table.value = comparison_html(m.result, m.edited_result, ("original", "edited"))
            return
        self.table.value = audit_table_html(m.current, fixes if fixes is not None else m.fixes())

    def _show_image(self) -> None:
        m = self.model
        image, _ = m.current_photo if self.shown.value == "Edited" else m.source
        self.image.value = to_jpeg(preview(image, 560), 85)

    def _show_status(self, change) -> None:
        colour = "#b00020" if self.model.failed else "#333"
        self.status.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'

    def _show_saved(self) -> None:
        path = Path(self.model.saved)
        self.saved.value = f'<a href="{html.escape(path.as_posix())}" target="_blank" class="pl-brief-link">{html.escape(path.name)}</a>'


def audit_tool(photo: str = "koch", goal: str = "trust", picker=None) -> AuditTool:
    """The audit tool on a bundled portrait (or a saved photo's path) and a goal."""
    return AuditTool(AuditModel(photo=photo, goal=goal), picker=picker)


# --------------------------------------------------------------------------- exercises


class Exercise(widgets.VBox):
    """A question answered with the mouse: a choice (or the state of a tool), a Check button, a reply.

    ``check`` is called with the chosen value and returns the sentence to show.

    Examples
    --------
    >>> ex = Exercise("Pick one", [("yes", "y"), ("no", "n")], lambda v: "Well done" if v == "y" else "Not yet")
    >>> ex.choice.value = "y"; ex.check.click()
    >>> ex.reply.value
    '<b>Well done</b>'
    """

    def __init__(self, question: str, options, check):
        self.prompt = widgets.HTML(f"<div>{question}</div>")
        self.choice = widgets.RadioButtons(options=options, value=None, layout=widgets.Layout(width="auto"))
        self.check = widgets.Button(description="Check", icon="check", layout=widgets.Layout(width="100px"))
        self.reply = widgets.HTML()
        self.check.on_click(lambda _: setattr(self.reply, "value", f"<b>{html.escape(check(self.choice.value))}</b>"))
        super().__init__([self.prompt, self.choice, self.check, self.reply])
        self.add_class("pl-exercise")


class CheckButton(widgets.VBox):
    """A Check button for an exercise done in a tool: ``check()`` reads the tool's state.

    Examples
    --------
    >>> button = CheckButton(lambda: "Well done")
    >>> button.check.click(); button.reply.value
    '<b>Well done</b>'
    """

    def __init__(self, check, label: str = "Check"):
        self.check = widgets.Button(description=label, icon="check", layout=widgets.Layout(width="120px"))
        self.reply = widgets.HTML()
        self.check.on_click(lambda _: setattr(self.reply, "value", f"<b>{html.escape(check())}</b>"))
        super().__init__([self.check, self.reply])
        self.add_class("pl-exercise")
