"""Shared fixtures: the real-browser JupyterLab session and the Voila apps server."""

from __future__ import annotations

import os
from contextlib import contextmanager

import pytest

from jupyterlab_browser import CHROMIUM_ARGS, JupyterLab, find_chromium
from voila_browser import VoilaApps


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for every browser test (Playwright allows one sync session per process).

    Without Chromium the browser tests skip, except in CI (the CI variable
    set), where a missing browser is a failure: CI must test the real thing.
    """
    chromium = find_chromium()
    if chromium is None:
        message = "no system Chromium found (on Debian: apt-get install chromium)"
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but {message}; the browser tests cannot run.")
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chrome = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            yield chrome
        finally:
            chrome.close()


@contextmanager
def _served(server_class, workdir, browser):
    """A started ``server_class`` driven by ``browser``, stopped afterwards."""
    server = server_class(workdir, browser).start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def lab(tmp_path_factory, browser):
    """A running JupyterLab and the headless Chromium to drive it."""
    with _served(JupyterLab, tmp_path_factory.mktemp("jupyterlab"), browser) as server:
        yield server


@pytest.fixture(scope="module")
def voila(tmp_path_factory, browser):
    """A running Voila server for ``apps/`` (as ``make app`` starts it) and the headless Chromium."""
    with _served(VoilaApps, tmp_path_factory.mktemp("voila"), browser) as server:
        yield server
