"""Self-checks for lesson 03, Texture and imperfection."""

from __future__ import annotations


def check_smooth_but_keep_texture(model, min_smoothing: float = 0.6, min_kept: float = 0.7) -> str:
    """Exercise 1: smooth the skin (at least ``min_smoothing``) but keep ``min_kept`` of its texture.

    ``model`` is the texture tool's model (``tool.model``). The texture
    slider must stay at 0: the point is to keep texture by restoring it, not
    by sharpening the whole photo.

    Examples
    --------
    >>> from portrait_lessons.ui.texture_tool import SkinModel
    >>> check_smooth_but_keep_texture(SkinModel(photo="koch"))[:15]
    'Not there yet: '
    >>> check_smooth_but_keep_texture(SkinModel(photo="koch", smoothing=0.8, restore=0.8))[:10]
    'Well done:'
    """
    if model.texture != 0:
        return "Set the Texture slider back to 0 first: keep the texture by restoring it, not by sharpening."
    if model.smoothing < min_smoothing:
        return (f"Not there yet: smoothing is {model.smoothing:.0%}; the exercise asks for at least "
                f"{min_smoothing:.0%}. Smooth more, then bring the texture back.")  # fmt: skip
    kept = model.report.texture_kept
    if kept < min_kept:
        return (f"Not there yet: the skin keeps {kept:.0%} of its texture; it needs {min_kept:.0%}. "
                "Raise 'Restore texture'.")  # fmt: skip
    return (f"Well done: {model.smoothing:.0%} smoothing with {model.restore:.0%} restored keeps {kept:.0%} of "
            f"the texture, and the tone is {model.report.tone_evened:.0%} more even. That is frequency "
            "separation: even tone, real skin.")  # fmt: skip
