"""Every export pastes cleanly into its target's syntax, whatever the learner typed.

The parsers below re-implement, from their documented behaviour, how each
generator reads a prompt: A1111's emphasis parser (``modules/prompt_parser.py``),
ComfyUI's weights and escapes (``comfy/sd1_clip.py``), Fooocus's ``{prompt}``
style template (``modules/sdxl_styles.py``), A1111's ``styles.csv``
(``modules/styles.py``) and Midjourney's parameters. The tests then check that
free text comes out of each parser as the same words, with no syntax switched on.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portrait_lessons.prompts import TARGETS, PromptSpec, export, export_all, preset, resolve
from portrait_lessons.prompts.exports import (
    ALREADY_SAID, MAX_SEED, NEGATIVE_AS_POSITIVE, escape_midjourney, escape_sd, matches_record, neutral_text,
    parse_aspect, positive_cues, sdxl_size,
)  # fmt: skip
from portrait_lessons.prompts.vocabulary import TEXT_FIELDS

TROUBLE = "a chef (pastry) [draft] {sweet|savory} __food__ <lora:x:1> AND BREAK embedding:bad \\ -- :: —no ::2 https://x.y/z.png"
free_text = st.text(max_size=150)


# --- reference parsers -------------------------------------------------------------

_A1111 = re.compile(r"\\\(|\\\)|\\\[|\\]|\\\\|\\|\(|\[|:([+-]?[.\d]+)\)|\)|]|[^\\()\[\]:]+|:")


def a1111_parse(text: str) -> list[tuple[str, float]]:
    """(text, weight) runs as A1111 reads them: (x) x1.1, (x:w), [x] /1.1, \\( literal."""
    runs: list[list] = []
    round_, square = [], []

    def multiply(start, factor):
        for run in runs[start:]:
            run[1] *= factor

    for match in _A1111.finditer(text):
        token, weight = match.group(0), match.group(1)
        if token.startswith("\\"):
            runs.append([token[1:], 1.0])
        elif token == "(":
            round_.append(len(runs))
        elif token == "[":
            square.append(len(runs))
        elif weight is not None and round_:
            multiply(round_.pop(), float(weight))
        elif token == ")" and round_:
            multiply(round_.pop(), 1.1)
        elif token == "]" and square:
            multiply(square.pop(), 1 / 1.1)
        else:
            runs.append([token, 1.0])
    for start in round_:
        multiply(start, 1.1)
    for start in square:
        multiply(start, 1 / 1.1)
    merged: list[list] = []
    for chunk, weight in runs:
        if merged and merged[-1][1] == weight:
            merged[-1][0] += chunk
        else:
            merged.append([chunk, weight])
    return [(chunk, weight) for chunk, weight in merged]


def comfy_parse(text: str) -> list[tuple[str, float]]:
    """(text, weight) pieces as ComfyUI's CLIP Text Encode reads them."""
    text = text.replace("\\)", "\0\1").replace("\\(", "\0\2")

    def split(string):
        out, current, depth = [], "", 0
        for char in string:
            if char == "(":
                if depth == 0 and current:
                    out.append(current)
                    current = ""
                current += char
                depth += 1
            elif char == ")":
                depth -= 1
                current += char
                if depth == 0:
                    out.append(current)
                    current = ""
            else:
                current += char
        if current:
            out.append(current)
        return out

    def weights(string, current):
        out = []
        for piece in split(string):
            weight = current
            if len(piece) >= 2 and piece[0] == "(" and piece[-1] == ")":
                piece = piece[1:-1]
                colon = piece.rfind(":")
                weight *= 1.1
                if colon > 0:
                    try:
                        weight = float(piece[colon + 1:])
                        piece = piece[:colon]
                    except ValueError:
                        pass
                out += weights(piece, weight)
            else:
                out.append((piece, current))
        return out

    return [(t.replace("\0\1", ")").replace("\0\2", "("), w) for t, w in weights(text, 1.0)]


def midjourney_parse(prompt: str) -> tuple[str, list[tuple[str, str]]]:
    """The text part and the (name, value) parameters, as Midjourney splits them."""
    head, *params = re.split(r"\s(?=--[a-z])", prompt)
    return head, [(p.split(" ", 1)[0][2:], p.split(" ", 1)[1] if " " in p else "") for p in params]


def _literal(text: str) -> str:
    return text.replace("\\(", "(").replace("\\)", ")")


def _a1111_syntax_free(text: str) -> None:
    assert not re.search(r"\bAND\b|\bBREAK\b", text)
    assert not re.search(r"<\w+:[^>]+>", text) and not re.search(r"__\w+__", text)
    assert "{" not in text and "}" not in text and "|" not in text
    assert "embedding:" not in text.lower()


# --- A1111 / ComfyUI ----------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(free_text)
def test_a1111_free_text_stays_literal_in_a1111_and_comfyui(text):
    spec = PromptSpec(identity=text, context="a studio", avoid=[text])
    out = export(spec, "a1111")
    expected = ", ".join(filter(None, [escape_sd(text), "a studio"]))
    assert out.prompt == expected
    for parse in (a1111_parse, comfy_parse):
        runs = parse(out.prompt)
        assert all(weight == 1.0 for _, weight in runs), runs
        assert "".join(chunk for chunk, _ in runs) == _literal(expected)
    _a1111_syntax_free(out.prompt)
    if out.negative:
        assert all(weight == 1.0 for _, weight in a1111_parse(out.negative))


@settings(max_examples=100, deadline=None)
@given(free_text.filter(lambda t: escape_sd(t)), st.sampled_from([0.5, 0.8, 1.1, 1.25, 1.5]))
def test_a1111_weights_apply_to_exactly_the_weighted_phrase(text, weight):
    spec = PromptSpec(identity="a potter", gaze=text, weights={"gaze": weight})
    prompt = export(spec, "a1111").prompt
    for parse in (a1111_parse, comfy_parse):
        weighted = [(chunk, w) for chunk, w in parse(prompt) if w != 1.0]
        assert weighted == [(_literal(escape_sd(text)), pytest.approx(weight))], (prompt, weighted)


def test_a1111_escapes_the_troublemakers():
    prompt = export(PromptSpec(identity=TROUBLE), "a1111").prompt
    _a1111_syntax_free(prompt)
    assert r"a chef \(pastry\) \(draft\)" in prompt
    assert "and break" in prompt and "_food_" in prompt and "\\\\" not in prompt


def test_a1111_export_gives_negative_prompt_seed_and_size():
    out = export(preset("trust").spec, "a1111", seed=123, aspect="2:3")
    assert out.negative == "plastic skin, airbrushed skin, doll-like face, beauty filter"
    assert "(direct eye contact:1.2)" in out.prompt
    assert any("123" in note and "832 x 1280" in note for note in out.notes)


# --- Midjourney ------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(free_text, free_text)
def test_midjourney_free_text_never_becomes_a_parameter_or_weight(text, negative):
    spec = PromptSpec(identity=text, context="a café", avoid=[negative] if negative.strip(",") else [])
    prompt = export(spec, "midjourney", seed=99).prompt
    head, params = midjourney_parse(prompt)
    names = [name for name, _ in params]
    expected = ["ar", "v", "raw", "s", "seed"] + (["no"] if spec.avoid and escape_midjourney(negative) else [])
    assert names == expected, prompt
    assert dict(params)["seed"] == "99" and dict(params)["ar"] == "4:5"
    for part in [head, *(value for _, value in params)]:
        assert "::" not in part and "{" not in part and "}" not in part and "—" not in part
    assert "--" not in head and "://" not in head


def test_midjourney_parameters_follow_the_version():
    spec = preset("contemplative").spec
    assert "--style raw" in export(spec, "midjourney", version="6.1").prompt
    assert "--raw" in export(spec, "midjourney", version="7").prompt
    assert "--raw" not in export(spec, "midjourney", raw=False).prompt
    assert "--s 250" in export(spec, "midjourney", stylize=250).prompt
    assert export(spec, "midjourney").prompt.endswith("--no plastic skin, airbrushed skin, doll-like face, beauty filter")
    with pytest.raises(ValueError, match="0 to 1000"):
        export(spec, "midjourney", stylize=5000)
    with pytest.raises(ValueError, match="version"):
        export(spec, "midjourney", version="4")


def test_midjourney_escaping_of_the_troublemakers():
    head, params = midjourney_parse(export(PromptSpec(identity=TROUBLE), "midjourney").prompt)
    assert "-no" in head and "--" not in head and "::" not in head and "x.y/z.png" in head
    assert [n for n, _ in params] == ["ar", "v", "raw", "s", "seed"]


# --- plain text for natural-language models --------------------------------------


@settings(max_examples=200, deadline=None)
@given(free_text)
def test_plain_text_has_no_generator_syntax(text):
    prompt = export(PromptSpec(identity=text, emotion=text), "plain").prompt
    assert not set(prompt) & set("()[]{}<>|\\")
    assert "--" not in prompt and "::" not in prompt and "__" not in prompt


def test_plain_rephrases_realism_negatives_as_positive_cues_and_says_so():
    spec = PromptSpec(identity="a teacher", context="a classroom", avoid=["plastic skin", "stiff pose", "watermark"])
    out = export(spec, "plain")
    assert out.negative == "" and not TARGETS["plain"].negatives
    assert NEGATIVE_AS_POSITIVE["plastic skin"] in out.prompt and "relaxed posture" in out.prompt
    assert "watermark" not in out.prompt
    notes = " ".join(out.notes)
    assert "FLUX" in notes and "ignore a negative prompt" in notes and "doubles" in notes
    # the notes under the studio's exports speak to a learner, not to code: no settings names, no functions
    assert "CFG" not in notes and "true_cfg_scale" not in notes
    record_notes = " ".join(export(spec, "record").notes)
    assert "matches_record" not in record_notes and "which prompt made it" in record_notes
    assert '"plastic skin" as' in notes and '"watermark"' in notes


def test_plain_does_not_repeat_a_cue_already_in_the_prompt():
    spec = PromptSpec(identity="a teacher", realism=["relaxed posture"], avoid=["stiff pose"])
    assert export(spec, "plain").prompt.count("relaxed posture") == 1


def test_plain_notes_list_only_the_cues_it_added_and_skips_close_ones():
    # the warmth preset already asks for natural skin texture: the skin negatives add nothing, and say so
    out = export(preset("warmth").spec, "plain")
    notes = " ".join(out.notes)
    assert out.prompt.count("skin texture") == 1
    assert "visible pores" not in out.prompt and "visible pores" not in notes
    assert "lightly retouched" not in out.prompt and "lightly retouched" not in notes
    added = next(note for note in out.notes if note.startswith("Added as positive cues"))
    assert '"doll-like face" as "natural facial proportions"' in added and "plastic skin" not in added
    for cue in ("natural facial proportions", "true-to-life colour, unfiltered"):
        assert cue in out.prompt
    covered = next(note for note in out.notes if note.startswith("Already covered"))
    assert '"plastic skin"' in covered and '"airbrushed skin"' in covered


def test_every_positive_cue_knows_when_it_is_already_said():
    for cue in NEGATIVE_AS_POSITIVE.values():
        assert ALREADY_SAID[cue].search(cue), cue  # a cue covers itself, so two negatives never add it twice
    spec = PromptSpec(identity="a teacher", avoid=["blank stare", "dead eyes"])
    added, covered, _ = positive_cues(spec)
    assert added == [("blank stare", "attentive, engaged eyes")] and covered == [("dead eyes", "attentive, engaged eyes")]


def test_a1111_notes_a_prompt_longer_than_one_clip_chunk():
    long = preset("trust").spec.replace(context=", ".join(["a very long and carefully described location"] * 6))
    assert any("75-token chunk" in note for note in export(long, "a1111").notes)
    assert not any("75-token chunk" in note for note in export(preset("trust").spec, "a1111").notes)


# --- styles: Fooocus JSON and A1111 styles.csv ----------------------------------


@settings(max_examples=150, deadline=None)
@given(free_text.filter(lambda t: escape_sd(t)))
def test_fooocus_style_applies_to_the_same_prompt_as_a1111(identity):
    spec = preset("warmth").spec.replace(identity=identity)
    out = export(spec, "fooocus", name='My "style" {prompt}')
    styles = json.loads(out.prompt)
    assert isinstance(styles, list) and set(styles[0]) == {"name", "prompt", "negative_prompt"}
    template = styles[0]["prompt"]
    assert template.count("{prompt}") == 1 and "{prompt}" not in styles[0]["name"]
    prompt_box = dict(out.blocks)["Prompt box"]
    assert template.replace("{prompt}", prompt_box) == export(spec, "a1111").prompt  # Fooocus: p.replace('{prompt}', positive)
    assert styles[0]["negative_prompt"] == export(spec, "a1111").negative


@settings(max_examples=150, deadline=None)
@given(free_text.filter(lambda t: escape_sd(t)), free_text)
def test_styles_csv_reads_back_as_one_style_with_one_placeholder(identity, name):
    spec = preset("trust").spec.replace(identity=identity)
    out = export(spec, "styles_csv", name=name)
    rows = list(csv.DictReader(io.StringIO(out.prompt), skipinitialspace=True))  # as A1111's StyleDatabase reads it
    assert len(rows) == 1 and list(rows[0]) == ["name", "prompt", "negative_prompt"]
    assert rows[0]["prompt"].count("{prompt}") == 1
    merged = rows[0]["prompt"].replace("{prompt}", dict(out.blocks)["Prompt box"])  # A1111's merge_prompts
    assert merged == export(spec, "a1111").prompt
    assert rows[0]["negative_prompt"] == export(spec, "a1111").negative
    assert rows[0]["name"].strip()


def test_style_names_default_to_the_goal():
    assert json.loads(export(preset("trust").spec, "fooocus").prompt)[0]["name"] == "Portrait Lessons Trust"


# --- JSON record -----------------------------------------------------------------


def test_record_holds_spec_text_seed_target_and_the_exact_paste():
    spec = preset("contemplative").spec
    record = json.loads(export(spec, "record", seed=31337, record_target="midjourney").prompt)
    assert record["format"] == "portrait-lessons/prompt-record" and record["target"] == "midjourney"
    assert record["seed"] == 31337 and record["resolved_text"] == resolve(spec)
    assert PromptSpec.from_dict(record["spec"]) == spec
    pasted = export(spec, "midjourney", seed=31337).prompt
    assert record["paste"]["Prompt"] == pasted
    assert matches_record(record, pasted) and matches_record(json.dumps(record), pasted + "\n")
    assert not matches_record(record, pasted.replace("--seed 31337", "--seed 1"))
    with pytest.raises(ValueError, match="generator target"):
        export(spec, "record", record_target="record")


# --- all targets -----------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), free_text, max_size=5), st.lists(free_text, max_size=3),
       st.integers(min_value=0, max_value=MAX_SEED), st.sampled_from(["4:5", "1:1", "16:9", "2:3"]))  # fmt: skip
def test_exports_never_crash_on_arbitrary_text(values, avoid, seed, aspect):
    spec = PromptSpec(**values, realism=avoid, avoid=avoid)
    outputs = export_all(spec, seed=seed, aspect=aspect)
    assert set(outputs) == set(TARGETS)
    for out in outputs.values():
        assert out.blocks and all(isinstance(text, str) for _, text in out.blocks)
        html = out._repr_html_()
        assert "<img" not in html and "<script" not in html


def test_options_are_validated_with_clear_messages():
    spec = preset("trust").spec
    with pytest.raises(ValueError, match="Unknown target"):
        export(spec, "dalle")
    with pytest.raises(ValueError, match="whole number from 0"):
        export(spec, "a1111", seed=-1)
    with pytest.raises(ValueError, match="whole number from 0"):
        export(spec, "a1111", seed=MAX_SEED + 1)
    with pytest.raises(ValueError, match="two whole numbers"):
        parse_aspect("portrait")
    with pytest.raises(ValueError, match="more extreme"):
        parse_aspect("1:9")
    assert sdxl_size("16:9") == (1344, 768)


def test_escape_helpers_are_idempotent():
    for escape in (escape_midjourney, neutral_text):
        once = escape(TROUBLE)
        assert escape(once) == once


def test_midjourney_says_typed_syntax_was_reduced_only_when_some_was_typed():
    from portrait_lessons.prompts import export, preset

    plain = export(preset("trust").spec.replace(identity="a baker"), "midjourney", seed=1)
    assert not any("reduced" in note for note in plain.notes)
    tricky = export(preset("trust").spec.replace(identity="a baker -- AND :: more"), "midjourney", seed=1)
    assert any("reduced" in note for note in tricky.notes)
