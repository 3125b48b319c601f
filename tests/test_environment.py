"""The conda/Binder environment and pyproject.toml must ask for the same packages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

tomllib = pytest.importorskip("tomllib", reason="reading pyproject.toml needs Python 3.11's tomllib")

ROOT = Path(__file__).resolve().parent.parent
_REQUIREMENT = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*(.*?)\s*$")
CONDA_ONLY = {"python", "pip"}  # the interpreter and installer, not dependencies


def _normalise(requirement: str) -> tuple[str, str]:
    name, spec = _REQUIREMENT.match(requirement.split("#")[0]).groups()
    return re.sub(r"[-_.]+", "-", name).lower(), spec.replace(" ", "")


def pyproject_requirements() -> dict[str, str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    extras = project["optional-dependencies"]
    wanted = [*project["dependencies"], *extras["test"], *extras["faces"]]
    return dict(_normalise(r) for r in wanted)


def environment_requirements() -> dict[str, str]:
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    found = {}
    for entry in environment["dependencies"]:
        entries = entry["pip"] if isinstance(entry, dict) else [entry]
        for requirement in entries:
            if requirement.startswith("-"):  # "-e .": the project itself
                continue
            name, spec = _normalise(requirement)
            if name not in CONDA_ONLY:
                found[name] = spec.lstrip("=") if spec.startswith("=") and not spec.startswith("==") else spec
    return found


def test_environment_yml_matches_pyproject():
    assert environment_requirements() == pyproject_requirements()


def test_environment_installs_the_project_itself():
    environment = yaml.safe_load((ROOT / "environment.yml").read_text())
    pip = next(entry["pip"] for entry in environment["dependencies"] if isinstance(entry, dict))
    assert "-e ." in pip


def test_core_dependencies_are_declared():
    for name in ("jupyterlab", "ipywidgets", "matplotlib", "pillow", "numpy", "nbval"):
        assert name in pyproject_requirements()


def test_cv2_is_the_headless_build():
    """mediapipe pulls in the GUI build of OpenCV, which needs libGL: a bare JupyterHub image lacks it.

    Both wheels install the same ``cv2`` files; `make setup` reinstalls the headless one last, so
    the binary on disk must be the one the headless wheel's RECORD lists.
    """
    import base64
    import hashlib
    from importlib import metadata

    import cv2

    binary = Path(cv2.__file__).parent / "cv2.abi3.so"
    if not binary.exists():
        pytest.skip("not a Linux wheel layout")
    record = {path: digest for path, digest, _size in
              (line.split(",") for line in metadata.distribution("opencv-python-headless").read_text("RECORD").splitlines())}  # fmt: skip
    algorithm, expected = record["cv2/cv2.abi3.so"].split("=", 1)
    actual = base64.urlsafe_b64encode(hashlib.new(algorithm, binary.read_bytes()).digest()).rstrip(b"=").decode()
    assert actual == expected, "cv2 is the GUI build (needs libGL): run `make clean setup`"
