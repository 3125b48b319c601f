"""Shared fixtures: the real-browser JupyterLab session."""

from __future__ import annotations

import os

import pytest

from jupyterlab_browser import CHROMIUM_ARGS, JupyterLab, find_chromium


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """A running JupyterLab and a headless Chromium to drive it.

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
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        server = JupyterLab(tmp_path_factory.mktemp("jupyterlab"), browser).start()
        try:
            yield server
        finally:
            server.stop()
            browser.close()
