"""The one frame every image tool sits in: photo source, picture, Save, one status line.

Every image tool of the workbook looks and behaves the same way because it is
built on two classes:

- :class:`FrameModel` (traitlets, no widgets) knows **which photo** the tool
  works on (a bundled portrait, the learner's upload, or a photo they saved
  with its landmarks in ``my_photos/``), gives it at full size and at preview
  size with its landmarks when it has them, and **saves** the edit at full
  size with a JSON settings sidecar, never overwriting.
- :class:`ToolFrame` (ipywidgets) lays a tool out so it fits a 1366 x 768
  laptop: the source bar on top (photo menu, *Upload your photo* button, refresh,
  *Before / After / Side by side / Split*, **Save full size**), then the picture
  on the left and the tool's controls and readouts on the right, and one status
  line at the bottom. When a tool needs landmarks and the photo has none, the
  frame says so and links to the landmark picker.

Adopting the frame in a new tool takes three steps::

    class BlurModel(FrameModel):
        tool_name = "blur"            # names saved files: koch-blur.jpg
        needs_landmarks = False       # True: the frame asks for landmarks when a photo has none
        amount = traitlets.Float(0.0)

        def render(self, image, landmarks):   # any size in, a new image out
            return soften(image, self.amount)

        def settings(self):                    # what the sidecar records
            return {"amount": self.amount}

    class BlurTool(ToolFrame):
        def __init__(self, model=None):
            model = model or BlurModel()
            self.amount = widgets.FloatSlider(description="Blur")
            traitlets.link((self.amount, "value"), (model, "amount"))
            super().__init__(model, controls=[self.amount], watch=["amount"], css="pl-blur")

        def describe(self, before, after):     # the readout beside the picture (HTML)
            return f"Blur {self.model.amount:.0f}"

Slider groups go into one :func:`grouped` Accordion, so one group is open at a
time. A model may override :attr:`FrameModel.before` / :attr:`FrameModel.after`
(a close-up, say) and :meth:`FrameModel.result` (the full-size picture Save
writes); everything else comes from the frame.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from ..images import ImageLoadError, load_image, preview, save_image, to_jpeg, write_sidecar
from ..face.landmarks import Landmarks
from ..photos import MY_PHOTOS, load_photo, own_photo_label, photo_choices, photo_stem, save_upload
from .status import Reporting
from .upload import UPLOAD_ACCEPT, UPLOAD_LABEL, UPLOAD_TIP, UploadButton

#: The ``photo`` value that means "the learner's upload" (or a photo handed over by the landmark picker).
YOUR_PHOTO = "your photo"
#: Long edge of the preview while sliders move (a model may choose another).
PREVIEW_EDGE = 720
#: Long edge of the quick picture a model may draw while a slider moves (still larger than
#: the picture's box Side by side on a 1366 x 768 screen, about 290 x 480 px).
DRAFT_EDGE = 480
#: JPEG quality of a draft (the full preview at rest is sent at 90): a draft is on screen for a
#: fraction of a second, and a third fewer bytes to encode, send and decode than at 90.
DRAFT_QUALITY = 80
#: Seconds the sliders must rest before a tool measures its readouts (the picture comes first).
REST_S = 0.2
#: Turns of the kernel's event loop without a new value before a picture is drawn (see ToolFrame._show_after).
QUIET_TURNS = 3
#: What the side panel adds to its ``side_width``: its left padding (8 px) and a control's margins (2 x 2 px).
SIDE_EXTRA = 12
#: The ways the picture can be shown.
VIEWS = ("Side by side", "Before", "After", "Split")
#: Where Save writes.
EXPORTS = "exports"
#: Where the landmark picker lives, for the frame's link.
PICKER_LESSON = "01_eyes_and_gaze.ipynb#Your-own-photo"
SIDECAR_FORMAT = "portrait-lessons/tool-settings"
#: What a saved notebook shows where a tool will be, before the notebook runs.
PLACEHOLDER = "The tool appears here once the notebook runs: menu Run > Run All Cells."
_OK, _ERROR = "#2e6b2e", "#a40000"


def _malloc_trim():
    """glibc's ``malloc_trim``, or None where there is none (macOS, Windows, musl)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_TRIM = _malloc_trim()


def give_back_memory() -> None:
    """Hand the memory freed by the last render back to the system (glibc keeps it otherwise).

    A render frees many large temporaries; glibc keeps most of that memory
    for later instead of returning it, so a kernel that ran a lesson's tools
    holds tens of MB it no longer uses. Trimming costs a few milliseconds, so
    the frame calls it when a new photo is drawn and when the sliders rest,
    never per step.
    """
    if _TRIM is not None:
        _TRIM(0)


def _browser_loop():
    """The kernel's event loop when the code running answers a widget message from the browser, else None.

    Only then is drawing left to the loop (:meth:`ToolFrame._show_after`): a
    cell or a test that sets a value reads the picture at once.

    Examples
    --------
    >>> _browser_loop() is None   # not inside a kernel answering the browser
    True
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover  (ipywidgets brings IPython)
        return None
    kernel = getattr(get_ipython(), "kernel", None)
    if kernel is None or not hasattr(kernel, "get_parent"):
        return None
    if kernel.get_parent("shell").get("header", {}).get("msg_type") != "comm_msg":
        return None
    return getattr(kernel, "io_loop", None)


class FrameModel(Reporting):
    """Which photo a tool works on, at full and preview size, and Save with a settings sidecar.

    Subclasses set :attr:`tool_name`, :attr:`needs_landmarks` and
    :attr:`preview_edge`, and override :meth:`render` and :meth:`settings`.

    Examples
    --------
    >>> model = FrameModel(photo="koch")
    >>> max(model.before.shape[:2]), model.has_landmarks
    (720, True)
    >>> model.load_photo(b"not a photo", "notes.jpg")
    False
    >>> model.failed, model.photo
    (True, 'koch')
    >>> model.load_photo(np.zeros((40, 30, 3), np.uint8), "me.jpg")
    True
    >>> model.photo, model.has_landmarks, model.label
    ('your photo', False, 'Your photo: me.jpg')
    """

    photo = traitlets.Unicode("koch", help="a bundled portrait's name, YOUR_PHOTO, or a saved photo's path")
    folder = traitlets.Unicode(MY_PHOTOS, help="where photos saved with their landmarks live")
    uploaded = traitlets.Instance(np.ndarray, allow_none=True, help="the learner's photo, full size")
    upload_name = traitlets.Unicode("")
    own_label = traitlets.Unicode("Your photo", help="what the photo menu calls the learner's photo")

    #: Names saved files (``<photo>-<tool_name>.jpg``) and the sidecar's "tool".
    tool_name = "edit"
    #: Whether the tool needs the face's landmarks (then a photo without them is shown unedited, with a note).
    needs_landmarks = False
    #: Long edge of the preview the tool works on while sliders move.
    preview_edge = PREVIEW_EDGE

    #: Long edge of the quick picture drawn while a slider moves, or None for none. Only for a
    #: model whose :attr:`after` is ``render(image, landmarks)`` (see :meth:`draft`).
    draft_edge: int | None = None

    _own_landmarks: Landmarks | None = None
    _own_preview: tuple[np.ndarray, Landmarks | None] | None = None
    _own_draft: tuple[np.ndarray, Landmarks | None] | None = None

    # --- the photo ------------------------------------------------------------
    @property
    def is_own(self) -> bool:
        """Whether the photo is the learner's upload (rather than a bundled or saved one)."""
        return self.photo == YOUR_PHOTO

    @property
    def full(self) -> np.ndarray:
        """The photo at full size (what Save renders)."""
        if self.is_own:
            return self.uploaded
        return load_photo(self.photo)[0]

    @property
    def full_landmarks(self) -> Landmarks | None:
        """Landmarks of :attr:`full`, or None when the photo has none."""
        return self._own_landmarks if self.is_own else load_photo(self.photo)[1]

    @property
    def image(self) -> np.ndarray:
        """The whole photo at preview size, unedited."""
        return self._preview()[0]

    @property
    def landmarks(self) -> Landmarks | None:
        """Landmarks of :attr:`image`, or None when the photo has none."""
        return self._preview()[1]

    @property
    def has_landmarks(self) -> bool:
        return self.landmarks is not None

    @property
    def missing_landmarks(self) -> bool:
        """Whether this tool needs landmarks that the photo doesn't have (the frame then says so)."""
        return self.needs_landmarks and not self.has_landmarks

    @property
    def label(self) -> str:
        """The photo's name as the menu shows it."""
        if self.is_own:
            return self.own_label
        return dict((key, text) for text, key in photo_choices(self.folder)).get(self.photo, photo_stem(self.photo))

    @property
    def stem(self) -> str:
        """A short name for files made from the photo."""
        if self.is_own:
            return self.upload_name or "my-photo"
        return photo_stem(self.photo)

    def _preview(self) -> tuple[np.ndarray, Landmarks | None]:
        if self.is_own:
            if self._own_preview is None:
                raise ValueError("No photo of yours is loaded yet: use the Upload your photo button.")
            return self._own_preview
        return load_photo(self.photo, self.preview_edge)

    # --- what the tool shows and saves ---------------------------------------------
    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        """The tool's edit applied to ``image`` (any size). The frame's own edit is none."""
        return image

    def settings(self) -> dict:
        """The tool's settings, as the sidecar records them (JSON-ready)."""
        return {}

    @property
    def before(self) -> np.ndarray:
        """What the frame shows as *before*."""
        return self.image

    @property
    def after(self) -> np.ndarray:
        """What the frame shows as *after*: the photo unedited when landmarks it needs are missing."""
        if self.missing_landmarks:
            return self.image
        return self.render(self.image, self.landmarks)

    def result(self) -> np.ndarray:
        """The edit at full size: what Save writes."""
        return self.render(self.full, self.full_landmarks)

    def saved_picture(self) -> np.ndarray:
        """What Save writes: :meth:`result` (a model that uses the name ``result`` for something else overrides this)."""
        return self.result()

    def draft(self) -> np.ndarray | None:
        """The after picture at :attr:`draft_edge`, drawn while a slider moves (None: no draft).

        Once the sliders rest the frame draws :attr:`after`, so what stays on
        screen never depends on the draft.

        Examples
        --------
        >>> FrameModel(photo="koch").draft() is None
        True
        >>> class Small(FrameModel):
        ...     draft_edge = 360
        >>> max(Small(photo="koch").draft().shape[:2])
        360
        """
        if self.draft_edge is None or self.missing_landmarks:
            return None
        return self.render(*self._draft_photo())

    def _draft_photo(self) -> tuple[np.ndarray, Landmarks | None]:
        """The photo and its landmarks at :attr:`draft_edge` (the same arrays at every call)."""
        if not self.is_own:
            return load_photo(self.photo, self.draft_edge)
        if self._own_draft is None:
            image, landmarks = self._preview()
            small = preview(image, self.draft_edge)
            self._own_draft = (small, None if landmarks is None else landmarks.resized(small.shape[1], small.shape[0]))
        return self._own_draft

    # --- changing the photo ---------------------------------------------------------
    def load_photo(self, source, name: str = "") -> bool:
        """Use the learner's own photo (anything :func:`~portrait_lessons.images.load_image` reads).

        A tool that needs landmarks first looks for the face
        (:func:`~portrait_lessons.photos.save_upload`): when every point is
        found, a copy with its points is saved in :attr:`folder` and chosen.
        Otherwise the photo is shown as taken and the frame links the
        landmark picker. On a bad file the current photo stays. Returns whether it worked;
        :attr:`status` says what happened in words for the learner either way.
        """
        # Opening a phone photo (and finding its face) takes a second or two: say so at once.
        self._report(f"Working: opening {name or 'your photo'}…")
        try:
            image = np.asarray(source) if isinstance(source, np.ndarray) else load_image(source)
        except ImageLoadError as error:
            message = str(error)
            self._report(message if not name or name in message else f"{name}: {message}", failed=True)
            return False
        if self.needs_landmarks and not isinstance(source, np.ndarray):
            # Find the face: a copy with its points is saved in my_photos/ and used at once.
            self._report(f"Working: looking for the face on {name or 'your photo'}…")
            key, words = save_upload(source, name, self.folder)
            if key:
                self.photo = key
                self._report(words)
                return True
        else:
            words = ""
        self._own(image, None, own_photo_label(name), Path(name).stem or "my-photo")
        if words:  # the face wasn't found well enough: the photo is shown as taken, the note links the picker
            self._report(words, failed=True)
            return True
        height, width = image.shape[:2]
        self._report(f"Loaded {name or 'your photo'} ({width} x {height} px). The original file is untouched.")
        return True

    def use_photo(self, image: np.ndarray, landmarks: Landmarks | None, label: str = "Your photo") -> None:
        """Work on a photo with its landmarks (the landmark picker hands one over this way)."""
        if landmarks is not None:
            from ..face.edits import fit_landmarks  # raises a clear error if they don't belong together

            landmarks = fit_landmarks(landmarks, image)
        self._own(np.asarray(image), landmarks, label, "my-photo")
        self._report(f"Now working on {label}. The original is untouched.")

    def _own(self, image: np.ndarray, landmarks: Landmarks | None, label: str, stem: str) -> None:
        small = preview(image, self.preview_edge)
        self._own_landmarks = landmarks
        self._own_draft = None
        self._own_preview = (small, None if landmarks is None else landmarks.resized(small.shape[1], small.shape[0]))
        with self.hold_trait_notifications():  # one redraw, with the new photo
            if self.is_own:
                self.photo = ""  # a new photo under the same key: say so explicitly
            self.own_label = label
            self.upload_name = stem
            self.uploaded = image
            self.photo = YOUR_PHOTO

    # --- saving -----------------------------------------------------------------------
    def save(self, folder: str | Path = EXPORTS) -> Path | None:
        """Save the edit at full size into ``folder``, with ``<name>.json`` holding the settings.

        Never overwrites: a taken name gets ``-1``, ``-2``... Returns the
        picture's path, or None (the reason is in :attr:`status`).
        """
        if self.missing_landmarks:
            self._report("This tool needs the face's landmarks and this photo has none yet, so there is "
                         "nothing to save. Place them with the landmark picker (lesson 01).", failed=True)  # fmt: skip
            return None
        folder = Path(folder)
        try:
            full = self.full
            folder.mkdir(parents=True, exist_ok=True)
            path = save_image(self.saved_picture(), folder / f"{self.stem}-{self.tool_name}.jpg")
            sidecar = write_sidecar(path, self.sidecar(full))
        except OSError as error:
            self._report(f"Couldn't save into {folder}: {error.strerror or error}. Nothing was changed.", failed=True)
            return None
        height, width = full.shape[:2]
        self._report(f"Saved {path} ({width} x {height} px) and its settings {sidecar.name}. Nothing was overwritten.")
        return path

    def sidecar(self, full: np.ndarray | None = None) -> dict:
        """What the settings file beside a saved picture says."""
        full = self.full if full is None else full
        return {
            "format": SIDECAR_FORMAT,
            "version": 1,
            "tool": self.tool_name,
            "photo": self.upload_name if self.is_own else self.photo,
            "size": [int(full.shape[1]), int(full.shape[0])],
            "settings": self.settings(),
        }

    def choose(self, photo: str) -> None:
        """Switch to ``photo`` (a bundled portrait's name, a saved photo's key, or :data:`YOUR_PHOTO`) and say so.

        The status line then speaks of the photo now shown, never of the one before.

        Examples
        --------
        >>> model = FrameModel(photo="glover")
        >>> model.choose("koch")
        >>> model.status
        'Now working on Christina Koch. The original is untouched.'
        """
        self.photo = photo
        self._report(f"Now working on {self.label}. The original is untouched.")

    @traitlets.observe("photo")
    def _forget_failure(self, change) -> None:
        # An error is about the last action; once the learner moves on, it goes.
        if self.failed:
            self._report("")


def split_view(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Before on the left half, after on the right, with a thin light line between.

    Examples
    --------
    >>> split_view(np.zeros((4, 8, 3), np.uint8), np.full((4, 8, 3), 200, np.uint8))[0, :, 0].tolist()
    [0, 0, 0, 240, 240, 200, 200, 200]
    """
    out = after.copy()
    middle = after.shape[1] // 2
    out[:, :middle] = before[:, :middle]
    line = max(1, after.shape[1] // 400)
    out[:, middle - line : middle + line] = 240
    return out


def status_html(text: str, failed: bool = False) -> str:
    """The status line: the message escaped, green for news, red for a failure.

    Examples
    --------
    >>> status_html("<b>hi</b>", failed=True)
    '<span style="color:#a40000">&lt;b&gt;hi&lt;/b&gt;</span>'
    """
    return f'<span style="color:{_ERROR if failed else _OK}">{html.escape(text)}</span>'


def landmark_note(model: FrameModel) -> str:
    """The note a tool shows when it needs landmarks the photo lacks (empty otherwise)."""
    if not model.missing_landmarks:
        return ""
    return (
        "<div class='pl-needs-landmarks' style='background:#fff4d6;padding:4px 8px;border-radius:4px'>"
        f"<b>This tool needs the face's landmarks</b> (eyes, brows, mouth) and {html.escape(model.label)} has none yet, "
        "so the picture stays as taken. Place them with the "
        f"<a href='{PICKER_LESSON}' target='_blank' style='text-decoration:underline'>landmark picker in lesson 01</a>, "
        "press <b>Save</b> there, then choose the photo in this menu (<b>↻</b> lists new ones).</div>"
    )


def grouped(groups: dict[str, list[widgets.Widget]], css: str = "pl-groups") -> widgets.Accordion:
    """Slider groups in an Accordion with the first open: one group at a time keeps a tool on screen.

    Examples
    --------
    >>> accordion = grouped({"Light": [widgets.FloatSlider()], "Colour": [widgets.FloatSlider()]})
    >>> accordion.selected_index, accordion.titles
    (0, ('Light', 'Colour'))
    """
    accordion = widgets.Accordion([widgets.VBox(children) for children in groups.values()], titles=tuple(groups))
    accordion.selected_index = 0
    accordion.add_class(css)
    return accordion


class ToolFrame(widgets.VBox):
    """The frame a tool view subclasses: source bar, picture, side panel, status line.

    Parameters
    ----------
    model : FrameModel
        The tool's model.
    controls : list of widgets
        What goes in the side panel above the readout (sliders, an Accordion of groups...).
    watch : list of str
        The model traits whose change redraws *after* and the readout.
    css : str
        The tool's CSS class (tests and screenshots find the tool by it).
    view : str
        The starting view, one of :data:`VIEWS`.
    side_width : str
        Width of the side panel.
    extra_buttons : list of widgets
        Put in the source bar after Save (Reset, Undo...).

    Widgets for code and tests: ``portrait`` (photo menu), ``upload``,
    ``refresh``, ``view``, ``save``, ``before``, ``after`` (the pair shown
    *Side by side*), ``image`` (the single picture of the Before / After /
    Split views; only the pictures on screen are kept up to date), ``readout``,
    ``notice`` (the landmark note), ``message`` (the status line).
    """

    def __init__(self, model: FrameModel, controls: list[widgets.Widget], *, watch: list[str] = (),
                 css: str = "", view: str = "Side by side", side_width: str = "400px",
                 extra_buttons: list[widgets.Widget] = ()):  # fmt: skip
        self.model = model
        self._listing = False
        self.portrait = widgets.Dropdown(options=self._choices(), value=model.photo, description="Portrait",
                                         style={"description_width": "60px"},
                                         layout=widgets.Layout(width="290px"))  # fmt: skip (the whole "Commodore Grace M. Hopper")
        self.portrait.add_class("pl-photo-menu")
        self.portrait.observe(self._on_pick, "value")
        self.upload = UploadButton(accept=UPLOAD_ACCEPT, description=UPLOAD_LABEL, tooltip=UPLOAD_TIP,
                                   layout=widgets.Layout(width="auto"))  # fmt: skip
        self.upload.add_class("pl-upload")
        self.upload.observe(self._on_upload, "value")
        self.refresh = widgets.Button(icon="refresh", tooltip=f"Look again for photos you saved in {model.folder}/",
                                      layout=widgets.Layout(width="36px"))  # fmt: skip
        self.refresh.add_class("pl-refresh-photos")
        self.refresh.on_click(lambda _: self.relist())
        self.view = widgets.ToggleButtons(options=VIEWS, value=view, style={"button_width": "auto"},
                                          tooltips=["Before and after next to each other", "The photo as taken",
                                                    "Your edit", "Left half as taken, right half edited"])  # fmt: skip
        self.view.add_class("pl-compare")
        self.view.observe(lambda _: self._show_view(), "value")
        self.save = widgets.Button(description="Save full size", icon="download", layout=widgets.Layout(width="130px"),
                                   tooltip=f"Save the edit at full size, with its settings, into {EXPORTS}/ "
                                           "(never overwrites)")  # fmt: skip
        self.save.add_class("pl-save")
        self.save.on_click(lambda _: self.model.save())

        self.before = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%", max_height="480px",
                                                                         object_fit="contain"))  # fmt: skip
        self.before.add_class("pl-before")
        self.after = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%", max_height="480px",
                                                                        object_fit="contain"))  # fmt: skip
        self.after.add_class("pl-after")
        # margin 0: a widget's default 2 px margins on a 100 % wide picture made the box scroll sideways.
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(width="100%", max_height="500px", margin="0",
                                                                        object_fit="contain"))  # fmt: skip
        self.image.add_class("pl-panel-image")
        self._labels = widgets.HBox([widgets.HTML("<b>Before</b>", layout=widgets.Layout(width="49%")),
                                     widgets.HTML("<b>After</b>")])  # fmt: skip
        self._pair = widgets.HBox([self.before, self.after], layout=widgets.Layout(width="100%"))
        self.readout = widgets.HTML()
        self.readout.add_class("pl-readout")
        self.notice = widgets.HTML()
        self.message = widgets.HTML()
        self.message.add_class("pl-message")

        bar = widgets.HBox([self.portrait, self.refresh, self.upload, self.view, self.save, *extra_buttons],
                           layout=widgets.Layout(flex_flow="row wrap", align_items="center"))  # fmt: skip
        bar.add_class("pl-source-bar")
        self._picture = widgets.VBox([self._labels, self._pair, self.image], layout=widgets.Layout(flex="1 1 0%",
                                                                                                  min_width="300px"))  # fmt: skip
        self._picture.add_class("pl-picture")
        # side_width is the room the controls get: the panel adds its 8 px padding and the 2 px margins each
        # widget has on either side, so a control side_width wide doesn't make the panel scroll sideways.
        room = f"calc({side_width} + {SIDE_EXTRA}px)"
        side = widgets.VBox([*controls, self.readout],
                            layout=widgets.Layout(width=room, min_width=room, padding="0 0 0 8px"))  # fmt: skip
        side.add_class("pl-side")
        super().__init__([bar, self.notice, widgets.HBox([self._picture, side]), self.message],
                         layout=widgets.Layout(max_width="1000px"))  # fmt: skip
        self.add_class("pl-tool-frame")
        if css:
            self.add_class(css)
        model.observe(self._on_photo, ["photo"])
        if watch:
            model.observe(lambda _: self._show_after(), list(watch))
        model.observe(lambda _: self._show_status(), ["status"])
        self._show_photo()
        self._show_status()
        return_memory_after_cells()

    def _repr_mimebundle_(self, **kwargs):
        # What a notebook shows in place of the tool until it runs: words for the learner, not a repr.
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = PLACEHOLDER
        return bundle

    # --- what subclasses fill in ------------------------------------------------------
    def describe(self, before: np.ndarray, after: np.ndarray) -> str:
        """The readout beside the picture, as HTML (the frame escapes nothing here: escape user text)."""
        return ""

    def photo_changed(self) -> None:
        """Called when the photo changes, before the picture is redrawn (reset slider ranges here)."""

    def rest_steps(self) -> list:
        """Parts of the readouts to work out one per turn of the loop when the sliders rest, before
        :meth:`describe` (which then reuses them): a key pressed meanwhile waits for one part at most.

        Each is a function of no arguments; see :meth:`readout_part`.
        """
        return []

    def readout_part(self, name: str, work):
        """``work()`` for the picture drawn last, worked out once (a rest step and describe share it).

        Examples
        --------
        >>> frame = ToolFrame(FrameModel(photo="koch"), [])
        >>> calls = []
        >>> [frame.readout_part("n", lambda: calls.append(1) or 7) for _ in range(2)], calls
        ([7, 7], [1])
        """
        if self._parts_of != self._drawn:  # by draw, not by array: a renderer may reuse its output buffer
            self._parts, self._parts_of = {}, self._drawn
        if name not in self._parts:
            self._parts[name] = work()
        return self._parts[name]

    _parts: dict = {}
    _parts_of = None
    _drawn = 0

    # --- the photo menu -----------------------------------------------------------------
    def _choices(self) -> list[tuple[str, str]]:
        choices = photo_choices(self.model.folder)
        if self.model.uploaded is not None:
            choices.append((self.model.own_label, YOUR_PHOTO))
        if self.model.photo and self.model.photo not in [key for _, key in choices]:
            choices.append((photo_stem(self.model.photo), self.model.photo))
        return choices

    def relist(self) -> None:
        """List the photos saved since the tool was made, keeping the current choice."""
        choices = self._choices()
        if [tuple(option) for option in self.portrait.options] != choices:
            self._listing = True  # a new list resets the menu's value: not a pick of the learner's
            try:
                self.portrait.options = choices
                self.portrait.value = self.model.photo or None
            finally:
                self._listing = False

    def _on_pick(self, change) -> None:
        if not self._listing and change["new"] is not None and change["new"] != self.model.photo:
            self.model.choose(change["new"])

    def _on_upload(self, change) -> None:
        if change["new"]:
            entry = change["new"][0]
            self.model.load_photo(entry, entry.get("name", ""))
            # Empty the button again, so the same file chosen a second time loads again.
            self.upload.value = ()

    # --- drawing ------------------------------------------------------------------------
    def _on_photo(self, change=None) -> None:
        if self.model.photo:
            self._show_photo()

    def _show_photo(self) -> None:
        self.relist()
        if self.portrait.value != self.model.photo:
            self._listing = True
            self.portrait.value = self.model.photo
            self._listing = False
        self.photo_changed()
        before = self.model.before
        self.before.value = to_jpeg(before, quality=90)
        self._before = before
        self.notice.value = landmark_note(self.model)
        self.save.disabled = self.model.missing_landmarks
        self._draw()  # a new photo is drawn and measured at once: its before and after belong together
        self._measure()
        give_back_memory()

    # --- scheduling: what a slider step costs ------------------------------------------
    # A slider moved in the browser arrives as a widget message. Rendering at once would
    # render every value the browser sent, even those a newer value already made stale,
    # and would measure the readouts before the next value could be looked at. So a step
    # from the browser only asks for a picture; the kernel's event loop draws the latest
    # values once the messages waiting have been read (stale ones are never drawn), at
    # the model's draft size if it has one; once the sliders have rested for REST_S the
    # full preview replaces the draft and the readouts are measured, each part in a turn
    # of the loop of its own, given up as soon as a newer value arrives (a key pressed
    # during the rest waits for one part, not for all). Code in a cell or a test gets
    # everything drawn and measured before the change returns.
    _draw_asked = False
    _asked = 0
    _rest_timer = None
    _loop = None

    def _show_after(self) -> None:
        if not self.model.photo:
            return
        loop = _browser_loop()
        if loop is None:
            self._draw()
            self._measure()
            return
        self._asked += 1
        if not self._draw_asked:
            self._draw_asked = True
            loop.add_callback(self._draw_latest, loop, self._asked, QUIET_TURNS)

    def _draw_latest(self, loop, seen: int, turns: int) -> None:
        # Let the loop turn a few times first: widget messages already waiting are read
        # (each sets its value) before anything is drawn, so only the latest is rendered.
        if self._asked != seen or turns:
            loop.add_callback(self._draw_latest, loop, self._asked, QUIET_TURNS if self._asked != seen else turns - 1)
            return
        self._draw_asked = False
        self._loop = loop
        if self._rest_timer is not None:
            loop.remove_timeout(self._rest_timer)
        self._rest_timer = loop.call_later(REST_S, self._at_rest)
        self._safely(lambda: self._draw(draft=True))

    def _at_rest(self) -> None:
        # The full preview replaces a draft, then the readouts are measured on it: each step in a turn
        # of the loop of its own, so a key pressed meanwhile waits for one step at most; once a newer
        # value has arrived the rest is given up (that value's draw asks for a new rest).
        self._rest_timer = None
        steps = [lambda: self._draw() if self._drafted else None, *self.rest_steps(), self._measure, give_back_memory]
        self._rest_step(self._loop, self._asked, steps)

    def _rest_step(self, loop, seen: int, steps: list) -> None:
        if self._asked != seen or not steps:
            return
        self._safely(steps[0])
        if steps[1:]:
            loop.add_callback(self._rest_step, loop, seen, steps[1:])

    def _safely(self, step) -> None:
        # Off a widget message nothing would show an error: say it on the status line.
        try:
            step()
        except Exception as error:  # noqa: BLE001
            self.model._report(f"The picture could not be drawn ({type(error).__name__}: {error}). "
                               "Try another value, or run the tool's cell again.", failed=True)  # fmt: skip

    _drafted = False

    def _draw(self, draft: bool = False) -> None:
        """Render the after picture (or, with ``draft``, the quick one if the tool has one) and send it."""
        after = self.shown_draft() if draft else None
        self._drafted = after is not None
        if after is None:
            after = self.shown_after()
        self._after = after
        self._drawn += 1
        # Encoded once, sent once (to the widget on show); a draft at a lower quality, replaced at rest.
        self._after_jpeg = to_jpeg(after, quality=DRAFT_QUALITY if self._drafted else 90)
        self._show_view()

    def _measure(self) -> None:
        """Measure the readouts of the picture drawn last."""
        # An HTML widget lays its text out on 28 px lines (a widget row's height): readouts of several lines
        # ran taller than a laptop screen (lesson 05's palette fell below it). Ordinary line spacing instead.
        text = self.describe(self._before, self._after)
        self.readout.value = f'<div class="pl-readout-text" style="line-height:1.45">{text}</div>' if text else ""

    def shown_after(self) -> np.ndarray:
        """The after picture as shown (a tool may show something else, such as a mask)."""
        return self.model.after

    def shown_draft(self) -> np.ndarray | None:
        """The quick picture shown while a slider moves, or None to draw :meth:`shown_after`.

        The Split view needs before and after at one size, so it draws no draft.
        """
        return self.model.draft() if self.view.value in ("Side by side", "After") else None

    def _show_view(self) -> None:
        # Only the pictures on screen are sent to the browser: each slider step sends one JPEG.
        view = self.view.value
        pair = view == "Side by side"
        self._pair.layout.display = self._labels.layout.display = None if pair else "none"
        self.image.layout.display = "none" if pair else None
        if pair:
            self.after.value = self._after_jpeg
        elif view == "Before":
            self.image.value = self.before.value
        elif view == "After" or self._before.shape != self._after.shape:
            self.image.value = self._after_jpeg
        else:
            self.image.value = to_jpeg(split_view(self._before, self._after), quality=90)

    def _show_status(self) -> None:
        self.message.value = status_html(self.model.status, self.model.failed)


def _after_cell(*_args) -> None:
    import gc

    gc.collect()
    give_back_memory()


def return_memory_after_cells() -> bool:
    """In a kernel, hand freed memory back to the system after every cell (once per kernel).

    A lesson's cells free many large render buffers that glibc would keep;
    after a cell the kernel is at rest, so trimming then costs nothing a
    learner feels. Returns whether a kernel was found.

    Examples
    --------
    >>> return_memory_after_cells()   # not in a kernel here
    False
    """
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    if _after_cell not in shell.events.callbacks.get("post_run_cell", []):
        shell.events.register("post_run_cell", _after_cell)
    return True


class OnDemand(widgets.VBox):
    """A tool built only when wanted: an *Open* button, or a photo handed over with :meth:`use_photo`.

    Lessons offer tools for the learner's own photo beside the ones they
    demonstrate; building each at Run All would hold tens of MB per kernel
    for tools most learners never open.

    Examples
    --------
    >>> lazy = OnDemand(lambda: widgets.Label("the tool"), "Open the tool")
    >>> lazy.built
    False
    >>> lazy.opener.click()
    >>> lazy.built, lazy.children[0].value
    (True, 'the tool')
    """

    def __init__(self, build, label: str, picker_model=None):
        self._build = build
        self._tool = None
        self.opener = widgets.Button(description=label, icon="folder-open", layout=widgets.Layout(width="auto"))
        self.opener.add_class("pl-open-tool")
        self.opener.on_click(lambda _: self.tool)
        super().__init__([self.opener])
        if picker_model is not None:  # a photo the landmark picker hands over opens the tool
            picker_model.observe(lambda change: self.tool if change["new"] is not None else None, "landmarks")

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"OnDemand({self.opener.description!r})"

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle:
            bundle["text/plain"] = PLACEHOLDER
        return bundle

    @property
    def built(self) -> bool:
        return self._tool is not None

    @property
    def tool(self):
        """The tool, built on first use."""
        if self._tool is None:
            self._tool = self._build()
            self.children = [self._tool]
        return self._tool

    @property
    def model(self):
        return self.tool.model

    def use_photo(self, *args, **kwargs):
        return self.tool.use_photo(*args, **kwargs)
