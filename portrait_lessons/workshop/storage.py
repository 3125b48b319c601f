"""Where a study's answers live: one small JSON file per attendee, written once.

Thirty attendees finishing at the same moment into one shared folder is where
a single shared file (a spreadsheet, a database, lines appended to one file)
goes wrong, above all on network folders, where locks and appends are not
reliable. Here no two writers ever touch the same file:

- each attendee's answers go to a file named after their random participant
  code;
- the file is written under a hidden temporary name in the same folder,
  flushed to disk, and then given its real name with ``os.link``, which is
  atomic and fails if the name exists. A reader (the facilitator's merge)
  therefore sees a whole file or none, and nothing is ever overwritten;
- where a filesystem has no hard links, the name is claimed with an
  exclusive create (``O_EXCL``) instead.

An attendee's unfinished run is kept as a *draft* in their own folder
(replaced at each answer with ``os.replace``, also atomic), so an interrupted
study resumes where it stopped.

Examples
--------
>>> import tempfile
>>> from pathlib import Path
>>> with tempfile.TemporaryDirectory() as folder:
...     path = write_once(Path(folder) / "answers.json", {"participant": "p-1"})
...     again = None
...     try:
...         write_once(path, {"participant": "p-1"})
...     except AnswersExistError as error:
...         again = str(error)
...     print(path.name, "|", again.split(":")[0])
answers.json | These answers were already handed in
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import secrets
from pathlib import Path
from typing import Any

_NO_HARD_LINKS = {errno.EPERM, errno.EXDEV, errno.EMLINK, errno.ENOSYS,
                  getattr(errno, "ENOTSUP", -1), getattr(errno, "EOPNOTSUPP", -1)}  # fmt: skip


class AnswersExistError(FileExistsError):
    """The answers file already exists: it is never replaced."""


def write_once(path: str | os.PathLike, data: Any) -> Path:
    """Write ``data`` as JSON to ``path`` atomically; refuse if ``path`` exists.

    Raises
    ------
    AnswersExistError
        If a file of that name is already there (it is left untouched).
    FileNotFoundError
        If the folder does not exist.
    """
    path = Path(path)
    if not path.parent.is_dir():
        raise FileNotFoundError(
            f"The answers folder '{path.parent}' does not exist. Ask the facilitator which folder to use, "
            "or create it first."
        )
    temporary = _write_temporary(path, data)
    try:
        try:
            os.link(temporary, path)  # atomic, and fails if the name is taken
        except FileExistsError:
            raise _exists(path) from None
        except (OSError, AttributeError) as exc:
            if isinstance(exc, OSError) and exc.errno not in _NO_HARD_LINKS:
                raise
            _claim_and_replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    _fsync_folder(path.parent)
    return path


def replace_draft(path: str | os.PathLike, data: Any) -> Path:
    """Write an attendee's own draft atomically, replacing the previous draft."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = _write_temporary(path, data)
    try:
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)
    return path


def read_json(path: str | os.PathLike) -> Any:
    """Read a JSON file (drafts and answers)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _write_temporary(path: Path, data: Any) -> Path:
    text = json.dumps(data, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    # Hidden, random, in the same folder (a link or rename cannot cross folders' filesystems).
    temporary = path.parent / f".{path.stem[:40]}.{secrets.token_hex(6)}.tmp"
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    with os.fdopen(os.open(temporary, flags, 0o666), "w", encoding="utf-8") as stream:
        stream.write(text)
        stream.flush()
        os.fsync(stream.fileno())
    return temporary


def _claim_and_replace(temporary: Path, path: Path) -> None:
    """No hard links here: claim the name with an exclusive create, then rename onto the empty claim."""
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    except FileExistsError:
        raise _exists(path) from None
    os.replace(temporary, path)


def _exists(path: Path) -> AnswersExistError:
    return AnswersExistError(
        f"These answers were already handed in: {path.name} exists and is never replaced. "
        "Nothing more to do; if you want to take part again, start a new run."
    )


def _fsync_folder(folder: Path) -> None:
    with contextlib.suppress(OSError, AttributeError):
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
