"""Era looks: presets kept as data (``presets/eras.json``), loaded, checked and combined.

Each era preset names the years it evokes, says in one sentence which visual
cues it uses, and holds a partial set of :class:`~portrait_lessons.colour.look.Look`
settings (the rest stay neutral). Presets can be made stronger or weaker with
:func:`at_strength`, and layered with :func:`combine`.

Examples
--------
>>> era = preset("slide_1970s")
>>> era.name, era.years
('1970s slide film', (1970, 1979))
>>> era.look.vibrance
24.0
>>> at_strength(era.look, 0.5).vibrance
12.0
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .look import SETTING, SETTINGS, Look, LookError

#: The bundled era presets.
ERAS_FILE = Path(__file__).resolve().parent / "presets" / "eras.json"


class PresetError(ValueError):
    """A preset file is unreadable or malformed; the message says where and how to fix it."""


@dataclass(frozen=True)
class Era:
    """One era preset: an id, a display name, the years it evokes, its cues and its look."""

    id: str
    name: str
    years: tuple[int, int]
    cues: str
    look: Look

    def __repr__(self) -> str:
        return f"Era({self.id!r}, {self.years[0]}-{self.years[1]})"


def load_eras(path: str | Path = ERAS_FILE) -> dict[str, Era]:
    """Read and check an era preset file; return its presets by id, in file order.

    Raises
    ------
    PresetError
        If the file is missing, not JSON, or any preset is malformed. The
        message names the file, the preset and the problem.

    Examples
    --------
    >>> list(load_eras())[:2]
    ['bw_1960s', 'slide_1970s']
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise PresetError(f"Couldn't read the preset file {path}: {error.strerror or error}.") from None
    except UnicodeDecodeError:
        raise PresetError(f"{path.name} is not a text file; a preset file is JSON text.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise PresetError(
            f"{path.name} is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}. "
            "Check for a missing comma or quote there."
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("presets"), list):
        raise PresetError(f'{path.name} must be a JSON object with a "presets" list.')
    eras: dict[str, Era] = {}
    for number, entry in enumerate(data["presets"], start=1):
        era = _era(entry, f"{path.name}, preset {number}")
        if era.id in eras:
            raise PresetError(f"{path.name}, preset {number}: the id {era.id!r} is used twice; ids must be unique.")
        eras[era.id] = era
    if not eras:
        raise PresetError(f"{path.name} has no presets.")
    return eras


def _era(entry, where: str) -> Era:
    if not isinstance(entry, dict):
        raise PresetError(f"{where} must be a JSON object, not {type(entry).__name__}.")
    missing = [key for key in ("id", "name", "years", "cues", "settings") if key not in entry]
    if missing:
        raise PresetError(f"{where} is missing {', '.join(repr(m) for m in missing)}.")
    unknown = sorted(set(entry) - {"id", "name", "years", "cues", "settings"})
    if unknown:
        raise PresetError(f"{where} has unknown field(s) {', '.join(map(repr, unknown))}.")
    where = f"{where} ({entry['name']!r})" if isinstance(entry["name"], str) else where
    for key in ("id", "name", "cues"):
        if not isinstance(entry[key], str) or not entry[key].strip():
            raise PresetError(f"{where}: {key!r} must be a non-empty text.")
    years = entry["years"]
    if (
        not isinstance(years, list)
        or len(years) != 2
        or not all(isinstance(y, int) and not isinstance(y, bool) for y in years)
        or not 1800 <= years[0] <= years[1] <= 2100
    ):
        raise PresetError(f"{where}: 'years' must be [first, last], two whole years in order, such as [1970, 1979].")
    if not isinstance(entry["settings"], dict):
        raise PresetError(f"{where}: 'settings' must be an object of look settings.")
    try:
        look = Look.from_dict(entry["settings"])
    except (LookError, TypeError) as error:
        raise PresetError(f"{where}: {error}") from None
    return Era(entry["id"], entry["name"], (years[0], years[1]), entry["cues"], look)


@lru_cache(maxsize=1)
def _bundled() -> dict[str, Era]:
    return load_eras(ERAS_FILE)


def eras() -> list[Era]:
    """The bundled era presets, oldest first."""
    return list(_bundled().values())


def preset(era_id: str) -> Era:
    """One bundled era preset by id.

    Raises
    ------
    KeyError
        If there is no such preset; the message lists the ids.
    """
    try:
        return _bundled()[era_id]
    except KeyError:
        raise KeyError(f"No era preset is called {era_id!r}; choose one of: {', '.join(_bundled())}.") from None


# Settings that are positions or hues, not amounts: scaling them would change what they mean.
_NOT_SCALED = {"light_leak_angle", "vignette_midpoint", "vignette_roundness", "vignette_feather", "grain_size"}


def at_strength(look: Look, strength: float) -> Look:
    """The look with every amount moved toward neutral (strength < 1) or past it (> 1).

    Hues, positions and shapes stay as they are; values are kept within their
    slider limits. Strength 0 is neutral, 1 the look itself.

    Examples
    --------
    >>> at_strength(Look(grain=40, grain_size=70), 0.25).to_dict()["grain"]
    10.0
    """
    values = {}
    for setting in SETTINGS:
        value = getattr(look, setting.name)
        if setting.name.endswith("_hue") or setting.name in _NOT_SCALED:
            values[setting.name] = value
        else:
            scaled = setting.neutral + strength * (value - setting.neutral)
            values[setting.name] = min(max(scaled, setting.minimum), setting.maximum)
    return Look(**values)


def combine(*looks: Look) -> Look:
    """Layer looks: amounts add up (each as its change from neutral); later hues and shapes win.

    Examples
    --------
    >>> mixed = combine(Look(grain=20, vignette=-10), Look(grain=15, fade=30))
    >>> mixed.grain, mixed.vignette, mixed.fade
    (35.0, -10.0, 30.0)
    """
    values = Look().to_dict()
    for look in looks:
        for setting in SETTINGS:
            value = getattr(look, setting.name)
            if value == setting.neutral:
                continue
            if setting.name.endswith("_hue") or setting.name in _NOT_SCALED:
                values[setting.name] = value
            else:
                total = values[setting.name] + value - setting.neutral
                values[setting.name] = min(max(total, setting.minimum), setting.maximum)
    return Look(**values)


__all__ = ["ERAS_FILE", "SETTING", "Era", "PresetError", "at_strength", "combine", "eras", "load_eras", "preset"]
