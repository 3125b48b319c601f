"""Lint a portrait prompt: the traps the workbook teaches, each with its principle and a fix.

:func:`lint` reads a :class:`~portrait_lessons.prompts.model.PromptSpec` and
returns :class:`Findings`: problems first (a missing layer, a beauty-only
prompt, contradictions), then warnings (over-polish words, a clash with the
goal, an overlong prompt), then tips. An empty result means the prompt is
clean.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from ..lessons import LESSONS
from .model import PromptSpec, clean_text, estimate_tokens, missing_layers, phrases, resolve
from .presets import PRESETS
from .vocabulary import LABELS, lookup

SEVERITIES = ("problem", "warning", "tip")

#: Token budget of one CLIP chunk (Stable Diffusion 1.x and SDXL read 75 at a time).
TOKEN_BUDGET = 75

THREE_LAYERS = "Three layers: identity, emotion, context"
EMOTION_OVER_BEAUTY = "Emotional direction over beauty words"
ONE_STORY = "Gaze, expression and goal tell one story"
IMPERFECT_REALISM = "Imperfect realism instead of polish"
COLOUR = "Colour amplifies one mood"
SHORT = "Short, specific prompts"
HONEST_ASYMMETRY = "Keep natural asymmetry, not a lopsided expression"

#: Over-polish words and what to write instead.
OVER_POLISH: dict[str, str] = {
    "flawless skin": "natural skin texture",
    "perfect skin": "natural skin texture with visible pores",
    "porcelain skin": "natural skin tone and texture",
    "silky smooth skin": "natural skin texture",
    "smooth skin": "natural skin texture",
    "glass skin": "healthy skin with natural texture",
    "poreless": "visible pores",
    "airbrushed": "lightly retouched, texture kept",
    "heavily retouched": "lightly retouched, texture kept",
    "retouched to perfection": "lightly retouched, texture kept",
    "facetuned": "unretouched",
    "beauty filter": "true-to-life colour and texture",
    "perfectly symmetrical": "slight natural facial asymmetry",
    "perfect symmetry": "slight natural facial asymmetry",
    "symmetrical face": "slight natural facial asymmetry",
    "perfect face": "distinctive natural features",
    "perfect features": "distinctive natural features",
    "doll-like": "natural facial proportions",
    "hyper-perfect": "lifelike",
    "idealized": "true-to-life",
    "idealised": "true-to-life",
    "immaculate": "natural",
    "flawless": "natural, lifelike",
}


def _words(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


_OVER_POLISH = _words(*(re.escape(w) for w in sorted(OVER_POLISH, key=len, reverse=True)))
_BEAUTY = _words(
    "beautiful", "gorgeous", "stunning", "pretty", "attractive", "handsome", "sexy", "glamorous", "supermodel",
    "cute", "lovely", "beauty", "perfect face", "perfect features", "model looks",
)  # fmt: skip

#: Signals found anywhere in the positive prompt.
_SIGNALS: dict[str, re.Pattern] = {
    "gaze:direct": _words(
        r"(?:direct|candid) (?:eye contact|gaze)", r"eye contact", r"direct gaze",
        r"looking (?:straight |directly )?(?:at|into) (?:the )?(?:camera|lens|viewer)",
        r"looking (?:toward|towards) (?:the )?(?:camera|lens|viewer)",
        r"facing the camera", r"meets? the viewer'?s? (?:eyes|gaze)", r"staring at the camera",
    ),
    "gaze:averted": _words(
        r"looking away", r"looks away", r"looking off", r"averted(?: gaze)?", r"off-? ?camera",
        r"looking (?:down|out|aside|up|past|to the side|into the distance)",
        r"looking (?:toward|towards) (?!(?:the )?(?:camera|lens|viewer))",
        r"gazing (?:away|out|down|into the distance)", r"glancing away", r"eyes (?:closed|lowered|downcast)",
        r"profile view",
    ),
    "smile:broad": _words(
        r"(?:broad|big|wide|huge|toothy|beaming) (?:laughing )?(?:grin|smile)", r"grinning", r"laughing",
        r"ear-to-ear", r"beaming",
    ),
    "mood:serious": _words(r"authoritative", r"authority", r"serious", r"commanding", r"stern", r"gravitas"),
    "posture:closed": _words(r"arms crossed", r"crossed arms", r"folded arms", r"arms folded", r"hunched",
                             r"closed posture", r"guarded"),
    "light:harsh": _words(r"harsh (?:direct )?(?:flash|light|lighting)", r"direct flash", r"clinical light(?:ing)?"),
    "asymmetry:expression": _words(r"lopsided", r"uneven smile", r"crooked smile", r"one-sided smile",
                                   r"asymmetric(?:al)? (?:smile|expression)"),
}  # fmt: skip

#: Colour signals, read only in the fields that describe colour and light.
_COLOUR_FIELDS = ("context", "lighting", "palette", "era")
_COLOUR: dict[str, re.Pattern] = {
    "palette:warm": _words(r"golden(?:-hour| hour)?", r"warm", r"warmth", r"amber", r"honey", r"sunset",
                           r"candle ?light", r"tungsten", r"sepia"),
    "palette:cold": _words(r"cold", r"cool", r"icy", r"blue hour", r"steel[- ]blue", r"blue", r"teal", r"cyan",
                           r"bluish", r"moonlight", r"dusk"),
    "palette:split": _words(r"split[- ]ton(?:e|ed|ing)", r"teal and orange", r"orange and teal",
                            r"warm highlights"),
}  # fmt: skip


@dataclass(frozen=True)
class Finding:
    """One lint result: what is wrong, the principle behind it, and how to fix it.

    Examples
    --------
    >>> finding = lint(PromptSpec(identity="a founder"))[0]
    >>> finding.code, finding.severity, finding.principle
    ('missing-emotion', 'problem', 'Three layers: identity, emotion, context')
    """

    code: str
    severity: str
    principle: str
    message: str
    fix: str
    lesson: int
    field: str = ""

    @property
    def lesson_file(self) -> str:
        """The notebook that teaches the principle."""
        return LESSONS[self.lesson].file

    def __str__(self) -> str:
        return f"[{self.severity}] {self.message} Fix: {self.fix} ({self.principle}; {self.lesson_file})"


class Findings(list):
    """The list of findings, shown as a list in a notebook; empty means clean."""

    @property
    def clean(self) -> bool:
        """True when nothing was found."""
        return not self

    @property
    def codes(self) -> list[str]:
        """The finding codes, in order."""
        return [finding.code for finding in self]

    def _repr_html_(self) -> str:
        return findings_html(self)

    def __repr__(self) -> str:
        return "\n".join(str(f) for f in self) if self else "Clean: no findings."


_SEVERITY_COLOURS = {"problem": "#a40000", "warning": "#b35806", "tip": "#2c5d8f"}


def findings_html(findings: list[Finding]) -> str:
    """Findings as an HTML list; every piece of text is escaped."""
    e = html.escape
    if not findings:
        return '<div class="pl-lint pl-lint-clean" style="color:#2e6b2e"><b>Clean:</b> no findings.</div>'
    items = "".join(
        f'<li class="pl-finding pl-{f.severity}" data-code="{e(f.code)}">'
        f'<b style="color:{_SEVERITY_COLOURS[f.severity]}">{e(f.severity)}</b> {e(f.message)} '
        f"<i>Fix:</i> {e(f.fix)} "
        f'<span style="color:#666">({e(f.principle)}; lesson <code>{e(f.lesson_file)}</code>)</span></li>'
        for f in findings
    )
    return f'<ul class="pl-lint" style="margin:0;padding-left:1.2em">{items}</ul>'


def signals(spec: PromptSpec) -> dict[str, list[tuple[str, str]]]:
    """Which lint signals the prompt sends, and in which ``(field, phrase)`` each was found.

    Examples
    --------
    >>> sorted(signals(PromptSpec(gaze="candid eye contact", palette="warm golden tones")))
    ['gaze:direct', 'palette:warm']
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for name, text in phrases(spec):
        term = lookup(name, text)
        tags = set(term.tags) if term else set()
        tags.update(tag for tag, pattern in _SIGNALS.items() if pattern.search(text))
        if name in _COLOUR_FIELDS:
            tags.update(tag for tag, pattern in _COLOUR.items() if pattern.search(text))
        for tag in tags:
            found.setdefault(tag, []).append((name, text))
    return found


def _quote(places: list[tuple[str, str]]) -> str:
    return " and ".join(f'"{text}" ({LABELS[name].lower()})' for name, text in places[:2])


def lint(spec: PromptSpec) -> Findings:
    """Check a prompt against the workbook's principles.

    Examples
    --------
    >>> from portrait_lessons.prompts.presets import preset
    >>> lint(preset("trust").spec).clean
    True
    >>> lint(PromptSpec(identity="beautiful woman, flawless skin")).codes
    ['missing-emotion', 'missing-context', 'beauty-only', 'over-polish', 'no-realism']
    """
    out: list[Finding] = []
    found = signals(spec)
    goal = PRESETS.get(spec.goal)
    text = resolve(spec)

    for layer in missing_layers(spec):
        out.append(Finding(
            f"missing-{layer}", "problem", THREE_LAYERS,
            f"The {layer} layer is empty.",
            {"identity": "Say who the person is: founder, artist, athlete, student...",
             "emotion": "Give emotional direction: a mood, plus gaze, expression or posture.",
             "context": "Place them somewhere: a studio, a café, a street, a room with a window."}[layer],
            7, layer,
        ))  # fmt: skip

    beauty = _BEAUTY.findall(text)
    if beauty:
        emotional = any(clean_text(getattr(spec, n)) for n in ("emotion", "gaze", "expression", "posture"))
        if not emotional or not clean_text(spec.context):
            missing = " or ".join(w for w, ok in (("emotion", emotional), ("context", spec.context.strip())) if not ok)
            out.append(Finding(
                "beauty-only", "problem", EMOTION_OVER_BEAUTY,
                f'Beauty words ("{beauty[0]}") with no {missing}: the portrait may look good and say nothing.',
                "Replace the beauty words with emotional direction (gaze, expression, posture) and a setting.",
                2, "emotion",
            ))
        else:
            out.append(Finding(
                "beauty-words", "tip", EMOTION_OVER_BEAUTY,
                f'"{beauty[0]}" adds little that the generator does not already aim for.',
                "Drop it, or swap it for a specific cue such as a soft genuine smile or candid eye contact.",
                2, "emotion",
            ))

    if "gaze:direct" in found and "gaze:averted" in found:
        out.append(Finding(
            "gaze-contradiction", "problem", ONE_STORY,
            f"Direct gaze and looking away at once: {_quote(found['gaze:direct'])} versus "
            f"{_quote(found['gaze:averted'])}. The generator will pick one or blend them.",
            "Choose one: direct gaze addresses the viewer (trust, approachability); an averted gaze lets them "
            "watch a thought (contemplation, aspiration).",
            1, "gaze",
        ))
    serious = goal is not None and goal.serious
    if "smile:broad" in found and (serious or "mood:serious" in found):
        reason = f"the goal is {goal.label.lower()}" if serious else f"the prompt asks for {_quote(found['mood:serious'])}"
        out.append(Finding(
            "grin-vs-authority", "problem", ONE_STORY,
            f"A broad grin ({_quote(found['smile:broad'])}) works against seriousness: {reason}.",
            "Keep the smile small (slight smile at the mouth corners) or choose a warmer goal.",
            2, "expression",
        ))
    if "palette:warm" in found and "palette:cold" in found and "palette:split" not in found:
        out.append(Finding(
            "palette-clash", "problem", COLOUR,
            f"Warm and cold colour at once: {_quote(found['palette:warm'])} versus {_quote(found['palette:cold'])}.",
            "Pick one temperature, or ask for it on purpose: split toning, warm highlights and cool shadows.",
            5, "palette",
        ))
    for avoided in spec.avoid:
        if avoided.casefold() in text.casefold():
            out.append(Finding(
                "avoid-conflict", "problem", ONE_STORY,
                f'"{avoided}" is both asked for and in the negative prompt.',
                "Remove it from one of the two.", 7, "avoid",
            ))

    for match in dict.fromkeys(m.lower() for m in _OVER_POLISH.findall(text)):
        out.append(Finding(
            "over-polish", "warning", IMPERFECT_REALISM,
            f'"{match}" asks for the over-smoothed look that makes portraits feel synthetic.',
            f'Write "{OVER_POLISH[match]}" instead.', 3, "realism",
        ))
    approach = goal is not None and goal.approach
    if approach and "gaze:averted" in found and "gaze:direct" not in found:
        out.append(Finding(
            "gaze-vs-goal", "warning", ONE_STORY,
            f"An averted gaze ({_quote(found['gaze:averted'])}) turns the viewer into an observer, which works "
            f"against {goal.label.lower()}.",
            "Use direct or candid eye contact for goals that invite the viewer in.", 1, "gaze",
        ))
    if approach and "posture:closed" in found:
        out.append(Finding(
            "posture-vs-goal", "warning", ONE_STORY,
            f"A closed posture ({_quote(found['posture:closed'])}) can read as defensive, against {goal.label.lower()}.",
            "Try a relaxed open posture or leaning slightly forward.", 4, "posture",
        ))
    if approach and "light:harsh" in found:
        out.append(Finding(
            "light-vs-goal", "warning", ONE_STORY,
            f"Harsh light ({_quote(found['light:harsh'])}) flattens warmth, against {goal.label.lower()}.",
            "Try soft window light; softer shadows feel more natural.", 8, "lighting",
        ))
    tokens = estimate_tokens(text)
    if tokens > TOKEN_BUDGET:
        out.append(Finding(
            "overlong", "warning", SHORT,
            f"About {tokens} tokens: past the {TOKEN_BUDGET} that Stable Diffusion's text encoder reads at once, "
            "so the end of the prompt counts for less.",
            "Keep one phrase per field and cut repeated or decorative words.", 7,
        ))

    if "smile:broad" in found and "gaze:averted" in found and "gaze:direct" not in found:
        out.append(Finding(
            "smile-vs-gaze", "tip", ONE_STORY,
            "A broad smile with an averted gaze: joy reads most clearly with direct gaze.",
            "Pair a big smile with eye contact, or soften the smile for a reflective look.", 1, "gaze",
        ))
    if "asymmetry:expression" in found:
        out.append(Finding(
            "lopsided-expression", "tip", HONEST_ASYMMETRY,
            f"{_quote(found['asymmetry:expression'])} asks for a lopsided expression; in the study the article "
            "cites, symmetrical expressions were judged more genuine.",
            'Ask for "slight natural facial asymmetry" (the face) and a natural expression instead.', 2, "expression",
        ))
    if not spec.realism:
        out.append(Finding(
            "no-realism", "tip", IMPERFECT_REALISM,
            "No imperfect-realism cue: generators drift toward a smooth, synthetic look.",
            'Add one or two cues such as "natural skin texture" or "slight natural facial asymmetry".', 3, "realism",
        ))
    repeated = _repeated(spec)
    if repeated:
        out.append(Finding(
            "repeated", "tip", SHORT, f'"{repeated}" appears twice.', "Keep it once; repeats waste tokens.", 7,
        ))
    out.sort(key=lambda f: SEVERITIES.index(f.severity))
    return Findings(out)


def _repeated(spec: PromptSpec) -> str:
    seen = set()
    for _, text in phrases(spec):
        key = text.casefold()
        if key in seen:
            return text
        seen.add(key)
    return ""

