"""Export a prompt for the generator a learner uses, in that generator's own syntax.

Every target starts from the same phrases (:func:`~.model.phrases`), so what
the preview shows is what each export says. Free text is made safe for each
target: characters that would switch on the generator's own syntax (emphasis
brackets, wildcards, multi-prompt weights, parameters, style placeholders) are
escaped where the syntax allows it and neutralised where it does not.

Targets:

``plain``
    Natural-language models (FLUX, DALL·E, Imagen...). Guidance-distilled
    models such as FLUX.1 dev and schnell normally run at CFG 1, where the
    negative prompt is never computed (raising CFG above 1, "true CFG", makes
    it work at about twice the time), so realism negatives are rephrased as
    positive cues, skipping any the prompt already says.
``a1111``
    AUTOMATIC1111, Forge and ComfyUI: ``(phrase:1.2)`` emphasis and a negative prompt.
``midjourney``
    ``--ar``, ``--raw``, ``--s``, ``--seed``, ``--no`` and ``--v`` parameters.
``fooocus``
    A Fooocus style file: JSON with a ``{prompt}`` placeholder for the subject.
``styles_csv``
    A line for A1111's ``styles.csv`` (``name,prompt,negative_prompt``), same placeholder.
``record``
    JSON holding the spec, the resolved text, the seed and the target's exact text.
"""

from __future__ import annotations

import csv
import hashlib
import html
import io
import json
import math
import re
from dataclasses import dataclass
from typing import Callable

from .model import TOKEN_BUDGET, PromptSpec, clean_text, estimate_tokens, phrases, resolve

#: Largest seed every target accepts (Midjourney's limit, 2**32 - 1).
MAX_SEED = 4_294_967_295

#: Midjourney versions this export knows; before 7 raw mode was spelled ``--style raw``.
MIDJOURNEY_VERSIONS = ("5.1", "5.2", "6", "6.1", "7", "8", "8.1")

#: Realism negatives said as positive cues, for models that ignore negative prompts.
NEGATIVE_AS_POSITIVE: dict[str, str] = {
    "plastic skin": "natural skin texture with visible pores",
    "airbrushed skin": "skin texture kept, only lightly retouched",
    "overly smooth skin": "natural skin texture",
    "waxy skin": "natural skin texture",
    "doll-like face": "natural facial proportions",
    "perfect symmetry": "slight natural facial asymmetry",
    "beauty filter": "true-to-life colour, unfiltered",
    "heavy makeup": "minimal natural makeup",
    "stiff pose": "relaxed posture",
    "forced smile": "genuine, relaxed expression",
    "blank stare": "attentive, engaged eyes",
    "dead eyes": "attentive, engaged eyes",
    "harsh flash": "soft diffused light",
    "oversaturated colours": "natural colour",
    "oversaturated colors": "natural color",
    "cluttered background": "simple, uncluttered background",
    "blurry": "sharp focus on the eyes",
    "over-sharpened": "natural detail",
}


def _cover(*alternatives: str) -> re.Pattern:
    return re.compile(r"(?<!\w)(?:" + "|".join(alternatives) + r")(?!\w)", re.IGNORECASE)


#: When a prompt already says a positive cue in its own words: then the cue is not added again.
ALREADY_SAID: dict[str, re.Pattern] = {
    "natural skin texture with visible pores": _cover(r"skin texture", r"visible pores", r"textured skin"),
    "skin texture kept, only lightly retouched": _cover(r"skin texture", r"lightly retouched", r"unretouched"),
    "natural skin texture": _cover(r"skin texture", r"visible pores", r"textured skin"),
    "natural facial proportions": _cover(r"facial proportions", r"natural features", r"distinctive natural features"),
    "slight natural facial asymmetry": _cover(r"asymmetr\w*"),
    "true-to-life colour, unfiltered": _cover(r"unfiltered", r"true-to-life colou?r", r"natural colou?rs?"),
    "minimal natural makeup": _cover(r"(?:minimal|natural|no) makeup", r"bare-faced"),
    "relaxed posture": _cover(r"relaxed (?:\w+ )?posture", r"at ease"),
    "genuine, relaxed expression": _cover(r"genuine", r"relaxed (?:\w+ )?expression"),
    "attentive, engaged eyes": _cover(r"attentive", r"engaged eyes"),
    "soft diffused light": _cover(r"soft (?:\w+ )?light", r"diffused"),
    "natural colour": _cover(r"natural colou?rs?", r"true-to-life colou?r", r"muted"),
    "natural color": _cover(r"natural colou?rs?", r"true-to-life colou?r", r"muted"),
    "simple, uncluttered background": _cover(r"uncluttered", r"simple (?:\w+ )?background", r"clean (?:\w+ )?backdrop"),
    "sharp focus on the eyes": _cover(r"sharp focus", r"in focus"),
    "natural detail": _cover(r"natural detail"),
}


@dataclass(frozen=True)
class Export:
    """What to paste where: named blocks of text, and notes on what the export did.

    Examples
    --------
    >>> out = export(PromptSpec(identity="an artist (painter)", avoid="plastic skin"), "a1111")
    >>> out.prompt, out.negative
    ('an artist \\\\(painter\\\\)', 'plastic skin')
    """

    target: str
    label: str
    blocks: tuple[tuple[str, str], ...]
    notes: tuple[str, ...] = ()

    @property
    def prompt(self) -> str:
        """The first block: the text for the main prompt box (or the file's content)."""
        return self.blocks[0][1]

    @property
    def negative(self) -> str:
        """The negative prompt block, or an empty string when the target has none."""
        return dict(self.blocks).get("Negative prompt", "")

    def _repr_html_(self) -> str:
        return export_html(self)

    def __repr__(self) -> str:
        parts = [f"{title}:\n{text}" for title, text in self.blocks]
        return "\n\n".join([f"[{self.label}]", *parts, *(f"Note: {note}" for note in self.notes)])


def export_html(out: Export, copy_script: str = "") -> str:
    """An export as HTML: each block in a read-only text box, then the notes. All text is escaped.

    With ``copy_script`` (JavaScript run by a button's click), each box gets a
    Copy button; the script finds the text box itself, so no text is ever put
    into the script.

    Examples
    --------
    >>> "&lt;img" in export_html(export(PromptSpec(identity="<img src=x onerror=alert(1)>"), "midjourney"))
    True
    """
    e = html.escape
    blocks = []
    for title, text in out.blocks:
        rows = min(14, max(2, text.count("\n") + 1 + len(text) // 100))
        button = (f'<button class="pl-copy jupyter-button" type="button" onclick="{e(copy_script)}">Copy</button> '
                  '<span class="pl-copy-status"></span>') if copy_script else ""  # fmt: skip
        blocks.append(
            f'<div class="pl-copy-block"><div><b>{e(title)}</b></div>'
            f'<textarea class="pl-export-text" readonly rows="{rows}" spellcheck="false" '
            f'style="width:100%;box-sizing:border-box;font-family:monospace;font-size:12px">{e(text)}</textarea>'
            f"<div>{button}</div></div>"
        )
    notes = "".join(f"<li>{e(note)}</li>" for note in out.notes)
    return (f'<div class="pl-export pl-export-{e(out.target)}">{"".join(blocks)}'
            f'<ul class="pl-notes" style="color:#555;margin-top:4px">{notes}</ul></div>')  # fmt: skip


# --- escaping -------------------------------------------------------------------

_SD_BRACKETS = str.maketrans({"(": r"\(", "[": r"\(", "{": r"\(", "<": r"\(",
                              ")": r"\)", "]": r"\)", "}": r"\)", ">": r"\)", "|": "/", "\\": "/"})  # fmt: skip
_SD_KEYWORDS = re.compile(r"\b(AND|BREAK)\b")
_WILDCARD = re.compile(r"_{2,}")
_EMBEDDING = re.compile(r"embedding:", re.IGNORECASE)
_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_RUNS_OF_HYPHENS = re.compile(r"-{2,}")
_RUNS_OF_COLONS = re.compile(r":{2,}")
_URL_SCHEME = re.compile(r"\b[a-z][a-z0-9+.-]*://", re.IGNORECASE)
_NEUTRAL_DROP = str.maketrans({c: " " for c in "()[]{}<>|\\"})


def escape_sd(text: str) -> str:
    """Free text made literal for A1111, Forge, ComfyUI and Fooocus.

    Round brackets become ``\\(`` and ``\\)`` (literal in both A1111 and
    ComfyUI); square, curly and angle brackets become the same, since they
    start de-emphasis, wildcard variants or LoRA tags; ``|`` and backslashes
    become ``/``; the keywords ``AND`` and ``BREAK`` are lower-cased; ``__``
    (wildcards) and ``embedding:`` are broken up.

    Examples
    --------
    >>> print(escape_sd("studio (blue walls) AND [draft] {a|b} __colours__"))
    studio \\(blue walls\\) and \\(draft\\) \\(a/b\\) _colours_
    """
    text = clean_text(text).translate(_SD_BRACKETS)
    text = _SD_KEYWORDS.sub(lambda m: m.group(0).lower(), text)
    text = _EMBEDDING.sub("embedding ", _WILDCARD.sub("_", text))
    return clean_text(text)


def escape_midjourney(text: str) -> str:
    """Free text that Midjourney reads as words only.

    ``--`` (and the long dashes phones type for it) would start a parameter,
    ``::`` a multi-prompt weight, ``{a, b}`` a permutation, and a leading URL an
    image prompt; each is reduced to a harmless single character.

    Examples
    --------
    >>> escape_midjourney("calm::2 face --no smile {red, blue} https://x.org/a.jpg")
    'calm:2 face -no smile (red, blue) x.org/a.jpg'
    """
    text = _DASHES.sub("-", clean_text(text))
    text = _RUNS_OF_COLONS.sub(":", _RUNS_OF_HYPHENS.sub("-", text))
    text = _URL_SCHEME.sub("", text.replace("{", "(").replace("}", ")"))
    return clean_text(text)


def neutral_text(text: str) -> str:
    """Free text with no generator syntax at all, for natural-language models.

    Examples
    --------
    >>> neutral_text("studio (blue walls) -- calm::2 __x__")
    'studio blue walls - calm:2 _x_'
    """
    text = _DASHES.sub("-", clean_text(text).translate(_NEUTRAL_DROP))
    text = _RUNS_OF_COLONS.sub(":", _RUNS_OF_HYPHENS.sub("-", _WILDCARD.sub("_", text)))
    return clean_text(re.sub(r"\s+,", ",", text))


# --- options -------------------------------------------------------------------


def check_seed(seed: int) -> int:
    """Validate a seed; every target accepts 0 to 4,294,967,295."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise ValueError(f"The seed must be a whole number from 0 to {MAX_SEED:,} (got {seed!r}).")
    return seed


def parse_aspect(aspect: str) -> tuple[int, int]:
    """Read an aspect ratio such as ``"4:5"`` (whole numbers, as Midjourney requires).

    Examples
    --------
    >>> parse_aspect("4:5")
    (4, 5)
    >>> parse_aspect("1.5:1")
    Traceback (most recent call last):
    ...
    ValueError: Write the aspect ratio as two whole numbers, such as 4:5 or 16:9 (got '1.5:1').
    """
    match = re.fullmatch(r"\s*(\d{1,3})\s*:\s*(\d{1,3})\s*", aspect) if isinstance(aspect, str) else None
    if not match or 0 in (int(match[1]), int(match[2])):
        raise ValueError(f"Write the aspect ratio as two whole numbers, such as 4:5 or 16:9 (got {aspect!r}).")
    width, height = int(match[1]), int(match[2])
    if not 1 / 4 <= width / height <= 4:
        raise ValueError(f"{aspect} is more extreme than 1:4 or 4:1; choose a portrait or landscape ratio in between.")
    return width, height


def sdxl_size(aspect: str) -> tuple[int, int]:
    """Width and height for SDXL-era models: about one megapixel, multiples of 64.

    Examples
    --------
    >>> sdxl_size("4:5"), sdxl_size("1:1")
    ((896, 1152), (1024, 1024))
    """
    width, height = parse_aspect(aspect)
    ratio = width / height
    return round(math.sqrt(1024 * 1024 * ratio) / 64) * 64, round(math.sqrt(1024 * 1024 / ratio) / 64) * 64


# --- targets -------------------------------------------------------------------


def _weighted(spec: PromptSpec, escape: Callable[[str], str], placeholder: bool = False) -> list[str]:
    parts = []
    for name, text in phrases(spec):
        if name == "identity" and placeholder:
            continue
        phrase = escape(text)
        weight = spec.weight(name)
        parts.append(f"({phrase}:{weight:g})" if weight != 1.0 and phrase else phrase)
    if placeholder:  # the subject goes where identity would be
        order = [name for name, _ in phrases(spec) if name != "identity"]
        at = 1 if order and order[0] == "framing" else 0
        parts.insert(at, "{prompt}")
    return [part for part in parts if part]


def _negatives(spec: PromptSpec, escape: Callable[[str], str]) -> str:
    return ", ".join(filter(None, (escape(term) for term in spec.avoid)))


def positive_cues(spec: PromptSpec) -> tuple[list[tuple[str, str]], list[tuple[str, str]], list[str]]:
    """How the negatives of ``spec`` are said for a model that ignores negative prompts.

    Returns ``(added, covered, dropped)``: ``(negative, cue)`` pairs whose cue
    is added to the prompt; ``(negative, cue)`` pairs whose cue the prompt
    already says in its own words (or an earlier cue said), so nothing is
    added; and negatives with no positive phrasing.

    Examples
    --------
    >>> spec = PromptSpec(realism="natural skin texture", avoid="plastic skin, stiff pose, watermark")
    >>> positive_cues(spec)
    ([('stiff pose', 'relaxed posture')], [('plastic skin', 'natural skin texture with visible pores')], ['watermark'])
    """
    said = ", ".join(text for _, text in phrases(spec))
    added, covered, dropped = [], [], []
    for term in spec.avoid:
        cue = NEGATIVE_AS_POSITIVE.get(term.casefold())
        if cue is None:
            dropped.append(term)
        elif ALREADY_SAID[cue].search(said):
            covered.append((term, cue))
        else:
            added.append((term, cue))
            said += ", " + cue
    return added, covered, dropped


def _plain(spec: PromptSpec, seed: int, aspect: str) -> Export:
    added, covered, dropped = positive_cues(spec)
    text = ", ".join(filter(None, [neutral_text(t) for _, t in phrases(spec)] + [cue for _, cue in added]))
    notes = ["No generator syntax: emphasis weights are left out and brackets removed, so it pastes anywhere."]
    if spec.avoid:
        notes.append(
            "FLUX and similar models ignore a negative prompt at their usual settings (it only works with a "
            "setting that doubles the generation time; the optional section of lesson 07 explains). So this "
            "export says the realism negatives as positive cues instead."
        )
    if added:
        notes.append("Added as positive cues: " + "; ".join(f'"{term}" as "{cue}"' for term, cue in added) + ".")
    if covered:
        notes.append("Already covered by your prompt, so nothing was added: "
                     + ", ".join(f'"{term}"' for term, _ in covered) + ".")  # fmt: skip
    if dropped:
        notes.append("Left out, with no positive phrasing: " + ", ".join(f'"{t}"' for t in dropped)
                     + ". Naming an unwanted thing in a positive prompt can bring it in.")  # fmt: skip
    return Export("plain", TARGETS["plain"].label, (("Prompt", text),), tuple(notes))


def _a1111(spec: PromptSpec, seed: int, aspect: str) -> Export:
    width, height = sdxl_size(aspect)
    blocks = [("Prompt", ", ".join(_weighted(spec, escape_sd)))]
    if spec.avoid:
        blocks.append(("Negative prompt", _negatives(spec, escape_sd)))
    notes = [
        f"Set Seed to {seed} and the size to {width} x {height} (SDXL; use about half each side for SD 1.5).",
        "Brackets you typed are escaped as \\( \\) so they stay words; (phrase:1.2) is emphasis and "
        "(phrase:0.9) weakens a phrase. ComfyUI reads the same prompt in a CLIP Text Encode node.",
    ]
    tokens = estimate_tokens(resolve(spec))
    if tokens > TOKEN_BUDGET:
        notes.append(f"About {tokens} tokens: more than one {TOKEN_BUDGET}-token chunk. A1111, Forge and ComfyUI "
                     "encode each chunk on its own, so the phrases that matter most should come first.")  # fmt: skip
    return Export("a1111", TARGETS["a1111"].label, tuple(blocks), tuple(notes))


def _midjourney(spec: PromptSpec, seed: int, aspect: str, stylize: int = 50, version: str = "7",
                raw: bool = True) -> Export:  # fmt: skip
    if version not in MIDJOURNEY_VERSIONS:
        raise ValueError(f"Midjourney version {version!r} is not one this export knows: {', '.join(MIDJOURNEY_VERSIONS)}.")
    if isinstance(stylize, bool) or not isinstance(stylize, int) or not 0 <= stylize <= 1000:
        raise ValueError(f"Stylize (--s) must be a whole number from 0 to 1000 (got {stylize!r}).")
    width, height = parse_aspect(aspect)
    text = ", ".join(filter(None, (escape_midjourney(t) for _, t in phrases(spec))))
    params = [f"--ar {width}:{height}", f"--v {version}"]
    if raw:
        params.append("--raw" if float(version) >= 7 else "--style raw")
    params += [f"--s {stylize}", f"--seed {seed}"]
    negative = _negatives(spec, escape_midjourney)
    if negative:
        params.append(f"--no {negative}")
    notes = ("Raw mode and a low --s keep Midjourney's own beautifying style from smoothing the person away.",)
    # Say that typed syntax was reduced only when some was: a note about nothing typed confuses.
    if any(escape_midjourney(t) != clean_text(t) for _, t in phrases(spec)) or negative != _negatives(spec, clean_text):
        notes += ("Typed '--', '::', {braces} or a link were reduced to single characters so they stay words, "
                  "not parameters.",)  # fmt: skip
    return Export("midjourney", TARGETS["midjourney"].label, (("Prompt", " ".join([text, *params]).strip()),), notes)


def _style_name(spec: PromptSpec, name: str) -> str:
    from .presets import PRESETS  # presets import the model; import here to keep modules acyclic

    base = name or (f"Portrait Lessons {PRESETS[spec.goal].label}" if spec.goal in PRESETS else "Portrait Lessons")
    return neutral_text(base)[:80] or "Portrait Lessons"


def _fooocus(spec: PromptSpec, seed: int, aspect: str, name: str = "") -> Export:
    style = {"name": _style_name(spec, name), "prompt": ", ".join(_weighted(spec, escape_sd, placeholder=True)),
             "negative_prompt": _negatives(spec, escape_sd)}  # fmt: skip
    width, height = sdxl_size(aspect)
    notes = (
        "Save the JSON as a new file in Fooocus's sdxl_styles folder (for example sdxl_styles_portrait.json), "
        "restart Fooocus and tick the style; {prompt} is replaced by what you type in the prompt box.",
        f"Set the seed to {seed} and the aspect ratio to {width}×{height}.",
    )
    blocks = (("Style file (JSON)", json.dumps([style], indent=4, ensure_ascii=False)),
              ("Prompt box", escape_sd(spec.identity)))  # fmt: skip
    return Export("fooocus", TARGETS["fooocus"].label, blocks, notes)


def _styles_csv(spec: PromptSpec, seed: int, aspect: str, name: str = "") -> Export:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["name", "prompt", "negative_prompt"])
    writer.writerow([_style_name(spec, name), ", ".join(_weighted(spec, escape_sd, placeholder=True)),
                     _negatives(spec, escape_sd)])  # fmt: skip
    notes = (
        "Add the second line to the styles.csv in your A1111 or Forge folder (the header is there already), "
        "then pick the style under the Generate button; {prompt} is replaced by your prompt.",
    )
    blocks = (("styles.csv", buffer.getvalue()), ("Prompt box", escape_sd(spec.identity)))
    return Export("styles_csv", TARGETS["styles_csv"].label, blocks, notes)


def _record(spec: PromptSpec, seed: int, aspect: str, record_target: str = "a1111", **options) -> Export:
    if record_target == "record" or record_target not in TARGETS:
        raise ValueError(f"A record is kept for a generator target: {', '.join(t for t in TARGETS if t != 'record')}.")
    pasted = export(spec, record_target, seed, aspect, **options)
    record = {
        "format": "portrait-lessons/prompt-record", "version": 1, "target": record_target, "seed": seed,
        "aspect": aspect, "spec": spec.to_dict(), "resolved_text": resolve(spec),
        "paste": dict(pasted.blocks), "sha256": hashlib.sha256(pasted.prompt.encode()).hexdigest(),
    }  # fmt: skip
    notes = ("Keep this file beside the image: it holds the exact text, seed and settings, so you can show later "
             "which prompt made it (the optional section of lesson 07 shows how to check).",)  # fmt: skip
    return Export("record", TARGETS["record"].label, (("Record (JSON)", json.dumps(record, indent=2, ensure_ascii=False)),), notes)


def matches_record(record: dict | str, prompt: str) -> bool:
    """Whether ``prompt`` (as a generator saved it) is exactly the prompt a record says was pasted.

    Examples
    --------
    >>> spec = PromptSpec(identity="an artist")
    >>> record = export(spec, "record", seed=5).prompt
    >>> matches_record(record, "an artist"), matches_record(record, "an artist, smiling")
    (True, False)
    """
    data = json.loads(record) if isinstance(record, str) else record
    return hashlib.sha256(prompt.strip().encode()).hexdigest() == data["sha256"]


@dataclass(frozen=True)
class Target:
    """One generator the studio exports for."""

    label: str
    build: Callable[..., Export]
    negatives: bool


TARGETS: dict[str, Target] = {
    "plain": Target("Plain / FLUX", _plain, negatives=False),
    "a1111": Target("A1111 / ComfyUI", _a1111, negatives=True),
    "midjourney": Target("Midjourney", _midjourney, negatives=True),
    "fooocus": Target("Fooocus style", _fooocus, negatives=True),
    "styles_csv": Target("styles.csv", _styles_csv, negatives=True),
    "record": Target("JSON record", _record, negatives=True),
}


def export(spec: PromptSpec, target: str, seed: int = 0, aspect: str = "4:5", **options) -> Export:
    """Export ``spec`` for ``target`` (see the module's list) with an image seed and aspect ratio.

    Target options: ``midjourney`` takes ``stylize``, ``version`` and ``raw``;
    ``fooocus`` and ``styles_csv`` take a style ``name``; ``record`` takes
    ``record_target`` and passes other options on.

    Examples
    --------
    >>> spec = PromptSpec(identity="a founder", gaze="candid eye contact", avoid="plastic skin")
    >>> export(spec, "midjourney", seed=42).prompt
    'a founder, candid eye contact --ar 4:5 --v 7 --raw --s 50 --seed 42 --no plastic skin'
    """
    if target not in TARGETS:
        raise ValueError(f"Unknown target {target!r}. Targets: {', '.join(TARGETS)}")
    check_seed(seed)
    parse_aspect(aspect)
    return TARGETS[target].build(spec, seed, aspect, **options)


def export_all(spec: PromptSpec, seed: int = 0, aspect: str = "4:5") -> dict[str, Export]:
    """Every target's export of ``spec``, keyed by target name."""
    return {target: export(spec, target, seed, aspect) for target in TARGETS}
