"""Self-checks for lesson 08, Editing for warmth and depth."""

from __future__ import annotations

from ..retouch.texture import skin_report


def check_warm_deep_and_present(model, min_depth: float = 0.3, max_warmth: float = 40, min_kept: float = 0.8) -> str:
    """Exercise 1: add depth and warmth to a portrait while the person stays present.

    ``model`` is the editing panel's model (``panel.model``). Passing needs:
    background blur or darkening of at least ``min_depth``; some warmth
    (white balance, midtone warmth and the look's temperature together above
    0 and at most ``max_warmth`` mireds, lesson 00's limit); and skin that keeps at least ``min_kept`` of its texture.

    Examples
    --------
    >>> from portrait_lessons.ui.editing_panel import EditModel
    >>> check_warm_deep_and_present(EditModel(photo="glover"))[:15]
    'Not there yet: '
    """
    recipe = model.recipe
    depth, light = recipe.get("depth"), recipe.get("light")
    if max(depth.blur, depth.darken) < min_depth:
        return (f"Not there yet: give the portrait depth. Set 'Background blur' or 'Background darken' to at "
                f"least {min_depth:.0%} (Depth group).")  # fmt: skip
    warmth = _total_warmth(recipe)
    if warmth <= 0:
        return "Not there yet: add some warmth, with 'White balance' or (better for skin) 'Midtone warmth'."
    if warmth > max_warmth:
        return (f"Too warm: white balance, midtone warmth and the look's temperature add up to +{warmth:.0f} "
                f"mireds; keep the total at or below +{max_warmth:.0f}, or the skin starts to look orange.")
    kept = skin_report(model.before, model.after, model.landmarks).texture_kept
    if kept < min_kept:
        return (f"Not there yet: the skin keeps only {kept:.0%} of its texture; keep at least {min_kept:.0%}. "
                "Ease off 'Smoothing' or raise 'Restore texture'.")  # fmt: skip
    return (f"Well done: the background falls away ({max(depth.blur, depth.darken):.0%}), the light is warmer, "
            f"and the skin keeps {kept:.0%} of its texture. Check the Split view: does the person still look "
            "like themselves?")  # fmt: skip


def _total_warmth(recipe) -> float:
    """Warmth in mireds from every control that warms: white balance, midtone warmth, the look's temperature."""
    light = recipe.get("light")
    total = light.warmth + light.midtone_warmth
    try:
        look = recipe.get("look")
    except (KeyError, ValueError):  # the look stage is not installed
        return total
    settings = getattr(look, "look", look)
    kelvin = getattr(settings, "temperature", None)
    if kelvin:
        from ..colour.look import NEUTRAL_KELVIN

        total += 1e6 / NEUTRAL_KELVIN - 1e6 / kelvin  # a higher setting warms, as in lesson 05
    return total
