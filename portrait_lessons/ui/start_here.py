"""The Start Here tool: a portrait, a warmth slider, before and after.

:class:`WarmthModel` holds the state and does the work in plain Python;
:class:`WarmthTool` is the ipywidgets view, in the workbook's
:class:`~portrait_lessons.ui.frame.ToolFrame`. Tests drive the view by setting
widget values, exactly as a learner's mouse does.
"""

from __future__ import annotations

import ipywidgets as widgets
import numpy as np
import traitlets

from ..colour.white_balance import WARMTH_RANGE, warm_cool_index, warmth
from .frame import DRAFT_EDGE, PREVIEW_EDGE, YOUR_PHOTO, FrameModel, ToolFrame  # noqa: F401 (tests import them from here)


class WarmthModel(FrameModel):
    """State of the tool: which photo, how much warmth, and the result.

    Examples
    --------
    >>> model = WarmthModel(photo="koch")
    >>> model.mireds = 30
    >>> model.after_index > model.before_index
    True
    """

    tool_name = "warmth"
    draft_edge = DRAFT_EDGE  # after is render(image): a smaller one is drawn while the slider moves
    mireds = traitlets.Float(0.0)

    def render(self, image, landmarks=None) -> np.ndarray:
        return warmth(image, self.mireds)

    def settings(self) -> dict:
        return {"warmth_mireds": self.mireds}

    @property
    def before_index(self) -> float:
        """Warm-cool index of the unedited photo (mean red minus mean blue)."""
        return warm_cool_index(self.before)

    @property
    def after_index(self) -> float:
        """Warm-cool index of the edited photo."""
        return warm_cool_index(self.after)

    @traitlets.observe("mireds")
    def _moved_on(self, change) -> None:
        if self.failed:  # an error is about the last action; once the learner moves on, it goes
            self._report("")


class WarmthTool(ToolFrame):
    """Pick a portrait, move the warmth slider, compare before and after.

    The widgets are attributes so code (and tests) can drive them:
    ``portrait``, ``warmth``, ``upload``, ``save``, ``before``, ``after``,
    ``readout``, ``message`` (see :class:`~portrait_lessons.ui.frame.ToolFrame`).
    """

    def __init__(self, model: WarmthModel | None = None):
        model = model or WarmthModel()
        self.warmth = widgets.FloatSlider(
            value=model.mireds, min=WARMTH_RANGE[0], max=WARMTH_RANGE[1], step=5,
            description="Warmth", readout_format="+.0f", continuous_update=True,
            style={"description_width": "60px"}, layout=widgets.Layout(width="370px"),  # inside the 390 px side panel
        )  # fmt: skip
        self.warmth.add_class("pl-warmth")
        traitlets.link((self.warmth, "value"), (model, "mireds"))
        # line-height: an HTML widget spaces its lines 28 px apart (a widget row), too loose for a note.
        hint = widgets.HTML("<div style='line-height:1.4'><small>Right: warmer light (like late sun). Left: cooler "
                            "(like shade). The numbers are <b>mireds</b>, steps of light colour (explained above): "
                            "0 as taken, +20 gentle, +40 strong.</small></div>")  # fmt: skip
        super().__init__(model, [self.warmth, hint], watch=["mireds"], css="pl-start-here", side_width="390px")

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"WarmthTool(photo={self.model.photo!r}, mireds={self.model.mireds:+.0f})"

    def photo_changed(self) -> None:
        self._before_index = warm_cool_index(self.model.before)  # fixed until the photo changes

    def describe(self, before, after) -> str:
        b, a = self._before_index, warm_cool_index(after)
        lean = "warm" if a > 0.005 else "cool" if a < -0.005 else "neutral"
        return (
            "<b>Warm-cool index</b> (mean red minus mean blue; above 0 leans warm):<br>"
            f"before <b>{b:+.3f}</b>, after <b>{a:+.3f}</b> ({lean})"
        )


def warmth_tool(photo: str = "koch", mireds: float = 0.0) -> WarmthTool:
    """Build the Start Here tool (it is returned, not displayed).

    Examples
    --------
    >>> tool = warmth_tool("koch")
    >>> tool.warmth.value = 25
    >>> tool.model.after_index > tool.model.before_index
    True
    """
    return WarmthTool(WarmthModel(photo=photo, mireds=mireds))
