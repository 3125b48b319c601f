"""Lesson 09's tool: audit a portrait for a goal, follow fix-it links, compare, and save a brief.

:class:`AuditModel` is a :class:`~portrait_lessons.ui.frame.FrameModel`: the
photo (a bundled portrait, a photo saved with its points, an upload, or the
landmark picker's photo) comes from the one tool frame, and Save writes the
edited version at full size with its settings. On top it holds the goal, the
accepted fixes, the audits of the original and the edited version, and the
learner's words for the brief. :class:`AuditTool` sits on the frame: the
picture on the left (before / after / split), the goal, the fix-it menu and
the checklist (or the comparison) on the right, and the brief's fields
beneath. Everything is done with the mouse.
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
from ..images import ImageLoadError, load_image, preview
from ..photos import own_photo_label
from .frame import YOUR_PHOTO, FrameModel, ToolFrame

#: Long edge the tool works at (the audit's own working copy is smaller still).
TOOL_EDGE = 1024
#: Where the landmark picker of lesson 09 sits, for the note on a photo without points.
PICKER_HERE = "09_portrait_checklist.ipynb#Audit-your-own-portrait"

__all__ = ["YOUR_PHOTO", "AuditModel", "AuditTool", "audit_tool", "found_points"]


class AuditModel(FrameModel):
    """State of the audit tool: the frame's photo, plus the goal, the fixes, the audits and the brief's words.

    The photo comes from the tool frame (a bundled portrait, a photo saved with
    its points, an upload, or the landmark picker's photo); the audit works on
    it at :data:`TOOL_EDGE`, and Save writes the edited version at full size.

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

    goal = traitlets.Unicode("trust")
    job = traitlets.Unicode("")
    story = traitlets.Unicode("")
    identity = traitlets.Unicode("")
    title = traitlets.Unicode("")
    edit = traitlets.Instance(Edit, kw={})
    result = traitlets.Instance(Audit, allow_none=True)
    edited_result = traitlets.Instance(Audit, allow_none=True)
    saved = traitlets.Unicode("", help="path of the last brief saved")
    saved_with_face = traitlets.Bool(False, help="whether that brief's audit had face points (every item measured)")

    tool_name = "audit"
    #: The audit measures colour without the face's points, so a photo without them is still audited (and saved).
    needs_landmarks = False
    preview_edge = TOOL_EDGE

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._edited: tuple[np.ndarray, Landmarks | None] | None = None
        self._fixes: tuple = (None, {})
        self.observe(self._new_photo, "photo")
        self.observe(lambda _: self.run(), "goal")
        self.observe(lambda _: self._on_story(), "story")
        self.run()

    # --- the photo ----------------------------------------------------------------
    @property
    def source(self) -> tuple[np.ndarray, Landmarks | None]:
        """(image, landmarks or None) of the photo being audited, at most TOOL_EDGE px long."""
        return self.image, self.landmarks

    @property
    def name(self) -> str:
        """A short name for files made from this photo."""
        return self.stem

    def _new_photo(self, change) -> None:
        if change["new"]:  # "" only marks a new photo of the learner's arriving under the same key
            self.edit = Edit()
            self.run()

    def load_photo(self, source, name: str = "") -> bool:
        """Audit the learner's photo; its face points are found automatically when the face finder is sure.

        Otherwise the audit measures colour only, until the landmark picker gives the points.
        """
        try:
            image = np.asarray(source) if isinstance(source, np.ndarray) else load_image(source)
        except ImageLoadError as error:
            message = str(error)
            self._report(message if not name or name in message else f"{name}: {message}", failed=True)
            return False
        image = upright(image)  # as lessons 01-08 do: a photo on its side or upside down is audited upright
        points = found_points(preview(image, TOOL_EDGE))
        if points is not None:
            points = points.resized(image.shape[1], image.shape[0])
        self._own(image, points, own_photo_label(name), Path(name).stem or "my-photo")
        height, width = image.shape[:2]
        found = ("Its face points were found automatically: check them in the landmark picker before trusting "
                 "the face lines." if points is not None else
                 "Place its face points with the landmark picker to measure the face.")  # fmt: skip
        self._report(f"Loaded {name or 'your photo'} ({width} x {height} px); the original file is untouched. {found}")
        return True

    load_upload = load_photo  # the name lesson 09 used first

    def connect_picker(self, picker_model) -> None:
        """Follow a landmark picker: once its points are usable, audit its photo with them."""

        def follow(change=None):
            if picker_model.landmarks is not None and picker_model.image is not None:
                name = picker_model.photo_name or ""
                self.use_photo(picker_model.image, picker_model.landmarks,
                               f"Your photo: {name}" if name else "Your photo (landmark picker)")  # fmt: skip
                self.upload_name = Path(name).stem or "my-photo"
                self._report("Auditing the photo from the landmark picker, with its points.")

        picker_model.observe(follow, "landmarks")
        follow()

    # --- the audit ----------------------------------------------------------------
    def run(self) -> None:
        """Audit the photo (and the edited version, if there is one) for the goal."""
        if not self.photo:
            return
        try:
            image, landmarks = self.source
        except (ImageLoadError, ValueError) as error:
            self._report(f"Couldn't open that photo: {error}", failed=True)
            return
        self._edited = None if self.edit.is_neutral else render_edit(image, landmarks, self.edit)
        edited_result = None if self._edited is None else audit(*self._edited, self.goal, self.story)
        with self.hold_trait_notifications():  # the view redraws once, with both audits
            self.result = audit(image, landmarks, self.goal, self.story)
            self.edited_result = edited_result
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

    # --- what the frame shows and saves -------------------------------------------------
    @property
    def after(self) -> np.ndarray:
        """The edited version the audit measured (the photo itself until a fix is applied)."""
        return self.current_photo[0]

    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        """The accepted fixes applied to ``image`` at any size (the crop scaled to it)."""
        if self.edit.is_neutral:
            return image
        edit = self.edit
        if edit.box is not None:
            scale = image.shape[1] / self.image.shape[1]
            edit = Edit(edit.recipe, tuple(int(round(v * scale)) for v in edit.box))
        return render_edit(image, landmarks, edit)[0]

    def saved_picture(self) -> np.ndarray:
        """The edited version at full size (``result`` is the audit here)."""
        return self.render(self.full, self.full_landmarks)

    def settings(self) -> dict:
        return {"goal": self.goal, "fixes": self.edit.summary(), "recipe": self.edit.recipe.to_dict()}

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
        self.saved_with_face = self.has_landmarks
        self.saved = str(path)
        self._report(f"Saved the brief as {path}. Open it in the file browser, or print it from your browser.")
        return path


def upright(image: np.ndarray) -> np.ndarray:
    """``image`` turned so that its face is upright, as the face finder sees it; unchanged without a face or finder.

    A phone photo whose orientation tag is wrong or missing arrives on its
    side or upside down; lesson 08's upload turns it upright, and so does the audit.
    """
    from ..face import detect

    if not detect.available():
        return image
    try:
        turns = detect.detect_faces(preview(image, TOOL_EDGE)).turns
    except Exception:  # a finder that cannot start leaves the photo as it came
        return image
    return np.ascontiguousarray(np.rot90(image, turns)) if turns else image


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


def points_note(model: AuditModel) -> str:
    """The note over the tool when the photo has no face points: colour only, and where to place them."""
    if model.has_landmarks:
        return ""
    return (
        "<div class='pl-needs-landmarks' style='background:#fff4d6;padding:4px 8px;border-radius:4px'>"
        f"<b>Colour only for now:</b> {html.escape(model.label)} has no face points yet, so the gaze, expression, "
        "texture and framing lines say \"not measured\". Place the points with the "
        f"<a href='{PICKER_HERE}' target='_blank' style='text-decoration:underline'>landmark picker</a> "
        "under <i>Audit your own portrait</i>: the audit below it switches to your photo with its points.</div>"
    )


class AuditTool(ToolFrame):
    """The audit tool on the one tool frame. Widgets are attributes so code and tests can drive them.

    From the frame: ``portrait`` (photo menu), ``upload``, ``view``
    (Side by side / Before / After / Split: the photo as it came and the edited
    version), ``save`` (the edited photo at full size with its settings),
    ``image`` / ``before`` / ``after`` (pictures), ``message`` (the status line).
    The audit's own: ``goal``, ``report`` (Checklist / Compare), ``fix_menu``,
    ``apply``, ``reset``, ``table`` (the checklist or the comparison), and the
    brief's ``job``, ``story``, ``identity``, ``save_brief`` and ``saved``.
    """

    def __init__(self, model: AuditModel | None = None, picker=None):
        m = model or AuditModel()
        self.goal = widgets.Dropdown(options=[(goal_label(g), g) for g in GOALS], value=m.goal, description="Goal",
                                     layout=widgets.Layout(width="300px"), style={"description_width": "45px"})  # fmt: skip
        self.goal.add_class("pl-goal")
        self.report = widgets.ToggleButtons(options=["Checklist", "Compare"], value="Checklist",
                                            tooltips=["The audit of the version shown", "The photo as it came and the "
                                                      "edited version, line by line"],
                                            style={"button_width": "90px"})  # fmt: skip
        self.report.add_class("pl-report-view")
        self.fix_menu = widgets.Dropdown(description="Fix-it", layout=widgets.Layout(flex="1 1 auto", width="auto", min_width="0"),
                                         style={"description_width": "45px"})  # fmt: skip
        self.fix_menu.add_class("pl-fix-menu")
        self.apply = widgets.Button(description="Apply fix", icon="magic", button_style="info",
                                    layout=widgets.Layout(width="105px", flex="0 0 auto"))  # fmt: skip
        self.apply.add_class("pl-apply-fix")
        self.reset = widgets.Button(description="Reset edits", icon="undo", layout=widgets.Layout(width="115px", flex="0 0 auto"))
        self.reset.add_class("pl-reset")
        fixing = widgets.HBox([self.fix_menu, self.apply, self.reset], layout=widgets.Layout(width="100%"))
        # The menu names each fix in a few words; the whole fix (where, how much) is written out beneath it.
        self.fix_detail = widgets.HTML(layout=widgets.Layout(margin="0 0 2px 50px"))
        self.fix_detail.add_class("pl-fix-detail")
        super().__init__(m, [widgets.HBox([self.goal, self.report]), fixing, self.fix_detail],
                         watch=["result", "edited_result"],
                         css="pl-audit-tool", view="After", side_width="580px")  # fmt: skip
        self.layout.max_width = "1300px"
        self.table = self.readout  # the checklist is the frame's readout, beside the picture
        self.table.add_class("pl-audit-checklist")
        self.table.layout = widgets.Layout(max_height="400px", overflow="auto")

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
        self.save_brief = widgets.Button(description="Save brief", icon="file", button_style="success",
                                         tooltip="A one-page brief into exports/ (never overwrites)",
                                         layout=widgets.Layout(width="120px"))  # fmt: skip
        self.save_brief.add_class("pl-save-brief")
        self.saved = widgets.HTML()
        self.saved.add_class("pl-saved")
        brief = widgets.HBox([widgets.VBox([self.job, self.identity], layout=widgets.Layout(width="42%")),
                              widgets.Box([self.story], layout=widgets.Layout(width="38%")),
                              widgets.VBox([self.save_brief, self.saved], layout=widgets.Layout(width="20%"))])  # fmt: skip
        brief.add_class("pl-brief-fields")
        *top, message = self.children
        self.children = (*top, brief, message)

        for name in ("job", "story", "identity"):
            traitlets.link((getattr(self, name), "value"), (m, name))
        self.goal.observe(lambda c: setattr(m, "goal", c["new"]), "value")
        self.report.observe(lambda _: self._show_table(), "value")
        self.apply.on_click(lambda _: self._on_apply())
        self.fix_menu.observe(lambda _: self._show_fix_detail(), "value")
        self.reset.on_click(lambda _: m.reset())
        self.save_brief.on_click(lambda _: m.save_brief())
        m.observe(lambda _: self._show_fixes(), ["result", "edited_result"])
        m.observe(lambda _: self._show_points_note(), "photo")
        m.observe(lambda c: self._show_saved(), "saved")
        if picker is not None:
            m.connect_picker(picker.model)
        self._show_fixes()
        self._show_points_note()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"AuditTool(photo={self.model.photo!r}, goal={self.model.goal!r})"

    def use_photo(self, image, landmarks, label: str = "Your photo") -> None:
        self.model.use_photo(image, landmarks, label)

    def describe(self, before, after) -> str:
        """The checklist of the version shown, or the comparison of the two versions."""
        m = self.model
        if m.result is None:
            return ""
        if self.report.value == "Compare":
            if m.edited_result is None:
                return "<p>Apply a fix first: the comparison shows the original and the edited version line by line.</p>"
            return comparison_html(m.result, m.edited_result, ("original", "edited"))
        return audit_table_html(m.current, m.fixes())

    def _show_table(self) -> None:
        self.table.value = self.describe(None, None)

    def _show_points_note(self) -> None:
        if self.model.photo:
            self.notice.value = points_note(self.model)

    def _show_fixes(self) -> None:
        m = self.model
        if m.result is None:
            return
        self.goal.value = m.goal
        applicable = {key: fix for key, fix in m.fixes().items() if fix.applicable}
        self._fix_words = {key: fix.words for key, fix in applicable.items()}
        options = fix_labels(self._fix_words)
        self.fix_menu.options = options or [("Nothing to fix with an edit", "")]
        self.fix_menu.value = self.fix_menu.options[0][1]
        self._show_fix_detail()
        self.apply.disabled = not options
        self.reset.disabled = m.edited_result is None
        if m.edited_result is None and self.view.value == "Split":
            self.view.value = "After"

    def _show_fix_detail(self) -> None:
        words = getattr(self, "_fix_words", {}).get(self.fix_menu.value)
        if words is None:
            words = "Every item fits, or needs a new photo rather than an edit."
        self.fix_detail.value = f"<div style='font-size:90%;color:#225;line-height:1.3'>{html.escape(words)}</div>"

    def _on_apply(self) -> None:
        if self.fix_menu.value and self.model.apply_fix(self.fix_menu.value) and self.view.value == "Before":
            self.view.value = "After"

    def _show_saved(self) -> None:
        path = Path(self.model.saved)
        self.saved.value = f'<a href="{html.escape(path.as_posix())}" target="_blank" class="pl-brief-link">{html.escape(path.name)}</a>'


def fix_labels(words: dict[str, str]) -> list[tuple[str, str]]:
    """(menu label, key) for each fix: the words before the colon, the whole words where two would read alike.

    A menu cuts a long line ("Blur the background: Depth › Background blu..."); the
    short label fits, and the tool writes the whole fix beneath the menu.

    Examples
    --------
    >>> fix_labels({"blur": "Blur the background: Depth › Background blur 40%.",
    ...             "crop": "Re-crop: keep 538 x 672 px of the 576 x 720 photo."})
    [('Blur the background', 'blur'), ('Re-crop', 'crop')]
    >>> fix_labels({"a": "Warm it: +5.", "b": "Warm it: +9."})
    [('Warm it: +5.', 'a'), ('Warm it: +9.', 'b')]
    """
    short = {key: text.split(":")[0].strip() for key, text in words.items()}
    counts = {label: list(short.values()).count(label) for label in short.values()}
    return [(short[key] if counts[short[key]] == 1 else text, key) for key, text in words.items()]


def audit_tool(photo: str = "koch", goal: str = "trust", picker=None) -> AuditTool:
    """The audit tool on a bundled portrait (or a saved photo's path) and a goal."""
    return AuditTool(AuditModel(photo=photo, goal=goal), picker=picker)
