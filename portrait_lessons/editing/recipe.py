"""The editing panel's model: named stages, a recipe of their settings, and its JSON sidecar.

An edit is a fixed sequence of **stages** (white balance, skin, detail,
depth, face, film look...). Each stage has a frozen settings dataclass whose
defaults leave the photo untouched, and a pure render function
``(image, landmarks, settings) -> image``. A :class:`Recipe` holds every
stage's settings; rendering it applies the stages in order, skipping the
neutral ones. Saved as JSON beside an export, a recipe reproduces the edit
exactly.

Stages live in a registry, so a tool that lands later joins the panel by
registering itself; the panel builds its sliders from the settings' metadata::

    @dataclass(frozen=True)
    class GlowSettings(StageSettings):
        amount: float = control(0.0, 0.0, 1.0, 0.05, "Glow", unit="%")

    register_stage(Stage("glow", "Glow", "Film & look", GlowSettings, render_glow, order=75))
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Mapping

import numpy as np

from ..images import save_image, write_sidecar
from ..face.landmarks import Landmarks

__all__ = [
    "GROUPS",
    "Control",
    "Recipe",
    "RecipeError",
    "RenderCache",
    "Stage",
    "StageSettings",
    "control",
    "controls_of",
    "export_edit",
    "get_stage",
    "load_sidecar",
    "register_stage",
    "render",
    "save_sidecar",
    "stages",
]

#: The panel's groups, in the order a photo editor shows them.
GROUPS: tuple[str, ...] = ("Light & colour", "Texture & detail", "Depth", "Face", "Film & look")

SIDECAR_FORMAT = "portrait-lessons-edit"
SIDECAR_VERSION = 1


class RecipeError(ValueError):
    """Settings or a sidecar file that cannot be used; the message says why and what to do."""


# --------------------------------------------------------------------------- controls


@dataclass(frozen=True)
class Control:
    """One slider: what a settings field is called on screen and what values it takes.

    ``scale`` converts the stored value to the number shown (100 shows 0.4 as
    40 %). A field whose default is a bool becomes a checkbox; one with
    ``choices`` a menu.
    """

    name: str
    label: str
    low: float = 0.0
    high: float = 1.0
    step: float = 0.05
    default: Any = 0.0
    unit: str = ""
    scale: float = 1.0
    help: str = ""
    choices: tuple = ()
    section: str = ""

    @property
    def kind(self) -> str:
        """"bool", "choice", "int" or "float": which widget shows it."""
        if isinstance(self.default, bool):
            return "bool"
        if self.choices:
            return "choice"
        return "int" if isinstance(self.default, int) else "float"

    def words(self, value: Any) -> str:
        """The value as a person would say it: '40 %', '+20 mireds', 'on'.

        Examples
        --------
        >>> Control("s", "Smoothing", unit="%", scale=100).words(0.4)
        '40%'
        >>> Control("w", "Warmth", -60, 60, unit="mireds").words(20)
        '+20 mireds'
        >>> Control("t", "Temperature", 3000, 12000, unit="K").words(7504)
        '7,504 K'
        """
        if self.kind == "bool":
            return "on" if value else "off"
        if self.kind == "choice":
            return str(value)
        shown = value * self.scale
        sign = "+" if self.low < 0 and shown > 0 else ""
        number = f"{shown:,.0f}" if abs(shown) >= 10 or float(shown).is_integer() else f"{shown:.2g}"
        space = "" if self.unit.startswith(("%", "°")) or not self.unit else " "
        return f"{sign}{number}{space}{self.unit}"

    def check(self, value: Any, stage: str) -> Any:
        """Return ``value`` as this control's type, or raise :class:`RecipeError` saying what's wrong."""
        where = f"{stage}.{self.name}"
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise RecipeError(f"{where} must be true or false, not {value!r}.")
            return value
        if self.kind == "choice":
            if value not in self.choices:
                raise RecipeError(f"{where} must be one of {', '.join(map(str, self.choices))}, not {value!r}.")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
            raise RecipeError(f"{where} must be a number, not {value!r}.")
        if not self.low <= value <= self.high:
            raise RecipeError(f"{where} goes from {self.low:g} to {self.high:g}; {value:g} is outside that range.")
        return int(value) if self.kind == "int" else float(value)


def control(
    default: Any, low: float = 0.0, high: float = 1.0, step: float = 0.05, label: str = "", *,
    unit: str = "", scale: float = 1.0, help: str = "", choices: tuple = (),
) -> Any:  # fmt: skip
    """A dataclass field that carries its slider: ``amount: float = control(0.0, 0, 1, 0.05, "Amount")``.

    The default is the neutral value (the photo unchanged).
    """
    spec = {"label": label, "low": low, "high": high, "step": step, "unit": unit, "scale": scale, "help": help,
            "choices": tuple(choices)}  # fmt: skip
    return field(default=default, metadata={"control": spec})


def controls_of(settings_type: type) -> tuple[Control, ...]:
    """The sliders of a settings dataclass, from its fields' :func:`control` metadata.

    Fields without that metadata get a plain slider guessed from their
    default (0-1 for numbers), so a dataclass written without this module in
    mind still shows up.

    Examples
    --------
    >>> from portrait_lessons.editing.stages import SkinSettings
    >>> [c.label for c in controls_of(SkinSettings)]
    ['Smoothing', 'Restore texture']
    """
    found = []
    for f in dataclasses.fields(settings_type):
        if not f.init or f.name.startswith("_"):
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()  # type: ignore[misc]
        spec = dict(f.metadata.get("control", {}))
        if not spec and not isinstance(default, (int, float, bool)):
            continue  # lists, strings, nested settings: not a slider
        spec.setdefault("label", f.name.replace("_", " ").capitalize())
        spec["label"] = spec["label"] or f.name.replace("_", " ").capitalize()
        found.append(Control(name=f.name, default=default, **spec))
    return tuple(found)


class StageSettings:
    """Mixin for a stage's frozen settings dataclass: validated dict round trip, neutrality.

    Examples
    --------
    >>> from portrait_lessons.editing.stages import SkinSettings
    >>> SkinSettings.from_dict({"smoothing": 0.5}).to_dict()
    {'smoothing': 0.5, 'restore': 0.0}
    >>> SkinSettings().is_neutral()
    True
    """

    def to_dict(self) -> dict:
        """Every field, JSON-ready."""
        return {f.name: getattr(self, f.name) for f in dataclasses.fields(self)}  # type: ignore[arg-type]

    @classmethod
    def from_dict(cls, data: Mapping) -> Any:
        """Build from a dict, checking every name, type and range; missing fields stay neutral."""
        return _settings_from_dict(cls, data, getattr(cls, "stage_name", cls.__name__))

    def is_neutral(self) -> bool:
        """Whether these settings leave the photo untouched (all defaults)."""
        return self == type(self)()


def _settings_from_dict(cls: type, data: Any, stage: str) -> Any:
    if not isinstance(data, Mapping):
        raise RecipeError(f"The {stage} settings must be a JSON object ({{...}}), not {type(data).__name__}.")
    controls = {c.name: c for c in controls_of(cls)}
    unknown = sorted(set(data) - set(controls))
    if unknown:
        raise RecipeError(f"The {stage} settings have no {', '.join(map(repr, unknown))}; "
                          f"they are: {', '.join(controls)}. Check the spelling in the file.")  # fmt: skip
    return cls(**{name: controls[name].check(value, stage) for name, value in data.items()})


# --------------------------------------------------------------------------- stages


@dataclass(frozen=True)
class Stage:
    """One step of an edit, as the panel shows it and the renderer runs it.

    Parameters
    ----------
    name : str
        Short key, used in sidecar files (``"skin"``); never change it once files exist.
    title : str
        Heading in the panel (``"Skin smoothing"``).
    group : str
        One of :data:`GROUPS`.
    settings : type
        A frozen dataclass; its default instance must be neutral.
    render : callable
        ``render(image, landmarks, settings) -> image``, pure. With
        ``uses_seed`` it also receives ``seed=`` (grain, anything random).
    order : float
        Position in the pipeline: geometry (10) before retouching (20-30),
        tone and colour (40), depth (60), film (80).
    describe : callable, optional
        ``describe(settings) -> str``: the change in plain words. The default
        lists the controls that moved.
    controls : tuple of Control, optional
        Overrides the sliders read from ``settings``' metadata (for settings
        classes written elsewhere).
    needs_landmarks : bool
        Whether ``render`` uses the face's points.
    reshapes : bool
        Whether the stage moves pixels (the face warp), so that what follows
        must find things in its output.
    uses_source : bool
        Whether ``render`` also receives ``source=``: the photo as taken, or as
        the last reshaping stage left it, before any retouching or colour. The
        depth stage finds the person there, so an edit upstream of it does not
        cut the person out again at every slider step.
    """

    name: str
    title: str
    group: str
    settings: type
    render: Callable[..., np.ndarray]
    order: float
    describe: Callable[[Any], str] | None = None
    controls: tuple[Control, ...] = ()
    needs_landmarks: bool = True
    uses_seed: bool = False
    reshapes: bool = False
    uses_source: bool = False
    to_dict: Callable[[Any], dict] | None = None
    from_dict: Callable[[Mapping], Any] | None = None

    def __post_init__(self):
        if self.group not in GROUPS:
            raise ValueError(f"Stage {self.name!r}: group must be one of {', '.join(GROUPS)}, not {self.group!r}.")
        if not dataclasses.is_dataclass(self.settings):
            raise TypeError(f"Stage {self.name!r}: settings must be a dataclass type.")

    @property
    def sliders(self) -> tuple[Control, ...]:
        """The controls the panel shows for this stage."""
        return self.controls or controls_of(self.settings)

    def neutral(self) -> Any:
        """Settings that leave the photo untouched."""
        return self.settings()

    def is_neutral(self, settings: Any) -> bool:
        return settings == self.settings()

    def settings_to_dict(self, settings: Any) -> dict:
        if self.to_dict is not None:
            return self.to_dict(settings)
        if hasattr(settings, "to_dict"):
            return settings.to_dict()
        return dataclasses.asdict(settings)

    def settings_from_dict(self, data: Mapping) -> Any:
        try:
            if self.from_dict is not None:
                return self.from_dict(data)
            if self.controls or not hasattr(self.settings, "from_dict"):
                return _settings_from_dict(self.settings, data, self.name)
            return self.settings.from_dict(data)
        except RecipeError:
            raise
        except (TypeError, ValueError, KeyError) as error:  # a foreign from_dict's own complaint
            raise RecipeError(f"The {self.name} settings in the file can't be used: {error}") from None

    def words(self, settings: Any) -> str:
        """What this stage does with ``settings``, in plain words ('' when neutral)."""
        if self.is_neutral(settings):
            return ""
        if self.describe is not None:
            return self.describe(settings)
        moved = [
            f"{c.label.lower()} {c.words(getattr(settings, c.name))}"
            for c in self.sliders
            if getattr(settings, c.name) != c.default
        ]
        return f"{self.title}: {', '.join(moved)}." if moved else f"{self.title}: changed."

    def apply(self, image: np.ndarray, landmarks: Landmarks | None, settings: Any, seed: int = 0,
              source: np.ndarray | None = None) -> np.ndarray:
        """Run the stage on ``image``; ``source`` is the photo before retouching (see ``uses_source``)."""
        if self.needs_landmarks and landmarks is None:
            raise RecipeError(f"{self.title} needs the face's landmarks; this photo has none yet. "
                              "Mark the face first (lesson 00 shows how), or leave this stage at zero.")  # fmt: skip
        extra = {"seed": seed} if self.uses_seed else {}
        if self.uses_source:
            extra["source"] = image if source is None else source
        return self.render(image, landmarks, settings, **extra)


_REGISTRY: dict[str, Stage] = {}


def register_stage(stage: Stage, *, replace: bool = False) -> Stage:
    """Add a stage to every recipe and to the editing panel.

    Raises
    ------
    ValueError
        If a stage of that name exists and ``replace`` is false.
    """
    if stage.name in _REGISTRY and not replace:
        raise ValueError(f"A stage called {stage.name!r} is already registered; pass replace=True to swap it.")
    _REGISTRY[stage.name] = stage
    return stage


def stages() -> list[Stage]:
    """Every registered stage, in pipeline order.

    Examples
    --------
    >>> names = [s.name for s in stages()]
    >>> names.index("skin") < names.index("light") < names.index("depth")  # retouch, then tone, then depth
    True
    """
    return sorted(_REGISTRY.values(), key=lambda s: (s.order, s.name))


def get_stage(name: str) -> Stage:
    """The stage called ``name``; the error lists the ones there are."""
    try:
        return _REGISTRY[name]
    except KeyError:
        raise RecipeError(f"There is no edit stage called {name!r} in this copy of the workbook; "
                          f"there are: {', '.join(s.name for s in stages())}.") from None  # fmt: skip



# --------------------------------------------------------------------------- recipes


@dataclass(frozen=True)
class Recipe:
    """The settings of every stage: one edit, independent of the photo's size.

    Stages not mentioned are neutral. Recipes are immutable: :meth:`with_stage`
    and :meth:`set` return new ones, which makes undo a list of recipes.

    Examples
    --------
    >>> recipe = Recipe().set("skin", smoothing=0.6)
    >>> recipe.get("skin").smoothing, recipe.get("depth").blur
    (0.6, 0.0)
    >>> Recipe.from_dict(recipe.to_dict()) == recipe
    True
    """

    settings: Mapping[str, Any] = field(default_factory=dict)
    seed: int = 0

    def __post_init__(self):
        cleaned = {}
        for name, value in dict(self.settings).items():
            stage = get_stage(name)
            if not isinstance(value, stage.settings):
                raise RecipeError(f"Settings for {name!r} must be a {stage.settings.__name__}, not "
                                  f"{type(value).__name__}.")  # fmt: skip
            if not stage.is_neutral(value):
                cleaned[name] = value
        object.__setattr__(self, "settings", dict(sorted(cleaned.items())))

    def __hash__(self):  # settings is a dict; hash its stable JSON
        return hash(json.dumps(self.to_dict(), sort_keys=True))

    def get(self, name: str) -> Any:
        """The settings of stage ``name`` (neutral ones if the recipe doesn't change it)."""
        return self.settings.get(name) or get_stage(name).neutral()

    def with_stage(self, name: str, settings: Any) -> "Recipe":
        """A copy with stage ``name`` set to ``settings``."""
        return Recipe({**self.settings, name: settings}, self.seed)

    def set(self, name: str, **changes: Any) -> "Recipe":
        """A copy with some fields of stage ``name`` changed: ``recipe.set("depth", blur=0.5)``."""
        return self.with_stage(name, dataclasses.replace(self.get(name), **changes))

    def reset(self, name: str | None = None) -> "Recipe":
        """A copy with stage ``name`` (or every stage) back to neutral."""
        if name is None:
            return Recipe({}, self.seed)
        return Recipe({k: v for k, v in self.settings.items() if k != name}, self.seed)

    @property
    def is_neutral(self) -> bool:
        return not self.settings

    def render(self, image: np.ndarray, landmarks: Landmarks | None) -> np.ndarray:
        """Apply the stages in order (see :func:`render`)."""
        return render(image, landmarks, self)

    def summary(self) -> list[str]:
        """One plain sentence per stage the edit changes, in pipeline order.

        Examples
        --------
        >>> Recipe().set("depth", blur=0.5).summary()
        ['Blurred the background as a wide-open lens would (50%).']
        """
        if self.is_neutral:
            return ["No changes: the photo is as taken."]
        words = [s.words(self.settings[s.name]) for s in stages() if s.name in self.settings]
        return [w for w in words if w] or ["No visible changes: the settings moved leave the photo as taken."]

    def to_dict(self) -> dict:
        """The JSON-ready form: only the stages that change something."""
        return {
            "seed": self.seed,
            "stages": {name: get_stage(name).settings_to_dict(value) for name, value in self.settings.items()},
        }

    @classmethod
    def from_dict(cls, data: Mapping) -> "Recipe":
        """Read a recipe back, checking every stage, name and value."""
        if not isinstance(data, Mapping) or not isinstance(data.get("stages", {}), Mapping):
            raise RecipeError("A recipe is a JSON object with a 'stages' object inside.")
        seed = data.get("seed", 0)
        if isinstance(seed, bool) or not isinstance(seed, int):
            raise RecipeError(f"The recipe's seed must be a whole number, not {seed!r}.")
        settings = {name: get_stage(name).settings_from_dict(value) for name, value in data.get("stages", {}).items()}
        return cls(settings, seed)


def render(image: np.ndarray, landmarks: Landmarks | None, recipe: Recipe) -> np.ndarray:
    """Apply every stage of ``recipe`` to ``image`` in pipeline order; neutral stages are skipped.

    ``landmarks`` must belong to ``image`` (same pixel size). Returns a new
    array; a neutral recipe returns an equal copy.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256)
    >>> bool((render(photo, points, Recipe()) == photo).all())
    True
    """
    out = source = image
    for stage in stages():
        if stage.name in recipe.settings:
            out = stage.apply(out, landmarks, recipe.settings[stage.name], recipe.seed, source)
            source = out if stage.reshapes else source
    return out.copy() if out is image else out


class RenderCache:
    """Renders recipes for a live preview, recomputing only from the first stage that changed.

    Moving a depth slider re-runs depth and what follows it, not the face
    warp and the skin before it; moving a film-look slider re-runs the look
    alone. It keeps one output per stage of the last recipe (for its photo):
    a slider step costs the stages from the one that moved on.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> photo, points = examples.load_portrait("koch", 256), examples.portrait_landmarks("koch", 256)
    >>> cache = RenderCache(photo, points)
    >>> first = cache.render(Recipe().set("skin", smoothing=0.5))
    >>> second = cache.render(Recipe().set("skin", smoothing=0.5).set("depth", blur=0.4))
    >>> cache.last_reused
    1
    """

    def __init__(self, image: np.ndarray, landmarks: Landmarks | None):
        self.image, self.landmarks = image, landmarks
        self._steps: list[tuple[str, Any, np.ndarray]] = []
        self.last_reused = 0

    def render(self, recipe: Recipe) -> np.ndarray:
        wanted = [(s, recipe.settings[s.name]) for s in stages() if s.name in recipe.settings]
        keep = 0
        for (stage, settings), (name, cached_settings, _) in zip(wanted, self._steps):
            # Only a stage that draws random numbers (grain) changes with the seed.
            if stage.name != name or settings != cached_settings or (stage.uses_seed and recipe.seed != self._seed):
                break
            keep += 1
        self._steps = self._steps[:keep]
        self.last_reused = keep
        out = self._steps[-1][2] if self._steps else self.image
        source = next((o for name, _, o in reversed(self._steps) if get_stage(name).reshapes), self.image)
        for stage, settings in wanted[keep:]:
            out = stage.apply(out, self.landmarks, settings, recipe.seed, source)
            source = out if stage.reshapes else source
            self._steps.append((stage.name, settings, out))
        self._seed = recipe.seed
        return out

    _seed = 0


# --------------------------------------------------------------------------- sidecars and export


def pixel_fingerprint(image: np.ndarray) -> str:
    """SHA-256 of an image's pixels and size: names the exact photo an edit was made on.

    Examples
    --------
    >>> pixel_fingerprint(np.zeros((2, 2, 3), np.uint8))[:12]
    '93bb06405f1a'
    """
    digest = hashlib.sha256(f"{image.shape[1]}x{image.shape[0]}:".encode())
    digest.update(np.ascontiguousarray(image).tobytes())
    return digest.hexdigest()


def sidecar_dict(recipe: Recipe, source: Mapping[str, Any], image_file: str = "") -> dict:
    """The full sidecar content: format, the source photo, the recipe, its summary."""
    return {
        "format": SIDECAR_FORMAT,
        "version": SIDECAR_VERSION,
        "image": image_file,
        "source": dict(source),
        **recipe.to_dict(),
        "summary": recipe.summary(),
    }


def save_sidecar(recipe: Recipe, image_path: str | os.PathLike, source: Mapping[str, Any]) -> Path:
    """Write the recipe as ``<image name>.json`` beside an exported image; never overwrites.

    ``source`` says which photo the edit starts from (``{"photo": "koch"}``
    for a bundled portrait, plus its ``sha256`` pixel fingerprint). Returns
    the path written; if that name is taken, ``-1``, ``-2``... are added.
    """
    return write_sidecar(image_path, sidecar_dict(recipe, source, Path(image_path).name))


def load_sidecar(source: str | os.PathLike | bytes | Mapping) -> tuple[Recipe, dict]:
    """Read a sidecar (a path, its bytes, or an upload entry): the recipe and its source info.

    Raises
    ------
    RecipeError
        If the file is not a Portrait Lessons edit, is damaged, or holds
        settings this copy of the workbook can't use; the message says which.
    """
    if isinstance(source, Mapping) and "content" in source:
        source = bytes(source["content"])
    if isinstance(source, (bytes, bytearray, memoryview)):
        text, name = bytes(source).decode("utf-8", "replace"), "the uploaded file"
    else:
        path = Path(source)
        name = path.name
        try:
            text = path.read_text(encoding="utf-8")
        except OSError as error:
            raise RecipeError(f"Couldn't read {name}: {error.strerror or error}.") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise RecipeError(f"{name} is not valid JSON (line {error.lineno}): was it edited by hand?") from None
    if not isinstance(data, dict) or data.get("format") != SIDECAR_FORMAT:
        raise RecipeError(f"{name} is not a Portrait Lessons edit file: choose the .json saved next to an export.")
    if data.get("version") != SIDECAR_VERSION:
        raise RecipeError(f"{name} is version {data.get('version')!r}; this workbook reads version {SIDECAR_VERSION}.")
    return Recipe.from_dict(data), dict(data.get("source", {}))


def export_edit(
    image: np.ndarray,
    landmarks: Landmarks | None,
    recipe: Recipe,
    path: str | os.PathLike,
    source: Mapping[str, Any],
    *,
    quality: int = 95,
) -> tuple[Path, Path]:
    """Render ``recipe`` on the full-size ``image``, save it and its sidecar; overwrite nothing.

    Returns (image path, sidecar path). The sidecar records the source's
    pixel fingerprint, so :func:`load_sidecar` plus :func:`render` on the same
    photo gives back these exact pixels.
    """
    edited = render(image, landmarks, recipe)
    written = save_image(edited, path, quality=quality)
    source = {**source, "sha256": pixel_fingerprint(image), "size": [int(image.shape[1]), int(image.shape[0])]}
    return written, save_sidecar(recipe, written, source)
