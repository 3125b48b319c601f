"""Lesson 08's editing panel: every stage of the workbook in one place, as a photo editor lays it out.

:class:`EditModel` holds the photo, the :class:`~portrait_lessons.editing.recipe.Recipe`
and its undo history, renders previews and exports; :class:`EditingPanel` is
the view. The panel has no code for any particular stage: it builds a
section with sliders for each registered stage, from the stage's controls,
so a stage registered later appears without changes here.
"""

from __future__ import annotations

import html
from pathlib import Path

import ipywidgets as widgets
import numpy as np
import traitlets

from .upload import UploadButton
from ..colour.white_balance import warm_cool_index
from ..editing.recipe import (
    GROUPS,
    Recipe,
    RecipeError,
    RenderCache,
    export_edit,
    load_sidecar,
    pixel_fingerprint,
    render,
    stages,
)
from ..face.fit import saved_photos
from ..photos import MY_PHOTOS, is_bundled, load_photo
from ..retouch.texture import skin_texture_kept
from .frame import DRAFT_EDGE, EXPORTS, FrameModel, ToolFrame, grouped

#: Long edge of the preview the panel renders while sliders move.
PREVIEW_EDGE = 1024


class EditModel(FrameModel):
    """The panel's state: photo, recipe, undo history; renders and exports.

    Examples
    --------
    >>> model = EditModel(photo="koch")
    >>> model.set_value("depth", "blur", 0.5)
    >>> model.set_value("depth", "blur", 0.6)   # same slider: one undo step
    >>> model.set_value("skin", "smoothing", 0.4)
    >>> model.undo()
    True
    >>> model.recipe.get("skin").smoothing, model.recipe.get("depth").blur
    (0.0, 0.6)
    >>> model.undo() and model.recipe.is_neutral
    True
    """

    tool_name = "edit"
    needs_landmarks = True
    preview_edge = PREVIEW_EDGE
    draft_edge = DRAFT_EDGE
    recipe = traitlets.Instance(Recipe, args=())

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.history: list[Recipe] = []
        self._last_key: tuple[str, str] | None = None
        self._cache: RenderCache | None = None
        self._draft_cache: RenderCache | None = None

    # --- pictures ---------------------------------------------------------
    @property
    def before(self) -> np.ndarray:
        """The photo at preview size, unedited."""
        return self.image

    @property
    def after(self) -> np.ndarray:
        """The preview with the recipe applied (only changed stages are recomputed)."""
        if not self.has_landmarks:
            return self.image
        if self._cache is None or self._cache.image is not self.before:
            self._cache = RenderCache(self.before, self.landmarks)
        return self._cache.render(self.recipe)

    def draft(self) -> np.ndarray | None:
        """The preview at the draft size, drawn while a slider moves (with its own stage cache)."""
        if not self.has_landmarks:
            return None
        image, landmarks = self._draft_photo()
        if self._draft_cache is None or self._draft_cache.image is not image:
            self._draft_cache = RenderCache(image, landmarks)
        return self._draft_cache.render(self.recipe)

    def render(self, image, landmarks) -> np.ndarray:
        return render(image, landmarks, self.recipe)

    def settings(self) -> dict:
        return self.recipe.to_dict()

    # --- editing ----------------------------------------------------------
    def set_value(self, stage: str, field: str, value) -> None:
        """Set one slider; consecutive moves of the same slider make one undo step."""
        if (stage, field) != self._last_key:
            self.history.append(self.recipe)
            self._last_key = (stage, field)
        self.recipe = self.recipe.set(stage, **{field: value})

    def undo(self) -> bool:
        """Go back one step; returns False when there is nothing to undo."""
        self._last_key = None
        if not self.history:
            self._report("Nothing to undo.")
            return False
        self.recipe = self.history.pop()
        return True

    def reset(self) -> None:
        """Back to the photo as taken (undo brings the edit back)."""
        self._last_key = None
        if not self.recipe.is_neutral:
            self.history.append(self.recipe)
            self.recipe = Recipe(seed=self.recipe.seed)
        # The status line must not keep saying what the last action did ("Loaded ... 2 stages changed").
        self._report("Reset: the photo is as taken. Undo brings the edit back.")

    # --- words and numbers --------------------------------------------------
    def summary(self, after: np.ndarray | None = None) -> list[str]:
        """What the edit changed: the recipe in words, then measurements on the preview."""
        lines = self.recipe.summary()
        if self.recipe.is_neutral or not self.has_landmarks:
            return lines
        after = self.after if after is None else after
        before = self.before
        if after.shape == before.shape:
            kept = skin_texture_kept(before, after, self.landmarks)
            # Sharpening can measure a little above 100 %; "keeps 101 %" reads as a mistake, so say "all".
            lines.append(f"Measured: the skin keeps {min(kept, 1.0):.0%} of its fine texture.")
            # Every 4th pixel measures a whole-frame mean as well, at a sixteenth of the cost.
            warm_before, warm_after = warm_cool_index(before[::4, ::4]), warm_cool_index(after[::4, ::4])
            lines.append(f"Measured: warm-cool index {warm_before:+.3f} → {warm_after:+.3f} "
                         "(lesson 00's measure: above 0 leans warm, below 0 cool).")
        return lines

    # --- files --------------------------------------------------------------
    def save(self, folder: str | Path = EXPORTS) -> Path | None:
        """Render the full-size photo and save it with its recipe sidecar into ``folder``; never overwrites.

        The sidecar is the one **Load edit** reads back. Returns the picture's path, or None.
        """
        paths = self.export(folder)
        return paths[0] if paths else None

    def export(self, folder: str | Path = EXPORTS) -> tuple[Path, Path] | None:
        """:meth:`save`, returning (picture, sidecar)."""
        if self.missing_landmarks:
            return super().save(folder)  # says what is missing
        folder = Path(folder)
        full, landmarks = self.full, self.full_landmarks  # the saved copy at full size, never the preview
        try:
            folder.mkdir(parents=True, exist_ok=True)
            paths = export_edit(full, landmarks, self.recipe, folder / f"{self.stem}-edit.jpg",
                                {"photo": self.upload_name if self.is_own else self.photo})  # fmt: skip
        except OSError as error:
            self._report(f"Couldn't save into {folder}: {error.strerror or error}. Nothing was changed.", True)
            return None
        height, width = full.shape[:2]
        self._report(f"Saved {paths[0]} ({width} x {height} px) and its settings {paths[1].name}. "
                     "Nothing was overwritten.")  # fmt: skip
        return paths

    def load(self, source, name: str = "") -> bool:
        """Load a sidecar's edit (a path, bytes or an upload entry); on a bad file keep the current edit."""
        try:
            recipe, origin = load_sidecar(source)
        except RecipeError as error:
            self._report(str(error), True)
            return False
        photo = origin.get("photo")
        if not isinstance(photo, str) or not (is_bundled(photo) or Path(photo) in saved_photos(Path(photo).parent)):
            self._report(f"{name or 'That file'} is an edit of a photo this panel doesn't have "
                         f"({html.escape(str(photo))!s}); open it with that photo.", True)  # fmt: skip
            return False
        note = ""
        if origin.get("sha256") and origin["sha256"] != pixel_fingerprint(load_photo(photo)[0]):
            note = " Careful: the photo's pixels differ from the ones it was made on, so the result may too."
        self.history.append(self.recipe)
        self._last_key = None
        with self.hold_trait_notifications():
            self.photo = photo
            self.recipe = recipe
        changed = len(recipe.settings)
        what = "no changes (the photo as taken)" if not changed else f"{changed} stage{'s' if changed > 1 else ''} changed"
        self._report(f"Loaded the edit from {name or 'the file'}: {what}.{note}")
        return True

    @traitlets.observe("recipe")
    def _moved_on(self, change) -> None:
        if self.failed:
            self._report("")


class EditingPanel(ToolFrame):
    """The full editing panel. Widgets are attributes for code and tests:
    ``portrait``, ``view``, ``undo``, ``reset``, ``export`` (the frame's Save),
    ``load``, ``image``, ``summary``, ``message``, and ``sliders[(stage, field)]``.
    """

    def __init__(self, model: EditModel | None = None):
        model = model or EditModel()
        self._syncing = False
        self.undo = widgets.Button(description="Undo", icon="undo", layout=widgets.Layout(width="80px"))
        self.undo.add_class("pl-undo")
        self.reset = widgets.Button(description="Reset", icon="refresh", layout=widgets.Layout(width="80px"))
        self.reset.add_class("pl-reset")
        self.load = UploadButton(accept=".json", description="Load edit", icon="folder-open",
                                 tooltip="Open an edit saved with Save full size (its .json file)",
                                 layout=widgets.Layout(width="auto"))  # fmt: skip
        self.load.add_class("pl-load")
        self.sliders: dict[tuple[str, str], widgets.Widget] = {}
        self.model = model
        self.groups = groups = self._build_groups()
        self.undo.on_click(lambda _: self.model.undo())
        self.reset.on_click(lambda _: self.model.reset())
        self.load.observe(self._on_load, "value")
        model.observe(self._on_recipe, "recipe")
        # The film group holds 25 sliders: they scroll inside this box, so the summary and the status line
        # below stay on a 1366 x 768 screen whichever group is open (an Accordion's own max-height lets them spill).
        scroller = widgets.Box([groups], layout=widgets.Layout(display="block", max_height="430px",
                                                                overflow="hidden auto"))  # fmt: skip (x, y)
        scroller.add_class("pl-groups-scroller")
        super().__init__(model, [scroller], css="pl-editing-panel", view="After", side_width="390px",
                         extra_buttons=[self.undo, self.reset, self.load])  # fmt: skip
        self.export = self.save
        self.summary = self.readout
        self.summary.add_class("pl-summary")

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        changed = ", ".join(self.model.recipe.settings) or "none"
        return f"EditingPanel(photo={self.model.photo!r}, view={self.view.value!r}, changed stages: {changed})"

    def _build_groups(self) -> widgets.Accordion:
        by_group: dict[str, list] = {group: [] for group in GROUPS}
        for stage in stages():
            rows = [widgets.HTML(f"<b>{html.escape(stage.title)}</b>")]
            settings = self.model.recipe.get(stage.name)
            section = ""
            for c in stage.sliders:
                if c.section and c.section != section:
                    section = c.section
                    rows.append(widgets.HTML(f"<i>{html.escape(section)}</i>"))
                widget = _widget_for(c, getattr(settings, c.name))
                widget.add_class(f"pl-{stage.name}-{c.name}".replace("_", "-"))
                widget.observe(self._slider_moved(stage.name, c), "value")
                self.sliders[(stage.name, c.name)] = widget
                rows.append(widget)
            by_group[stage.group].extend(rows)
        present = [g for g in GROUPS if by_group[g]]
        return grouped({g: by_group[g] for g in present})

    def _slider_moved(self, stage: str, c):
        def moved(change):
            if not self._syncing:
                self.model.set_value(stage, c.name, from_widget(c, change["new"]))

        return moved

    def _on_recipe(self, change) -> None:
        # Undo, reset and loading change the recipe behind the sliders' back: bring them in line.
        self._syncing = True
        try:
            for (stage, name), widget in self.sliders.items():
                value = getattr(self.model.recipe.get(stage), name)
                c = next(c for c in _stage(stage).sliders if c.name == name)
                shown = value * c.scale if c.kind in ("float", "int") else value
                if widget.value != shown:
                    widget.value = shown
        finally:
            self._syncing = False
        self._show_after()

    def refresh_photos(self) -> None:
        """List the photos saved since the panel was made (lessons 01 and 02 save them)."""
        self.relist()

    def _on_load(self, change) -> None:
        if change["new"]:
            entry = change["new"][0]
            self.model.load(entry, entry.get("name", ""))
            # Empty the button again, or choosing the same file a second time (after Reset) changes nothing.
            self.load.value = ()

    def describe(self, before, after) -> str:
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.model.summary(after))
        return f"<b>What this edit changed</b><ul style='margin:2px 0;padding-left:18px'>{items}</ul>"


def _stage(name: str):
    return next(s for s in stages() if s.name == name)


def _widget_for(c, value) -> widgets.Widget:
    """A slider, checkbox or menu for one control, showing ``value``."""
    style = {"description_width": "150px"}  # the longest label, "Subject: edge softness", is 148 px
    layout = widgets.Layout(width="350px")
    unit = f" ({c.unit})" if c.unit else ""
    tooltip = f"{c.label}{unit}: {c.help}" if c.help else f"{c.label}{unit}"
    if c.kind == "bool":
        return widgets.Checkbox(value=bool(value), description=c.label, tooltip=tooltip, indent=False)
    if c.kind == "choice":
        return widgets.Dropdown(options=list(c.choices), value=value, description=c.label, style=style,
                                layout=layout)  # fmt: skip
    decimals = 0 if c.step * c.scale >= 1 else 2 if c.step * c.scale < 0.1 else 1
    return widgets.FloatSlider(value=value * c.scale, min=c.low * c.scale, max=c.high * c.scale,
                               step=c.step * c.scale, description=c.label, tooltip=tooltip,
                               readout_format=f"{'+' if c.low < 0 else ''}{',' if c.high * c.scale >= 1000 else ''}"
                                              f".{decimals}f",  # "6,650" as the summary writes it
                               continuous_update=True, style=style,
                               layout=layout)  # fmt: skip


def from_widget(c, shown):
    """A control's value from its widget's: unscaled, on the slider's step grid, or the default within half a step.

    A browser slider draws its handle and readout on its step grid; a default off
    that grid (6504 K on a 50 K grid from 3000 K) must not come back as a change nobody
    made, and a value stepped from it (6654 K) must not be kept while the slider
    shows 6650: the value is put on the grid, so the summary says what the slider says.

    Examples
    --------
    >>> from portrait_lessons.editing.recipe import stages
    >>> look = next(s for s in stages() if s.name == "look")
    >>> c = next(c for c in look.sliders if c.name == "temperature")
    >>> from_widget(c, 6500.0) == c.default, from_widget(c, 6550.0), from_widget(c, 6654.0)
    (True, 6550, 6650)
    """
    if c.kind not in ("float", "int"):
        return shown
    value = shown / c.scale
    if abs(value - c.default) <= c.step / 2 + 1e-9:
        return c.default
    value = min(max(c.low + round((value - c.low) / c.step) * c.step, c.low), c.high)
    return round(value, 6) if c.kind == "float" else int(round(value))


def editing_panel(photo: str = "koch", recipe: Recipe | None = None, folder: str | Path = MY_PHOTOS) -> EditingPanel:
    """Build lesson 08's editing panel (it is returned, not displayed).

    Examples
    --------
    >>> panel = editing_panel("glover")
    >>> panel.sliders[("depth", "blur")].value = 60
    >>> panel.model.recipe.get("depth").blur
    0.6
    """
    return EditingPanel(EditModel(photo=photo, recipe=recipe or Recipe(), folder=str(folder)))
