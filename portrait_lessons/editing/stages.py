"""The workbook's edit stages, registered with :mod:`portrait_lessons.editing.recipe` on import.

Each stage is a settings dataclass (neutral defaults, one :func:`control`
per slider) and a pure render function. Stages that wrap a module of their
own (face edits, film looks) are registered only when that module imports;
adding one is a few lines at the end of this file.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ..colour import look
from ..colour.white_balance import warmth
from ..face import edits as face_edits
from ..face.landmarks import Landmarks
from ..retouch.depth import depth_effect, protect_highlights, warm_midtones
from ..retouch.texture import adjust_detail, smooth_skin
from .recipe import Control, Stage, StageSettings, control, register_stage

__all__ = ["DepthSettings", "DetailSettings", "LightSettings", "SkinSettings"]


# --------------------------------------------------------------------------- light & colour


@dataclass(frozen=True)
class LightSettings(StageSettings):
    """White balance (lesson 00), warmth in the midtones only, and highlight protection."""

    stage_name = "light"
    warmth: float = control(0.0, -60, 60, 5, "White balance", unit="mireds",
                            help="Warmer (+) or cooler (-) light over the whole photo, as in lesson 00.")
    midtone_warmth: float = control(0.0, -40, 40, 5, "Midtone warmth", unit="mireds",
                                    help="Warms skin and mid-greys only; whites and shadows keep their colour.")
    highlights: float = control(0.0, 0, 1, 0.05, "Protect highlights", unit="%", scale=100,
                                help="Rolls the brightest tones off so shiny skin and white collars keep detail.")  # fmt: skip


def _render_light(image: np.ndarray, landmarks: Landmarks | None, s: LightSettings) -> np.ndarray:
    if not (s.warmth or s.midtone_warmth or s.highlights):
        return image
    return _by_halves(_light_steps, image, s)


def _light_steps(image: np.ndarray, s: LightSettings) -> np.ndarray:
    out = image
    if s.warmth:
        out = warmth(out, s.warmth)
    if s.midtone_warmth:
        out = warm_midtones(out, s.midtone_warmth)
    if s.highlights:
        out = protect_highlights(out, s.highlights)
    return out


#: Below this many rows a picture is worked in one piece (a second thread would cost more than it saves).
SPLIT_ROWS = 128


def _by_halves(steps, image: np.ndarray, *args) -> np.ndarray:
    """``steps(image, *args)`` for steps that work each pixel on its own, the two halves on two cores.

    The top half goes to a worker thread while this one does the bottom
    (Pillow and numpy release the GIL while they work), so the result is
    exactly the one-piece result in about half the time on an idle machine.

    Examples
    --------
    >>> photo = np.arange(300 * 2 * 3, dtype=np.uint8).reshape(300, 2, 3)
    >>> bool((_by_halves(lambda im: 255 - im, photo) == 255 - photo).all())
    True
    """
    height = image.shape[0]
    if height < SPLIT_ROWS:
        return steps(image, *args)
    middle = height // 2
    top = _light_worker().submit(steps, image[:middle], *args)
    bottom = steps(image[middle:], *args)
    out = np.empty(image.shape, np.uint8)
    out[:middle] = top.result()
    out[middle:] = bottom
    return out


@lru_cache(maxsize=1)
def _light_worker() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=1, thread_name_prefix="light-half")


def _describe_light(s: LightSettings) -> str:
    parts = []
    if s.warmth:
        parts.append(f"{'warmed' if s.warmth > 0 else 'cooled'} the light ({s.warmth:+.0f} mireds)")
    if s.midtone_warmth:
        parts.append(f"{'warmed' if s.midtone_warmth > 0 else 'cooled'} the midtones only "
                     f"({s.midtone_warmth:+.0f} mireds)")  # fmt: skip
    if s.highlights:
        parts.append(f"softened the brightest highlights ({s.highlights:.0%})")
    return _sentence(parts)


# --------------------------------------------------------------------------- texture & detail


@dataclass(frozen=True)
class SkinSettings(StageSettings):
    """A beauty filter's skin smoothing, and the texture put back on top."""

    stage_name = "skin"
    smoothing: float = control(0.0, 0, 1, 0.05, "Smoothing", unit="%", scale=100,
                               help="Evens the skin as a beauty filter does; at 100 % pores are gone.")
    restore: float = control(0.0, 0, 1, 0.05, "Restore texture", unit="%", scale=100,
                             help="Puts the original fine texture back on the evened skin.")  # fmt: skip


def _describe_skin(s: SkinSettings) -> str:
    if not s.smoothing:
        return ""
    strength = "lightly" if s.smoothing < 0.35 else "strongly" if s.smoothing > 0.7 else "moderately"
    text = f"Smoothed the skin {strength} ({s.smoothing:.0%})"
    if s.restore:
        text += f" and put {s.restore:.0%} of its fine texture back"
    return text + "."


@dataclass(frozen=True)
class DetailSettings(StageSettings):
    """Texture (fine detail) and clarity (mid-size local contrast), as photo editors define them."""

    stage_name = "detail"
    texture: float = control(0.0, -1, 1, 0.05, "Texture", unit="%", scale=100,
                             help="Fine detail: pores, hair, fabric. Negative softens, positive crisps.")
    clarity: float = control(0.0, -1, 1, 0.05, "Clarity", unit="%", scale=100,
                             help="Mid-size contrast in the midtones: punch (+) or a soft glow (-).")  # fmt: skip


def _describe_detail(s: DetailSettings) -> str:
    parts = []
    if s.texture:
        parts.append(f"{'strengthened' if s.texture > 0 else 'softened'} fine texture ({s.texture:+.0%})")
    if s.clarity:
        parts.append(f"{'added' if s.clarity > 0 else 'reduced'} mid-size contrast, clarity {s.clarity:+.0%}")
    return _sentence(parts)


# --------------------------------------------------------------------------- depth


@dataclass(frozen=True)
class DepthSettings(StageSettings):
    """Background blur, colour and light behind an adjustable head-and-shoulders mask."""

    stage_name = "depth"
    blur: float = control(0.0, 0, 1, 0.05, "Background blur", unit="%", scale=100,
                          help="A lens-like blur of the background; 100 % is a very wide aperture.")
    desaturate: float = control(0.0, 0, 1, 0.05, "Background colour", unit="% less", scale=100,
                                help="Takes colour out of the background so the face leads.")
    darken: float = control(0.0, 0, 1, 0.05, "Background darken", unit="%", scale=100,
                            help="Darkens the background, as a spotlight on the subject would.")
    size: float = control(1.0, 0.7, 1.6, 0.05, "Subject: head size", unit="x",
                          help="Grow the mask for big hair or a hat, shrink it for a close crop.")
    shoulders: float = control(1.0, 0.5, 2.0, 0.05, "Subject: shoulders", unit="x",
                               help="Width of the shoulders in the mask.")
    softness: float = control(1.0, 0.2, 3.0, 0.1, "Subject: edge softness", unit="x",
                              help="How gradually the sharp subject fades into the blurred background.")  # fmt: skip

    def is_neutral(self) -> bool:
        return self.blur == 0 and self.desaturate == 0 and self.darken == 0


def _render_depth(image: np.ndarray, landmarks: Landmarks, s: DepthSettings, source: np.ndarray | None = None) -> np.ndarray:
    return depth_effect(image, landmarks, s.blur, s.desaturate, s.darken,
                        size=s.size, shoulders=s.shoulders, softness=s.softness, source=source)  # fmt: skip


def _describe_depth(s: DepthSettings) -> str:
    parts = []
    if s.blur:
        parts.append(f"blurred the background as a wide-open lens would ({s.blur:.0%})")
    if s.desaturate:
        parts.append(f"took {s.desaturate:.0%} of its colour out")
    if s.darken:
        parts.append(f"darkened it ({s.darken:.0%})")
    return _sentence(parts)


def _sentence(parts: list[str]) -> str:
    if not parts:
        return ""
    text = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return text[0].upper() + text[1:] + "."


# --------------------------------------------------------------------------- registration

register_stage(Stage("light", "White balance & tone", "Light & colour", LightSettings, _render_light, 40,
                     _describe_light, needs_landmarks=False), replace=True)
register_stage(Stage("skin", "Skin smoothing", "Texture & detail", SkinSettings,
                     lambda image, landmarks, s: smooth_skin(image, landmarks, s.smoothing, s.restore), 20,
                     _describe_skin), replace=True)
register_stage(Stage("detail", "Texture & clarity", "Texture & detail", DetailSettings,
                     lambda image, landmarks, s: adjust_detail(image, s.texture, s.clarity, landmarks), 30, _describe_detail,
                     needs_landmarks=False), replace=True)
register_stage(Stage("depth", "Subject & background", "Depth", DepthSettings, _render_depth, 60, _describe_depth,
                     uses_source=True), replace=True)  # fmt: skip


# --------------------------------------------------------------------------- stages from other modules


def _render_face(image: np.ndarray, landmarks: Landmarks, edit, source: np.ndarray | None = None) -> np.ndarray:
    """The face edits; a head tilt turns the person over a still backdrop, found in the photo as taken
    (``source``: cached once per photo, not found again after every colour step upstream)."""
    person = None
    if edit.head_tilt:
        from ..retouch.subject import subject_mask

        found = source if source is not None and source.shape == image.shape else image
        person = subject_mask(found, landmarks)
    return face_edits.apply_face_edits(image, landmarks, edit, person)


def _register_face_stage() -> None:
    units = face_edits.FaceEdit.units()
    mouth, brow = round(face_edits.MAX_MOUTH * 150), round(face_edits.MAX_BROW * 150)  # px at 1024 for a typical face
    ranges = {
        "gaze_x": ("Gaze left / right", face_edits.TURN_ENDS["gaze_x"], 1, "°"),
        "gaze_y": ("Gaze down / up", face_edits.TURN_ENDS["gaze_y"], 1, "°"),
        "mouth_left": ("Mouth corner, left", mouth, 0.5, "px"),
        "mouth_right": ("Mouth corner, right", mouth, 0.5, "px"),
        "brow_left": ("Brow, left", brow, 0.5, "px"),
        "brow_right": ("Brow, right", brow, 0.5, "px"),
        "eyelid_narrowing": ("Smiling eyes", 8, 0.5, "px"),
        "head_tilt": ("Head tilt", face_edits.MAX_TILT, 0.5, "°"),
    }
    controls = tuple(
        Control(name, label, 0.0 if name == "eyelid_narrowing" else -limit, limit, step, 0.0, unit,
                help=units.get(name, ""))
        for name, (label, limit, step, unit) in ranges.items()
        if name in units
    )  # fmt: skip
    register_stage(Stage("face", "Face", "Face", face_edits.FaceEdit, _render_face, 10,
                         controls=controls, from_dict=face_edits.FaceEdit.from_dict, reshapes=True, uses_source=True),
                   replace=True)  # fmt: skip


#: Look settings that have a namesake in "Light & colour": named apart so the two are not confused.
_LOOK_NAMESAKES = {"temperature": "Look temperature", "tint": "Look tint", "highlights": "Look highlights"}


def _look_control(setting) -> Control:
    """A panel control for one look setting; a unit in the label ("Temperature (K)") becomes the unit."""
    label, unit = setting.label, ""
    if label.endswith(")") and " (" in label:
        label, unit = label[:-1].split(" (", 1)
    label = _LOOK_NAMESAKES.get(setting.name, label)
    return Control(setting.name, label, setting.minimum, setting.maximum, setting.step, float(setting.neutral),
                   unit=unit, help=setting.help, section=setting.group)  # fmt: skip


def _register_look_stage() -> None:
    controls = tuple(_look_control(s) for s in look.SETTINGS)
    register_stage(Stage("look", "Colour & film look", "Film & look", look.Look,
                         lambda image, landmarks, settings, seed=0: look.render_look(image, settings, seed=seed), 80,
                         controls=controls, needs_landmarks=False, uses_seed=True, from_dict=look.Look.from_dict),
                   replace=True)  # fmt: skip


_register_face_stage()
_register_look_stage()
