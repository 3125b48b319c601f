"""Review sheets: every edit and look at its minimum, mid, neutral and maximum, on every bundled photo.

Run ``make sheets`` (or ``python tools/sheets.py``) and open the PNGs in
``sheets/`` after touching any image function. Each sheet is one edit (or
look setting, or preset); each row one bundled photo; each column one slider
position, labelled. Face edits show the head plus 200 % crops of one eye and
the mouth; texture edits show 200 % crops of skin and an eye; looks and depth
show the whole frame.

A retoucher's review catches what no number does (a straight cut through an
iris, a bent collar, an orange face): look at the crops at 100 %.

Usage: ``python tools/sheets.py [--only WORD] [--out DIR]``; ``--only``
renders just the sheets whose name contains WORD.
"""

from __future__ import annotations

import argparse
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from portrait_lessons import examples  # noqa: E402
from portrait_lessons.colour.eras import at_strength, eras  # noqa: E402
from portrait_lessons.colour.look import SETTING, SETTINGS, Look, render_look  # noqa: E402
from portrait_lessons.composition import background as grounds  # noqa: E402
from portrait_lessons.composition import distance  # noqa: E402
from portrait_lessons.face import edits as face_edits  # noqa: E402
from portrait_lessons.face import symmetry  # noqa: E402
from portrait_lessons.retouch import depth, subject, texture  # noqa: E402

PREVIEW = 1024  # the size the tools show and edit
FRAME = 300  # long edge of a full-frame thumbnail
HEAD = 220  # height of a head crop on the sheet
GAP, LABEL = 4, 14
BACKGROUND = (40, 40, 40)
TEXT = (230, 230, 230)

#: Settings shown together with the amount that makes them visible.
_COMPANION = {
    "grade_shadows_hue": ("grade_shadows", 60), "grade_midtones_hue": ("grade_midtones", 60),
    "grade_highlights_hue": ("grade_highlights", 60), "cast_hue": ("cast", 40),
    "light_leak_angle": ("light_leak", 60), "vignette_midpoint": ("vignette", -60),
    "vignette_roundness": ("vignette", -60), "vignette_feather": ("vignette", -60), "grain_size": ("grain", 60),
}  # fmt: skip


# --------------------------------------------------------------------------- pictures


def _fit(image: np.ndarray, height: int | None = None, long_edge: int | None = None) -> Image.Image:
    picture = Image.fromarray(image)
    if height is not None:
        scale = height / picture.height
    else:
        scale = long_edge / max(picture.size)
    size = (max(1, round(picture.width * scale)), max(1, round(picture.height * scale)))
    return picture.resize(size, Image.Resampling.LANCZOS)


def _zoom(image: np.ndarray, box: tuple[int, int, int, int], factor: int = 2) -> Image.Image:
    """A crop at ``factor`` x 100 %, pixels kept square (nearest neighbour)."""
    left, top, right, bottom = box
    crop = Image.fromarray(image[top:bottom, left:right])
    return crop.resize((crop.width * factor, crop.height * factor), Image.Resampling.NEAREST)


def _box(centre, half_w, half_h, shape) -> tuple[int, int, int, int]:
    x, y = centre
    height, width = shape[:2]
    half_w, half_h = max(12, round(half_w)), max(8, round(half_h))
    left = int(min(max(0, round(x) - half_w), max(0, width - 2 * half_w)))
    top = int(min(max(0, round(y) - half_h), max(0, height - 2 * half_h)))
    return left, top, min(width, left + 2 * half_w), min(height, top + 2 * half_h)


def _detail_boxes(landmarks) -> dict[str, tuple[int, int, int, int]]:
    """Windows round one eye, the mouth and a cheek, sized by the eye spacing."""
    p, iod = landmarks.points, landmarks.interocular_distance
    shape = (landmarks.height, landmarks.width)
    eye = (np.array(p["left_eye_inner"]) + np.array(p["left_eye_outer"])) / 2
    mouth = (np.array(p["mouth_left"]) + np.array(p["mouth_right"])) / 2
    cheek = np.array(p["left_iris"]) * 0.45 + np.array(p["mouth_left"]) * 0.55
    return {
        "eye": _box(eye, 0.42 * iod, 0.22 * iod, shape),
        "mouth": _box(mouth, 0.55 * iod, 0.28 * iod, shape),
        "skin": _box(cheek, 0.22 * iod, 0.22 * iod, shape),
    }


def _column(parts: list[Image.Image], label: str) -> Image.Image:
    width = max(part.width for part in parts)
    height = LABEL + sum(part.height for part in parts) + GAP * (len(parts) - 1)
    column = Image.new("RGB", (width, height), BACKGROUND)
    ImageDraw.Draw(column).text((2, 1), label, fill=TEXT)
    y = LABEL
    for part in parts:
        column.paste(part, (0, y))
        y += part.height + GAP
    return column


def _row(columns: list[Image.Image], title: str) -> Image.Image:
    width = sum(c.width for c in columns) + GAP * (len(columns) + 1)
    height = max(c.height for c in columns) + LABEL + GAP
    row = Image.new("RGB", (width, height), BACKGROUND)
    ImageDraw.Draw(row).text((GAP, 1), title, fill=(255, 220, 120))
    x = GAP
    for column in columns:
        row.paste(column, (x, LABEL))
        x += column.width + GAP
    return row


def _stack(rows: list[Image.Image], title: str) -> Image.Image:
    width = max(r.width for r in rows)
    height = sum(r.height for r in rows) + 2 * LABEL
    sheet = Image.new("RGB", (width, height), (25, 25, 25))
    ImageDraw.Draw(sheet).text((GAP, 3), title, fill=(255, 255, 255))
    y = 2 * LABEL
    for row in rows:
        sheet.paste(row, (0, y))
        y += row.height
    return sheet


def _positions(low: float, high: float, neutral: float = 0.0) -> list[tuple[str, float]]:
    """Minimum, mid-way down, neutral, mid-way up, maximum (duplicates dropped)."""
    values = [low, neutral + (low - neutral) / 2, neutral, neutral + (high - neutral) / 2, high]
    names = ["min", "mid-", "neutral", "mid+", "max"]
    seen, out = set(), []
    for name, value in zip(names, values):
        if round(value, 3) not in seen:
            seen.add(round(value, 3))
            out.append((f"{name} {value:+.3g}" if name != "neutral" else f"neutral {value:g}", float(value)))
    return out


# --------------------------------------------------------------------------- the photos


class Photo:
    def __init__(self, name: str):
        self.name = name
        self.image = examples.load_portrait(name, PREVIEW)
        self.landmarks = examples.portrait_landmarks(name, PREVIEW)
        self.head = face_edits.head_box(self.landmarks, 0.35)
        self.boxes = _detail_boxes(self.landmarks)
        self.limits = face_edits.edit_limits(self.landmarks)
        self.small = np.asarray(_fit(self.image, long_edge=FRAME * 2))  # looks render at twice the thumbnail


def _face_cell(photo: Photo, edited: np.ndarray, label: str, details=("eye", "mouth")) -> Image.Image:
    left, top, right, bottom = photo.head
    parts = [_fit(edited[top:bottom, left:right], height=HEAD)]
    parts += [_zoom(edited, photo.boxes[name]) for name in details]
    return _column(parts, label)


def face_sheet(photos: list[Photo], field: str) -> Image.Image:
    rows = []
    for photo in photos:
        low, high = photo.limits[field]
        cells = []
        for label, value in _positions(low, high):
            edit = face_edits.FaceEdit(**{field: value})
            person = subject.subject_mask(photo.image, photo.landmarks) if edit.head_tilt else None  # as the face tool does
            edited = face_edits.apply_face_edits(photo.image, photo.landmarks, edit, person)
            cells.append(_face_cell(photo, edited, label))
        rows.append(_row(cells, f"{photo.name}  {field}  range {low:g} to {high:g}"))
    return _stack(rows, f"Face edit: {field} ({face_edits.FaceEdit.units()[field]}); head, eye 200 %, mouth 200 %")


def skin_sheet(photos: list[Photo], name: str) -> Image.Image:
    rows = []
    for photo in photos:
        cells = []
        if name == "smoothing":
            positions = [("0", (0.0, 0.0)), ("0.5", (0.5, 0.0)), ("1", (1.0, 0.0)), ("1 + restore 1", (1.0, 1.0))]
        else:
            positions = _positions(-1.0, 1.0)
        for label, value in positions:
            if name == "smoothing":
                edited = texture.smooth_skin(photo.image, photo.landmarks, *value)
            elif name == "texture":
                edited = texture.add_texture(photo.image, value, photo.landmarks)  # as the tools do
            else:
                edited = texture.add_clarity(photo.image, value)
            cells.append(_face_cell(photo, edited, label, details=("skin", "eye")))
        rows.append(_row(cells, f"{photo.name}  {name}"))
    return _stack(rows, f"Skin and detail: {name}; head, skin 200 %, eye 200 %")


def _frame_cell(image: np.ndarray, label: str) -> Image.Image:
    return _column([_fit(image, long_edge=FRAME)], label)


def look_sheet(photos: list[Photo], setting_name: str) -> Image.Image:
    setting = SETTING[setting_name]
    base = {}
    if setting_name in _COMPANION:
        other, amount = _COMPANION[setting_name]
        base[other] = amount
    rows = []
    for photo in photos:
        cells = []
        for label, value in _positions(setting.minimum, setting.maximum, setting.neutral):
            look = Look(**{**base, setting_name: value})
            cells.append(_frame_cell(render_look(photo.small, look), label))
        rows.append(_row(cells, f"{photo.name}  {setting.label}" + (f"  (with {base})" if base else "")))
    return _stack(rows, f"Look: {setting.label}: {setting.help}")


def preset_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for era in eras():
        for photo in photos:
            cells = [_frame_cell(photo.small, "original")]
            for strength in (0.5, 1.0, 1.5):
                cells.append(_frame_cell(render_look(photo.small, at_strength(era.look, strength)), f"strength {strength:g}"))
            rows.append(_row(cells, f"{era.name}  {photo.name}"))
    return _stack(rows, "Era presets at strength 0.5, 1, 1.5")


def depth_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for photo in photos:
        image, points = photo.image, photo.landmarks
        mask = depth.subject_mask(image, points)
        overlay = image.astype(np.float32)
        overlay = (overlay * (0.35 + 0.65 * mask[..., None]) + np.array([255, 0, 0]) * 0.35 * (1 - mask[..., None]))
        cells = [_frame_cell(image, "original"), _frame_cell(np.clip(overlay, 0, 255).astype(np.uint8), "subject mask")]
        for label, kwargs in (("blur 0.5", dict(blur=0.5)), ("blur 1", dict(blur=1.0)),
                              ("desat 0.5", dict(desaturate=0.5)), ("desat+darken 1", dict(desaturate=1.0, darken=1.0)),
                              ("all 1", dict(blur=1.0, desaturate=1.0, darken=1.0))):  # fmt: skip
            cells.append(_frame_cell(depth.depth_effect(image, points, **kwargs), label))
        rows.append(_row(cells, f"{photo.name}  depth"))
    return _stack(rows, "Depth: the subject mask (background tinted red) and the background effects")


def light_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for photo in photos:
        cells = [_frame_cell(photo.small, "original")]
        for amount in (0.5, 1.0):
            cells.append(_frame_cell(depth.protect_highlights(photo.small, amount), f"protect hl {amount:g}"))
        low, high = depth.WARMTH_RANGE
        for mireds in (low, low / 2, high / 2, high):
            cells.append(_frame_cell(depth.warm_midtones(photo.small, mireds), f"warm mid {mireds:+.0f}"))
        rows.append(_row(cells, f"{photo.name}  highlights and midtone warmth"))
    return _stack(rows, "Protect highlights; warm midtones (mireds)")


def symmetry_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for photo in photos:
        upright = symmetry.upright_face(photo.image, photo.landmarks)
        left, right = symmetry.mirror_composites(photo.image, photo.landmarks)
        cells = [_column([_fit(face, height=HEAD)], label)
                 for face, label in ((upright, "upright"), (left, "left-left"), (right, "right-right"))]  # fmt: skip
        rows.append(_row(cells, f"{photo.name}  symmetry"))
    return _stack(rows, "Symmetry: the upright crop and the mirror composites")


def distance_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for photo in photos:
        cells = []
        for metres in (0.3, 0.6, 1.5, 3.0):
            warped = distance.change_distance(photo.image, photo.landmarks, metres)
            cells.append(_face_cell(photo, warped, f"{metres:g} m", details=("eye", "mouth")))
        rows.append(_row(cells, f"{photo.name}  camera distance"))
    return _stack(rows, "Camera distance at the same face size; head, eye 200 %, mouth 200 %")


def places_sheet(photos: list[Photo]) -> Image.Image:
    rows = []
    for photo in photos:
        mask = grounds.refine_edge(photo.image, grounds.person_mask(photo.image, photo.landmarks), photo.landmarks)
        cells = [_frame_cell(photo.image, "original")]
        for name in grounds.FAMILIES["places"]:
            placed = grounds.place_on_ground(photo.image, photo.landmarks, name, mask=mask)
            cells.append(_frame_cell(placed, f"{name}, light wrap"))
        rows.append(_row(cells, f"{photo.name}  places"))
    plain = [_frame_cell(grounds.make_ground(name, (768, 1024)), name) for name in grounds.FAMILIES["places"]]
    rows.append(_row(plain, "the places alone"))
    return _stack(rows, "Grounds: the procedural places behind each photo (mask refined, light wrap on)")


# --------------------------------------------------------------------------- all of them


def jobs(photos: list[Photo]) -> dict:
    """Sheet file name -> a function that draws it."""
    out = {}
    for field in face_edits.FaceEdit.units():
        out[f"face_{field}"] = lambda f=field: face_sheet(photos, f)
    for name in ("smoothing", "texture", "clarity"):
        out[f"skin_{name}"] = lambda n=name: skin_sheet(photos, n)
    for setting in SETTINGS:
        out[f"look_{setting.name}"] = lambda s=setting.name: look_sheet(photos, s)
    out["presets"] = lambda: preset_sheet(photos)
    out["depth"] = lambda: depth_sheet(photos)
    out["light"] = lambda: light_sheet(photos)
    out["symmetry"] = lambda: symmetry_sheet(photos)
    out["distance"] = lambda: distance_sheet(photos)
    out["grounds_places"] = lambda: places_sheet(photos)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="render only sheets whose name contains this")
    parser.add_argument("--out", default=str(ROOT / "sheets"), help="folder for the PNGs (default: sheets/)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    photos = [Photo(name) for name in examples.names()]
    wanted = {name: draw for name, draw in jobs(photos).items() if args.only in name}

    def render(item):
        name, draw = item
        draw().save(out / f"{name}.png", optimize=False, compress_level=1)
        return name

    with ThreadPoolExecutor(2) as pool:  # the heavy parts run in numpy and Pillow, which release the GIL
        for name in pool.map(render, wanted.items()):
            print(f"  {name}.png")
    print(f"{len(wanted)} sheets in {out} in {time.perf_counter() - start:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
