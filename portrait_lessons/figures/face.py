"""Static figures for the face lessons: grids of edited heads that read without a kernel.

Each function returns a matplotlib :class:`~matplotlib.figure.Figure`; a
notebook shows it when it is a cell's last value.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from matplotlib.figure import Figure

from .. import examples
from ..face.edits import FaceEdit, apply_face_edits, head_box


def edited_head(name: str, edit: FaceEdit = FaceEdit(), max_edge: int = 1024, pad: float = 0.35) -> np.ndarray:
    """A bundled portrait with ``edit`` applied, cropped round the head.

    Examples
    --------
    >>> edited_head("koch", FaceEdit(gaze_x=-20)).shape[2]
    3
    """
    image = examples.load_portrait(name, max_edge)
    landmarks = examples.portrait_landmarks(name, max_edge)
    left, top, right, bottom = head_box(landmarks, pad)
    return apply_face_edits(image, landmarks, edit)[top:bottom, left:right]


def face_grid(
    images: Sequence[Sequence[np.ndarray]],
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    caption: str = "",
    width: float = 10.0,
) -> Figure:
    """Images in rows and columns, with a label on each row and over each column.

    Examples
    --------
    >>> grey = np.full((40, 30, 3), 128, np.uint8)
    >>> len(face_grid([[grey, grey]], ["row"], ["a", "b"]).axes)
    2
    """
    rows, columns = len(images), len(images[0])
    if len(row_labels) != rows or len(column_labels) != columns:
        raise ValueError(f"{rows} x {columns} images need {rows} row labels and {columns} column labels")
    aspect = np.mean([image.shape[0] / image.shape[1] for row in images for image in row])
    cell = width / columns
    fig = Figure(figsize=(width, cell * aspect * rows + (0.9 if caption else 0.4)), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False)
    for r, row in enumerate(images):
        for c, image in enumerate(row):
            ax = axes[r][c]
            ax.imshow(image)
            ax.set_xticks([])
            ax.set_yticks([])
            for spine in ax.spines.values():
                spine.set_visible(False)
            if r == 0:
                ax.set_title(column_labels[c], fontsize=10)
            if c == 0:
                ax.set_ylabel(row_labels[r], fontsize=10)
    if caption:
        fig.supxlabel(caption, fontsize=9, color="#444", wrap=True)
    return fig


def edit_grid(names: Sequence[str], edits: Mapping[str, FaceEdit], caption: str = "", width: float = 10.0) -> Figure:
    """One row per bundled portrait, one column per named edit, heads up close.

    Examples
    --------
    >>> fig = edit_grid(["koch"], {"as taken": FaceEdit(), "looking left": FaceEdit(gaze_x=-20)})
    >>> len(fig.axes)
    2
    """
    images = [[edited_head(name, edit) for edit in edits.values()] for name in names]
    labels = [examples.portrait(name).person.split(",")[0] for name in names]
    return face_grid(images, labels, list(edits), caption, width)
