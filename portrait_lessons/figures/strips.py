"""Static figures: before/after strips that read well without a kernel.

They return a matplotlib :class:`~matplotlib.figure.Figure` (not pyplot's
global one), which a notebook shows when it is the cell's last value.
"""

from __future__ import annotations

import textwrap
from typing import Sequence

import numpy as np
from matplotlib.figure import Figure


def image_strip(
    images: Sequence[np.ndarray],
    titles: Sequence[str],
    caption: str = "",
    width: float = 10.0,
) -> Figure:
    """Show images side by side with a title over each and a caption under all.

    Examples
    --------
    >>> grey = np.full((40, 30, 3), 128, np.uint8)
    >>> fig = image_strip([grey, grey], ["before", "after"], "A caption.")
    >>> len(fig.axes)
    2

    A title longer than its picture is wide wraps onto more lines, so two titles never run into each other:

    >>> fig = image_strip([grey, grey], ["Thought leadership: 11 fit, 3 worth a look, 1 against the goal"] * 2)
    >>> fig.axes[0].get_title().count(chr(10))
    1
    """
    if len(images) != len(titles):
        raise ValueError(f"{len(images)} images but {len(titles)} titles")
    height, widths = images[0].shape[0], [image.shape[1] * images[0].shape[0] / image.shape[0] for image in images]
    aspect = height / sum(widths)
    # About 6.6 pt per character at 11 pt: wrap each title to its picture's width.
    wrapped = [textwrap.fill(title, max(12, int(width * w / sum(widths) * 72 / 6.6))) for title, w in zip(titles, widths)]
    extra = 0.2 * max(title.count("\n") for title in wrapped)  # room for the added lines
    fig = Figure(figsize=(width, width * aspect + (0.9 if caption else 0.5) + extra), layout="constrained")
    axes = fig.subplots(1, len(images), width_ratios=widths, squeeze=False)[0]
    for ax, image, title in zip(axes, images, wrapped):
        ax.imshow(image)
        ax.set_title(title, fontsize=11)
        ax.set_axis_off()
    if caption:
        fig.supxlabel(caption, fontsize=9, color="#444", wrap=True)
    return fig
