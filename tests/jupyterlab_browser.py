"""Drive the workbook in a real JupyterLab and a real headless Chromium.

The server runs on 127.0.0.1 with a throwaway configuration and a copy of
``notebooks/``, so the tests never touch the committed notebooks or the
user's own JupyterLab settings. Playwright (Python) drives Debian's system
Chromium; nothing is downloaded.

A check for a later lesson is a few lines::

    def test_gaze_pad(lab):
        page = lab.open("01_eyes_and_gaze.ipynb")
        before = lab.image_stats(page, "img.pl-after")
        lab.press(page, ".pl-gaze-x", "ArrowRight", 4)
        after = lab.wait_for_new_image(page, "img.pl-after", before)
        assert ...
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent

CHROMIUM_ARGS = [
    # The machine's network is closed: stop Chromium from calling home, which
    # otherwise slows every start with refused connections.
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]

# Settings that keep the test's JupyterLab quiet and unable to write notebooks back.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {
        "checkForUpdates": False,
        "fetchNews": "false",
    },
}

# Scrolls a tool to the top of the notebook and measures, for each selector, the first
# match on screen against the notebook's visible area (inside JupyterLab's chrome).
_FIT_JS = """
([tool, selectors]) => {
  const root = document.querySelector(tool);
  root.scrollIntoView({block: 'start'});
  const scroller = root.closest('.jp-WindowedPanel-outer') || root.closest('.jp-Notebook') || document.body;
  const area = scroller.getBoundingClientRect();
  const box = {left: Math.max(area.left, 0), top: Math.max(area.top, 0),
               right: Math.min(area.right, window.innerWidth), bottom: Math.min(area.bottom, window.innerHeight)};
  const found = {};
  for (const selector of selectors) {
    const shown = [...root.querySelectorAll(selector)].filter(el => el.offsetParent !== null && el.getBoundingClientRect().height > 0);
    if (!shown.length) { found[selector] = null; continue; }
    const r = shown[0].getBoundingClientRect();
    found[selector] = {left: r.left, top: r.top, right: r.right, bottom: r.bottom,
                       inside: r.left >= box.left - 1 && r.top >= box.top - 1 && r.right <= box.right + 1 && r.bottom <= box.bottom + 1};
  }
  return {area: box, found};
}
"""

# Measures an <img> in the page: mean red, green, blue over its pixels.
_IMAGE_STATS_JS = """
(img) => {
  const canvas = document.createElement('canvas');
  canvas.width = img.naturalWidth; canvas.height = img.naturalHeight;
  const ctx = canvas.getContext('2d');
  ctx.drawImage(img, 0, 0);
  const data = ctx.getImageData(0, 0, canvas.width, canvas.height).data;
  let r = 0, g = 0, b = 0;
  for (let i = 0; i < data.length; i += 4) { r += data[i]; g += data[i + 1]; b += data[i + 2]; }
  const n = data.length / 4;
  return {src: img.src, width: img.naturalWidth, height: img.naturalHeight, r: r / n, g: g / n, b: b / n};
}
"""


def find_chromium() -> str | None:
    """Path of the system Chromium, or None."""
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def read_loaded(page, selector: str, script: str, timeout: float = 30):
    """``script`` (a function of an <img>) on the first <img> at ``selector``, once it shows a picture.

    The check and the read run in one call: a new picture (a tool's draft, then the one at rest)
    can arrive between a separate wait and the read, and an <img> between two pictures is 0 px wide.
    """
    image = page.locator(selector).first
    image.wait_for(state="visible")
    guarded = f"(img) => (!img.complete || img.naturalWidth === 0) ? null : ({script})(img)"
    deadline = time.monotonic() + timeout
    while (found := image.evaluate(guarded)) is None:
        if time.monotonic() > deadline:
            raise TimeoutError(f"the <img> at {selector} showed no loaded picture within {timeout} s")
        page.wait_for_timeout(100)
    return found


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class JupyterLab:
    """A JupyterLab server for tests, with helpers to drive notebooks in it."""

    def __init__(self, workdir: Path, browser):
        self.workdir = workdir
        self.browser = browser
        self.port = _free_port()
        self.token = secrets.token_hex(16)
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = open(workdir / "jupyterlab.log", "w")
        self.process = None

    # --- server -----------------------------------------------------------
    def start(self, timeout: float = 90) -> "JupyterLab":
        root = self.workdir / "root"
        shutil.copytree(REPO / "notebooks", root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        settings = self.workdir / "settings"
        for relative, values in LAB_SETTINGS.items():
            path = settings / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(values))
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.workdir / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "jupyterlab", "--no-browser",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                f"--IdentityProvider.token={self.token}",
                f"--ServerApp.root_dir={root}",
                f"--LabApp.user_settings_dir={settings}",
                f"--LabApp.workspaces_dir={self.workdir / 'workspaces'}",
                "--LabApp.expose_app_in_browser=True",
                "--LabApp.news_url=", "--ServerApp.open_browser=False", "--allow-root",
            ],
            cwd=root, env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self.wait_until_up(timeout, "JupyterLab")

    def wait_until_up(self, timeout: float, name: str):
        """Wait until the server started as ``self.process`` answers; fail with its log's name if it does not."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"{name} exited early; see {self.log.name}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=2):
                    return self
            except OSError:
                time.sleep(0.3)
        raise TimeoutError(f"{name} did not start within {timeout} s; see {self.log.name}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    # --- notebooks ----------------------------------------------------------
    def open(self, notebook: str, run_all: bool = True, timeout: float = 120, viewport=(1400, 1000)):
        """Open ``notebook`` in a new page of ``viewport`` (width, height) and (by default) run all its cells."""
        page = self.browser.new_page(viewport={"width": viewport[0], "height": viewport[1]})
        page.set_default_timeout(timeout * 1000)
        page.goto(f"{self.url}/lab/tree/{notebook}?token={self.token}&reset")
        page.wait_for_selector(".jp-NotebookPanel .jp-Cell", state="attached")
        page.wait_for_function(
            "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
            " && window.jupyterapp.shell.currentWidget.sessionContext"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
            " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'"
        )
        if run_all:
            self.run_all(page, timeout)
        return page

    def run_all(self, page, timeout: float = 120) -> None:
        """Run every cell and wait until the kernel has finished them all."""
        page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        page.wait_for_function(
            """() => {
                const panel = window.jupyterapp.shell.currentWidget;
                const prompts = [...document.querySelectorAll('.jp-InputArea-prompt')].map(p => p.textContent);
                return panel.sessionContext.session.kernel.status === 'idle'
                    && prompts.length > 0 && !prompts.some(p => p.includes('*'));
            }""",
            timeout=timeout * 1000,
        )
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
        tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t]
        assert not tracebacks, "a cell failed in the browser:\n" + "\n".join(tracebacks)

    # --- layout -------------------------------------------------------------
    def fit(self, page, tool: str, selectors: list[str]) -> dict:
        """Scroll ``tool`` to the top and say where each selector's first visible match lies.

        Returns ``{"area": visible notebook box, "found": {selector: rect with "inside", or None}}``.
        """
        page.locator(tool).first.wait_for(state="visible")
        page.wait_for_timeout(300)
        first = page.evaluate(_FIT_JS, [tool, selectors])
        page.wait_for_timeout(500)  # images finish loading and the layout settles; measure again
        return page.evaluate(_FIT_JS, [tool, selectors]) or first

    # --- widgets ------------------------------------------------------------
    def press(self, page, slider: str, key: str, times: int = 1) -> None:
        """Focus the handle of the ipywidgets slider inside ``slider`` and press ``key``."""
        handle = page.locator(f"{slider} .noUi-handle").first
        handle.scroll_into_view_if_needed()
        handle.focus()
        for _ in range(times):
            handle.press(key)

    def upload(self, page, button: str, path: Path) -> None:
        """Choose ``path`` in the file dialog of the ipywidgets FileUpload ``button``."""
        with page.expect_file_chooser() as chooser:
            page.locator(button).first.click()
        chooser.value.set_files(str(path))

    def image_stats(self, page, selector: str) -> dict:
        """Mean R, G, B of the first rendered <img> matching ``selector``."""
        return read_loaded(page, selector, _IMAGE_STATS_JS)

    def wait_for_new_image(self, page, selector: str, old: dict, timeout: float = 30) -> dict:
        """Wait until the <img> at ``selector`` shows new pixels, and measure them.

        The kernel answers each key press with a new image; this returns once
        the image has stopped changing for a moment.
        """
        deadline = time.monotonic() + timeout
        latest = old
        while time.monotonic() < deadline:
            page.wait_for_timeout(400)
            current = self.image_stats(page, selector)
            if current["src"] != old["src"] and current["src"] == latest["src"]:
                return current
            latest = current
        raise TimeoutError(f"the image at {selector} did not change within {timeout} s")
