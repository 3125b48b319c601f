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

from ..cards import card
from ..lessons import LESSONS, lesson_name
from .model import TOKEN_BUDGET, PromptSpec, clean_text, estimate_tokens, missing_layers, phrases
from .presets import PRESETS
from .vocabulary import LABELS, lookup

SEVERITIES = ("problem", "warning", "tip")

#: Export targets whose models read prompts through CLIP in 75-token chunks (SD 1.5, SDXL and their tools).
CLIP_TARGETS = ("a1111", "fooocus", "styles_csv")

THREE_LAYERS = "Three layers: identity, emotion, context"
EMOTION_OVER_BEAUTY = "Emotional direction over beauty words"
ONE_STORY = "Gaze, expression and goal tell one story"
IMPERFECT_REALISM = "Imperfect realism instead of polish"
COLOUR = "Colour amplifies one mood"
SHORT = "Short, specific prompts"
HONEST_ASYMMETRY = "Keep natural asymmetry, not a lopsided expression"
ASK_OR_AVOID = "Ask for a thing or keep it out, never both"

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

#: Over-polish words that can describe anything ("an immaculate navy suit"): flagged only when their phrase
#: is about skin, a face or a person, or when they stand alone.
CONTEXTUAL_POLISH = frozenset({
    "flawless", "immaculate", "idealized", "idealised", "hyper-perfect", "airbrushed", "perfectly symmetrical",
    "perfect symmetry",
})  # fmt: skip


def _words(*alternatives: str) -> re.Pattern:
    """Whole words or phrases: a hyphenated word such as "off-camera" is one word."""
    return re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)


def _parts(*alternatives: str) -> re.Pattern:
    """Whole words, also as parts of a hyphenated word ("cool" in "cool-toned", "blue" in "teal-blue")."""
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


_OVER_POLISH = _words(*(re.escape(w) for w in sorted(OVER_POLISH, key=len, reverse=True)))
_SKIN_CONTEXT = _parts(
    r"skin", r"complexions?", r"faces?", r"facial", r"features", r"pores?", r"makeup", r"make-up", r"looks?",
    r"retouch\w*", r"portraits?", r"headshots?", r"selfies?", r"wom[ae]n", r"m[ae]n", r"girls?", r"boys?",
    r"lad(?:y|ies)", r"person", r"people", r"models?", r"beauty", r"body", r"lips", r"eyes",
)  # fmt: skip
_FILLER = re.compile(r"\b(?:a|an|the|very|so|and|totally|completely)\b|[^\w\s]", re.IGNORECASE)

_BEAUTY = _words(
    "beautiful", "gorgeous", "stunning", "attractive", "handsome", "sexy", "glamorous", "supermodel", "cute",
    "lovely", "perfect face", "perfect features", "model looks",
    # "pretty" as an adjective for a person, not as in "pretty relaxed"
    r"pretty(?=\s+(?:young\s+|little\s+)?(?:wom[ae]n|girls?|lad(?:y|ies)|faces?|eyes|smile|models?|person|"
    r"people|boys?|m[ae]n|features|looks?)\b|\s*$)",
    # "beauty" itself, not a trade or a tool such as a beauty salon or a beauty dish
    r"beauty(?!\s+(?:salons?|parlou?rs?|shops?|stores?|therapists?|editors?|industry|brands?|business(?:es)?|"
    r"schools?|dish|spas?|clinics?|counters?|products?|bloggers?|influencers?|creators?|routines?|studios?|"
    r"treatments?|courses?|supply|supplies|retailers?))",
)  # fmt: skip

#: Phrases that mention direct gaze only to deny it ("avoiding eye contact"): an averted gaze, not a direct one.
_NEGATED_DIRECT = _words(
    r"(?:avoid(?:s|ed|ing)?|without|no|not|never|break(?:s|ing)?|refus(?:es|ing)(?: to)?|shun(?:s|ning)?)"
    r"(?:\s+(?:making|make|meeting|meet|any|direct|the|real|much))*"
    r"\s+(?:eye[- ]contact|(?:direct )?gaze|the viewer'?s? (?:eyes|gaze)|facing the camera|"
    r"looking (?:straight |directly )?(?:at|into|toward|towards) (?:the )?(?:camera|lens|viewer))"
)

#: Signals found anywhere in the positive prompt (after denied direct gaze is taken out).
_SIGNALS: dict[str, re.Pattern] = {
    "gaze:direct": _words(
        r"(?:direct|candid) (?:eye contact|gaze)", r"eye[- ]contact", r"direct gaze",
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
    "posture:closed": _words(r"arms crossed", r"crossed arms", r"folded arms", r"arms folded", r"hunched",
                             r"closed posture", r"guarded"),
    "light:harsh": _words(r"harsh (?:direct )?(?:flash|light|lighting)", r"direct flash", r"clinical light(?:ing)?"),
    "asymmetry:expression": _words(r"lopsided", r"uneven smile", r"crooked smile", r"one-sided smile",
                                   r"asymmetric(?:al)? (?:smile|expression)"),
}  # fmt: skip

#: Signals read only in the fields they describe: a mood in the emotional direction, colour in light and palette
#: ("a serious collector" is an identity, "a blue door" in a café is furniture, not a colour grade).
_FIELD_SIGNALS: dict[str, tuple[tuple[str, ...], re.Pattern]] = {
    "mood:serious": (("emotion", "expression", "posture"),
                     _words(r"authoritative", r"authority", r"serious", r"commanding", r"stern", r"gravitas")),
    "palette:warm": (("lighting", "palette"),
                     _parts(r"golden(?:-hour| hour)?", r"warm", r"warmth", r"amber", r"honey", r"sunset",
                            r"candle ?light", r"tungsten", r"sepia")),
    "palette:cold": (("lighting", "palette"),
                     _parts(r"cold", r"cool", r"icy", r"blue hour", r"steel[- ]blue", r"blue", r"teal", r"cyan",
                            r"bluish", r"moonlight", r"dusk")),
    "palette:split": (("lighting", "palette"),
                      _parts(r"split[- ]ton(?:e|ed|ing)", r"teal and orange", r"orange and teal", r"warm highlights")),
}  # fmt: skip


def beauty_words(text: str) -> list[str]:
    """The beauty words in one phrase ("pretty" and "beauty" only where they are about looks).

    Examples
    --------
    >>> beauty_words("a pretty woman"), beauty_words("pretty relaxed"), beauty_words("a beauty salon owner")
    (['pretty'], [], [])
    """
    return [word for part in text.split(",") for word in _BEAUTY.findall(part)]


def polish_words(text: str) -> list[str]:
    """The over-polish words in one phrase, lower-cased; words such as "immaculate" only when about skin or a face.

    Examples
    --------
    >>> polish_words("flawless skin"), polish_words("a woman in an immaculate navy suit"), polish_words("immaculate")
    (['flawless skin'], [], ['immaculate'])
    """
    found = []
    for part in text.split(","):
        for match in _OVER_POLISH.finditer(part):
            word = match[0].lower()
            if word not in CONTEXTUAL_POLISH or _about_skin(part[: match.start()], part[match.end() :]):
                found.append(word)
    return found


def _about_skin(before: str, after: str) -> bool:
    """Whether a word between ``before`` and ``after`` describes skin or a face.

    True when it stands alone, when one of the next three words names skin, a face or a person ("flawless
    complexion"), or when it ends the phrase and one of the three words before does ("skin looks flawless").
    """
    before, after = _FILLER.sub(" ", before).split(), _FILLER.sub(" ", after).split()
    if not before and not after:
        return True
    near = after[:3] if after else before[-3:]
    return any(_SKIN_CONTEXT.fullmatch(word) for word in near)


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
    card: str = ""  # the evidence card behind a claim about viewers, if the finding makes one

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


def _evidence(finding: Finding) -> str:
    if not finding.card:
        return ""
    # The card's key stays in the tooltip: a learner reads the strength, a teacher can look the card up.
    return (f'; <span title="evidence card {html.escape(finding.card)}">evidence: '
            f"{html.escape(card(finding.card).strength)}</span>")


def findings_html(findings: list[Finding]) -> str:
    """Findings as an HTML list; every piece of text is escaped."""
    e = html.escape
    if not findings:
        return '<div class="pl-lint pl-lint-clean" style="color:#2e6b2e"><b>Clean:</b> no findings.</div>'
    items = "".join(
        f'<li class="pl-finding pl-{f.severity}" data-code="{e(f.code)}">'
        f'<b style="color:{_SEVERITY_COLOURS[f.severity]}">{e(f.severity)}</b> {e(f.message)} '
        f"<i>Fix:</i> {e(f.fix)} "
        f'<span style="color:#666">({e(f.principle)}; {e(lesson_name(f.lesson))}{_evidence(f)})</span></li>'
        for f in findings
    )
    return f'<ul class="pl-lint" style="margin:0;padding-left:1.2em">{items}</ul>'


def signals(spec: PromptSpec, pairs: list[tuple[str, str]] | None = None) -> dict[str, list[tuple[str, str]]]:
    """Which lint signals the prompt sends, and in which ``(field, phrase)`` each was found.

    ``pairs`` are the spec's :func:`~.model.phrases`, when already at hand.

    Examples
    --------
    >>> sorted(signals(PromptSpec(gaze="candid eye contact", palette="warm golden tones")))
    ['gaze:direct', 'palette:warm']
    >>> sorted(signals(PromptSpec(gaze="avoiding eye contact", context="a café with a blue door")))
    ['gaze:averted']
    """
    found: dict[str, list[tuple[str, str]]] = {}
    for name, text in phrases(spec) if pairs is None else pairs:
        term = lookup(name, text)
        tags = set(term.tags) if term else set()
        if _NEGATED_DIRECT.search(text):  # "avoiding eye contact" is an averted gaze
            tags.add("gaze:averted")
            text_read = _NEGATED_DIRECT.sub(" ", text)
        else:
            text_read = text
        tags.update(tag for tag, pattern in _SIGNALS.items() if pattern.search(text_read))
        tags.update(tag for tag, (names, pattern) in _FIELD_SIGNALS.items()
                    if name in names and pattern.search(text_read))  # fmt: skip
        for tag in tags:
            found.setdefault(tag, []).append((name, text))
    return found


def _quote(places: list[tuple[str, str]]) -> str:
    return " and ".join(f'"{text}" ({LABELS[name].lower()})' for name, text in places[:2])


def _token_finding(tokens: int, target: str | None) -> Finding | None:
    """The long-prompt finding: a warning for CLIP targets, a tip when the target is unknown, else nothing."""
    if tokens <= TOKEN_BUDGET or (target is not None and target not in CLIP_TARGETS):
        return None
    return Finding(
        "overlong", "warning" if target else "tip", SHORT,
        f"About {tokens} tokens. Stable Diffusion 1.5 and SDXL (A1111, Forge, ComfyUI, Fooocus) read a prompt in "
        f"chunks of {TOKEN_BUDGET} tokens and encode each chunk on its own, so a phrase can be cut in two at the "
        f"boundary; plain diffusers pipelines drop everything past {TOKEN_BUDGET}. FLUX and Midjourney read "
        "prompts this long without trouble.",
        "For SD 1.5 or SDXL, cut repeated or decorative words and keep the phrases that matter most in the first "
        f"{TOKEN_BUDGET} tokens; for FLUX or Midjourney, keep what describes the person.",
        7,
    )  # fmt: skip


@dataclass(frozen=True)
class Reading:
    """What the rules read from one prompt: worked out once, shared by every rule."""

    spec: PromptSpec
    target: str | None
    pairs: list[tuple[str, str]]  # (field, phrase), as phrases() gives them
    found: dict[str, list[tuple[str, str]]]  # signal -> where it was found
    text: str  # the resolved prompt

    @classmethod
    def of(cls, spec: PromptSpec, target: str | None = None) -> "Reading":
        pairs = phrases(spec)
        text = ", ".join(phrase for _, phrase in pairs)  # resolve(spec), without working out the phrases again
        return cls(spec, target, pairs, signals(spec, pairs), text)

    @property
    def goal(self):
        return PRESETS.get(self.spec.goal)

    @property
    def approach(self) -> bool:
        """The goal invites the viewer in (trust, approachability...)."""
        return self.goal is not None and self.goal.approach

    def has(self, *signals_: str) -> bool:
        return all(s in self.found for s in signals_)


#: The lint rules, in the order their findings are listed within a severity. Each takes a
#: :class:`Reading` and yields findings; adding a trap is adding one function with ``@rule``.
RULES: list = []


def rule(check):
    """Register a lint rule (a function from :class:`Reading` to findings)."""
    RULES.append(check)
    return check


@rule
def missing_layer(r: Reading):
    hints = {"identity": "Say who the person is: founder, artist, athlete, student...",
             "emotion": "Give emotional direction: a mood, plus gaze, expression or posture.",
             "context": "Place them somewhere: a studio, a café, a street, a room with a window."}  # fmt: skip
    for layer in missing_layers(r.spec):
        yield Finding(f"missing-{layer}", "problem", THREE_LAYERS, f"The {layer} layer is empty.", hints[layer], 7,
                      layer)  # fmt: skip


@rule
def beauty_only(r: Reading):
    beauty = [(name, word) for name, phrase in r.pairs for word in beauty_words(phrase)]
    if not beauty:
        return
    where = beauty[0][0]
    words = list(dict.fromkeys(word.lower() for _, word in beauty))
    named, one = ", ".join(f'"{w}"' for w in words), len(words) == 1
    emotional = any(clean_text(getattr(r.spec, n)) for n in ("emotion", "gaze", "expression", "posture"))
    placed = bool(clean_text(r.spec.context))
    if not emotional or not placed:
        missing = " or ".join(w for w, ok in (("emotion", emotional), ("context", placed)) if not ok)
        yield Finding(
            "beauty-only", "problem", EMOTION_OVER_BEAUTY,
            f"Beauty words ({named}) with no {missing}: the portrait may look good and say nothing.",
            "Replace the beauty words with emotional direction (gaze, expression, posture) and a setting.",
            2, where,
        )  # fmt: skip
    else:
        yield Finding(
            "beauty-words", "tip", EMOTION_OVER_BEAUTY,
            f"{named} add{'s' if one else ''} little: in practitioners' experience, generators aim for an "
            "attractive picture anyway.",
            f"Drop {'it' if one else 'them'}, or say something specific instead, such as a soft genuine smile "
            "or candid eye contact.",
            2, where, "prompt.three-layers",
        )  # fmt: skip


@rule
def gaze_contradiction(r: Reading):
    if r.has("gaze:direct", "gaze:averted"):
        yield Finding(
            "gaze-contradiction", "problem", ONE_STORY,
            f"Direct gaze and looking away at once: {_quote(r.found['gaze:direct'])} versus "
            f"{_quote(r.found['gaze:averted'])}. The generator will pick one or blend them.",
            "Choose one: direct gaze draws the viewer in (often read as trust or approachability, a reading that "
            "varies with culture); an averted gaze is read as a thought (contemplation, aspiration).",
            1, "gaze", "gaze.eye-contact",
        )  # fmt: skip


@rule
def grin_vs_authority(r: Reading):
    serious = r.goal is not None and r.goal.serious
    if r.has("smile:broad") and (serious or r.has("mood:serious")):
        reason = (f"the goal is {r.goal.label.lower()}" if serious
                  else f"the prompt asks for {_quote(r.found['mood:serious'])}")  # fmt: skip
        yield Finding(
            "grin-vs-authority", "problem", ONE_STORY,
            f"A broad grin ({_quote(r.found['smile:broad'])}) works against seriousness (broad smiles read less "
            f"competent): {reason}.",
            "Keep the smile small (slight smile at the mouth corners) or choose a warmer goal.",
            2, "expression", "expression.smile-intensity",
        )  # fmt: skip


@rule
def palette_clash(r: Reading):
    if r.has("palette:warm", "palette:cold") and not r.has("palette:split"):
        warm, cold = r.found["palette:warm"], r.found["palette:cold"]
        where = f"{_quote(warm)} mixes both" if warm == cold else f"{_quote(warm)} versus {_quote(cold)}"
        yield Finding(
            "palette-clash", "problem", COLOUR,
            f"Warm and cold colour at once: {where}.",
            "Pick one temperature, or ask for it on purpose: split toning, warm highlights and cool shadows.",
            5, "palette",
        )  # fmt: skip


@rule
def avoid_conflict(r: Reading):
    for avoided in r.spec.avoid:
        if re.search(r"(?<!\w)" + re.escape(avoided) + r"(?!\w)", r.text, re.IGNORECASE):
            yield Finding(
                "avoid-conflict", "problem", ASK_OR_AVOID,
                f'"{avoided}" is both asked for and in the negative prompt, so the two pull against each other.',
                "Remove it from one of the two.", 7, "avoid",
            )  # fmt: skip


@rule
def over_polish(r: Reading):
    polished = dict.fromkeys((word, name) for name, phrase in r.pairs for word in polish_words(phrase))
    for word in dict.fromkeys(word for word, _ in polished):
        where = next(name for w, name in polished if w == word)
        yield Finding(
            "over-polish", "warning", IMPERFECT_REALISM,
            f'"{word}" asks for the over-smoothed look that, in practitioners\' experience, makes portraits feel '
            "synthetic.",
            f'Write "{OVER_POLISH[word]}" instead.', 3, where, "texture.over-smoothing",
        )  # fmt: skip


#: Signals that work against a goal that invites the viewer in:
#: (signal, code, what it does, fix, lesson, field, the evidence card behind "what it does").
AGAINST_APPROACH = (
    ("mood:serious", "serious-vs-goal", "A serious face ({}) tends to read as keeping the viewer at a distance, "
     "against {}.", "Try a relaxed natural expression, a slight smile at the mouth corners, or a genuine smile.", 2,
     "expression", "expression.readings"),
    ("posture:closed", "posture-vs-goal", "A closed posture ({}) can read as defensive, against {}.",
     "Try a relaxed open posture or leaning slightly forward.", 4, "posture", "posture.open"),
    ("light:harsh", "light-vs-goal", "Harsh light ({}) is said to flatten warmth, against {}.",
     "Try soft window light; softer shadows feel more natural.", 8, "lighting", "light.practice"),
)  # fmt: skip


@rule
def against_approach_goal(r: Reading):
    if not r.approach:
        return
    goal = r.goal.label.lower()
    if r.has("gaze:averted") and not r.has("gaze:direct"):
        yield Finding(
            "gaze-vs-goal", "warning", ONE_STORY,
            f"An averted gaze ({_quote(r.found['gaze:averted'])}) is read as turning the viewer into an observer, "
            f"which may work against {goal}.",
            "Use direct or candid eye contact for goals that invite the viewer in.", 1, "gaze", "gaze.averted-reading",
        )  # fmt: skip
    for signal, code, message, fix, lesson, field, evidence in AGAINST_APPROACH:
        if r.has(signal):
            yield Finding(code, "warning", ONE_STORY, message.format(_quote(r.found[signal]), goal), fix, lesson,
                          field, evidence)  # fmt: skip


@rule
def overlong(r: Reading):
    finding = _token_finding(estimate_tokens(r.text), r.target)
    if finding:
        yield finding


@rule
def smile_vs_gaze(r: Reading):
    if r.has("smile:broad", "gaze:averted") and not r.has("gaze:direct"):
        yield Finding(
            "smile-vs-gaze", "tip", ONE_STORY,
            "A broad smile with an averted gaze: happiness was seen more readily with direct gaze.",
            "Pair a big smile with eye contact, or soften the smile for a reflective look.", 1, "gaze", "gaze.liang",
        )  # fmt: skip


@rule
def lopsided_expression(r: Reading):
    if r.has("asymmetry:expression"):
        yield Finding(
            "lopsided-expression", "tip", HONEST_ASYMMETRY,
            f"{_quote(r.found['asymmetry:expression'])} asks for a lopsided expression; in the study the article "
            "cites, symmetrical expressions were judged more genuine.",
            'Ask for "slight natural facial asymmetry" (the face) and a natural expression instead.', 2, "expression",
            "symmetry.genuineness",
        )  # fmt: skip


@rule
def no_realism(r: Reading):
    if not r.spec.realism:
        yield Finding(
            "no-realism", "tip", IMPERFECT_REALISM,
            "No imperfect-realism cue: in practitioners' experience, generators drift toward a smooth, synthetic "
            "look.",
            'Add one or two cues such as "natural skin texture" or "slight natural facial asymmetry".', 3, "realism",
            "texture.over-smoothing",
        )  # fmt: skip


@rule
def repeated(r: Reading):
    text = _repeated(r.pairs)
    if text:
        yield Finding("repeated", "tip", SHORT, f'"{text}" appears twice.', "Keep it once; repeats waste tokens.", 7)


def lint(spec: PromptSpec, target: str | None = None) -> Findings:
    """Check a prompt against the workbook's principles: every rule in :data:`RULES`, problems first.

    ``target`` is the export target the prompt is for, when known: the
    long-prompt check then applies only to Stable Diffusion 1.5 and SDXL
    targets (:data:`CLIP_TARGETS`), as a warning; without a target it is a tip.

    Examples
    --------
    >>> from portrait_lessons.prompts.presets import preset
    >>> lint(preset("trust").spec).clean
    True
    >>> lint(PromptSpec(identity="beautiful woman, flawless skin")).codes
    ['missing-emotion', 'missing-context', 'beauty-only', 'over-polish', 'no-realism']
    >>> [f.code for f in palette_clash(Reading.of(PromptSpec(palette="warm amber and icy blue")))]
    ['palette-clash']
    """
    reading = Reading.of(spec, target)
    found = [finding for check in RULES for finding in check(reading)]
    return Findings(sorted(found, key=lambda f: SEVERITIES.index(f.severity)))


def _repeated(pairs: list[tuple[str, str]]) -> str:
    seen = set()
    for _, text in pairs:
        key = text.casefold()
        if key in seen:
            return text
        seen.add(key)
    return ""

