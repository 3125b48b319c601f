"""The audit as HTML: the checklist table a notebook shows, and the side-by-side comparison.

All text is escaped, so an item's words or a learner's answer can never
become markup.

Examples
--------
>>> from portrait_lessons import examples
>>> from portrait_lessons.audit.core import audit
>>> page = audit_table_html(audit(examples.load_portrait("koch", 400), None, "trust", story="<b>me</b>"))
>>> "&lt;b&gt;me&lt;/b&gt;" in page and "<b>me</b>" not in page
True
"""

from __future__ import annotations

import html

from .core import Audit
from .items import QUESTIONS, STORY_QUESTION, VERDICTS

__all__ = ["VERDICT_COLOURS", "Checklist", "Comparison", "QuestionCards", "audit_table_html", "compare", "comparison_html", "palette_html"]

#: Verdict -> (text colour, background) of its badge.
VERDICT_COLOURS = {
    "fits": ("#1b5e20", "#e8f5e9"),
    "worth a look": ("#7a4f01", "#fff4e0"),
    "works against the goal": ("#8e1b1b", "#fdecea"),
    "not measured": ("#555", "#f0f0f0"),
}


def _badge(verdict: str) -> str:
    ink, paper = VERDICT_COLOURS[verdict]
    return (f'<span class="pl-verdict" data-verdict="{html.escape(verdict)}" style="color:{ink};background:{paper};'
            f'padding:1px 6px;border-radius:8px;white-space:nowrap">{html.escape(verdict)}</span>')  # fmt: skip


def palette_html(audit: Audit) -> str:
    """The palette as a strip of swatches, each as wide as its share."""
    cells = "".join(
        f'<div title="{s.hex} {s.share:.0%}" style="flex:{max(s.share, 0.02):.3f};background:{s.hex};height:22px"></div>'
        for s in audit.palette
    )
    return f'<div class="pl-palette" style="display:flex;border:1px solid #ccc;max-width:420px">{cells}</div>'


def audit_table_html(audit: Audit, fixes: dict | None = None) -> str:
    """The checklist grouped by question: value, goal's range, verdict, meaning, lesson, strength."""
    e = html.escape
    rows = []
    question = None
    for f in audit.findings:
        if f.item.question != question:
            question = f.item.question
            rows.append(f'<tr class="pl-question"><th colspan="6" style="text-align:left;background:#f5f5f5">'
                        f"{e(QUESTIONS[question])}</th></tr>")  # fmt: skip
        fix = (fixes or {}).get(f.item.key)
        fix_text = f'<div class="pl-fix" style="color:#225">Fix: {e(fix.words)}</div>' if fix is not None else ""
        rows.append(
            f'<tr class="pl-item" data-key="{e(f.item.key)}"><td>{e(f.item.label)}</td><td>{e(f.shown)}</td>'
            f"<td>{e(f.range_words)}</td><td>{_badge(f.verdict)}<div style='font-size:90%'>{e(f.sentence)}</div>"
            f"{fix_text}</td><td>{f.item.lesson:02d}</td><td>{e(f.item.card.strength)}</td></tr>"
        )
    story = e(audit.story) if audit.story.strip() else "<i>not answered yet: say it in your own words</i>"
    rows.append(f'<tr class="pl-question"><th colspan="6" style="text-align:left;background:#f5f5f5">'
                f"{e(STORY_QUESTION)}</th></tr>"
                f'<tr class="pl-item" data-key="story"><td>In your words</td><td colspan="2" class="pl-story">{story}</td>'
                f"<td>{_badge('not measured')}<div style='font-size:90%'>No measure can answer this one.</div></td>"
                f"<td>07</td><td>popular claim</td></tr>")  # fmt: skip
    head = ("<tr><th>item</th><th>measured</th><th>suits the goal</th><th>verdict</th><th>lesson</th>"
            "<th>evidence</th></tr>")  # fmt: skip
    notes = "".join(f"<li>{e(note)}</li>" for note in audit.notes)
    return (f'<div class="pl-audit"><div><b>{e(audit.summary())}</b></div>'
            f'<style>.pl-audit-table td,.pl-audit-table th{{padding:2px 5px;line-height:1.25;vertical-align:top}}</style>'
            f'<table class="pl-audit-table" style="border-collapse:collapse;font-size:12px">{head}{"".join(rows)}</table>'
            f'<div style="margin-top:6px">Palette:</div>{palette_html(audit)}'
            f'<ul class="pl-notes">{notes}</ul></div>')  # fmt: skip


def comparison_html(before: Audit, after: Audit, labels: tuple[str, str] = ("before", "after")) -> str:
    """Two audits side by side, with each item's change and whether its verdict improved."""
    e = html.escape
    rows = []
    for row in compare(before, after):
        change = "" if row["change"] is None else f"{row['change']:+.3g}"
        mark = {True: "better", False: "worse", None: ""}[row["better"]] if row["before_verdict"] != row["after_verdict"] else "same"
        rows.append(
            f'<tr class="pl-compare-row" data-key="{e(row["key"])}"><td>{e(row["item"])}</td>'
            f"<td>{e(row['before'])}<br>{_badge(row['before_verdict'])}</td>"
            f"<td>{e(row['after'])}<br>{_badge(row['after_verdict'])}</td><td>{e(change)}</td><td>{e(mark)}</td></tr>"
        )
    head = (f"<tr><th>item</th><th>{e(labels[0])}</th><th>{e(labels[1])}</th><th>change</th>"
            f"<th>verdict</th></tr>")  # fmt: skip
    return (f'<table class="pl-compare" style="border-collapse:collapse;font-size:13px">{head}{"".join(rows)}</table>')


def compare(before: Audit, after: Audit) -> list[dict]:
    """The two audits side by side: each item's value, verdict and change.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> from portrait_lessons.audit.core import audit
    >>> from portrait_lessons.retouch.texture import smooth_skin
    >>> photo, points = examples.load_portrait("koch"), examples.portrait_landmarks("koch")
    >>> rows = compare(audit(photo, points, "trust"), audit(smooth_skin(photo, points, 1.0), points, "trust"))
    >>> row = [r for r in rows if r["key"] == "skin_texture"][0]
    >>> row["change"] < 0, row["before_verdict"], row["after_verdict"]
    (True, 'fits', 'worth a look')
    """
    rows = []
    for a, b in zip(before.findings, after.findings):
        change = None if a.value is None or b.value is None else round(b.value - a.value, 3)
        rows.append({
            "key": a.item.key, "item": a.item.label, "before": a.shown, "after": b.shown, "change": change,
            "before_verdict": a.verdict, "after_verdict": b.verdict,
            "better": VERDICTS.index(b.verdict) < VERDICTS.index(a.verdict) if "not measured" not in (a.verdict, b.verdict) else None,
        })  # fmt: skip
    return rows


class Checklist:
    """An audit shown as its checklist table in a notebook.

    Examples
    --------
    >>> from portrait_lessons import examples
    >>> from portrait_lessons.audit.core import audit
    >>> "pl-audit-table" in Checklist(audit(examples.load_portrait("koch", 300), None, "trust"))._repr_html_()
    True
    """

    def __init__(self, audit: Audit, fixes: dict | None = None):
        self.audit, self.fixes = audit, fixes

    def _repr_html_(self) -> str:
        return audit_table_html(self.audit, self.fixes)

    def __repr__(self) -> str:
        return repr(self.audit)


class Comparison:
    """Two audits side by side in a notebook."""

    def __init__(self, before: Audit, after: Audit, labels: tuple[str, str] = ("before", "after")):
        self.before, self.after, self.labels = before, after, labels

    def _repr_html_(self) -> str:
        return comparison_html(self.before, self.after, self.labels)

    def __repr__(self) -> str:
        return "\n".join(f"{r['item']}: {r['before']} -> {r['after']} ({r['after_verdict']})"
                         for r in compare(self.before, self.after))  # fmt: skip


class QuestionCards:
    """A checklist question with the evidence cards behind its items, shown together.

    The cards are passed in (``card("...")`` from :mod:`portrait_lessons.cards`), so a
    notebook names each card it shows.

    Examples
    --------
    >>> from portrait_lessons.cards import card
    >>> page = QuestionCards("expression", card("expression.smile-intensity"), card("expression.duchenne"))._repr_html_()
    >>> page.count('class="pl-evidence"'), "Wang" in page
    (2, True)
    """

    def __init__(self, question: str, *cards):
        if question not in QUESTIONS:
            raise KeyError(f"No checklist question {question!r}. Questions: {', '.join(QUESTIONS)}")
        self.question = question
        self.cards = cards

    def _repr_html_(self) -> str:
        head = f'<div style="font-weight:bold;margin-top:6px">{html.escape(QUESTIONS[self.question])}</div>'
        return head + "".join(c._repr_html_() for c in self.cards)

    def __repr__(self) -> str:
        return "\n".join([QUESTIONS[self.question], *(repr(c) for c in self.cards)])
