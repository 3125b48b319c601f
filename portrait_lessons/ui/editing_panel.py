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

from ..colour.white_balance import warm_cool_index
from ..editing.recipe import (
    GROUPS,
    Recipe,
    RecipeError,
    RenderCache,
    export_edit,
    load_sidecar,
    pixel_fingerprint,
    stages,
)
from ..images import to_jpeg
from ..face.fit import saved_photos
from ..photos import MY_PHOTOS, is_bundled, load_photo, photo_stem
from .photo_menu import PhotoMenu
from ..retouch.texture import skin_report
from .status import Reporting

#: Long edge of the preview the panel renders while sliders move.
PREVIEW_EDGE = 1024
VIEWS = ("Before", "After", "Split")


class EditModel(Reporting):
    """The panel's state: photo, recipe, undo history, what to show; renders and exports.

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

    photo = traitlets.Unicode("koch")
    #: Where the learner's own photos with landmarks are saved (lessons 01 and 02).
    folder = traitlets.Unicode(MY_PHOTOS)
    recipe = traitlets.Instance(Recipe, args=())
    view = traitlets.Enum(VIEWS, default_value="After")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.history: list[Recipe] = []
        self._last_key: tuple[str, str] | None = None
        self._cache: RenderCache | None = None

    # --- pictures ---------------------------------------------------------
    @property
    def before(self) -> np.ndarray:
        """The photo at preview size, unedited."""
        return load_photo(self.photo, PREVIEW_EDGE)[0]

    @property
    def landmarks(self):
        return load_photo(self.photo, PREVIEW_EDGE)[1]

    @property
    def after(self) -> np.ndarray:
        """The preview with the recipe applied (only changed stages are recomputed)."""
        if self._cache is None or self._cache.image is not self.before:
            self._cache = RenderCache(self.before, self.landmarks)
        return self._cache.render(self.recipe)

    def shown(self, after: np.ndarray | None = None) -> np.ndarray:
        """What the viewer shows: before, after, or before on the left half and after on the right."""
        after = self.after if after is None else after
        if self.view == "Before":
            return self.before
        if self.view == "After":
            return after
        return split_view(self.before, after)

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

    # --- words and numbers --------------------------------------------------
    def summary(self, after: np.ndarray | None = None) -> list[str]:
        """What the edit changed: the recipe in words, then measurements on the preview."""
        lines = self.recipe.summary()
        if self.recipe.is_neutral:
            return lines
        after = self.after if after is None else after
        before = self.before
        if after.shape == before.shape:
            report = skin_report(before, after, self.landmarks)
            lines.append(f"Measured: the skin keeps {report.texture_kept:.0%} of its fine texture.")
            # Every 4th pixel measures a whole-frame mean as well, at a sixteenth of the cost.
            warm_before, warm_after = warm_cool_index(before[::4, ::4]), warm_cool_index(after[::4, ::4])
            lines.append(f"Measured: warm-cool index {warm_before:+.3f} → {warm_after:+.3f} "
                         "(lesson 00's measure: above 0 leans warm, below 0 cool).")
        return lines

    # --- files --------------------------------------------------------------
    def export(self, folder: str | Path = "exports") -> tuple[Path, Path] | None:
        """Render the full-size photo and save it with its JSON sidecar into ``folder``; never overwrites."""
        folder = Path(folder)
        full, landmarks = load_photo(self.photo)  # the saved copy at full size, never the preview
        try:
            folder.mkdir(parents=True, exist_ok=True)
            paths = export_edit(full, landmarks, self.recipe, folder / f"{photo_stem(self.photo)}-edit.jpg",
                                {"photo": self.photo})  # fmt: skip
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
        self._report(f"Loaded the edit from {name or 'the file'}: {len(recipe.settings)} stage(s) changed.{note}")
        return True

    @traitlets.observe("photo", "recipe")
    def _forget_failure(self, change) -> None:
        if self.failed:
            self._report("")


def split_view(before: np.ndarray, after: np.ndarray) -> np.ndarray:
    """Before on the left half, after on the right, with a thin light line between.

    Examples
    --------
    >>> split_view(np.zeros((4, 8, 3), np.uint8), np.full((4, 8, 3), 200, np.uint8))[0, :, 0].tolist()
    [0, 0, 0, 240, 240, 200, 200, 200]
    """
    out = after.copy()
    middle = after.shape[1] // 2
    out[:, :middle] = before[:, :middle]
    line = max(1, after.shape[1] // 400)
    out[:, middle - line : middle + line] = 240
    return out


class EditingPanel(widgets.VBox):
    """The full editing panel. Widgets are attributes for code and tests:
    ``portrait``, ``view``, ``undo``, ``reset``, ``export``, ``load``, ``image``,
    ``summary``, ``message``, and ``sliders[(stage, field)]``.
    """

    def __init__(self, model: EditModel | None = None):
        self.model = model or EditModel()
        self._syncing = False
        self.menu = PhotoMenu(self.model)
        self.portrait, self.refresh = self.menu.dropdown, self.menu.refresh
        self.view = widgets.ToggleButtons(options=VIEWS, value=self.model.view, style={"button_width": "70px"},
                                          tooltips=["The photo as taken", "Your edit", ("Left half as taken, "
                                                    "right half edited")])  # fmt: skip
        self.view.add_class("pl-compare")
        self.undo = widgets.Button(description="Undo", icon="undo", layout=widgets.Layout(width="80px"))
        self.undo.add_class("pl-undo")
        self.reset = widgets.Button(description="Reset", icon="refresh", layout=widgets.Layout(width="80px"))
        self.reset.add_class("pl-reset")
        self.export = widgets.Button(description="Export full size", icon="download",
                                     tooltip="Save the edit at full resolution, with its settings, into exports/")
        self.export.add_class("pl-export")
        self.load = widgets.FileUpload(accept=".json", multiple=False, description="Load edit")
        self.load.add_class("pl-load")
        self.image = widgets.Image(format="jpeg", layout=widgets.Layout(width="100%"))
        self.image.add_class("pl-panel-image")
        self.summary = widgets.HTML()
        self.summary.add_class("pl-summary")
        self.message = widgets.HTML()
        self.message.add_class("pl-message")
        self.sliders: dict[tuple[str, str], widgets.Widget] = {}

        groups = self._build_groups()
        traitlets.link((self.view, "value"), (self.model, "view"))
        self.undo.on_click(lambda _: self.model.undo())
        self.reset.on_click(lambda _: self.model.reset())
        self.export.on_click(lambda _: self.model.export())
        self.load.observe(self._on_load, "value")
        self.model.observe(self._on_recipe, "recipe")
        self.model.observe(self._on_photo, "photo")
        self.model.observe(lambda _: self._show(), "view")
        self.model.observe(self._show_status, "status")

        controls = widgets.VBox([groups], layout=widgets.Layout(width="390px", min_width="390px"))
        picture = widgets.VBox([self.image, self.summary], layout=widgets.Layout(flex="1 1 auto"))
        super().__init__(
            [
                widgets.HBox([self.portrait, self.refresh, self.menu.upload, self.view, self.undo, self.reset]),
                widgets.HBox([self.export, self.load]),
                widgets.HBox([controls, picture]),
                self.message,
                self.menu.message,
            ],
            layout=widgets.Layout(max_width="1100px"),
        )
        self.add_class("pl-editing-panel")
        self._show()

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        changed = ", ".join(self.model.recipe.settings) or "none"
        return f"EditingPanel(photo={self.model.photo!r}, view={self.model.view!r}, changed stages: {changed})"

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
        accordion = widgets.Accordion([widgets.VBox(by_group[g]) for g in present], titles=present)
        accordion.selected_index = 0
        accordion.add_class("pl-groups")
        return accordion

    def _slider_moved(self, stage: str, c):
        def moved(change):
            if not self._syncing:
                value = change["new"] / c.scale if c.kind in ("float", "int") else change["new"]
                self.model.set_value(stage, c.name, round(value, 6) if c.kind == "float" else value)

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
        self._show()

    def refresh_photos(self) -> None:
        """List the photos saved since the panel was made (lessons 01 and 02 save them)."""
        self.menu.relist()

    def _on_photo(self, change) -> None:
        self.menu.show_current()
        self._show()

    def _on_load(self, change) -> None:
        if change["new"]:
            entry = change["new"][0]
            self.model.load(entry, entry.get("name", ""))

    def _show(self) -> None:
        after = self.model.after
        self.image.value = to_jpeg(self.model.shown(after), quality=88)
        items = "".join(f"<li>{html.escape(line)}</li>" for line in self.model.summary(after))
        self.summary.value = f"<b>What this edit changed</b><ul style='margin:2px 0'>{items}</ul>"

    def _show_status(self, change) -> None:
        colour = "#a40000" if self.model.failed else "#2e6b2e"
        self.message.value = f'<span style="color:{colour}">{html.escape(change["new"])}</span>'


def _stage(name: str):
    return next(s for s in stages() if s.name == name)


def _widget_for(c, value) -> widgets.Widget:
    """A slider, checkbox or menu for one control, showing ``value``."""
    style = {"description_width": "130px"}
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
                               readout_format=f"{'+' if c.low < 0 else ''}.{decimals}f", continuous_update=True, style=style,
                               layout=layout)  # fmt: skip


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
