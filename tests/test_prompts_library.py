"""The prompt library: JSON files, validated on load, written atomically, never losing a prompt."""

from __future__ import annotations

import json
import os

import pytest

from portrait_lessons.prompts import PromptLibrary, PromptLibraryError, PromptSpec, preset
from portrait_lessons.prompts import library as library_module


@pytest.fixture
def library(tmp_path):
    return PromptLibrary(tmp_path / "prompts")


def _files(folder):
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def test_save_and_load_round_trip(library):
    spec = preset("warmth").spec.replace(identity="a breathwork teacher")
    path = library.save("Aisha: warmth", spec)
    assert path.name == "aisha-warmth.json"
    assert library.load("aisha warmth") == spec
    data = json.loads(path.read_text())
    assert data["format"] == "portrait-lessons/prompt" and data["name"] == "Aisha: warmth"
    assert data["resolved_text"].startswith("chest-up portrait, a breathwork teacher")
    assert library.names() == ["Aisha: warmth"]


def test_saving_an_existing_name_is_refused_and_nothing_changes(library):
    path = library.save("founder", PromptSpec(identity="a founder"))
    before = path.read_bytes()
    with pytest.raises(PromptLibraryError, match="already saved.*overwrite=True"):
        library.save("FOUNDER", PromptSpec(identity="someone else"))
    assert path.read_bytes() == before and _files(library.folder) == ["founder.json"]


def test_overwrite_keeps_every_earlier_version(library):
    for n in range(3):
        library.save("founder", PromptSpec(identity=f"version {n}"), overwrite=n > 0)
    assert library.load("founder").identity == "version 2"
    history = library.history("founder")
    assert [json.loads(p.read_text())["spec"]["identity"] for p in history] == [
        "version 0", "version 1"]  # fmt: skip
    assert _files(library.folder) == ["founder.json", "history/founder.1.json", "history/founder.2.json"]


BAD_FILES = {
    "not-json.json": (b'{"format": "portrait-lessons/prompt", "version": 1,', r"not valid JSON \(line 1"),
    "binary.json": (b"\xff\xfe\x00garbage", "not a text file"),
    "other.json": (b'{"hello": "world"}', "not a saved prompt"),
    "list.json": (b"[1, 2, 3]", "not a saved prompt"),
    "newer.json": (b'{"format": "portrait-lessons/prompt", "version": 9, "name": "n", "spec": {}}', "version 9"),
    "noname.json": (b'{"format": "portrait-lessons/prompt", "version": 1, "spec": {}}', "no usable name"),
    "badtype.json": (b'{"format": "portrait-lessons/prompt", "version": 1, "name": "b", "spec": {"identity": 3}}',
                     r"identity must be text, not a number\. The file"),
    "unknown.json": (b'{"format": "portrait-lessons/prompt", "version": 1, "name": "u", "spec": {"mood": "x"}}',
                     "Unknown field 'mood'"),
    "badweight.json": (b'{"format": "portrait-lessons/prompt", "version": 1, "name": "w", '
                       b'"spec": {"weights": {"gaze": 9}}}', "between 0.5 and 1.5"),
}  # fmt: skip


@pytest.mark.parametrize("name", list(BAD_FILES))
def test_a_bad_file_gives_a_clear_error_and_is_left_untouched(library, name):
    content, reason = BAD_FILES[name]
    library.folder.mkdir()
    path = library.folder / name
    path.write_bytes(content)
    stamp = os.stat(path).st_mtime_ns
    with pytest.raises(PromptLibraryError, match=reason) as caught:
        library.load(name.removesuffix(".json"))
    assert ". The file was left as it is." in str(caught.value)  # a sentence of its own
    assert path.read_bytes() == content and os.stat(path).st_mtime_ns == stamp
    assert library.names() == []  # listed prompts skip files that don't load


def test_a_huge_file_is_refused_before_reading(library, monkeypatch):
    library.folder.mkdir()
    (library.folder / "huge.json").write_bytes(b" " * 200)
    monkeypatch.setattr(library_module, "MAX_FILE_BYTES", 100)
    with pytest.raises(PromptLibraryError, match="far too large"):
        library.load("huge")


def test_loading_a_missing_prompt_lists_what_is_there(library):
    library.save("artist", PromptSpec(identity="an artist"))
    with pytest.raises(PromptLibraryError, match="No prompt called 'founder'.*'artist'"):
        library.load("founder")


def test_a_crash_while_writing_leaves_the_old_file_and_no_debris(library, monkeypatch):
    path = library.save("founder", PromptSpec(identity="old"))
    before = path.read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(library_module.os, "replace", crash)
    with pytest.raises(PromptLibraryError, match="No space left on device.*Nothing was changed"):
        library.save("founder", PromptSpec(identity="new"), overwrite=True)
    assert path.read_bytes() == before
    assert not [p for p in library.folder.rglob("*.tmp")]


def test_a_crash_before_linking_a_new_file_leaves_nothing_behind(library, monkeypatch):
    def crash(*args):
        raise OSError(5, "Input/output error")

    monkeypatch.setattr(library_module.os, "link", crash)
    with pytest.raises(PromptLibraryError, match="Input/output error"):
        library.save("artist", PromptSpec(identity="an artist"))
    assert _files(library.folder) == []


def test_file_systems_without_hard_links_still_save_without_clobbering(library, monkeypatch):
    def unsupported(*args):
        raise OSError(95, "Operation not supported")

    monkeypatch.setattr(library_module.os, "link", unsupported)
    library.save("artist", PromptSpec(identity="an artist"))
    with pytest.raises(PromptLibraryError, match="already saved"):
        library.save("artist", PromptSpec(identity="other"))
    library.save("artist", PromptSpec(identity="other"), overwrite=True)
    assert library.load("artist").identity == "other" and len(library.history("artist")) == 1


@pytest.mark.parametrize("name, reason", [("", "Give the prompt a name"), ("!!!", "at least one letter"),
                                          ("x" * 81, "keep it under 80"), (None, "Give the prompt a name")])  # fmt: skip
def test_names_are_checked(library, name, reason):
    with pytest.raises(PromptLibraryError, match=reason):
        library.save(name, PromptSpec())


def test_only_prompt_specs_can_be_saved(library):
    with pytest.raises(PromptLibraryError, match="Only a PromptSpec"):
        library.save("x", {"identity": "a founder"})
