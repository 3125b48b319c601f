"""Run every benchmark (``make bench``): each ``bench_*.py`` module's ``run()``.

Medians and ratios to a baseline measured in the same run; never pass/fail.
"""

from __future__ import annotations

import importlib
import os
import platform
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

if __name__ == "__main__":
    print(f"Python {platform.python_version()} on {platform.machine()}, {os.cpu_count()} cores")
    only = sys.argv[1:]
    for path in sorted(HERE.glob("bench_*.py")):
        if not only or any(word in path.stem for word in only):
            importlib.import_module(path.stem).run()
