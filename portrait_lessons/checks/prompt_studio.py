"""Self-checks for lesson 07, the Prompt Studio: each returns a sentence that says what to do next."""

from __future__ import annotations

from dataclasses import fields

from ..prompts import PRESETS, PromptSpec, lint, resolve


def check_beauty_fixed(spec: PromptSpec) -> str:
    """Exercise 1: turn a beauty-only prompt into one the lint finds clean.

    Examples
    --------
    >>> check_beauty_fixed(PromptSpec(identity="beautiful woman, flawless skin"))[:15]
    'Not there yet: '
    """
    if not isinstance(spec, PromptSpec):
        return "Pass a PromptSpec, such as mine = PromptSpec(identity=..., emotion=..., context=...)."
    findings = lint(spec)
    if findings:
        first = findings[0]
        return (f"Not there yet: {len(findings)} finding(s). First: {first.message} "
                f"Fix: {first.fix}")  # fmt: skip
    return f"Clean. Your prompt now says who, how they feel and where: {resolve(spec)}"


def check_one_factor(a: PromptSpec, b: PromptSpec, factor: str = "gaze") -> str:
    """Exercise 2: two prompts for an A/B test that differ in ``factor`` and nothing else.

    Examples
    --------
    >>> base = PromptSpec(identity="a ceramicist", gaze="soft gaze slightly off-camera")
    >>> check_one_factor(base, base.replace(gaze="direct eye contact"))[:5]
    'Good:'
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
    return (f"Good: only the {factor} differs ({getattr(a, factor)!r} versus {getattr(b, factor)!r}). Generate "
            "both with the same seed, so the prompt is the only thing that changes.")  # fmt: skip


def check_own_goal(spec: PromptSpec) -> str:
    """Exercise 3: a prompt for your own brand goal: a goal chosen, your identity, lint clean.

    Examples
    --------
    >>> from portrait_lessons.prompts import preset
    >>> check_own_goal(preset("trust").spec)[:25]
    'Make the identity your ow'
    """
    if not isinstance(spec, PromptSpec):
        return "Pass a PromptSpec, for example studio.model.spec."
    if spec.goal not in PRESETS:
        return "Choose a goal first (the Goal menu in the studio)."
    if spec.identity.strip().casefold() == PRESETS[spec.goal].spec.identity.casefold():
        return "Make the identity your own: describe yourself, or the person the portrait is for."
    findings = lint(spec)
    if findings:
        return f"Almost: the lint still finds {len(findings)} thing(s). First: {findings[0].message}"
    return f"Done: a clean prompt for {PRESETS[spec.goal].label.lower()}. Save it in your library."
