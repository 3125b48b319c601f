"""A library of named prompts saved as JSON files, built so that no saved prompt is ever lost.

Each prompt is one small JSON file in a folder (``prompt_library`` by
default), readable by people and by any program. The rules:

- Writes are atomic: the file is written to a temporary name, flushed to
  disk, then moved into place, so a crash leaves the old file or the new one,
  never half of one.
- Saving under a name that exists is refused unless ``overwrite=True``; even
  then the previous version is first kept in ``history/`` beside it.
- Loading validates the file and explains any problem in plain words; a bad
  file is never changed, repaired or deleted.
"""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from .model import PromptSpec, resolve

FORMAT = "portrait-lessons/prompt"
VERSION = 1
MAX_FILE_BYTES = 1_000_000
MAX_NAME_CHARS = 80


class PromptLibraryError(ValueError):
    """A prompt could not be saved or loaded; the message says why and what to do."""


def slug(name: str) -> str:
    """The file stem for a prompt name: lower case, letters and digits joined by hyphens.

    Examples
    --------
    >>> slug("Founder: trust, v2!")
    'founder-trust-v2'
    """
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def _check_name(name) -> str:
    if not isinstance(name, str) or not name.strip():
        raise PromptLibraryError("Give the prompt a name, such as 'founder trust'.")
    name = " ".join(name.split())
    if len(name) > MAX_NAME_CHARS:
        raise PromptLibraryError(f"That name is {len(name)} characters; keep it under {MAX_NAME_CHARS}.")
    if not slug(name):
        raise PromptLibraryError(f"The name {name!r} needs at least one letter or digit (a-z, 0-9).")
    return name


def _write_atomic(path: Path, text: str, replace_existing: bool) -> None:
    """Write ``text`` to ``path`` through a temporary file; never clobber unless asked."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        if replace_existing:
            os.replace(temporary, path)
            return
        try:
            os.link(temporary, path)  # atomic, and fails if the name appeared meanwhile
        except FileExistsError:
            raise
        except OSError as error:  # file systems without hard links
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV):
                raise
            if path.exists():
                raise FileExistsError(errno.EEXIST, "exists", str(path)) from None
            os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def read_prompt_file(path: str | Path) -> tuple[str, PromptSpec]:
    """Read and validate one saved prompt; returns ``(name, spec)``. The file is only read.

    Raises :class:`PromptLibraryError` with a plain-words reason for anything
    wrong: missing, too large, not UTF-8, not JSON, not a prompt file, from a
    newer workbook, or holding a field with the wrong kind of value.
    """
    path = Path(path)
    untouched = "The file was left as it is."
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        raise PromptLibraryError(f"There is no file {path.name} in {path.parent}.") from None
    if size > MAX_FILE_BYTES:
        raise PromptLibraryError(f"{path.name} is {size:,} bytes, far too large for a saved prompt. {untouched}")
    try:
        data = json.loads(path.read_bytes().decode("utf-8"))
    except UnicodeDecodeError:
        raise PromptLibraryError(f"{path.name} is not a text file (it is not UTF-8). {untouched}") from None
    except json.JSONDecodeError as error:
        raise PromptLibraryError(
            f"{path.name} is not valid JSON (line {error.lineno}, column {error.colno}: {error.msg}). {untouched}"
        ) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise PromptLibraryError(f"{path.name} is JSON, but not a saved prompt from this workbook. {untouched}")
    if data.get("version") != VERSION:
        raise PromptLibraryError(
            f"{path.name} is format version {data.get('version')!r}; this workbook reads version {VERSION}. "
            f"Update the workbook to open it. {untouched}"
        )
    name = data.get("name")
    if not isinstance(name, str) or not slug(name):
        raise PromptLibraryError(f"{path.name} has no usable name. {untouched}")
    try:
        spec = PromptSpec.from_dict(data.get("spec"))
    except (TypeError, ValueError) as error:
        reason = str(error).rstrip(".")
        raise PromptLibraryError(f"{path.name} holds a prompt that doesn't check out: {reason}. {untouched}") from None
    return name, spec


class PromptLibrary:
    """Named prompts in a folder of JSON files; see the module's rules.

    Examples
    --------
    >>> import tempfile
    >>> library = PromptLibrary(tempfile.mkdtemp())
    >>> _ = library.save("founder trust", PromptSpec(identity="a founder"))
    >>> library.load("Founder Trust").identity
    'a founder'
    >>> library.save("founder trust", PromptSpec(identity="a CEO"))
    Traceback (most recent call last):
    ...
    portrait_lessons.prompts.library.PromptLibraryError: A prompt called 'founder trust' is already saved. Choose another name, or save with overwrite=True (the old version is then kept in history/).
    """

    def __init__(self, folder: str | Path = "prompt_library"):
        self.folder = Path(folder)

    def __repr__(self) -> str:
        return f"PromptLibrary({self.folder.name!r}, {len(self.names())} prompts)"

    def path(self, name: str) -> Path:
        """Where the prompt called ``name`` is (or would be) stored."""
        return self.folder / f"{slug(_check_name(name))}.json"

    def names(self) -> list[str]:
        """The names of the prompts saved here, sorted; files that don't load are skipped."""
        found = []
        for path in sorted(self.folder.glob("*.json")) if self.folder.is_dir() else []:
            try:
                found.append(read_prompt_file(path)[0])
            except PromptLibraryError:
                continue
        return sorted(found, key=str.casefold)

    def save(self, name: str, spec: PromptSpec, overwrite: bool = False) -> Path:
        """Save ``spec`` as ``name``; returns the file written.

        A name already in use is refused unless ``overwrite=True``, and then
        the old version is kept in ``history/`` first. Names that differ only in
        case or punctuation count as the same name.
        """
        name = _check_name(name)
        if not isinstance(spec, PromptSpec):
            raise PromptLibraryError(f"Only a PromptSpec can be saved, not {type(spec).__name__}.")
        record = {"format": FORMAT, "version": VERSION, "name": name,
                  "saved": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                  "resolved_text": resolve(spec), "spec": spec.to_dict()}  # fmt: skip
        text = json.dumps(record, indent=2, ensure_ascii=False) + "\n"
        path = self.path(name)
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if path.exists():
                if not overwrite:
                    raise PromptLibraryError(self._exists_message(path, name))
                self._keep_history(path)
                _write_atomic(path, text, replace_existing=True)
            else:
                _write_atomic(path, text, replace_existing=False)
        except FileExistsError:
            raise PromptLibraryError(self._exists_message(path, name)) from None
        except OSError as error:
            raise PromptLibraryError(f"Couldn't save into {self.folder}: {error.strerror or error}. "
                                     "Nothing was changed.") from None  # fmt: skip
        return path

    def load(self, name: str) -> PromptSpec:
        """The prompt saved as ``name``; a missing or bad file gives a clear error and stays untouched."""
        path = self.path(name)
        if not path.exists():
            saved = ", ".join(repr(n) for n in self.names()) or "none yet"
            raise PromptLibraryError(f"No prompt called {name!r} in {self.folder}. Saved prompts: {saved}.")
        return read_prompt_file(path)[1]

    def history(self, name: str) -> list[Path]:
        """Earlier versions of ``name`` kept by overwrites, oldest first."""
        stem = slug(_check_name(name))
        return sorted((self.folder / "history").glob(f"{stem}.*.json"), key=lambda p: int(p.suffixes[-2][1:]))

    def _keep_history(self, path: Path) -> None:
        history = self.folder / "history"
        history.mkdir(exist_ok=True)
        number = len(self.history(path.stem)) + 1
        while (history / f"{path.stem}.{number}.json").exists():
            number += 1
        try:
            os.link(path, history / f"{path.stem}.{number}.json")
        except OSError:
            shutil.copy2(path, history / f"{path.stem}.{number}.json")

    def _exists_message(self, path: Path, name: str) -> str:
        try:
            stored = read_prompt_file(path)[0]
        except PromptLibraryError:
            stored = name
        return (f"A prompt called {stored!r} is already saved. Choose another name, or save with "
                "overwrite=True (the old version is then kept in history/).")  # fmt: skip
