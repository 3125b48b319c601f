"""Check a workshop machine: are the workbook's parts installed and working?

Run ``python -m portrait_lessons.install_check`` or call :func:`install_check`
in a notebook. Each line says what was checked; a problem says what to do.
"""

from __future__ import annotations

import importlib
from importlib import metadata

REQUIRED = {
    "jupyterlab": "4",
    "ipywidgets": "8",
    "matplotlib": "3",
    "PIL": "11",
    "numpy": "1",
    "pillow_heif": "1",
}
_DISTRIBUTIONS = {"PIL": "pillow", "pillow_heif": "pillow-heif"}


def install_check() -> list[str]:
    """Return one line per check, starting with "ok" or "problem".

    Examples
    --------
    >>> all(line.startswith("ok") for line in install_check())
    True
    """
    lines = []
    for module, major in REQUIRED.items():
        name = _DISTRIBUTIONS.get(module, module)
        try:
            importlib.import_module(module)
            version = metadata.version(name)
        except (ImportError, metadata.PackageNotFoundError):
            lines.append(f"problem: {name} is missing; run `make lab` again, or `pip install -e .` in this folder")
            continue
        if int(version.split(".")[0]) < int(major):
            lines.append(f"problem: {name} {version} is too old (need {major} or newer); run `make lab` again")
        else:
            lines.append(f"ok: {name} {version}")
    from . import examples

    topics = ("face", "colour", "retouch", "editing", "figures", "prompts", "checks", "ui")
    try:
        for topic in topics:
            importlib.import_module(f"{__package__}.{topic}")
        lines.append(f"ok: the lesson packages load ({', '.join(topics)})")
    except Exception as error:  # a broken or half-updated install shows here, not mid-lesson
        lines.append(f"problem: the lesson package {topic} does not load ({error}); run `make lab` again")
    from .face import detect

    if detect.available():  # optional (the faces extra): without it the points are placed by hand
        lines.append(f"ok: the face finder (mediapipe {metadata.version('mediapipe')}) places the points on your own photo")
    else:
        lines.append(
            "ok: no face finder (it is optional): on your own photo you place the points by hand; "
            "`pip install -e '.[faces]'` in this folder adds it"
        )
    try:
        examples.load_portrait(examples.names()[0], 64)
        lines.append(f"ok: {len(examples.names())} bundled portraits found")
    except Exception as error:  # any failure here means the images folder is broken
        lines.append(f"problem: the bundled portraits could not be read ({error}); is the images/ folder there?")
    return lines


if __name__ == "__main__":
    print("\n".join(install_check()))
