"""The landmark picker: put the face-edit points on the learner's own photo.

:class:`LandmarkModel` holds the state in plain Python: the photo, its 22
points, the problems with them, and the finished :class:`Landmarks` (only
while there are no problems, so whoever observes ``landmarks`` always gets
usable points). :class:`LandmarkPicker` is the view: a photo source, an
upload button, the photo with draggable points (:class:`PointCanvas`), a list
of problems in plain words and a save button.

On an uploaded photo the face is found automatically when the ``faces``
extra is installed (:mod:`portrait_lessons.face.detect`): the picker opens on
the found points, marks the ones that could not be seen well as guesses, and
when every point is confident the face tools can use them at once. With
several faces, each is outlined and the learner clicks the one to use. With
no face found, or without the extra, the points start from the template.

Once both iris centres have been placed by hand, the points not yet touched
follow them (the template is moved, scaled and turned onto the eyes), so two
drags give a good start on any photo. Until then the points are only a guess,
and ``landmarks`` stays None (so no tool edits a forehead by mistake), unless
the learner says the guess is right (:meth:`LandmarkModel.confirm`).
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import examples
from ..face import detect
from ..images import ImageLoadError, load_image, preview, to_jpeg
from ..face.fit import (
    POINT_LABELS,
    fit_template,
    landmarks_from_points,
    load_with_landmarks,
    point_hint,
    save_with_landmarks,
    saved_photos,
    template_on_eyes,
    validate_points,
)
from ..face.landmarks import POINT_NAMES, LandmarkError, Landmarks
from ..photos import OWN_PHOTO, own_photo_label
from .point_canvas import PointCanvas
from .status import Reporting
from .upload import UPLOAD_ACCEPT, UPLOAD_LABEL, UPLOAD_TIP, UploadButton

#: Long edge of the photo the points are placed on (and that ``model.image`` holds).
PICKER_EDGE = 1024

#: Folder (relative to the notebook) where copies and their landmarks are saved.
SAVE_FOLDER = "my_photos"

_IRISES = ("left_iris", "right_iris")

#: The most shape asymmetry the bundled portraits measure with their hand-placed points (Hopper,
#: 10.7 %; see lesson 02's table); the face finder's points on them measure at most 14.3 %.
BUNDLED_MOST = 10.7
#: Above this, an asymmetry measured on points nobody checked most likely measures misplaced points.
HIGH_ASYMMETRY = 15.0


class LandmarkModel(Reporting):
    """State of the picker: which photo, where its points are, what is wrong.

    Examples
    --------
    >>> model = LandmarkModel()
    >>> model.use_portrait("koch")
    >>> model.image.shape, len(model.points), model.problems, model.landmarks  # a first guess only
    ((1024, 768, 3), 22, [], None)
    >>> model.confirm()
    >>> model.landmarks.width
    768
    >>> x, y = model.points["left_brow_middle"]
    >>> model.move_point("nose_tip", x, y)  # above the eyes
    >>> model.landmarks is None, model.problems[0]
    (True, 'The nose tip should be below the eyes and above the mouth.')
    """

    image = traitlets.Instance(np.ndarray, allow_none=True, help="the photo, at most PICKER_EDGE px long")
    landmarks = traitlets.Instance(
        Landmarks, allow_none=True, help="valid points on image, once the irises were placed or the points confirmed; else None"
    )
    points = traitlets.Dict(help="name -> (x, y) in pixels of image")
    problems = traitlets.List(traitlets.Unicode())
    photo_name = traitlets.Unicode("")
    confirmed = traitlets.Bool(False, help="the learner said the points sit right")
    faces = traitlets.List(help="faces found on the photo: [left, top, width, height] each, in pixels of image")
    face_index = traitlets.Int(0, help="which of faces the points are on")
    guesses = traitlets.List(traitlets.Unicode(), help="points the detector could not see well")
    detecting = traitlets.Bool(False, help="the face is being looked for")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.original: np.ndarray | None = None  # the photo at full size, for saving
        self.placed: set[str] = set()  # points the learner has moved
        self.detection: detect.Detection | None = None  # what the detector found on image

    # --- choosing a photo ---------------------------------------------------------
    def use_portrait(self, name: str) -> None:
        """Start on a bundled portrait, with the template fitted to it."""
        self._start(examples.load_portrait(name), name, fitted=True)
        self._report(f"{examples.portrait(name).person.split(',')[0]}: drag the points onto their places.")

    def load_photo(self, source, name: str = "") -> bool:
        """Start on the learner's photo; on a bad file keep the current one.

        ``source`` is anything :func:`~portrait_lessons.images.load_image`
        reads. Returns whether it worked; :attr:`status` says what happened.
        """
        # Opening a phone photo and finding its face take a second or two: say so first.
        self._report(f"Working: opening {name or 'your photo'}…")
        self.detecting = True
        try:
            image = load_image(source)
        except ImageLoadError as error:
            self.detecting = False
            self._report(str(error), failed=True)
            return False
        height, width = image.shape[:2]
        loaded = f"Loaded {name or 'your photo'} ({width} x {height} px); the original file is untouched."
        if detect.available():
            self._report(f"{loaded} Working: looking for the face…")
            try:
                self._start(image, Path(name).stem or "my-photo", fitted=True, find=True)
            except ImportError as error:  # installed but broken: the template still works
                self._start(image, Path(name).stem or "my-photo", fitted=True)
                self._report(f"{loaded} The face finder could not start ({error}); the points are a first guess.")
                return True
            finally:
                self.detecting = False
            self._report(f"{loaded} {self.detection.message}")
        else:
            self.detecting = False
            self._start(image, Path(name).stem or "my-photo", fitted=True)
            self._report(
                f"{loaded} The points are a first guess (install the faces extra to have them found: "
                "see the README)."
            )
        return True

    def choose_face(self, index: int) -> None:
        """Put the points on face ``index`` of :attr:`faces` (the learner clicked it)."""
        if not self.detection or not 0 <= index < len(self.detection.faces):
            return
        self._use_face(index)
        self._report(f"Face {index + 1} of {len(self.faces)} chosen. " + self._found_words())

    def load_saved(self, path: str | Path) -> bool:
        """Reopen a photo saved by :meth:`save`, with its points."""
        path = Path(path)
        try:
            image, landmarks = load_with_landmarks(path)
        except (ImageLoadError, LandmarkError) as error:
            self._report(str(error), failed=True)
            return False
        self._start(image, path.stem, fitted=False)
        factor = self.image.shape[1] / landmarks.width
        self.placed = set(POINT_NAMES)
        self.confirmed = True
        self.points = {n: (x * factor, y * factor) for n, (x, y) in landmarks.points.items()}
        self._report(f"Reopened {path.name} with its saved points.")
        return True

    @property
    def ready(self) -> bool:
        """Whether the points are more than a guess: both irises placed by hand, or confirmed."""
        return self.confirmed or set(_IRISES) <= self.placed

    @property
    def guessed(self) -> list[str]:
        """The points that are only a guess: not placed by hand, and not found on the face.

        Without a found face every untouched point is the template's, which is
        symmetric by design, so an asymmetry measured on it measures the
        template, not the face.
        """
        if self.faces:  # found by the face finder: only the points it could not see are guesses
            return [name for name in self.guesses if name not in self.placed]
        return [name for name in POINT_NAMES if name not in self.placed]

    @property
    def doubts(self) -> tuple[str, ...]:
        """Why the face finder doubts that the points are on a face at all (empty: no doubt)."""
        if self.detection and self.detection.faces and 0 <= self.face_index < len(self.detection.faces):
            return self.detection.faces[self.face_index].doubts
        return ()

    def asymmetry_warning(self, asymmetry: float | None = None) -> str:
        """A warning to show beside an asymmetry measured on these points ('' when there is none to give).

        Parameters
        ----------
        asymmetry : float, optional
            The shape asymmetry measured on the points, in % of the eye
            spacing. Above :data:`HIGH_ASYMMETRY` on points the learner has
            not placed by hand, the warning says the points, not the face,
            are the likely cause.

        Examples
        --------
        >>> model = LandmarkModel()
        >>> model.asymmetry_warning()[:8]
        'Careful:'
        """
        guessed = [n for n in self.guessed if n not in _IRISES]
        by_hand = len(self.placed) * 2 >= len(POINT_NAMES)
        if asymmetry is not None and asymmetry > HIGH_ASYMMETRY and not by_hand:
            return (f"Careful: {asymmetry:.1f} % is more than any of the bundled portraits measures with points "
                    f"placed by hand (at most {BUNDLED_MOST:.0f} %), and most of these points were not checked by hand. "
                    "The points probably do not sit on the face: look at them in the picker, drag each onto its "
                    "place, and measure again.")  # fmt: skip
        if self.doubts and not by_hand:
            return ("Careful: the face finder doubted these points (" + " and ".join(self.doubts) + "), and most "
                    "were not checked by hand, so this measures the points rather than your face. Drag each point "
                    "onto its place in the picker first.")  # fmt: skip
        if self.faces or len(guessed) * 2 < len(POINT_NAMES):
            return ""
        return (f"Careful: {len(guessed)} of the {len(POINT_NAMES)} points are still the first guess, which is "
                "symmetric by design, so a low asymmetry here describes the guess, not your face. Drag the mouth "
                "corners, brows and eye corners onto your face first.")  # fmt: skip

    def confirm(self) -> None:
        """Take the points as they are (the learner checked the guess by eye)."""
        self.confirmed = True
        self._check()
        if self.landmarks is None and self.problems:
            self._report("Fix the problems listed above first.", failed=True)

    def refit(self) -> None:
        """Throw away the points and start again from the found face, or the template's guess."""
        if self.image is None:
            return
        if self.detection and self.detection.faces:
            self._use_face(self.face_index, chosen=self.confirmed or len(self.faces) == 1)
            self._report("Started again from the points found on the face.")
            return
        self.placed = set()
        self.confirmed = False
        self.points = dict(fit_template(self.image).points)
        self._report("Started again from the first guess.")

    # --- moving points -----------------------------------------------------------
    def move_point(self, name: str, x: float, y: float) -> None:
        """Put one point at (x, y), in pixels of :attr:`image`."""
        self.set_points({**self.points, name: (float(x), float(y))})

    def set_points(self, points: dict) -> None:
        """Take new positions (all or some points); untouched points may follow the eyes."""
        if name := next((n for n in points if n not in POINT_LABELS), None):
            raise KeyError(f"There is no point called {name!r}; the names are in POINT_NAMES.")
        new = {n: (float(x), float(y)) for n, (x, y) in points.items()}
        moved = {n for n, xy in new.items() if self.points.get(n) != xy}
        if not moved:
            return
        merged = {**self.points, **new}
        self.placed |= moved
        if self.guesses and moved & set(self.guesses):
            self.guesses = [n for n in self.guesses if n not in moved]  # placed by hand: no longer a guess
        if moved & set(_IRISES) and set(_IRISES) <= self.placed:
            # Both eyes are placed: carry every untouched point along with them.
            follow = template_on_eyes(merged["left_iris"], merged["right_iris"])
            merged.update({n: follow[n] for n in POINT_NAMES if n not in self.placed})
        self.points = merged

    @traitlets.observe("points")
    def _check(self, change=None) -> None:
        if self.image is None or len(self.points) < len(POINT_NAMES):
            self.problems, self.landmarks = [], None
            return
        height, width = self.image.shape[:2]
        problems = validate_points(self.points, width, height)
        with self.hold_trait_notifications():
            self.problems = problems
            usable = not problems and self.ready
            self.landmarks = self._complete(self.points, width, height) if usable else None
        if self.failed:
            self._report("")  # an error was about the last action; the learner has moved on

    # --- saving ------------------------------------------------------------------
    def save(self, folder: str | Path = SAVE_FOLDER) -> tuple[Path, Path] | None:
        """Save a full-size copy of the photo and its points beside it; never overwrites.

        Returns the copy's and the sidecar's paths, or None with the reason
        in :attr:`status` (points still have problems, or the disk refused).
        """
        if self.problems or len(self.points) < len(POINT_NAMES):
            self._report("Fix the problems listed above first, then save.", failed=True)
            return None
        if self.landmarks is None:  # saving says the points are right
            self.confirm()
        try:
            copy, sidecar = save_with_landmarks(self.original, self.landmarks, folder, self.photo_name)
        except (OSError, LandmarkError) as error:
            reason = getattr(error, "strerror", None) or error
            self._report(f"Couldn't save into {folder}: {reason}. Nothing was changed.", failed=True)
            return None
        self._report(
            f"Saved {copy} and its points in {sidecar.name} beside it. "
            "Nothing was overwritten and your original file is untouched."
        )
        return copy, sidecar

    @property
    def display_name(self) -> str:
        """What to call this photo in other tools: the sitter's name for a bundled portrait.

        Examples
        --------
        >>> model = LandmarkModel()
        >>> model.use_portrait("hopper")
        >>> model.display_name
        'Commodore Grace M. Hopper (your points)'
        """
        if self.photo_name in examples.names():
            return f"{examples.portrait(self.photo_name).person.split(',')[0]} (your points)"
        return own_photo_label(self.photo_name)

    # --- helpers -----------------------------------------------------------------
    def _start(self, image: np.ndarray, name: str, fitted: bool, find: bool = False) -> None:
        working = preview(image, PICKER_EDGE)
        self.detection = detect.detect_faces(working) if find else None
        if self.detection and self.detection.turns:  # a photo lying on its side: work on it upright
            working = np.ascontiguousarray(np.rot90(working, self.detection.turns))
            image = np.ascontiguousarray(np.rot90(image, self.detection.turns))
        self.original = image
        faces = self.detection.faces if self.detection else ()
        with self.hold_trait_notifications():  # observers see the new photo and points together
            self.photo_name = name
            self.image = working
            self.faces = [[f.box[0], f.box[1], f.box[2] - f.box[0], f.box[3] - f.box[1]] for f in faces]
            if faces:
                self._use_face(0, chosen=len(faces) == 1)
            else:
                self.placed = set()
                self.confirmed = False
                self.guesses = []
                self.face_index = 0
                self.points = dict(fit_template(working).points) if fitted else {}

    def _use_face(self, index: int, chosen: bool = True) -> None:
        face = self.detection.faces[index]
        with self.hold_trait_notifications():
            self.face_index = index
            self.placed = set()
            self.guesses = face.guesses
            # Every point seen, on the one face there is or the one chosen: the tools use them at once.
            self.confirmed = face.confident and chosen
            self.points = dict(face.landmarks.points)

    def _complete(self, points: dict, width: int, height: int) -> Landmarks:
        """Landmarks from the points: the found face's radii and outline while it still fits them."""
        found = self.detection.faces[self.face_index].landmarks if self.detection and self.detection.faces else None
        if found is None or (found.width, found.height) != (width, height):
            return landmarks_from_points(points, width, height)
        if all(points[n] == found.points[n] for n in POINT_NAMES):
            return found
        completed = landmarks_from_points(points, width, height)
        # The iris radii were measured on the photo: keep them unless the learner moved that iris.
        radius = {s: found.iris_radius[s] if points[f"{s}_iris"] == found.points[f"{s}_iris"]
                  else completed.iris_radius[s] for s in ("left", "right")}  # fmt: skip
        return Landmarks(completed.points, radius, completed.face_outline, width, height)

    def _found_words(self) -> str:
        if self.doubts:
            return ("These points may not be on a face (" + " and ".join(self.doubts) + "): they are shown as "
                    "guesses, drag each onto its place.")  # fmt: skip
        guesses = [POINT_LABELS[n] for n in self.guesses]
        if guesses:
            return "Check the points drawn as rings (" + ", ".join(guesses) + ") and drag them into place."
        return "Every point was placed; check them by eye."


class LandmarkPicker(widgets.VBox):
    """Choose or upload a photo, drag the 22 points onto it, save them beside a copy.

    The widgets are attributes so code (and tests) can drive them: ``source``,
    ``upload``, ``point``, ``canvas``, ``restart``, ``save``, ``hint``,
    ``problems``, ``message``. The state is in ``model``
    (:class:`LandmarkModel`): ``model.image`` and ``model.landmarks``.
    """

    def __init__(self, model: LandmarkModel | None = None, save_folder: str | Path = SAVE_FOLDER):
        self.model = model or LandmarkModel()
        self.save_folder = Path(save_folder)
        if self.model.image is None:
            self.model.use_portrait("koch")

        self.source = widgets.Dropdown(description="Photo", layout=widgets.Layout(width="300px"))
        self.source.add_class("pl-source")
        self.upload = UploadButton(accept=UPLOAD_ACCEPT, description=UPLOAD_LABEL, tooltip=UPLOAD_TIP,
                                   layout=widgets.Layout(width="170px"))  # fmt: skip
        self.upload.add_class("pl-upload")
        self.point = widgets.Dropdown(
            options=[(POINT_LABELS[n], n) for n in POINT_NAMES], value="left_iris",
            description="Point", layout=widgets.Layout(width="300px"),
        )  # fmt: skip
        self.point.add_class("pl-point-select")
        self.restart = widgets.Button(description="Start again", icon="undo",
                                      tooltip="Throw away the points and start from the first guess",
                                      layout=widgets.Layout(width="130px"))  # fmt: skip
        self.save = widgets.Button(description="Save beside a copy", icon="save", button_style="success",
                                   tooltip=f"Save a copy of the photo and its points into {self.save_folder}/",
                                   layout=widgets.Layout(width="190px"))  # fmt: skip
        self.save.add_class("pl-save")
        self.use = widgets.Button(description="Use these points", icon="check",
                                  tooltip="The points sit right: let the face tools use them",
                                  layout=widgets.Layout(width="160px"))  # fmt: skip
        self.use.add_class("pl-use")
        self.zoom = widgets.ToggleButton(value=True, description="Zoom to the face", icon="search-plus",
                                         tooltip="Show only the face, larger; switch off to see the whole photo",
                                         layout=widgets.Layout(width="150px"))  # fmt: skip
        self.zoom.add_class("pl-zoom")
        self.canvas = PointCanvas(labels=dict(POINT_LABELS))
        self.hint = widgets.HTML()
        self.hint.add_class("pl-hint")
        self.problems = widgets.HTML()
        self.problems.add_class("pl-problems")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        self.progress = widgets.HTML(
            '<span class="pl-detecting" style="color:#444">&#8987; Looking for the face in your photo…</span>',
            layout=widgets.Layout(display="none"),
        )
        self.progress.add_class("pl-progress")

        traitlets.link((self.point, "value"), (self.canvas, "selected"))
        self.source.observe(self._on_source, "value")
        self.upload.observe(self._on_upload, "value")
        self.restart.on_click(lambda _: (self.model.refit(), self._show_view()))
        self.zoom.observe(self._show_view, "value")
        self.save.on_click(lambda _: self._on_save())
        self.use.on_click(lambda _: self.model.confirm())
        self.canvas.observe(self._on_canvas_points, "points")
        self.canvas.observe(self._on_canvas_face, "face")
        self.model.observe(self._show_faces, ["faces", "face_index", "guesses"])
        self.model.observe(self._show_progress, "detecting")
        self.point.observe(self._show_hint, "value")
        self.model.observe(self._show_photo, "image")
        self.model.observe(self._show_points, "points")
        self.model.observe(self._show_problems, ["problems", "landmarks", "guesses", "faces"])
        self.model.observe(self._show_status, "status")

        steps = (
            f"<b>Place the points.</b> 1&nbsp;Choose a portrait, or load yours with <b>{UPLOAD_LABEL}</b> "
            "(on your photo the face is looked for and the points placed for you; rings mark points "
            "to check, and with several faces you click the one to use). "
            "2&nbsp;Drag each dot onto its place, or pick a point in the list and click where it goes. "
            "On a portrait, <b>first drag the two iris points</b> onto the centres of the eyes; the others follow. "
            "3&nbsp;Check each point; the face tools use them once both irises are placed "
            "(or press <i>Use these points</i>). 4&nbsp;Save if you like: a copy goes into "
            f"<code>{html.escape(str(self.save_folder))}/</code> (delete it when you finish on a shared computer)."
        )
        # The photo on the left, the steps and buttons beside it: photo, point menu and hints fit a laptop screen together.
        self.canvas.layout = widgets.Layout(width="100%")
        picture = widgets.VBox([self.canvas, widgets.HTML(_LEGEND)], layout=widgets.Layout(width="470px", min_width="300px"))
        picture.add_class("pl-picker-picture")
        wrap = widgets.Layout(flex_flow="row wrap")
        side = widgets.VBox(
            [
                widgets.HTML(f'<div style="font-size:95%">{steps}</div>'),
                widgets.HBox([self.source, self.upload, self.zoom], layout=wrap),
                self.progress,
                widgets.HBox([self.point, self.restart, self.use, self.save], layout=wrap),
                self.hint,
                self.problems,
                self.message,
            ],
            layout=widgets.Layout(flex="1 1 0%", min_width="320px", padding="0 0 0 10px"),
        )
        super().__init__([widgets.HBox([picture, side], layout=widgets.Layout(align_items="flex-start"))],
                         layout=widgets.Layout(max_width="1000px"))  # fmt: skip
        self.add_class("pl-landmark-picker")
        self._fill_sources()
        self._show_photo()
        self._show_problems()
        self._show_hint()
        # The face finder (about 40 MB) loads on the first upload, not here: most kernels never need it.

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"LandmarkPicker(photo={self.model.photo_name!r}, problems={len(self.model.problems)})"

    # --- from the widgets to the model -------------------------------------------
    def _on_source(self, change) -> None:
        kind, _, value = (change["new"] or "").partition(":")
        if kind == "portrait" and value != self.model.photo_name:
            self.model.use_portrait(value)
        elif kind == "saved":
            self.model.load_saved(value)

    def _on_upload(self, change) -> None:
        if change["new"]:
            loaded = self.model.load_photo(change["new"], change["new"][0].get("name", ""))
            # Empty the button again, so the same file chosen a second time loads again.
            self.upload.value = ()
            if loaded:
                self._fill_sources()

    def _on_canvas_points(self, change) -> None:
        # The canvas holds rounded positions: pass on only the points the learner moved.
        shown = _rounded(self.model.points)
        moved = {n: xy for n, xy in change["new"].items() if shown.get(n) != list(xy)}
        if moved:
            self.model.set_points(moved)

    def _on_canvas_face(self, change) -> None:
        if change["new"] != self.model.face_index:
            self.model.choose_face(change["new"])
            self._show_view()

    def _on_save(self) -> None:
        if self.model.save(self.save_folder):
            self._fill_sources()

    # --- from the model to the widgets -------------------------------------------
    def _fill_sources(self) -> None:
        options = [(examples.portrait(n).person.split(",")[0], f"portrait:{n}") for n in examples.names()]
        options += [(own_photo_label(p.name, saved=True), f"saved:{p}") for p in saved_photos(self.save_folder)]
        current = f"portrait:{self.model.photo_name}"
        if current not in dict(options).values():
            current = f"upload:{self.model.photo_name}"
            options.append((own_photo_label(self.model.photo_name), current))
        self.source.unobserve(self._on_source, "value")  # new options must not load a photo
        self.source.options = options
        self.source.value = current
        self.source.observe(self._on_source, "value")

    def _show_photo(self, change=None) -> None:
        image = self.model.image
        height, width = image.shape[:2]
        self._show_faces()
        self.canvas.image_size = [width, height]
        self.canvas.image = to_jpeg(image, quality=88)
        self._show_points()
        self._show_view()

    def _show_view(self, change=None) -> None:
        # Set when the photo, the fit or the toggle changes, never while points
        # move: the view must hold still under the learner's mouse.
        height, width = self.model.image.shape[:2]
        several = len(self.model.faces) > 1 and not self.model.confirmed  # show every face to choose from
        self.canvas.view = _face_view(self.model.points, width, height) if self.zoom.value and not several else []

    def _show_points(self, change=None) -> None:
        points = _rounded(self.model.points)
        if points != self.canvas.points:
            self.canvas.points = points
        self._show_hint()

    def _show_faces(self, change=None) -> None:
        with self.canvas.hold_sync():
            self.canvas.faces = [list(map(float, box)) for box in self.model.faces]
            self.canvas.face = self.model.face_index
            self.canvas.guesses = list(self.model.guesses)

    def _show_progress(self, change) -> None:
        self.progress.layout.display = "block" if change["new"] else "none"

    def _show_hint(self, change=None) -> None:
        name = self.point.value
        x, y = self.model.points.get(name, (0.0, 0.0))
        self.hint.value = (
            f'<span class="pl-hint-text"><b>{html.escape(POINT_LABELS[name])}</b> goes on '
            f"{html.escape(point_hint(name))}. "
            f'<span style="color:#666">Now at x&nbsp;{x:.0f}, y&nbsp;{y:.0f}.</span></span>'
        )

    def _show_problems(self, change=None) -> None:
        problems = self.model.problems
        if problems:
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            if self.model.doubts and self.model.guessed:  # the finder doubts the whole face: say so, not 22 names
                items = (f"<li class='pl-doubts'><b>These points may not be on a face</b> "
                         f"({html.escape(' and '.join(self.model.doubts))}): every point is a guess, drawn as a ring. "
                         "Drag each onto its place, starting with the two irises, or try a sharper photo.</li>"
                         + items)  # fmt: skip
            elif self.model.guesses:  # points the frame cut off are pressed to its edge: say which
                names = ", ".join(html.escape(POINT_LABELS[n]) for n in self.model.guesses)
                items += f"<li>These points are guesses (drawn as rings): {names}.</li>"
            self.problems.value = f'<div style="color:#a40000"><b>To fix before saving:</b><ul>{items}</ul></div>'
        elif self.model.landmarks is None and self.model.doubts and self.model.guessed:
            self.problems.value = (
                '<div style="color:#8a5a00" class="pl-not-ready pl-doubts"><b>These points may not be on a face</b> ('
                + html.escape(" and ".join(self.model.doubts)) + "). A blurred or dark photo can fool the face finder. "
                "Every point is drawn as a ring: drag each onto its place, starting with the two irises, "
                "and press <i>Use these points</i> only once they sit right (or try a sharper photo).</div>"
            )
        elif self.model.landmarks is None and len(self.model.faces) > 1 and not self.model.guesses:
            self.problems.value = (
                f'<div style="color:#8a5a00" class="pl-not-ready"><b>{len(self.model.faces)} faces were found.</b> '
                "The points are on the largest. Click another face's box to use it, "
                "or press <i>Use these points</i> to keep this one.</div>"
            )
        elif self.model.landmarks is None and self.model.guesses:
            names = ", ".join(html.escape(POINT_LABELS[n]) for n in self.model.guesses)
            several = (
                f" {len(self.model.faces)} faces were found: the points are on the largest; click another "
                "face's box to use it instead."
                if len(self.model.faces) > 1
                else ""
            )
            self.problems.value = (
                '<div style="color:#8a5a00" class="pl-not-ready"><b>Some points are guesses</b> '
                f"(drawn as rings: {names}): the detector could not see them well. Drag them into place, "
                f"then press <i>Use these points</i>.{several}</div>"
            )
        elif self.model.landmarks is None:
            self.problems.value = (
                '<div style="color:#8a5a00" class="pl-not-ready"><b>These points are a first guess.</b> '
                "Drag the two iris points onto the centres of the eyes (the others follow), "
                "or press <i>Use these points</i> if every point already sits right.</div>"
            )
        elif self.model.doubts and self.model.guessed:
            self.problems.value = (
                '<div style="color:#8a5a00" class="pl-ready pl-doubts">The face tools now use these points, but the '
                "face finder doubted them and they have not been checked by hand: measurements made on them may "
                "describe the points rather than the face. Drag each ring onto its place.</div>"
            )
        else:
            self.problems.value = (
                '<div style="color:#2e6b2e" class="pl-ready">&#10003; The face tools now use these points. '
                "Check each one by eye; save if you like.</div>"
            )
        self.save.disabled = bool(problems)
        self.use.disabled = bool(problems) or self.model.landmarks is not None
        # once applied (at once when every found point is sure) the button says so instead of just greying out
        self.use.description = "Points in use" if self.use.disabled and not problems else "Use these points"

    def _show_status(self, change) -> None:
        colour = "#a40000" if self.model.failed else "#2e6b2e"
        self.message.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'


_LEGEND = (
    '<div style="font-size:90%;color:#444">'
    + " &nbsp; ".join(
        f'<span style="color:{colour};-webkit-text-stroke:0.6px #000">&#9679;</span> {words}'
        for colour, words in [
            ("#ffd400", "the point you are moving"),
            ("#00e5ff", "the picture's left side"),
            ("#ff3bd4", "its right side"),
            ("#ffffff", "the middle of the face"),
        ]
    )
    + "</div>"
)


def _face_view(points: dict, width: int, height: int) -> list[float]:
    """A square around the points, twice their size, kept inside the photo; [] if none."""
    if not points:
        return []
    xy = np.array(list(points.values()))
    (left, top), (right, bottom) = xy.min(axis=0), xy.max(axis=0)
    side = min(max(right - left, bottom - top) * 2.0, width, height)
    x = min(max((left + right - side) / 2, 0), width - side)
    y = min(max((top + bottom - side) / 2 - side * 0.05, 0), height - side)  # a little more room above: hair, forehead
    return [float(x), float(y), float(side), float(side)]


def _rounded(points: dict) -> dict[str, list[float]]:
    """Points as the canvas holds them: lists, to 0.1 px."""
    return {n: [round(x, 1), round(y, 1)] for n, (x, y) in points.items()}


def landmark_picker(portrait: str = "koch", save_folder: str | Path = SAVE_FOLDER) -> LandmarkPicker:
    """Build the landmark picker, starting on a bundled portrait (returned, not displayed).

    Examples
    --------
    >>> picker = landmark_picker("jemison")
    >>> picker.model.landmarks is None  # a first guess, until the irises are placed or confirmed
    True
    >>> picker.use.click()
    >>> picker.model.landmarks.width <= 1024
    True
    >>> picker.canvas.points == {k: [round(x, 1), round(y, 1)] for k, (x, y) in picker.model.points.items()}
    True
    """
    model = LandmarkModel()
    model.use_portrait(portrait)
    return LandmarkPicker(model, save_folder)
