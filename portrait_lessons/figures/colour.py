"""Static figures for the colour and nostalgia lessons: grids of looks with their measurements.

They return a matplotlib :class:`~matplotlib.figure.Figure` that a notebook shows
as the cell's value, so the lessons read well without a kernel.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure

from ..colour.look import Look, render_look
from ..colour.measure import colourfulness, warm_cool_index


def look_grid(
    image: np.ndarray,
    rows: Sequence[tuple[str, Look]],
    columns: Sequence[tuple[str, Look]],
    caption: str = "",
    width: float = 10.0,
) -> Figure:
    """A grid of ``image`` under every row look combined with every column look.

    Each cell is titled with its row and column labels and measured (warm-cool
    index and colourfulness), so the grid can be read as data, not only by eye.
    Row and column looks are combined by taking each setting from whichever of
    the two changes it (the column's wins if both do).

    Examples
    --------
    >>> grey = np.full((40, 30, 3), 120, np.uint8)
    >>> fig = look_grid(grey, [("warm", Look(temperature=8000))], [("muted", Look(saturation=-40))])
    >>> len(fig.axes)
    1
    """
    height, width_px = image.shape[:2]
    cell = width / len(columns)
    fig = Figure(figsize=(width, cell * height / width_px * len(rows) + 0.9), layout="constrained")
    axes = fig.subplots(len(rows), len(columns), squeeze=False)
    for (row_label, row_look), row_axes in zip(rows, axes):
        for (column_label, column_look), ax in zip(columns, row_axes):
            values = {**row_look.changes(), **column_look.changes()}
            edited = render_look(image, Look(**values))
            ax.imshow(edited)
            ax.set_title(
                f"{row_label}, {column_label}\nindex {warm_cool_index(edited):+.3f}, "
                f"colourfulness {colourfulness(edited):.0f}",
                fontsize=9,
            )
            ax.set_axis_off()
    if caption:
        fig.supxlabel(caption, fontsize=9, color="#444", wrap=True)
    return fig


def looks_strip(
    image: np.ndarray, looks: Sequence[tuple[str, Look]], caption: str = "", columns: int = 4, width: float = 10.0
) -> Figure:
    """The same image under several looks, in rows of ``columns``, each titled.

    Examples
    --------
    >>> grey = np.full((40, 30, 3), 120, np.uint8)
    >>> len(looks_strip(grey, [("a", Look()), ("b", Look(grain=30))], columns=2).axes)
    2
    """
    count = len(looks)
    rows = -(-count // columns)
    height, width_px = image.shape[:2]
    fig = Figure(figsize=(width, width / columns * height / width_px * rows + 0.6 * rows + 0.5), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    for ax, (label, look) in zip(axes, looks):
        ax.imshow(render_look(image, look))
        ax.set_title(label, fontsize=9)
    for ax in axes:
        ax.set_axis_off()
    if caption:
        fig.supxlabel(caption, fontsize=9, color="#444", wrap=True)
    return fig
