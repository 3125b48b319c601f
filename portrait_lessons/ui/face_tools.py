"""Face tools: a gaze pad and expression sliders, each with before and after.

:class:`FaceEditModel` holds the photo, its landmarks and every edit amount
in plain Python; :class:`GazeTool` and :class:`ExpressionTool` are two views
of it. Both show the head up close, because a few pixels of iris or mouth
corner are what the lessons are about. ``use_photo(image, landmarks)``
switches a tool to any photo, such as the learner's own from the landmark
picker.
"""

from __future__ import annotations

import html
import math
from dataclasses import fields
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from .. import examples
from ..face.edits import FaceEdit, apply_face_edits, edit_limits, fit_landmarks, head_box
from ..images import preview, save_image, to_jpeg
from ..face.landmarks import Landmarks
from ..retouch.subject import subject_mask

#: Long edge of the image the tools edit while a slider moves.
PREVIEW_EDGE = 1024
YOUR_PHOTO = "your photo"
#: The gaze pad shows the face closer than the expression sliders: eyes are small.
GAZE_PAD = 0.2
EDIT_NAMES = tuple(item.name for item in fields(FaceEdit))


class FaceEditModel(traitlets.HasTraits):
    """A photo, its landmarks and the edit amounts; computes before and after.

    Examples
    --------
    >>> model = FaceEditModel(photo="koch")
    >>> model.gaze_x = 20
    >>> model.edit.gaze_x, model.after.shape == model.before.shape
    (20.0, True)
    """

    photo = traitlets.Unicode("koch")
    gaze_x = traitlets.Float(0.0)
    gaze_y = traitlets.Float(0.0)
    mouth_left = traitlets.Float(0.0)
    mouth_right = traitlets.Float(0.0)
    brow_left = traitlets.Float(0.0)
    brow_right = traitlets.Float(0.0)
    eyelid_narrowing = traitlets.Float(0.0)
    head_tilt = traitlets.Float(0.0)
    status = traitlets.Unicode("")
    pad = traitlets.Float(0.4, help="space round the face in the close-up, in face widths")
    own_label = traitlets.Unicode("Your photo", help="what the portrait menu calls the photo from use_photo")
    _own: tuple[np.ndarray, Landmarks] | None = None

    @property
    def image(self) -> np.ndarray:
        """The whole photo at preview size."""
        if self.photo == YOUR_PHOTO and self._own is not None:
            return self._own[0]
        return examples.load_portrait(self.photo, PREVIEW_EDGE)

    @property
    def landmarks(self) -> Landmarks:
        """The landmarks of :attr:`image`."""
        if self.photo == YOUR_PHOTO and self._own is not None:
            return self._own[1]
        return examples.portrait_landmarks(self.photo, PREVIEW_EDGE)

    @property
    def edit(self) -> FaceEdit:
        """The current amounts as a :class:`~portrait_lessons.face.edits.FaceEdit`."""
        return FaceEdit(**{name: getattr(self, name) for name in EDIT_NAMES})

    @edit.setter
    def edit(self, edit: FaceEdit) -> None:
        with self.hold_trait_notifications():
            for name, value in edit.to_dict().items():
                setattr(self, name, value)

    @property
    def limits(self) -> dict[str, tuple[float, float]]:
        """Each amount's range on this face (see :func:`~portrait_lessons.face.edits.edit_limits`)."""
        return edit_limits(self.landmarks)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The head's box in :attr:`image`, shown by the tools."""
        return head_box(self.landmarks, self.pad)

    @property
    def before(self) -> np.ndarray:
        """The head, unedited."""
        left, top, right, bottom = self.box
        return self.image[top:bottom, left:right]

    @property
    def after(self) -> np.ndarray:
        """The head with the current edit."""
        left, top, right, bottom = self.box
        return self._edited()[top:bottom, left:right]

    def _edited(self) -> np.ndarray:
        # The head tilt turns hair and hats with the head when it knows the person's outline.
        person = subject_mask(self.image, self.landmarks) if self.edit.head_tilt else None
        return apply_face_edits(self.image, self.landmarks, self.edit, person)

    def reset(self) -> None:
        """Every amount back to zero."""
        self.edit = FaceEdit()

    def use_photo(self, image: np.ndarray, landmarks: Landmarks, label: str = "Your photo") -> None:
        """Edit another photo (the learner's own, say) with landmarks placed on it.

        ``image`` may be any size; it is reduced to the preview size and the
        landmarks with it. The amounts are kept, so the same edit can be
        compared across photos. ``label`` is its name in the portrait menu.
        """
        landmarks = fit_landmarks(landmarks, image)  # raises a clear error if they don't belong together
        small = preview(np.asarray(image), PREVIEW_EDGE)
        self._own = (small, landmarks.scaled(small.shape[1] / landmarks.width))
        self.own_label = label
        if self.photo == YOUR_PHOTO:  # a new photo under the same name: say so explicitly
            self.photo = ""
        self.photo = YOUR_PHOTO
        self.status = f"Now editing {label}. The original is untouched."

    def save(self, folder: str | Path = "exports") -> Path | None:
        """Save the edited photo (preview size) into ``folder``; never overwrites."""
        folder = Path(folder)
        stem = "my-photo" if self.photo == YOUR_PHOTO else self.photo
        try:
            folder.mkdir(parents=True, exist_ok=True)
            image = self._edited()
            path = save_image(image, folder / f"{stem}-face-edit.jpg")
        except OSError as error:
            self.status = f"Couldn't save into {folder}: {error.strerror or error}. Nothing was changed."
            return None
        self.status = f"Saved {path}. Nothing was overwritten."
        return path


class _FaceTool(widgets.VBox):
    """What both views share: the portrait menu, before/after images, messages."""

    css = ""

    def __init__(self, model: FaceEditModel, controls: list[widgets.Widget]):
        self.model = model
        choices = [(examples.portrait(name).person.split(",")[0], name) for name in examples.names()]
        self.portrait = widgets.Dropdown(options=choices, value=model.photo, description="Portrait")
        self.portrait.observe(self._on_portrait, "value")
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="Every slider back to zero")
        self.reset.on_click(lambda _: self.model.reset())
        self.before = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.before.add_class("pl-before")
        self.after = widgets.Image(format="jpeg", layout=widgets.Layout(width="49%"))
        self.after.add_class("pl-after")
        self.readout = widgets.HTML()
        self.readout.add_class("pl-readout")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        labels = widgets.HBox(
            [widgets.HTML("<b>Before</b>", layout=widgets.Layout(width="49%")), widgets.HTML("<b>After</b>")]
        )
        super().__init__(
            [
                widgets.HBox([self.portrait, self.reset]),
                *controls,
                labels,
                widgets.HBox([self.before, self.after], layout=widgets.Layout(width="100%")),
                self.readout,
                self.message,
            ],
            layout=widgets.Layout(max_width="820px"),
        )
        self.add_class(self.css)
        model.observe(self._show_photo, "photo")
        model.observe(self._show_after, list(EDIT_NAMES))
        model.observe(lambda change: setattr(self.message, "value", _note(change["new"])), "status")
        self._show_photo()

    def use_photo(self, image: np.ndarray, landmarks: Landmarks, label: str = "Your photo") -> None:
        """Switch the tool to any photo with its landmarks (see :meth:`FaceEditModel.use_photo`)."""
        self.model.use_photo(image, landmarks, label)

    def _on_portrait(self, change) -> None:
        self.model.photo = change["new"]

    def _show_photo(self, change=None) -> None:
        if self.model.photo == "":
            return
        if self.model.photo == YOUR_PHOTO and (self.model.own_label, YOUR_PHOTO) not in self.portrait.options:
            self.portrait.unobserve(self._on_portrait, "value")
            others = [option for option in self.portrait.options if option[1] != YOUR_PHOTO]
            self.portrait.options = [*others, (self.model.own_label, YOUR_PHOTO)]
            self.portrait.observe(self._on_portrait, "value")
        self.portrait.value = self.model.photo
        self._set_ranges(self.model.limits)
        self.before.value = to_jpeg(self.model.before)
        self._show_after()

    def _show_after(self, change=None) -> None:
        if self.model.photo == "":
            return
        self.after.value = to_jpeg(self.model.after)
        self.readout.value = self._describe()

    def _set_ranges(self, limits) -> None:
        for name, slider in self._sliders().items():
            # Whole steps from zero, inside the limits, so readouts stay round numbers.
            low = math.ceil(limits[name][0] / slider.step - 1e-9) * slider.step
            high = math.floor(limits[name][1] / slider.step + 1e-9) * slider.step
            # Widen first, then narrow: a slider refuses a min above its max.
            slider.min, slider.max = min(slider.min, low), max(slider.max, high)
            slider.min, slider.max = low, high

    def _sliders(self) -> dict[str, widgets.FloatSlider]:
        return {}

    def _describe(self) -> str:
        return ""


def _slider(name: str, description: str, css: str, model: FaceEditModel, step: float) -> widgets.FloatSlider:
    slider = widgets.FloatSlider(
        value=getattr(model, name), min=-100, max=100, step=step, description=description,
        readout_format="+.1f" if step < 1 else "+.0f", continuous_update=True,
        style={"description_width": "175px"}, layout=widgets.Layout(width="480px"),
    )  # fmt: skip
    slider.add_class(css)
    traitlets.link((slider, "value"), (model, name))
    return slider


class GazeTool(_FaceTool):
    """A gaze pad (nine directions) with fine sliders, and a smile to pair gaze with expression.

    Widgets for code and tests: ``gaze_x``, ``gaze_y``, ``pad`` (a dict of
    direction -> button), ``expression``, ``before``, ``after``.
    """

    css = "pl-gaze"
    #: The pad's directions: (gaze_x, gaze_y) in degrees.
    DIRECTIONS = {
        "↖": (-20, 10), "↑": (0, 12), "↗": (20, 10),
        "←": (-25, 0), "●": (0, 0), "→": (25, 0),
        "↙": (-20, -10), "↓": (0, -12), "↘": (20, -10),
    }  # fmt: skip
    EXPRESSIONS = ("as photographed", "slight smile", "corners down")

    def __init__(self, model: FaceEditModel | None = None):
        model = model or FaceEditModel()
        self.gaze_x = _slider("gaze_x", "Look left / right (°)", "pl-gaze-x", model, 1)
        self.gaze_y = _slider("gaze_y", "Look down / up (°)", "pl-gaze-y", model, 1)
        self.pad = {}
        for arrow, (x, y) in self.DIRECTIONS.items():
            button = widgets.Button(description=arrow, layout=widgets.Layout(width="44px", height="34px"))
            button.add_class("pl-gaze-pad")
            button.on_click(lambda _, x=x, y=y: self._look(x, y))
            self.pad[arrow] = button
        grid = widgets.GridBox(list(self.pad.values()), layout=widgets.Layout(grid_template_columns="repeat(3, 46px)"))
        self.expression = widgets.ToggleButtons(options=self.EXPRESSIONS, description="Expression")
        self.expression.add_class("pl-expression-preset")
        self.expression.observe(self._on_expression, "value")
        controls = widgets.HBox([grid, widgets.VBox([self.gaze_x, self.gaze_y, self.expression])])
        super().__init__(model, [controls])
        model.observe(self._sync_expression, ["mouth_left", "mouth_right", "eyelid_narrowing"])

    def __repr__(self) -> str:
        m = self.model
        return f"GazeTool(photo={m.photo!r}, gaze_x={m.gaze_x:+.0f}, gaze_y={m.gaze_y:+.0f})"

    def _sliders(self):
        return {"gaze_x": self.gaze_x, "gaze_y": self.gaze_y}

    def _look(self, x: float, y: float) -> None:
        low_x, high_x = self.model.limits["gaze_x"]
        with self.model.hold_trait_notifications():
            self.model.gaze_x = min(max(x, low_x), high_x)
            self.model.gaze_y = y

    def _preset(self, name: str) -> tuple[float, float]:
        """Mouth corners and eyelid narrowing of an expression preset on this face."""
        limits = self.model.limits
        mouth, narrowing = limits["mouth_left"][1], limits["eyelid_narrowing"][1]
        corners, lids = {"slight smile": (0.5 * mouth, 0.35 * narrowing), "corners down": (-0.6 * mouth, 0.0)}.get(
            name, (0.0, 0.0)
        )
        return round(corners, 1), round(lids, 1)

    def _on_expression(self, change) -> None:
        corners, lids = self._preset(change["new"])
        with self.model.hold_trait_notifications():
            self.model.mouth_left = self.model.mouth_right = corners
            self.model.eyelid_narrowing = lids

    def _sync_expression(self, change=None) -> None:
        # When the amounts no longer match the chosen preset (Reset, another
        # tool, another photo), the toggle shows "as photographed" again, so
        # clicking a preset always applies it.
        m = self.model
        corners, lids = self._preset(self.expression.value)
        if (m.mouth_left, m.mouth_right, m.eyelid_narrowing) != (corners, corners, lids):
            self.expression.unobserve(self._on_expression, "value")
            self.expression.value = self.EXPRESSIONS[0]
            self.expression.observe(self._on_expression, "value")

    def _describe(self) -> str:
        m = self.model
        if not (m.gaze_x or m.gaze_y):
            where = "straight at the camera (direct gaze)"
        else:
            parts = []
            if m.gaze_x:
                parts.append(f"{abs(m.gaze_x):.0f}° to the picture's {'right' if m.gaze_x > 0 else 'left'}")
            if m.gaze_y:
                parts.append(f"{abs(m.gaze_y):.0f}° {'up' if m.gaze_y > 0 else 'down'}")
            where = " and ".join(parts) + " (averted gaze)"
        return f"The eyes look {where}."


class ExpressionTool(_FaceTool):
    """Sliders for each mouth corner, each brow, the eyelids and head tilt.

    Widgets for code and tests: ``sliders`` (a dict by edit name),
    ``together`` (move both mouth corners as one), ``before``, ``after``.
    """

    css = "pl-expression"
    LABELS = {
        "mouth_left": ("Mouth corner, left (px)", "pl-mouth-left", 0.5),
        "mouth_right": ("Mouth corner, right (px)", "pl-mouth-right", 0.5),
        "brow_left": ("Brow, left (px)", "pl-brow-left", 0.5),
        "brow_right": ("Brow, right (px)", "pl-brow-right", 0.5),
        "eyelid_narrowing": ("Eyelid narrowing (px)", "pl-eyelids", 0.5),
        "head_tilt": ("Head tilt (°)", "pl-tilt", 1),
    }

    def __init__(self, model: FaceEditModel | None = None):
        model = model or FaceEditModel()
        self.sliders = {name: _slider(name, label, css, model, step) for name, (label, css, step) in self.LABELS.items()}
        self.together = widgets.Checkbox(value=False, description="Move both mouth corners together", indent=False)
        self.together.add_class("pl-together")
        model.observe(self._pair_corners, ["mouth_left", "mouth_right"])
        note = widgets.HTML(
            "<small>Left and right as seen in the picture. Pixels are as on the photo shown 1024 px "
            "along its long edge; each slider stops where the face stops looking human.</small>"
        )
        super().__init__(model, [*self.sliders.values(), self.together, note])

    def __repr__(self) -> str:
        m = self.model
        return f"ExpressionTool(photo={m.photo!r}, mouth={m.mouth_left:+.1f}/{m.mouth_right:+.1f})"

    def _sliders(self):
        return self.sliders

    def _pair_corners(self, change) -> None:
        if self.together.value:
            other = "mouth_right" if change["name"] == "mouth_left" else "mouth_left"
            if getattr(self.model, other) != change["new"]:
                setattr(self.model, other, change["new"])

    def _describe(self) -> str:
        m = self.model
        difference = m.mouth_left - m.mouth_right
        smile = (m.mouth_left + m.mouth_right) / 2
        if abs(difference) < 0.5:
            balance = "the mouth moves evenly (a symmetric expression)"
        else:
            side = "left" if difference > 0 else "right"
            balance = f"the {side} corner is {abs(difference):.1f} px higher: a one-sided expression"
        return f"Mouth corners {smile:+.1f} px on average; {balance}."


def _note(text: str) -> str:
    return f'<span style="color:#2e6b2e">{html.escape(text)}</span>'


def gaze_tool(photo: str = "koch") -> GazeTool:
    """Build the gaze pad (it is returned, not displayed).

    Examples
    --------
    >>> tool = gaze_tool("glover")
    >>> tool.gaze_x.value = -20
    >>> tool.model.edit.gaze_x
    -20.0
    """
    return GazeTool(FaceEditModel(photo=photo, pad=GAZE_PAD))


def expression_tool(photo: str = "koch") -> ExpressionTool:
    """Build the expression sliders (returned, not displayed).

    Examples
    --------
    >>> tool = expression_tool("koch")
    >>> tool.sliders["mouth_left"].value = 4
    >>> tool.model.edit.mouth_left
    4.0
    """
    return ExpressionTool(FaceEditModel(photo=photo))
