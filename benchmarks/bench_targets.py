"""The four compute targets of a live slider, each beside a baseline measured in the same run.

1. The full look (every colour and film setting) on a 1024 x 1024 preview: at most 15 ms.
   Baseline: the same look written plainly in float64 numpy (``render_look_reference``).
2. An editing-panel slider step with every stage of the recipe set: at most 20 ms. The step is
   what the panel does when a slider moves: render from the first changed stage on (the
   stages before it are cached) and encode the JPEG it sends. While a slider moves the panel
   draws a draft (``DRAFT_EDGE``); once it rests, the 1024 px preview. Baseline: the whole
   recipe rendered from scratch at 1024 px.
3. Texture plus clarity on a 1024 px photo: at most 20 ms. Baseline: one Pillow Gaussian
   blur of the same photo (the least any detail control must do).
4. A face edit's whole path at 1024 px (``apply_face_edits`` on the whole photo, the slider
   dragged): at most 15 ms. Baseline: one Pillow affine resampling of the same photo (the least any warp
   touching every pixel once costs).

Targets are printed with the figure; they are never pass/fail tests (the machine is shared).
"""

from __future__ import annotations

import itertools

import numpy as np
from PIL import Image, ImageFilter
from timing import median_ms, report

from portrait_lessons import examples
from portrait_lessons.colour.look import FULL_LOOK, render_look, render_look_reference
from portrait_lessons.editing.recipe import Recipe, RenderCache, render
from portrait_lessons.face.edits import FaceEdit, apply_face_edits
from portrait_lessons.images import preview, to_jpeg
from portrait_lessons.retouch.texture import adjust_detail
from portrait_lessons.ui.frame import DRAFT_EDGE

#: Every stage of the editing panel set at once.
FULL_RECIPE = (
    Recipe().set("face", gaze_x=6, mouth_left=2).set("skin", smoothing=0.6, restore=0.3)
    .set("detail", texture=0.2, clarity=0.2).set("light", midtone_warmth=12, highlights=0.3)
    .set("depth", blur=0.5, desaturate=0.2, darken=0.2).set("look", temperature=7000, vibrance=20)
)  # fmt: skip


def _panel_step(image, points, stage: str, field: str, values) -> float:
    """Median ms of one panel step moving ``stage.field``: cached render from that stage on, plus the JPEG."""
    cache = RenderCache(image, points)
    cache.render(FULL_RECIPE)
    values = itertools.cycle(values)
    return median_ms(lambda: to_jpeg(cache.render(FULL_RECIPE.set(stage, **{field: next(values)})), quality=90), 15)


def _verdict(label: str, value: float, target: float) -> str:
    return f"  {label}: {value:.1f} ms against {target:.0f} ms: {'met' if value <= target else 'NOT met'}"


def run() -> None:
    verdicts = []

    square = np.asarray(Image.fromarray(examples.load_portrait("jemison")).resize((1024, 1024), Image.LANCZOS))
    baseline = ("float64 numpy reference, same look", median_ms(lambda: render_look_reference(square, FULL_LOOK), 3, 1))
    look = median_ms(lambda: render_look(square, FULL_LOOK), 30)
    report("1. Full look, 1024 x 1024 (target <= 15 ms)", baseline, [("render_look, full look", look)])
    verdicts.append(_verdict("full look", look, 15))

    image, points = examples.load_portrait("glover", 1024), examples.portrait_landmarks("glover", 1024)
    small = preview(image, DRAFT_EDGE)
    small_points = points.resized(small.shape[1], small.shape[0])
    baseline = ("whole recipe from scratch, 1024 px", median_ms(lambda: render(image, points, FULL_RECIPE), 3, 1))
    rows = [
        ("step on the last stage (look temperature), 1024 px + JPEG", _panel_step(image, points, "look", "temperature", range(6000, 8000, 50))),
        ("step on a middle stage (midtone warmth), 1024 px + JPEG", _panel_step(image, points, "light", "midtone_warmth", range(5, 30))),
        ("step on an early stage (skin smoothing), 1024 px + JPEG", _panel_step(image, points, "skin", "smoothing", np.linspace(0.3, 0.9, 13))),
        (f"draft step, last stage, {DRAFT_EDGE} px + JPEG", _panel_step(small, small_points, "look", "temperature", range(6000, 8000, 50))),
        (f"draft step, middle stage, {DRAFT_EDGE} px + JPEG", _panel_step(small, small_points, "light", "midtone_warmth", range(5, 30))),
    ]  # fmt: skip
    report("2. Editing-panel slider step, every stage set (target <= 20 ms)", baseline, rows)
    verdicts.append(_verdict("panel step at rest (middle stage, 1024 px)", rows[1][1], 20))
    verdicts.append(_verdict("panel step while moving (middle stage, draft)", rows[4][1], 20))

    picture = Image.fromarray(image)
    baseline = ("one Pillow Gaussian blur, radius 2, 1024 px", median_ms(lambda: picture.filter(ImageFilter.GaussianBlur(2))))
    detail = median_ms(lambda: adjust_detail(image, 0.3, 0.3), 15)
    report("3. Texture + clarity, 1024 px (target <= 20 ms)", baseline, [("adjust_detail(texture 0.3, clarity 0.3)", detail)])
    verdicts.append(_verdict("texture + clarity", detail, 20))

    size = picture.size
    baseline = ("Pillow affine resample of the whole photo, 1024 px",
                median_ms(lambda: picture.transform(size, Image.AFFINE, (1, 0.01, 0.3, 0, 1, 0.2), Image.BILINEAR)))  # fmt: skip
    # Each edit dragged: the slider's value moves a little at every step, as under the mouse
    # (the warp keeps what did not move since the last step; the same value again would
    # find all of it kept).
    expression = dict(gaze_y=8, mouth_left=5, mouth_right=5, brow_left=3, brow_right=3, eyelid_narrowing=2)
    drags = {
        "gaze 10 degrees right": [FaceEdit(gaze_x=v) for v in np.linspace(9, 11, 9)],
        "mouth corners up 3": [FaceEdit(mouth_left=v, mouth_right=v) for v in np.linspace(2.5, 3.5, 9)],
        "expression (gaze, mouth, brows, eyelids)": [FaceEdit(**{**expression, "mouth_left": v}) for v in np.linspace(4.5, 5.5, 9)],
    }
    rows = [(f"apply_face_edits, {label}, dragged", median_ms(lambda s=itertools.cycle(drag): apply_face_edits(image, points, next(s)), 15))
            for label, drag in drags.items()]  # fmt: skip
    report("4. A face edit's whole path, 1024 px (target <= 15 ms)", baseline, rows)
    verdicts.extend(_verdict(label.replace("apply_face_edits, ", "face edit, "), value, 15) for label, value in rows)

    print("\nTargets")
    print("\n".join(verdicts))


if __name__ == "__main__":
    run()
