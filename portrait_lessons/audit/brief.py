"""The brand portrait brief: one printable page to take away, as a standalone HTML file.

It holds the emotional job (in the learner's words), the portrait (and the
edited version, if one was made), its palette, the measured checklist, the
learner's answer to the story question, and the prompt-studio prompt that
would regenerate the portrait with the same cues, for each generator the
studio exports to. Images are embedded as data URIs, so the file travels
alone; every string a learner typed is escaped; the file is saved into
``exports/`` under a new name, never over an earlier one.

Examples
--------
>>> from portrait_lessons import examples
>>> from portrait_lessons.audit.core import audit
>>> photo = examples.load_portrait("koch", 300)
>>> brief = Brief("trust", audit(photo, None, "trust"), photo, job='<script>alert("x")</script>')
>>> page = brief_html(brief)
>>> "<script>alert" in page, "&lt;script&gt;alert" in page
(False, True)
"""

from __future__ import annotations

import base64
import html
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np

from ..images import preview, to_jpeg
from ..prompts.exports import export
from ..prompts.model import PromptSpec
from ..prompts.presets import apply_preset, preset
from .core import Audit
from .report import VERDICT_COLOURS

__all__ = ["BRIEF_TARGETS", "Brief", "brief_html", "brief_prompt", "save_brief"]

#: The generators the brief gives the prompt for (the prompt studio's export targets).
BRIEF_TARGETS = ("plain", "a1111", "midjourney")
#: Where briefs are saved, relative to the notebook.
EXPORTS = "exports"

_STYLE = """
body{font-family:Georgia,'Times New Roman',serif;color:#222;max-width:900px;margin:24px auto;padding:0 18px;line-height:1.35}
h1{font-size:24px;margin:0 0 2px}h2{font-size:15px;margin:12px 0 4px;border-bottom:1px solid #ccc}
.sub{color:#666;font-size:11px;margin:2px 0}.job{font-size:18px;font-style:italic;margin:4px 0}
.top{display:flex;gap:14px}.about{flex:1;min-width:0}.photos{display:flex;gap:8px}.photos figure{margin:0}.photos img{height:250px;border:1px solid #ccc}
figcaption{font-size:10px;color:#555;max-width:200px}table{border-collapse:collapse;width:100%;font-size:10.5px}
td,th{border-bottom:1px solid #e3e3e3;padding:1px 4px;text-align:left;vertical-align:top}
.verdict{padding:0 5px;border-radius:8px;white-space:nowrap}
.palette{display:flex;height:18px;border:1px solid #ccc}
.prompts{display:flex;gap:8px}.prompts>div{flex:1;min-width:0}.target{font-weight:bold;font-size:12px}
pre{white-space:pre-wrap;font-size:9.5px;background:#f6f6f6;padding:4px;border:1px solid #ddd;margin:2px 0}
@page{size:A4;margin:10mm}
@media print{body{margin:0;max-width:none;padding:0;zoom:.8}h2{break-after:avoid}table,pre,figure{break-inside:avoid}}
"""


@dataclass(frozen=True)
class Brief:
    """What goes on the brief. ``job``, ``story``, ``identity`` and ``title`` are the learner's own words."""

    goal: str
    audit: Audit
    image: np.ndarray
    job: str = ""
    story: str = ""
    identity: str = ""
    title: str = ""
    edited: np.ndarray | None = None
    edited_audit: Audit | None = None
    edit_summary: tuple[str, ...] = ()


def brief_prompt(brief: Brief) -> PromptSpec:
    """The goal preset's prompt with the learner's identity: the cues to regenerate the portrait with.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> from portrait_lessons.audit.core import audit
    >>> photo = examples.load_portrait("koch", 200)
    >>> brief_prompt(Brief("trust", audit(photo, None, "trust"), photo, identity="a ceramicist")).identity
    'a ceramicist'
    """
    return apply_preset(PromptSpec(identity=brief.identity), brief.goal)


def _data_uri(image: np.ndarray, edge: int = 900) -> str:
    return "data:image/jpeg;base64," + base64.b64encode(to_jpeg(preview(image, edge), 88)).decode("ascii")


def _badge(verdict: str) -> str:
    ink, paper = VERDICT_COLOURS[verdict]
    return f'<span class="verdict" style="color:{ink};background:{paper}">{html.escape(verdict)}</span>'


def _checklist(audit: Audit, edited: Audit | None = None) -> str:
    """The checklist table; with an edited version's audit, its values and verdicts in two more columns."""
    e = html.escape
    rows = []
    after = edited.to_rows() if edited is not None else [None] * len(audit.findings)
    for row, later in zip(audit.to_rows(), after):
        extra = f"<td>{e(later['value'])}</td><td>{_badge(later['verdict'])}</td>" if later else ""
        rows.append(
            f"<tr><td>{e(row['item'])}</td><td>{e(row['range'])}</td><td>{e(row['value'])}</td>"
            f"<td>{_badge(row['verdict'])}</td>{extra}<td>{e(row['lesson'])}</td><td>{e(row['strength'])}</td></tr>"
        )
    more = "<th>edited</th><th>verdict</th>" if edited is not None else ""
    head = (f"<tr><th>item</th><th>suits the goal</th><th>measured</th><th>verdict</th>{more}"
            "<th>lesson</th><th>evidence</th></tr>")  # fmt: skip
    return f'<table class="checklist">{head}{"".join(rows)}</table>'


def brief_html(brief: Brief) -> str:
    """The brief as one standalone, printable HTML page (all learner text escaped)."""
    e = html.escape
    goal = preset(brief.goal)
    title = brief.title.strip() or "Brand portrait brief"
    photos = [f'<figure><img class="portrait" alt="the portrait" src="{_data_uri(brief.image)}">'
              f"<figcaption>The portrait as audited</figcaption></figure>"]  # fmt: skip
    if brief.edited is not None:
        photos.append(f'<figure><img class="edited" alt="the edited portrait" src="{_data_uri(brief.edited)}">'
                      f"<figcaption>Edited: {e(' '.join(brief.edit_summary))}</figcaption></figure>")  # fmt: skip
    swatches = "".join(f'<div style="flex:{max(s.share, 0.02):.3f};background:{s.hex}" title="{s.hex}"></div>'
                       for s in brief.audit.palette)  # fmt: skip
    hexes = ", ".join(f"{s.hex} ({s.share:.0%})" for s in brief.audit.palette)
    spec = brief_prompt(brief)
    prompts = '<div class="prompts">' + "".join(
        f"<div><div class='target'>{e(out.label)}</div>"
        + "".join(f"<div class='sub'>{e(name)}</div><pre>{e(text)}</pre>" for name, text in out.blocks)
        + "</div>"
        for out in (export(spec, target) for target in BRIEF_TARGETS)
    ) + "</div>"
    edited_line = f" Edited: {e(brief.edited_audit.summary())}" if brief.edited_audit is not None else ""
    story = e(brief.story.strip()) or "<i>(not answered)</i>"
    job = e(brief.job.strip()) or e(goal.label)
    notes = "".join(f"<li>{e(n)}</li>" for n in brief.audit.notes)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{e(title)}</title><style>{_STYLE}</style></head>
<body>
<h1 class="title">{e(title)}</h1>
<div class="sub">Portrait Lessons, lesson 09 · {date.today().isoformat()} · goal: {e(goal.label)}</div>
<div class="top"><div class="photos">{"".join(photos)}</div>
<div class="about"><h2>The emotional job</h2>
<p class="job">{job}</p>
<p class="sub">The goal preset: {e(goal.why)}</p>
<h2>Palette</h2>
<div class="palette">{swatches}</div><div class="sub">{e(hexes)}</div></div></div>
<h2>The measured checklist</h2>
<p class="sub">{e(brief.audit.summary())}{edited_line} Verdicts on popular claims are rules of thumb, never rules.</p>
{_checklist(brief.audit, brief.edited_audit)}
<ul class="sub">{notes}</ul>
<h2>A person with a story</h2>
<p class="story">{story}</p>
<h2>The prompt to regenerate it with the same cues</h2>
{prompts}
<p class="sub">Measures and verdicts are a teaching aid: each line names its evidence and how strong it is.</p>
</body></html>
"""


def save_brief(page: str, name: str = "brief", folder: str | os.PathLike = EXPORTS) -> Path:
    """Save ``page`` as ``folder/NAME.html``, or ``NAME-2.html`` and so on: never over an existing file.

    The file is written to a temporary name first and then linked into place,
    so a half-written brief never appears. ``name`` is reduced to letters,
    digits, ``-`` and ``_``.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     first, second = save_brief("<p>a</p>", "my brief", folder), save_brief("<p>b</p>", "my brief", folder)
    ...     first.name, second.name, first.read_text()
    ('my-brief.html', 'my-brief-2.html', '<p>a</p>')
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", name).strip("-")[:60] or "brief"
    handle, temporary = tempfile.mkstemp(prefix=".brief-", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(page)
        for number in range(1, 10_000):
            path = folder / (f"{stem}.html" if number == 1 else f"{stem}-{number}.html")
            try:
                os.link(temporary, path)  # fails if the name is taken: nothing is overwritten
            except FileExistsError:
                continue
            except OSError:  # a file system without hard links: create the name exclusively
                try:
                    with open(path, "x", encoding="utf-8") as out:
                        out.write(page)
                except FileExistsError:
                    continue
            return path
        raise OSError(f"No free name for {stem}.html in {folder}: tidy the folder and save again.")
    finally:
        Path(temporary).unlink(missing_ok=True)
