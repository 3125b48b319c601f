"""Static views of prompts for the notebook: comparisons, vocabulary tables, a layer chart.

They read without a kernel (HTML tables and a matplotlib figure), so the lesson
reads well on GitHub or printed. Every piece of text is escaped.
"""

from __future__ import annotations

import html
from typing import Mapping, Sequence

from matplotlib.figure import Figure

from .lint import OVER_POLISH, beauty_words, findings_html, lint, polish_words
from .model import PromptSpec, estimate_tokens, phrases, resolve
from .vocabulary import LABELS, LAYERS, VOCABULARY

#: Where each field's words go in the layer chart, and the colours used.
GROUPS = {**{f: layer for layer, names in LAYERS.items() for f in names}, "realism": "realism", "camera": "camera"}
COLOURS = {"identity": "#4477aa", "emotion": "#ee7733", "context": "#228833", "realism": "#aa3377",
           "camera": "#bbbbbb", "beauty and polish": "#cc3311"}  # fmt: skip


def token_shares(spec: PromptSpec) -> dict[str, int]:
    """Estimated tokens per group (layers, realism, camera, and beauty or polish words).

    Examples
    --------
    >>> token_shares(PromptSpec(identity="beautiful woman", context="a café"))
    {'identity': 1, 'emotion': 0, 'context': 2, 'realism': 0, 'camera': 0, 'beauty and polish': 1}
    """
    shares = dict.fromkeys(COLOURS, 0)
    for name, text in phrases(spec):
        beauty = [w.lower() for w in beauty_words(text)]
        words = beauty + [w for w in polish_words(text) if w not in beauty]  # "perfect face" is both
        flagged = sum(estimate_tokens(w) for w in words)
        shares["beauty and polish"] += flagged
        shares[GROUPS[name]] += max(0, estimate_tokens(text) - flagged)
    return shares


def layer_chart(specs: Mapping[str, PromptSpec], width: float = 9.0) -> Figure:
    """Where each prompt spends its words: a bar per prompt, split by layer.

    Examples
    --------
    >>> fig = layer_chart({"a": PromptSpec(identity="an artist"), "b": PromptSpec(emotion="calm")})
    >>> len(fig.axes)
    1
    """
    fig = Figure(figsize=(width, 0.8 + 0.7 * len(specs)), layout="constrained")
    ax = fig.subplots()
    labels, seen = list(specs), set()
    for row, label in enumerate(labels):
        left = 0
        for group, tokens in token_shares(specs[label]).items():
            if tokens:
                ax.barh(row, tokens, left=left, color=COLOURS[group], edgecolor="white",
                        label=None if group in seen else group)  # fmt: skip
                seen.add(group)
                if tokens >= 4:
                    ax.text(left + tokens / 2, row, str(tokens), ha="center", va="center", color="white", fontsize=9)
                left += tokens
    ax.set_yticks(range(len(labels)), labels)
    ax.invert_yaxis()
    ax.set_xlabel("estimated tokens (commas between phrases not counted)")
    ax.spines[["top", "right"]].set_visible(False)
    handles, names = ax.get_legend_handles_labels()
    order = [names.index(g) for g in COLOURS if g in names]
    ax.legend([handles[i] for i in order], [names[i] for i in order], loc="upper center",
              bbox_to_anchor=(0.5, -0.35 if len(specs) < 3 else -0.2), ncol=6, frameon=False, fontsize=9)  # fmt: skip
    return fig


class PromptComparison:
    """Prompts side by side: the resolved text and what the lint says about each."""

    def __init__(self, specs: Mapping[str, PromptSpec]):
        self.specs = dict(specs)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td><b>{e(label)}</b></td><td style='font-family:monospace'>{e(resolve(spec)) or '(empty)'}</td>"
            f"<td>{findings_html(lint(spec))}</td></tr>"
            for label, spec in self.specs.items()
        )
        return f'<table class="pl-comparison"><tr><th></th><th>prompt</th><th>lint</th></tr>{rows}</table>'

    def __repr__(self) -> str:
        return "\n".join(f"{label}: {resolve(spec)}\n  lint: {', '.join(lint(spec).codes) or 'clean'}"
                         for label, spec in self.specs.items())  # fmt: skip


class VocabularyTable:
    """The vocabulary of some fields: phrase, what it signals, the evidence card and its strength, the lesson.

    Examples
    --------
    >>> table = VocabularyTable(["gaze"])._repr_html_()
    >>> "gaze.eye-contact" in table and "established" in table
    True
    """

    def __init__(self, fields: Sequence[str]):
        self.fields = list(fields)

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(
            f"<tr><td>{e(LABELS[name])}</td><td><b>{e(term.text)}</b></td><td>{e(term.explanation)}</td>"
            f"<td><b>{e(term.strength)}</b> <code>{e(term.card)}</code></td>"
            f"<td><code>{e(term.lesson_file)}</code></td></tr>"
            for name in self.fields for term in VOCABULARY[name]
        )  # fmt: skip
        return (f'<table class="pl-vocabulary"><tr><th>field</th><th>phrase</th><th>what it signals</th>'
                f"<th>evidence (card)</th><th>lesson</th></tr>{rows}</table>")  # fmt: skip

    def __repr__(self) -> str:
        return "\n".join(f"{LABELS[n]}: {t.text} [{t.strength}: {t.card}] ({t.lesson_file})"
                         for n in self.fields for t in VOCABULARY[n])  # fmt: skip

    @property
    def cards(self) -> tuple[str, ...]:
        """The evidence cards the table cites, each once, in table order."""
        return tuple(dict.fromkeys(t.card for n in self.fields for t in VOCABULARY[n]))


class ReplacementTable:
    """The over-polish words the lint flags, and what to write instead."""

    def _repr_html_(self) -> str:
        e = html.escape
        rows = "".join(f"<tr><td>{e(word)}</td><td><b>{e(instead)}</b></td></tr>" for word, instead in OVER_POLISH.items())
        return f'<table class="pl-replacements"><tr><th>instead of</th><th>write</th></tr>{rows}</table>'

    def __repr__(self) -> str:
        return "\n".join(f"{word} -> {instead}" for word, instead in OVER_POLISH.items())
