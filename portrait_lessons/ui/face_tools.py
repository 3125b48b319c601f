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

import ipywidgets as widgets
import numpy as np
import traitlets

from ..face.edits import FaceEdit, apply_face_edits, edit_limits, head_box, limit_notes
from ..face.landmarks import Landmarks
from ..retouch.subject import subject_mask
from .frame import YOUR_PHOTO, FrameModel, ToolFrame  # noqa: F401 (tests import YOUR_PHOTO from here)

#: Long edge of the image the tools edit while a slider moves.
PREVIEW_EDGE = 1024
#: Long edge of the photo a face tool's draft is rendered from while a slider moves: the close-up
#: it gives (about 270 x 260 px for the gaze pad, 350 x 330 px for the expression sliders) still has
#: a pixel for each of the picture's box Side by side (about 270 px wide on a 1366 x 768 screen).
DRAFT_EDGE = 768
#: The gaze pad shows the face closer than the expression sliders: eyes are small.
GAZE_PAD = 0.2
EDIT_NAMES = tuple(item.name for item in fields(FaceEdit))


class FaceEditModel(FrameModel):
    """A photo, its landmarks and the edit amounts; computes before and after (the head up close).

    Examples
    --------
    >>> model = FaceEditModel(photo="koch")
    >>> model.gaze_x = 20
    >>> model.edit.gaze_x, model.after.shape == model.before.shape
    (20.0, True)
    """

    tool_name = "face-edit"
    needs_landmarks = True
    preview_edge = PREVIEW_EDGE
    gaze_x = traitlets.Float(0.0)
    gaze_y = traitlets.Float(0.0)
    mouth_left = traitlets.Float(0.0)
    mouth_right = traitlets.Float(0.0)
    brow_left = traitlets.Float(0.0)
    brow_right = traitlets.Float(0.0)
    eyelid_narrowing = traitlets.Float(0.0)
    head_tilt = traitlets.Float(0.0)
    pad = traitlets.Float(0.4, help="space round the face in the close-up, in face widths")

    @property
    def edit(self) -> FaceEdit:
        """The current amounts as a :class:`~portrait_lessons.face.edits.FaceEdit`."""
        return FaceEdit(**{name: getattr(self, name) for name in EDIT_NAMES})

    @edit.setter
    def edit(self, edit: FaceEdit) -> None:
        with self.hold_trait_notifications():
            for name, value in edit.to_dict().items():
                setattr(self, name, value)

    def render(self, image, landmarks) -> np.ndarray:
        # The head tilt turns hair and hats with the head when it knows the person's outline.
        person = subject_mask(image, landmarks) if self.edit.head_tilt else None
        return apply_face_edits(image, landmarks, self.edit, person)

    def settings(self) -> dict:
        return self.edit.to_dict()

    @property
    def limits(self) -> dict[str, tuple[float, float]]:
        """Each amount's range on this face (see :func:`~portrait_lessons.face.edits.edit_limits`)."""
        return edit_limits(self.landmarks)

    @property
    def notes(self) -> dict[str, str]:
        """Why a slider's range is short or its move small on this face (see
        :func:`~portrait_lessons.face.edits.limit_notes`)."""
        return limit_notes(self.landmarks)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """The head's box in :attr:`image`, shown by the tools."""
        return head_box(self.landmarks, self.pad)

    @property
    def before(self) -> np.ndarray:
        """The head, unedited (the whole photo when it has no landmarks yet)."""
        if not self.has_landmarks:
            return self.image
        left, top, right, bottom = self.box
        return self.image[top:bottom, left:right]

    @property
    def after(self) -> np.ndarray:
        """The head with the current edit."""
        if not self.has_landmarks:
            return self.image
        left, top, right, bottom = self.box
        return self.render(self.image, self.landmarks)[top:bottom, left:right]

    draft_edge = DRAFT_EDGE

    def draft(self) -> np.ndarray | None:
        """The head with the current edit, from the photo at :attr:`draft_edge` (drawn while a slider moves).

        The edit's pixel amounts are at 1024 px whatever the photo's size, so the
        draft shows the same edit as :attr:`after`, a little smaller.

        Examples
        --------
        >>> model = FaceEditModel(photo="koch", mouth_left=4)
        >>> draft, after = model.draft(), model.after
        >>> draft.shape[0] < after.shape[0], draft.shape[2]
        (True, 3)
        """
        if not self.has_landmarks:
            return None
        image, landmarks = self._draft_photo()
        left, top, right, bottom = head_box(landmarks, self.pad)
        return self.render(image, landmarks)[top:bottom, left:right]

    def reset(self) -> None:
        """Every amount back to zero."""
        self.edit = FaceEdit()


class _FaceTool(ToolFrame):
    """What both views share: the frame, a Reset button, slider ranges that follow the face."""

    css = ""

    def __init__(self, model: FaceEditModel, controls: list[widgets.Widget]):
        # Under the sliders: why a slider stops early or moves little on this face.
        self.limit_notes = widgets.HTML("", layout=widgets.Layout(width="420px"))
        self.limit_notes.add_class("pl-limit-notes")
        controls = [*controls, self.limit_notes]
        self.reset = widgets.Button(description="Reset", icon="undo", tooltip="Every slider back to zero",
                                    layout=widgets.Layout(width="80px"))  # fmt: skip
        self.reset.on_click(lambda _: self.model.reset())
        super().__init__(model, controls, watch=list(EDIT_NAMES), css=self.css, side_width="440px",
                         extra_buttons=[self.reset])  # fmt: skip

    def use_photo(self, image: np.ndarray, landmarks: Landmarks, label: str = "Your photo") -> None:
        """Switch the tool to any photo with its landmarks (see :meth:`FrameModel.use_photo`)."""
        self.model.use_photo(image, landmarks, label)

    def photo_changed(self) -> None:
        if self.model.has_landmarks:
            self._set_ranges(self.model.limits)
        self._show_notes()

    def _show_notes(self) -> None:
        notes = self.model.notes if self.model.has_landmarks else {}
        # One line per note, in the sliders' order (a note shared by two sliders once).
        shown = list(dict.fromkeys(notes[name] for name in self._sliders() if name in notes))
        self.limit_notes.value = (
            "<small>" + "<br>".join(f"On this photo: {html.escape(text)}" for text in shown) + "</small>" if shown else ""
        )

    def describe(self, before, after) -> str:
        return self._describe() if self.model.has_landmarks else ""

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
        style={"description_width": "165px"}, layout=widgets.Layout(width="420px"),
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
        self.expression.style.button_width = "auto"
        super().__init__(model, [grid, self.gaze_x, self.gaze_y, self.expression])
        model.observe(self._sync_expression, ["mouth_left", "mouth_right", "eyelid_narrowing"])

    def __repr__(self) -> str:
        m = self.model
        return f"GazeTool(photo={m.photo!r}, gaze_x={m.gaze_x:+.0f}, gaze_y={m.gaze_y:+.0f})"

    def _sliders(self):
        return {"gaze_x": self.gaze_x, "gaze_y": self.gaze_y}

    def _look(self, x: float, y: float) -> None:
        # Clamp to the sliders' own (whole-degree) ranges, so the slider and the words agree.
        with self.model.hold_trait_notifications():
            self.model.gaze_x = min(max(x, self.gaze_x.min), self.gaze_x.max)
            self.model.gaze_y = min(max(y, self.gaze_y.min), self.gaze_y.max)

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
            "<div style='line-height:1.4'><small>Left and right as seen in the picture. Pixels are as on the photo "
            "shown 1024 px along its long edge; each slider stops where the face stops looking human.</small></div>"
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
