"""Self-checks for lesson 09, the portrait checklist: each returns a sentence saying what to do next."""

from __future__ import annotations

from pathlib import Path

from .. import examples
from ..audit import GOALS, audit, goal_label, goal_ranges

#: The portrait and goal of exercise 2.
READ_PHOTO, READ_GOAL = "collins", "thought_leadership"
#: The portrait and goal of exercise 4 (fix-it links).
FIX_PHOTO, FIX_GOAL = "hopper", "thought_leadership"


def averted_goals() -> list[str]:
    """The goals whose preset asks for an averted gaze."""
    return [goal for goal in GOALS if goal_ranges(goal)["gaze"].low > 0]


def check_averted_goal(choice: str | None) -> str:
    """Exercise 1: which goal asks for a gaze away from the viewer?

    Examples
    --------
    >>> check_averted_goal("contemplative")[:9]
    'Well done'
    >>> check_averted_goal("trust")[:12]
    'Not this one'
    """
    if choice is None:
        return "Pick a goal first."
    if choice in averted_goals():
        return (f"Well done: {goal_label(choice)} asks for {goal_ranges(choice)['gaze'].words}, so a direct gaze would "
                "be 'worth a look' there, while it fits Trust.")  # fmt: skip
    return (f"Not this one: {goal_label(choice)} asks for {goal_ranges(choice)['gaze'].words}. Look at the goal "
            "table's gaze column for one that looks away.")  # fmt: skip


def check_against_item(choice: str | None, photo: str = READ_PHOTO, goal: str = READ_GOAL) -> str:
    """Exercise 2: which item works against the goal for this portrait?

    Examples
    --------
    >>> check_against_item("smile")[:9]
    'Well done'
    >>> check_against_item("gaze")[:12]
    'Not this one'
    """
    if choice is None:
        return "Pick an item first."
    result = audit(examples.load_portrait(photo), examples.portrait_landmarks(photo), goal)
    against = [f.item.key for f in result.findings if f.verdict == "works against the goal"]
    found = result.finding(choice)
    if choice in against:
        return f"Well done: {found.item.label} reads {found.shown}; {found.sentence}"
    return f"Not this one: {found.item.label} is '{found.verdict}'. Find a red line in the checklist."


def check_rule_of_thumb(choice: str | None) -> str:
    """Exercise 3: why can the skin-texture line never say 'works against the goal'?

    Examples
    --------
    >>> check_rule_of_thumb("popular")[:9]
    'Well done'
    """
    answers = {
        "popular": "Well done: its evidence is a popular claim, so the audit words it as a rule of thumb and stops at "
                   "'worth a look'. A workshop can test it with its own rating study.",
        "small": "Not quite: a small face is 'not measured', a different verdict. Look at the evidence column.",
        "goal": "Not quite: every goal's preset asks for natural skin texture. Look at the evidence column.",
    }  # fmt: skip
    if choice is None:
        return "Pick an answer first."
    return answers.get(choice, "Pick one of the answers.")


def check_fixed(model, photo: str = FIX_PHOTO, goal: str = FIX_GOAL) -> str:
    """Exercise 4: follow fix-it links until nothing works against the goal, skin texture still fitting.

    ``model`` is the audit tool's model (``tool.model``).

    Examples
    --------
    >>> from portrait_lessons.ui.audit_tool import AuditModel
    >>> model = AuditModel(photo="hopper", goal="thought_leadership")
    >>> check_fixed(model)[:14]
    'Not there yet:'
    >>> model.apply_fix("colourfulness")
    True
    >>> check_fixed(model)[:9]
    'Well done'
    """
    if model.photo != photo or model.goal != goal:
        person = examples.portrait(photo).person.split(",")[0]
        return f"Choose {person} in the Portrait menu and the goal {goal_label(goal)} first."
    if model.edited_result is None:
        return "Not there yet: pick a fix in the Fix-it menu and press Apply fix."
    result = model.edited_result
    against = [f.item.label for f in result.findings if f.verdict == "works against the goal"]
    if against:
        return f"Not there yet: still against the goal: {', '.join(against)}. Apply the fix offered for it."
    if result.finding("skin_texture").verdict not in ("fits", "not measured"):
        return "Nothing works against the goal now, but the skin lost its texture: reset and choose gentler fixes."
    return f"Well done: {result.summary()} Compare the two versions with the Compare view."


def check_brief(model) -> str:
    """Exercise 5: save a brief with the emotional job and the story in your own words.

    Examples
    --------
    >>> from portrait_lessons.ui.audit_tool import AuditModel
    >>> check_brief(AuditModel(photo="koch"))[:14]
    'Not there yet:'
    """
    if not model.job.strip():
        return "Not there yet: write the emotional job (the Emotional job box) first."
    if len(model.story.split()) < 5:
        return "Not there yet: answer the story question in a sentence or two (the Story box)."
    if not model.saved or not Path(model.saved).exists():
        return "Not there yet: press Save brief."
    if not getattr(model, "saved_with_face", True):
        return ("Not there yet: your brief is saved, but its audit measured colour only (no face points were found, "
                "so gaze, expression, texture and framing say \"not measured\"). Place the points in the landmark "
                "picker just below the tool and press Use these points (or choose a photo with points in the Portrait "
                "menu); the audit then measures every item. Press Save brief again.")  # fmt: skip
    return f"Well done: your brief is {model.saved}. Open it, print it, and keep it with your portrait."
