"""Self-checks for lesson 07, the Prompt Studio: each returns a sentence that says what to do next."""

from __future__ import annotations

from dataclasses import fields

from ..prompts import PRESETS, Finding, PromptSpec, lint, resolve
from ..prompts.vocabulary import LABELS, LAYERS, LIST_FIELDS


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _where(finding: Finding) -> str:
    """Which field to edit for a finding, by its name in the studio (the same word as the ``PromptSpec`` argument)."""
    name = finding.field
    if not name:
        return ""
    if finding.code == "missing-emotion":  # a mood alone says little; direction makes it visible
        others = ", ".join(LABELS[n] for n in LAYERS["emotion"] if n != "emotion")
        return f"Fill the {LABELS['emotion']} field and at least one of {others}."
    if finding.code.startswith("missing-") or finding.code == "no-realism":
        return f"Fill the {LABELS[name]} field."
    return f"Edit the {LABELS[name]} field."


def _next_step(findings: list[Finding]) -> str:
    first = findings[0]
    return f"{_count(len(findings), 'finding')} left. First: {first.message} Fix: {first.fix} {_where(first)}".strip()


def check_beauty_fixed(spec: PromptSpec) -> str:
    """Exercise 1: turn a beauty-only prompt into one the lint finds clean.

    Examples
    --------
    >>> print(check_beauty_fixed(PromptSpec(identity="beautiful woman, flawless skin", context="a flower shop")))
    Not there yet: 4 findings left. First: The emotion layer is empty. Fix: Give emotional direction: a mood, plus gaze, expression or posture. Fill the Emotion field and at least one of Gaze, Expression, Posture.
    """
    if not isinstance(spec, PromptSpec):
        return "Load the prompt into the studio above and fix it there, then press Check."
    findings = lint(spec)
    if findings:
        return f"Not there yet: {_next_step(findings)}"
    return f"Well done: the lint is clean. Your prompt now says who, how they feel and where: {resolve(spec)}"


def check_one_factor(a: PromptSpec, b: PromptSpec, factor: str = "gaze") -> str:
    """Exercise 2: two prompts for an A/B test that differ in ``factor`` and nothing else.

    Examples
    --------
    >>> base = PromptSpec(identity="a ceramicist", gaze="soft gaze slightly off-camera")
    >>> check_one_factor(base, base.replace(gaze="direct eye contact"))[:10]
    'Well done:'
    """
    if not isinstance(a, PromptSpec) or not isinstance(b, PromptSpec):
        return "Pass two PromptSpecs: the base and its variant."
    changed = [f.name for f in fields(PromptSpec) if getattr(a, f.name) != getattr(b, f.name)]
    if not changed:
        return f"The two prompts are identical; change the {factor} of the second one."
    others = [name for name in changed if name != factor]
    if others:
        return (f"Besides {factor}, these differ too: {', '.join(others)}. Change only {factor}, or a viewer's "
                "preference can't be put down to it.")  # fmt: skip
    return (f"Well done: only the {factor} differs ({getattr(a, factor)!r} versus {getattr(b, factor)!r}). Generate "
            "both with the same seed, so the prompt is the only thing that changes.")  # fmt: skip


def check_own_goal(spec: PromptSpec, target: str | None = None) -> str:
    """Exercise 3: a prompt for your own brand goal: a goal chosen, your identity, lint clean.

    ``target`` is the generator the prompt is for (``"midjourney"``,
    ``"a1111"``, ``"plain"``...), when the learner says: the long-prompt
    check then applies only where it matters. Tips never block: they are
    named after the verdict.

    Examples
    --------
    >>> from portrait_lessons.prompts import preset
    >>> check_own_goal(preset("trust").spec)[:25]
    'Make the identity your ow'
    >>> print(check_own_goal(preset("trust").spec.replace(identity="a baker", posture="arms crossed")))
    Almost: 1 finding left. First: A closed posture ("arms crossed" (posture)) can read as defensive, against trust. Fix: Try a relaxed open posture or leaning slightly forward. Edit the Posture field.
    """
    if not isinstance(spec, PromptSpec):
        return "Pass a PromptSpec, for example studio.model.spec."
    if spec.goal not in PRESETS:
        return "Choose a goal first (the Goal menu in the studio)."
    identity = spec.identity.strip()
    if not identity:
        return "Type who the portrait is of into Identity: yourself, or the person it is for."
    if identity.casefold() == PRESETS[spec.goal].spec.identity.casefold():
        return "Make the identity your own: describe yourself, or the person the portrait is for."
    findings = lint(spec, target)
    blocking = [f for f in findings if f.severity != "tip"]
    if blocking:
        first = blocking[0]
        where = f" Edit the {LABELS[first.field]} field." if first.field else ""
        return f"Almost: {_count(len(blocking), 'finding')} left. First: {first.message} Fix: {first.fix}{where}"
    tips = [f for f in findings if f.severity == "tip"]
    extra = f" One tip to consider: {tips[0].message}" if len(tips) == 1 else (
        f" {len(tips)} tips to consider; the first: {tips[0].message}" if tips else "")  # fmt: skip
    return (f"Well done: a clean prompt for {PRESETS[spec.goal].label.lower()}. Save it with Save prompt if you "
            f"have not yet.{extra}")
