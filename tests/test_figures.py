"""Static figures: what a learner reads without a kernel must not overlap."""

from __future__ import annotations

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg

from portrait_lessons.figures import image_strip


def test_long_titles_of_a_before_after_strip_do_not_run_into_each_other():
    """Lesson 09's Hopper strip: two audit summaries of 80 characters over two pictures (they overlapped)."""
    photo = np.full((720, 576, 3), 128, np.uint8)
    titles = ["Thought leadership: 11 fit, 3 worth a look, 1 against the goal, 1 not measured.",
              "Thought leadership: 14 fit, 1 worth a look, 0 against the goal, 1 not measured."]
    fig = image_strip([photo, photo], titles, caption="A caption.")
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    left, right = (ax.title.get_window_extent(renderer) for ax in fig.axes)
    assert left.x1 < right.x0, (left, right)
    width = fig.bbox.width
    assert left.x0 >= 0 and right.x1 <= width  # both whole, inside the figure
    assert [" ".join(ax.get_title().split()) for ax in fig.axes] == titles  # wrapped, not cut
