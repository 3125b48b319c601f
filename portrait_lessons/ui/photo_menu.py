"""The photo menu shared by the texture tool and the editing panel.

It lists the bundled portraits, then the photos the learner saved with their
landmarks in lessons 01 and 02, and keeps itself in step with ``model.photo``.
Its upload button takes a new photo: when the face is found with every point
confident, a copy with the points is saved and chosen at once.
"""

from __future__ import annotations

import html

import ipywidgets as widgets

from ..photos import photo_choices, photo_stem, save_upload


class PhotoMenu:
    """A "Portrait" dropdown and a refresh button, linked to ``model.photo``.

    ``model`` is any traitlets object with a ``photo`` key and the ``folder``
    that saved photos live in.

    Examples
    --------
    >>> import traitlets
    >>> class Model(traitlets.HasTraits):
    ...     photo = traitlets.Unicode("koch")
    ...     folder = traitlets.Unicode("no-such-folder")
    >>> model = Model()
    >>> menu = PhotoMenu(model)
    >>> menu.dropdown.value = "glover"
    >>> model.photo
    'glover'
    """

    def __init__(self, model):
        self.model = model
        self._listing = False
        self.dropdown = widgets.Dropdown(options=photo_choices(model.folder), value=model.photo, description="Portrait")
        self.refresh = widgets.Button(icon="refresh", tooltip=f"Look again for photos you saved in {model.folder}/",
                                      layout=widgets.Layout(width="36px"))  # fmt: skip
        self.refresh.add_class("pl-refresh-photos")
        self.refresh.on_click(lambda _: self.relist())
        self.dropdown.observe(self._on_pick, "value")
        self.upload = widgets.FileUpload(accept="image/*,.heic,.heif,.avif,.webp", multiple=False,
                                         description="Upload a photo", layout=widgets.Layout(width="170px"))  # fmt: skip
        self.upload.add_class("pl-menu-upload")
        self.upload.observe(self._on_upload, "value")
        self.message = widgets.HTML()
        self.message.add_class("pl-menu-message")

    def take_upload(self, source, name: str = "") -> bool:
        """Use an uploaded photo if its face is found; say what happened either way."""
        self.message.value = '<span style="color:#444">&#8987; Looking for the face in your photo…</span>'
        key, words = save_upload(source, name, self.model.folder)
        colour = "#2e6b2e" if key else "#a40000"
        self.message.value = f'<span style="color:{colour}">{html.escape(words)}</span>'
        if key:
            self.relist()
            self.model.photo = key
            self.show_current()
        return key is not None

    def relist(self) -> None:
        """List the photos saved since the menu was made, keeping the current choice."""
        choices = photo_choices(self.model.folder)
        if self.model.photo not in [key for _, key in choices]:
            choices.append((photo_stem(self.model.photo), self.model.photo))
        if [tuple(option) for option in self.dropdown.options] != choices:
            self._listing = True  # a new list resets the menu's value: not a pick of the learner's
            try:
                self.dropdown.options = choices
                self.dropdown.value = self.model.photo
            finally:
                self._listing = False

    def show_current(self) -> None:
        """Select ``model.photo`` in the menu, listing it first if it is new."""
        if self.model.photo not in [key for _, key in self.dropdown.options]:
            self.relist()
        self.dropdown.value = self.model.photo

    def _on_upload(self, change) -> None:
        if change["new"]:
            self.take_upload(change["new"], change["new"][0].get("name", ""))

    def _on_pick(self, change) -> None:
        if not self._listing and change["new"] is not None:
            self.model.photo = change["new"]
