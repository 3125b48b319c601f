"""Drive the workbook's apps through Voila in a real headless Chromium.

The server is the one ``make app`` starts: a Jupyter server with Voila's
extension, on 127.0.0.1, with a token and a throwaway configuration, serving a
copy of ``apps/`` (so answers, exports and saved prompts land in a temporary
folder, never in the repository). Playwright drives Debian's system Chromium,
as for the JupyterLab tests; nothing is downloaded.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from jupyterlab_browser import JupyterLab

REPO = Path(__file__).resolve().parent.parent


class VoilaApps(JupyterLab):
    """A Voila server for the tests; stopping it and reading pictures work as for JupyterLab."""

    def __init__(self, workdir: Path, browser):
        super().__init__(workdir, browser)
        self.root = workdir / "root"

    def start(self, timeout: float = 120) -> "VoilaApps":
        shutil.copytree(REPO / "apps", self.root / "apps", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        env = {
            **os.environ,
            "JUPYTER_CONFIG_DIR": str(self.workdir / "config"),
            "JUPYTER_RUNTIME_DIR": str(self.workdir / "runtime"),
            "JUPYTER_PLATFORM_DIRS": "1",
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
        }
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "jupyter_server", "--no-browser", "--allow-root",
                "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={self.port}",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={self.root / 'apps'}",
                "--ServerApp.default_url=/voila/tree",
            ],
            cwd=self.root / "apps", env=env, stdout=self.log, stderr=subprocess.STDOUT,
        )  # fmt: skip
        return self.wait_until_up(timeout, "The Voila server")

    def open(self, app: str, ready: str, timeout: float = 180):
        """Open ``app`` (a notebook in ``apps/``) as a Voila page, at a laptop's 1366 x 768, and wait for ``ready``."""
        page = self.browser.new_page(viewport={"width": 1366, "height": 768})
        page.set_default_timeout(timeout * 1000)
        page.goto(f"{self.url}/voila/render/{app}?token={self.token}")
        page.locator(ready).first.wait_for(state="visible")
        assert "Traceback" not in page.inner_text("body"), "the app failed while starting"
        return page
