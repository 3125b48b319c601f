"""The portrait checklist as a measured audit (lesson 09), and the brand portrait brief.

What it teaches: the founding article's checklist (gaze, expression,
asymmetry and texture, posture and framing, background, colour, and "a person
with a story") asked of one portrait, each question answered with a measure
the earlier lessons built, against the goal the learner chose first (the
prompt studio's goal presets). Every line shows the value, the range that
suits the goal, a verdict in plain words, the lesson to revisit and the
evidence behind it; popular claims are worded as rules of thumb.

- :mod:`.measures`: the measures (iris position, mouth corners, eye opening,
  head tilt and turn, skin texture, background separation and clutter).
- :mod:`.goals`: each goal's ranges, read from the goal presets' words.
- :mod:`.items`: the checklist as data: items, questions, the evidence card behind each.
- :mod:`.core`: :func:`audit` (cached per photo).
- :mod:`.report`: the checklist as HTML, and :func:`compare` for two versions.
- :mod:`.fixes`: fix-it links: the edit that moves an item, and the edited photo.
- :mod:`.brief`: the brand portrait brief, a printable standalone HTML page.

Used by ``notebooks/09_portrait_checklist.ipynb`` and ``ui/audit_tool.py``.
"""

from .core import VERDICTS, Audit, Finding, audit, measure_photo
from .brief import Brief, brief_html, save_brief
from .fixes import Edit, Fix, render_edit, suggest_fix
from .goals import GOALS, Range, goal_label, goal_ranges
from .items import CARD_KEYS, ITEM, ITEMS, QUESTIONS, STORY_QUESTION
from .report import Checklist, Comparison, QuestionCards, audit_table_html, compare, comparison_html

__all__ = [
    "CARD_KEYS", "Checklist", "Comparison", "GOALS", "ITEM", "QuestionCards", "ITEMS", "QUESTIONS", "STORY_QUESTION", "VERDICTS", "Audit", "Brief", "Edit", "Finding",
    "Fix", "Range", "audit", "audit_table_html", "brief_html", "compare", "comparison_html", "goal_label", "goal_ranges", "measure_photo", "render_edit",
    "save_brief", "suggest_fix",
]  # fmt: skip
