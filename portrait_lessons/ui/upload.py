"""A file button that reads as its label: "Upload your photo", not "Your photo (0)".

ipywidgets' ``FileUpload`` writes the number of files it holds after its label
("Your photo (0)"), a counter that means nothing to a learner, and it ignores the
same file chosen twice (its value does not change). :class:`UploadButton` is a
small `anywidget <https://anywidget.dev>`_ button with the same ``value`` (a tuple
of dicts with ``name``, ``type``, ``size``, ``last_modified`` and ``content``), so
the code that reads an upload is unchanged. Every file chosen in the browser
arrives as a new value, the same file again included. The frame of every tool,
the landmark picker (lessons 01 and 02) and lesson 08's *Load edit* use it.
"""

from __future__ import annotations

import anywidget
import traitlets

__all__ = ["UPLOAD_ACCEPT", "UPLOAD_LABEL", "UPLOAD_TIP", "UploadButton"]

#: The words on every photo upload button (tool frames and the landmark picker).
UPLOAD_LABEL = "Upload your photo"
#: The photo files offered in the dialog (what ``images.load_image`` reads).
UPLOAD_ACCEPT = "image/*,.heic,.heif,.avif,.webp"
UPLOAD_TIP = "Choose a photo from your computer (JPEG, PNG, HEIC...): the tool opens it as it is, never changing the file"

_ESM = """
function render({ model, el }) {
  const button = document.createElement("button");
  button.className = "jupyter-widgets jupyter-button widget-button pl-upload-button";
  const input = document.createElement("input");
  input.type = "file";
  input.style.display = "none";
  el.append(button, input);

  function draw() {
    button.textContent = "";
    const icon = model.get("icon");
    if (icon) {
      const i = document.createElement("i");
      i.className = `fa fa-${icon}`;
      button.appendChild(i);
    }
    button.appendChild(document.createTextNode(model.get("description")));
    button.title = model.get("tooltip") || "";
    button.disabled = model.get("disabled");
    input.accept = model.get("accept");
    input.multiple = model.get("multiple");
  }

  // An emptied input sends a change event even for the file chosen last time.
  button.addEventListener("click", () => { input.value = ""; input.click(); });
  input.addEventListener("change", async () => {
    const files = Array.from(input.files || []);
    if (!files.length) return;
    const buffers = await Promise.all(files.map((f) => f.arrayBuffer()));
    const meta = files.map((f) => ({ name: f.name, type: f.type, size: f.size, last_modified: f.lastModified }));
    model.send({ kind: "files", files: meta }, undefined, buffers);
  });
  for (const key of ["description", "icon", "tooltip", "disabled", "accept", "multiple"]) {
    model.on(`change:${key}`, draw);
  }
  draw();
}

export default { render };
"""

_CSS = """
.pl-upload-button { width: 100%; white-space: nowrap; }
.pl-upload-button i.fa { margin-right: 4px; }
"""


class UploadButton(anywidget.AnyWidget):
    """A button that opens the file dialog and hands the chosen files to Python.

    Parameters (traits, synced with the browser unless said)
    ---------------------------------------------------------
    description : str
        The button's words, shown as they are.
    accept : str
        File types offered in the dialog, as for ``<input type="file">``.
    multiple : bool
        Whether several files can be chosen at once.
    icon : str
        A Font Awesome icon name shown before the words.
    tooltip : str
        Shown when the pointer rests on the button.
    disabled : bool
        Greys the button out.
    value : tuple of dict
        Not synced: the files chosen last, as ipywidgets' ``FileUpload`` holds them
        (``name``, ``type``, ``size``, ``last_modified``, ``content`` as a memoryview).
        Each choice in the browser sets a new value, so observers of ``value`` hear of
        the same file chosen twice; set ``value = ()`` after handling a file.

    Examples
    --------
    >>> button = UploadButton(description="Upload your photo", accept="image/*")
    >>> seen = []
    >>> button.observe(lambda change: seen.append(change["new"][0]["name"] if change["new"] else None), "value")
    >>> button.receive([{"name": "me.jpg"}], [b"..."])
    >>> button.receive([{"name": "me.jpg"}], [b"..."])  # the same file again still arrives
    >>> seen
    ['me.jpg', None, 'me.jpg']
    >>> bytes(button.value[0]["content"])
    b'...'
    """

    _esm = _ESM
    _css = _CSS
    description = traitlets.Unicode("Upload").tag(sync=True)
    accept = traitlets.Unicode("").tag(sync=True)
    multiple = traitlets.Bool(False).tag(sync=True)
    icon = traitlets.Unicode("upload").tag(sync=True)
    tooltip = traitlets.Unicode("").tag(sync=True)
    disabled = traitlets.Bool(False).tag(sync=True)
    value = traitlets.Tuple()

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.add_class("pl-upload-widget")
        self.on_msg(self._on_message)

    def receive(self, files: list[dict], buffers: list) -> None:
        """Take files as the browser sends them: one dict of facts and one buffer per file."""
        entries = tuple({"name": str(meta.get("name", "")), "type": str(meta.get("type", "")),
                         "size": int(meta.get("size", len(buffer))), "last_modified": meta.get("last_modified"),
                         "content": memoryview(buffer)} for meta, buffer in zip(files, buffers))  # fmt: skip
        if not entries:
            return
        if self.value:
            self.value = ()  # a second choice of the same file must still be news to observers
        self.value = entries

    def _on_message(self, _widget, content, buffers) -> None:
        if isinstance(content, dict) and content.get("kind") == "files":
            self.receive(list(content.get("files") or []), list(buffers or []))

    def __repr__(self) -> str:  # short and stable: notebooks store it as text/plain
        return f"UploadButton({self.description!r})"
