"""The prompt model, vocabulary, presets, lint and variants (exports and library have their own files)."""

from __future__ import annotations

from dataclasses import fields

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from portrait_lessons.lessons import LESSONS
from portrait_lessons.prompts import (
    PRESETS, VOCABULARY, PromptSpec, apply_preset, combinations, lint, lookup, one_factor, options, preset, resolve,
)  # fmt: skip
from portrait_lessons.prompts.lint import (
    ASK_OR_AVOID, CLIP_TARGETS, OVER_POLISH, SEVERITIES, TOKEN_BUDGET, beauty_words, polish_words, signals,
)  # fmt: skip
from portrait_lessons.prompts.model import clean_text, estimate_tokens, missing_layers
from portrait_lessons.prompts.variants import MAX_VARIANTS
from portrait_lessons.prompts.vocabulary import TEXT_FIELDS

LESSON_FILES = {lesson.file for lesson in LESSONS}
free_text = st.text(max_size=120)


# --- vocabulary ------------------------------------------------------------------


def test_every_vocabulary_entry_explains_itself_and_links_to_a_real_lesson():
    for field, terms in VOCABULARY.items():
        assert terms, field
        for term in terms:
            assert term.explanation.endswith(".") and len(term.explanation) < 140, term
            assert term.lesson_file in LESSON_FILES
            assert term.lesson_file.startswith(f"{term.lesson:02d}_")
            assert lookup(field, term.text.upper()) is term


def test_vocabulary_covers_every_field_and_the_articles_words():
    assert set(VOCABULARY) == set(TEXT_FIELDS) | {"realism", "avoid"}
    realism = options("realism")
    for cue in ("natural skin texture", "slight natural facial asymmetry", "relaxed posture", "soft expression"):
        assert cue in realism
    assert "candid eye contact" in options("gaze")


# --- model -----------------------------------------------------------------------


def test_spec_normalises_lists_and_rejects_wrong_types():
    spec = PromptSpec(realism="natural skin texture, , relaxed posture", avoid=["plastic skin", "plastic skin"])
    assert spec.realism == ("natural skin texture", "relaxed posture")
    assert spec.avoid == ("plastic skin",)
    with pytest.raises(TypeError, match="identity must be text"):
        PromptSpec(identity=3)
    with pytest.raises(ValueError, match="keep each field under"):
        PromptSpec(context="x" * 501)
    with pytest.raises(ValueError, match="between 0.5 and 1.5"):
        PromptSpec(weights={"gaze": 3})
    with pytest.raises(ValueError, match="not a field"):
        PromptSpec(weights={"mood": 1.2})


def test_resolve_orders_phrases_and_tidies_spaces():
    spec = PromptSpec(identity=" an  artist ", framing="close-up portrait", emotion="reflective\n",
                      realism=["natural skin texture"], camera="85mm lens")  # fmt: skip
    assert resolve(spec) == "close-up portrait, an artist, reflective, natural skin texture, 85mm lens"


def test_to_dict_round_trips():
    spec = preset("warmth").spec
    assert PromptSpec.from_dict(spec.to_dict()) == spec


def test_missing_layers_and_token_estimate():
    assert missing_layers(PromptSpec()) == ["identity", "emotion", "context"]
    assert missing_layers(PromptSpec(identity="x", posture="leaning back", era="1990s film photo look")) == []
    assert estimate_tokens("a, b") == 3 and estimate_tokens("photorealistic") == 2


# --- presets ---------------------------------------------------------------------


@pytest.mark.parametrize("key", list(PRESETS))
def test_every_preset_sets_every_layer_and_is_lint_clean(key):
    spec = preset(key).spec
    assert spec.goal == key
    assert not missing_layers(spec)
    for name in ("gaze", "expression", "posture", "framing", "lighting", "palette", "camera"):
        assert getattr(spec, name), (key, name)
    assert spec.realism and spec.avoid
    assert lint(spec).clean, lint(spec)
    assert estimate_tokens(resolve(spec)) <= TOKEN_BUDGET


def test_the_articles_goals_are_all_there():
    for key in ("trust", "creativity", "thought_leadership", "approachable", "ambitious", "contemplative"):
        assert key in PRESETS
    assert preset("trust").spec.gaze == "direct eye contact"
    assert "off-camera" in preset("contemplative").spec.gaze
    assert preset("thought_leadership").serious and preset("trust").approach


def test_apply_preset_keeps_the_learners_identity():
    result = apply_preset(PromptSpec(identity="a potter", gaze="looking away"), "trust")
    assert result.identity == "a potter" and result.gaze == "direct eye contact"
    assert apply_preset(PromptSpec(), "trust").identity == preset("trust").spec.identity


# --- lint ------------------------------------------------------------------------

TRUST = preset("trust").spec


@pytest.mark.parametrize(
    "spec, code",
    [
        (PromptSpec(emotion="calm", context="a café"), "missing-identity"),
        (PromptSpec(identity="a founder", context="a café"), "missing-emotion"),
        (PromptSpec(identity="a founder", gaze="direct eye contact"), "missing-context"),
        (PromptSpec(identity="gorgeous model, stunning"), "beauty-only"),
        (PromptSpec(identity="beautiful woman", context="a studio"), "beauty-only"),
        (TRUST.replace(identity="a beautiful founder"), "beauty-words"),
        (TRUST.replace(posture="looking away, relaxed"), "gaze-contradiction"),
        (TRUST.replace(gaze="eye contact", context="gazing out the window"), "gaze-contradiction"),
        (preset("thought_leadership").spec.replace(expression="broad laughing smile"), "grin-vs-authority"),
        (preset("authority").spec.replace(expression="big toothy grin"), "grin-vs-authority"),
        (PromptSpec(identity="x", emotion="authoritative", expression="grinning", context="y"), "grin-vs-authority"),
        (TRUST.replace(lighting="warm golden-hour light", palette="cool blue and muted grey tones"), "palette-clash"),
        (TRUST.replace(context="a beach at golden hour", palette="icy teal"), "palette-clash"),
        (TRUST.replace(realism=["flawless skin"]), "over-polish"),
        (TRUST.replace(realism=["airbrushed", "porcelain skin"]), "over-polish"),
        (TRUST.replace(gaze="looking away toward a window"), "gaze-vs-goal"),
        (TRUST.replace(posture="arms crossed"), "posture-vs-goal"),
        (TRUST.replace(lighting="harsh direct flash"), "light-vs-goal"),
        (TRUST.replace(context=", ".join(["a very long and carefully described location"] * 6)), "overlong"),
        (preset("approachable").spec.replace(expression="lopsided smile"), "lopsided-expression"),
        (TRUST.replace(realism=()), "no-realism"),
        (TRUST.replace(avoid=["soft window light"]), "avoid-conflict"),
        (preset("creativity").spec.replace(expression="broad laughing smile"), "smile-vs-gaze"),
        (TRUST.replace(realism=["relaxed open posture"]), "repeated"),
    ],
)  # fmt: skip
def test_each_trap_is_caught(spec, code):
    assert code in lint(spec).codes


def test_split_toning_allows_warm_and_cool_together():
    spec = TRUST.replace(lighting="warm golden-hour light", palette="split toning, warm highlights and cool shadows")
    assert "palette-clash" not in lint(spec).codes


def test_warm_words_outside_colour_fields_are_not_a_palette():
    spec = TRUST.replace(emotion="warm and attentive", palette="cool contrast with one accent colour")
    assert "palette-clash" not in lint(spec).codes


# --- lint: false positives and false negatives found in review --------------------


def test_colour_of_things_in_the_context_is_not_a_palette():
    spec = TRUST.replace(context="a café with warm wooden tables and a blue door")
    assert "palette-clash" not in lint(spec).codes


def test_hyphenated_colour_words_count():
    spec = TRUST.replace(lighting="warm golden-hour light", palette="cool-toned teal-blue grade")
    assert "palette-clash" in lint(spec).codes
    spec = TRUST.replace(lighting="soft window light", palette="amber-gold highlights, icy-blue shadows")
    assert "palette-clash" in lint(spec).codes


def test_a_clash_inside_one_phrase_is_quoted_once():
    finding = next(f for f in lint(TRUST.replace(palette="golden amber and icy blue")) if f.code == "palette-clash")
    assert finding.message.count("golden amber and icy blue") == 1 and "mixes both" in finding.message


@pytest.mark.parametrize("words", ["a lawyer in an immaculate navy suit", "an airbrushed mural behind her",
                                   "a room of perfect symmetry", "flawless timing"])  # fmt: skip
def test_polish_words_about_clothes_or_places_are_not_over_polish(words):
    assert "over-polish" not in lint(TRUST.replace(identity=words)).codes
    assert polish_words(words) == []


@pytest.mark.parametrize("words, found", [
    ("immaculate complexion", "immaculate"), ("a woman with an airbrushed look", "airbrushed"),
    ("skin that looks flawless", "flawless"), ("flawless", "flawless"), ("perfectly symmetrical face", "perfectly symmetrical"),
    ("her flawless skin", "flawless skin"),
])  # fmt: skip
def test_polish_words_about_skin_or_a_face_are_over_polish(words, found):
    assert polish_words(words) == [found]
    finding = next(f for f in lint(TRUST.replace(context=words)) if f.code == "over-polish")
    assert finding.field == "context" and OVER_POLISH[found] in finding.fix


@pytest.mark.parametrize("identity", ["a beauty salon owner", "a beauty therapist", "a photographer with a beauty dish"])
def test_beauty_trades_and_tools_are_not_beauty_words(identity):
    codes = lint(TRUST.replace(identity=identity)).codes
    assert "beauty-words" not in codes and "beauty-only" not in codes


def test_pretty_as_an_adverb_is_not_a_beauty_word():
    assert beauty_words("pretty relaxed") == [] and beauty_words("pretty much at ease") == []
    assert "beauty-words" not in lint(TRUST.replace(emotion="pretty relaxed")).codes
    assert beauty_words("a pretty woman") == ["pretty"] and beauty_words("pretty") == ["pretty"]
    assert "beauty-words" in lint(TRUST.replace(identity="a pretty young woman")).codes


def test_beauty_words_are_all_named_and_the_finding_points_at_their_field():
    finding = next(f for f in lint(TRUST.replace(context="a stunning, beautiful office")) if f.code == "beauty-words")
    assert '"stunning", "beautiful"' in finding.message and finding.field == "context" and "them" in finding.fix


@pytest.mark.parametrize("gaze", ["avoiding eye contact", "no eye contact", "not looking at the camera",
                                  "without making eye contact", "avoiding the viewer's gaze"])  # fmt: skip
def test_denied_eye_contact_is_an_averted_gaze(gaze):
    found = signals(PromptSpec(gaze=gaze))
    assert "gaze:averted" in found and "gaze:direct" not in found
    assert "gaze-contradiction" not in lint(preset("contemplative").spec.replace(gaze=gaze)).codes
    assert "gaze-vs-goal" in lint(TRUST.replace(gaze=gaze)).codes


def test_denied_eye_contact_still_clashes_with_asked_for_eye_contact():
    spec = TRUST.replace(posture="relaxed, avoiding eye contact")  # the gaze field still says direct eye contact
    assert "gaze-contradiction" in lint(spec).codes


def test_negative_terms_match_whole_words_and_have_their_own_principle():
    assert "avoid-conflict" not in lint(TRUST.replace(avoid=["text", "watermark"])).codes  # "skin texture"
    finding = next(f for f in lint(TRUST.replace(avoid=["skin texture"])) if f.code == "avoid-conflict")
    assert finding.principle == ASK_OR_AVOID


def test_a_serious_face_works_against_an_inviting_goal():
    spec = preset("warmth").spec.replace(expression="focused, serious expression")
    assert "serious-vs-goal" in lint(spec).codes
    assert "serious-vs-goal" not in lint(preset("ambitious").spec).codes  # serious suits ambition
    assert "grin-vs-authority" not in lint(PromptSpec(identity="a serious collector", expression="grinning",
                                                      emotion="cheerful", context="a gallery")).codes  # fmt: skip


def test_long_prompts_matter_for_clip_targets_only():
    long = TRUST.replace(context=", ".join(["a very long and carefully described location"] * 6))
    tip = next(f for f in lint(long) if f.code == "overlong")
    assert tip.severity == "tip" and "FLUX and Midjourney" in tip.message and "chunk" in tip.message
    for target in CLIP_TARGETS:
        assert next(f for f in lint(long, target) if f.code == "overlong").severity == "warning"
    for target in ("plain", "midjourney"):
        assert "overlong" not in lint(long, target).codes


def test_looking_toward_the_camera_is_not_averted():
    assert "gaze-contradiction" not in lint(TRUST.replace(posture="looking toward the camera")).codes


def test_every_over_polish_word_is_flagged_with_its_replacement():
    for word, instead in OVER_POLISH.items():
        findings = [f for f in lint(TRUST.replace(realism=[word])) if f.code == "over-polish"]
        assert findings and instead in findings[0].fix, word


def test_findings_name_their_principle_a_fix_and_a_lesson_and_come_sorted():
    spec = PromptSpec(identity="beautiful woman, flawless skin, broad laughing smile, looking away, eye contact")
    findings = lint(spec)
    assert len(findings) >= 5
    for finding in findings:
        assert finding.principle and finding.fix and finding.message
        assert finding.lesson_file in LESSON_FILES
        assert finding.principle in str(finding)
    ranks = [SEVERITIES.index(f.severity) for f in findings]
    assert ranks == sorted(ranks)


def test_lint_html_escapes_what_the_learner_typed():
    html = lint(PromptSpec(gaze="<img src=x onerror=alert(1)> eye contact", posture="looking away"))._repr_html_()
    assert "<img" not in html and "&lt;img" in html


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(st.sampled_from(TEXT_FIELDS), free_text, max_size=6))
def test_lint_never_crashes_on_free_text(values):
    findings = lint(PromptSpec(**values))
    assert all(f.severity in SEVERITIES for f in findings)


# --- variants --------------------------------------------------------------------


def _differing(a: PromptSpec, b: PromptSpec) -> set[str]:
    return {f.name for f in fields(PromptSpec) if getattr(a, f.name) != getattr(b, f.name)}


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(TEXT_FIELDS), st.lists(free_text.filter(lambda t: clean_text(t)), min_size=1, max_size=8))
def test_a_one_factor_variant_differs_from_its_base_in_exactly_that_factor(factor, values):
    base = preset("contemplative").spec
    for variant in one_factor(base, factor, values, image_seed=5):
        assert _differing(base, variant.spec) == {factor}
        assert variant.seed == 5 and variant.text == resolve(variant.spec)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(TEXT_FIELDS), min_size=1, max_size=4, unique=True),
    st.integers(min_value=1, max_value=60),
    st.integers(min_value=0, max_value=2**32 - 1),
)
def test_the_same_seed_gives_the_same_set_without_repeats(factors, count, seed):
    base = preset("warmth").spec
    first = combinations(base, factors, count=count, sample_seed=seed, image_seed=9)
    second = combinations(base, factors, count=count, sample_seed=seed, image_seed=9)
    assert first.texts == second.texts
    assert len(set(first.texts)) == len(first) <= min(count, first.space)
    for variant in first:
        assert _differing(base, variant.spec) <= set(factors)
        assert variant.text == resolve(variant.spec)


def test_different_seeds_draw_different_samples():
    base = preset("warmth").spec
    texts = {tuple(combinations(base, ["lighting", "palette", "gaze"], count=5, sample_seed=s).texts) for s in range(6)}
    assert len(texts) > 1


def test_a_full_grid_has_every_combination_once():
    grid = combinations(TRUST, {"gaze": ["direct eye contact", "looking away"], "palette": ["warm", "cool", "muted"]})
    assert len(grid) == grid.space == 6
    assert {dict(v.changes)["palette"] for v in grid} == {"warm", "cool", "muted"}


def test_one_factor_skips_the_base_value_and_repeats():
    pair = one_factor(TRUST, "gaze", ["direct eye contact", " Looking away ", "looking away"])
    assert [v.spec.gaze for v in pair] == ["Looking away"]


def test_variant_records_hold_the_resolved_text_and_seeds():
    sample = combinations(TRUST, ["lighting", "palette"], count=4, sample_seed=1, image_seed=77)
    records = sample.to_records()
    assert records["image_seed"] == 77 and records["sample_seed"] == 1 and len(records["variants"]) == 4
    for record in records["variants"]:
        assert record["text"] == resolve(PromptSpec.from_dict(record["spec"]))
    assert "&lt;" in combinations(TRUST, {"identity": ["<b>"]})._repr_html_()


def test_variant_errors_say_what_to_do():
    with pytest.raises(ValueError, match="too many to list"):
        combinations(TRUST, ["gaze", "expression", "posture", "context", "lighting", "palette"])
    with pytest.raises(ValueError, match="count must be between"):
        combinations(TRUST, ["gaze"], count=MAX_VARIANTS + 1)
    with pytest.raises(ValueError, match="Can't vary 'realism'"):
        one_factor(TRUST, "realism")
    with pytest.raises(TypeError, match="as a list"):
        one_factor(TRUST, "gaze", "looking away")


def test_a_big_sample_is_drawn_without_building_the_whole_space():
    sample = combinations(TRUST, ["gaze", "expression", "posture", "context", "lighting", "palette", "camera"],
                          count=1000, sample_seed=3)  # fmt: skip
    assert sample.space > 100_000 and len(sample) == 1000 == len(set(sample.texts))


# --------------------------------------------------------------------------- each lint rule alone

from portrait_lessons.prompts.lint import RULES, Reading  # noqa: E402

#: One prompt per rule that trips it, and the code the rule gives.
RULE_CASES = {
    "missing_layer": (PromptSpec(identity="a founder"), None, "missing-emotion"),
    "beauty_only": (PromptSpec(identity="beautiful woman"), None, "beauty-only"),
    "gaze_contradiction": (PromptSpec(identity="a founder", gaze="candid eye contact, looking away"), None,
                           "gaze-contradiction"),
    "grin_vs_authority": (PromptSpec(identity="a judge", expression="broad grin", goal="authority"), None,
                          "grin-vs-authority"),
    "palette_clash": (PromptSpec(palette="warm golden tones, icy blue"), None, "palette-clash"),
    "avoid_conflict": (PromptSpec(identity="a founder with freckles", avoid=["freckles"]), None, "avoid-conflict"),
    "over_polish": (PromptSpec(identity="a founder, poreless"), None, "over-polish"),
    "against_approach_goal": (PromptSpec(identity="a founder", posture="arms crossed", goal="trust"), None,
                              "posture-vs-goal"),
    "overlong": (PromptSpec(identity="a founder " * 40, emotion="calm and warm " * 20, context="a studio " * 40),
                 "a1111", "overlong"),
    "smile_vs_gaze": (PromptSpec(expression="broad grin", gaze="looking away"), None, "smile-vs-gaze"),
    "lopsided_expression": (PromptSpec(expression="lopsided smile"), None, "lopsided-expression"),
    "no_realism": (PromptSpec(identity="a founder"), None, "no-realism"),
    "repeated": (PromptSpec(identity="a founder", context="a founder"), None, "repeated"),
}  # fmt: skip


def test_every_rule_has_a_case():
    assert sorted(rule.__name__ for rule in RULES) == sorted(RULE_CASES)


@pytest.mark.parametrize("name", sorted(RULE_CASES))
def test_each_rule_alone_finds_its_trap_and_passes_a_clean_prompt(name):
    check = next(rule for rule in RULES if rule.__name__ == name)
    spec, target, code = RULE_CASES[name]
    assert code in [f.code for f in check(Reading.of(spec, target))]
    assert list(check(Reading.of(preset("trust").spec, "a1111"))) == []
