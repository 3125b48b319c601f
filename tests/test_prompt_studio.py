"""The Prompt Studio, driven through its widgets as a learner would."""

from __future__ import annotations

import re

import pytest

from portrait_lessons.checks.prompt_studio import check_beauty_fixed, check_one_factor, check_own_goal
from portrait_lessons.prompts import TARGETS, PromptSpec, preset
from portrait_lessons.ui.prompt_studio import prompt_studio

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture
def studio(tmp_path):
    return prompt_studio(preset("trust").spec.replace(identity=""), library=str(tmp_path / "library"))


def _codes(html: str) -> list[str]:
    return re.findall(r'data-code="([a-z-]+)"', html)


def test_typing_an_identity_updates_preview_lint_and_exports(studio):
    assert _codes(studio.lint.value) == ["missing-identity"]
    studio.fields["identity"].value = "a bakery owner"
    assert "a bakery owner" in studio.preview.value
    assert "Clean" in studio.lint.value and _codes(studio.lint.value) == []
    for target in TARGETS:
        assert "a bakery owner" in studio.export_views[target].value, target
    assert repr(studio) == "PromptStudio(goal='trust', findings=0)"


def test_a_contradiction_typed_in_shows_in_the_lint(studio):
    studio.fields["identity"].value = "a founder"
    studio.fields["posture"].value = "looking away, relaxed"
    assert "gaze-contradiction" in _codes(studio.lint.value)
    studio.fields["palette"].value = "icy blue"
    studio.fields["lighting"].value = "warm golden-hour light"
    assert "palette-clash" in _codes(studio.lint.value)
    studio.fields["palette"].value = "split toning, warm highlights and cool shadows"
    assert "palette-clash" not in _codes(studio.lint.value)


def test_choosing_a_goal_sets_every_layer_and_keeps_the_identity(studio):
    studio.fields["identity"].value = "a ceramicist"
    studio.goal.value = "contemplative"
    assert studio.fields["gaze"].value == "soft gaze slightly off-camera"
    assert studio.fields["identity"].value == "a ceramicist"
    assert studio.realism.value == "natural skin texture, soft expression"
    assert studio.model.spec.goal == "contemplative"
    assert "soft gaze slightly off-camera" in studio.preview.value


def test_choosing_a_goal_never_fills_in_an_empty_identity(studio):
    assert studio.fields["identity"].value == ""
    studio.goal.value = "contemplative"
    assert studio.fields["identity"].value == "" and studio.fields["gaze"].value == "soft gaze slightly off-camera"
    assert _codes(studio.lint.value) == ["missing-identity"]


def test_meanings_explain_vocabulary_with_lesson_links(studio):
    studio.fields["gaze"].value = "candid eye contact"
    studio.fields["context"].value = "my own garden"
    meanings = studio.meanings.value
    assert "Direct but unposed" in meanings and 'href="01_eyes_and_gaze.ipynb"' in meanings
    assert ">lesson 01, Eyes and gaze</a>" in meanings and "<code>" not in meanings  # words, not file or card names
    assert "my own garden" in meanings and "your own words" in meanings


def test_everything_typed_is_escaped_in_every_html_view(studio):
    for name in ("identity", "context", "gaze"):
        studio.fields[name].value = PAYLOAD
    studio.realism.value = PAYLOAD
    studio.avoid.value = PAYLOAD
    views = [studio.preview, studio.lint, studio.meanings, *studio.export_views.values()]
    for view in views:
        assert "<img" not in view.value, view
    assert "&lt;img src=x onerror=alert(1)&gt;" in studio.preview.value
    assert "&lt;img" in studio.export_views["midjourney"].value


def test_every_export_block_has_a_copy_button_that_reads_its_own_text_box(studio):
    studio.fields["identity"].value = "it's \"quoted\" & odd"
    for target, view in studio.export_views.items():
        html = view.value
        assert html.count("<textarea") == html.count('class="pl-copy jupyter-button"') >= 1, target
        script = re.search(r'onclick="([^"]*)"', html).group(1)
        assert "quoted" not in script and "textarea" in script and "clipboard" in script


def test_seed_and_aspect_flow_into_the_exports(studio):
    studio.fields["identity"].value = "a founder"
    studio.seed.value = 4242
    studio.aspect.value = "2:3"
    mj = studio.export_views["midjourney"].value
    assert "--seed 4242" in mj and "--ar 2:3" in mj
    record = studio.export_views["record"].value
    assert "&quot;seed&quot;: 4242" in record


def test_a_field_far_too_long_is_explained_not_crashed(studio):
    studio.fields["context"].value = "x" * 600
    assert "keep each field under 500" in studio.lint.value
    studio.fields["context"].value = "a café"
    assert "Clean" in studio.lint.value or _codes(studio.lint.value)


def test_save_and_load_through_the_buttons(studio):
    studio.fields["identity"].value = "a founder"
    studio.save_name.value = "founder trust"
    studio.save.click()
    assert "Saved as founder-trust.json" in studio.message.value
    assert studio.saved.options == ("founder trust",)
    assert studio.saved.value == "founder trust"  # the menu shows what was saved, not a blank
    studio.save.click()
    assert "already saved" in studio.message.value and "#a40000" in studio.message.value
    assert "replace (old version kept)" in studio.message.value and "overwrite=True" not in studio.message.value
    studio.fields["identity"].value = "a CEO"
    studio.overwrite.value = True
    studio.save.click()
    assert "Saved" in studio.message.value and len(studio.model.library.history("founder trust")) == 1
    studio.fields["identity"].value = "someone else"
    studio.goal.value = "contemplative"
    studio.saved.value = "founder trust"
    studio.load.click()
    assert studio.fields["identity"].value == "a CEO"
    assert studio.goal.value == "trust" and studio.fields["gaze"].value == "direct eye contact"


def test_loading_a_bad_file_reports_it_and_keeps_the_fields(studio):
    folder = studio.model.library.folder
    folder.mkdir(parents=True)
    (folder / "broken.json").write_text('{"format": "portrait-lessons/prompt", "version": 1, "name": "broken"')
    studio.fields["identity"].value = "a founder"
    studio.model.load("broken")
    assert "not valid JSON" in studio.message.value
    assert studio.fields["identity"].value == "a founder"
    assert (folder / "broken.json").read_text().endswith('"broken"')


def test_self_checks_answer_in_words():
    beauty = PromptSpec(identity="beautiful woman, flawless skin, perfect face, stunning")
    assert check_beauty_fixed(beauty).startswith("Not there yet: ")
    fixed = PromptSpec(identity="a woman in her thirties who runs a flower shop", emotion="warm and attentive",
                       gaze="candid eye contact", expression="genuine smile reaching the eyes",
                       context="her flower shop in the morning", lighting="soft window light",
                       realism=["natural skin texture"])  # fmt: skip
    assert check_beauty_fixed(fixed).startswith("Well done: the lint is clean.")
    artist = preset("contemplative").spec
    assert "identical" in check_one_factor(artist, artist)
    assert "these differ too: expression" in check_one_factor(
        artist, artist.replace(gaze="direct eye contact", expression="broad laughing smile"))
    assert check_one_factor(artist, artist.replace(gaze="direct eye contact")).startswith("Well done: only the gaze")
    assert "Choose a goal" in check_own_goal(PromptSpec(identity="me"))
    assert check_own_goal(preset("approachable").spec.replace(identity="a data analyst")).startswith("Well done: a clean prompt")


def test_exercise_1_check_names_the_field_to_fill_at_each_step():
    mine = PromptSpec(identity="beautiful woman, flawless skin, perfect face, stunning", emotion="", gaze="",
                      expression="", context="", lighting="", realism=[])  # fmt: skip
    first = check_beauty_fixed(mine)
    assert "6 findings left" in first and "Fill the Emotion field and at least one of Gaze" in first
    mine = mine.replace(emotion="warm and attentive", gaze="candid eye contact")
    assert "Fill the Context field." in check_beauty_fixed(mine)
    mine = mine.replace(context="her flower shop")
    step = check_beauty_fixed(mine)
    assert '"flawless skin"' in step and "Edit the Identity field." in step
    mine = mine.replace(identity="a florist in her thirties")
    step = check_beauty_fixed(mine)
    assert "1 finding left" in step and "Fill the Realism cues field." in step
    assert check_beauty_fixed(mine.replace(realism=["natural skin texture"])).startswith("Well done: the lint is clean.")


def test_exercise_1_can_be_done_in_the_studio(studio):
    studio.model.set_spec(PromptSpec(identity="beautiful woman, flawless skin"))
    assert "Not there yet" in check_beauty_fixed(studio.model.spec)
    assert "studio" in check_beauty_fixed("not a spec")


def test_exercise_3_check_gives_a_fix_and_counts_in_words():
    mine = preset("trust").spec.replace(identity="a baker", posture="arms crossed")
    answer = check_own_goal(mine)
    assert answer.startswith("Almost: 1 finding left.") and "Fix: " in answer and "Posture field" in answer
    assert "(s)" not in answer
    assert "Type who the portrait is of" in check_own_goal(preset("trust").spec.replace(identity=""))


def test_own_goal_check_is_not_blocked_by_a_token_tip_when_aiming_at_midjourney():
    """A long identity matters for Stable Diffusion only: for Midjourney the check passes, naming the tip only if any."""
    long_identity = ("a ceramicist in her fifties with silver hair tied back, clay on her forearms, a linen apron, "
                     "a small scar on her chin, reading glasses pushed up, standing in the studio she built herself, "
                     "with the shelves of unfired bowls and the kiln she restored behind her")
    spec = preset("trust").spec.replace(identity=long_identity)
    assert check_own_goal(spec, "midjourney").startswith("Well done")
    assert check_own_goal(spec, "a1111").startswith("Almost")
    assert check_own_goal(spec).startswith("Well done") and "tip" in check_own_goal(spec)


def test_export_buttons_show_one_export_at_a_time(studio):
    assert studio.exports.children == (studio.export_views[studio.target.value],)
    studio.fields["identity"].value = "a bakery owner"
    studio.target.value = "midjourney"
    (shown,) = studio.exports.children
    assert shown is studio.export_views["midjourney"] and "--seed" in shown.value
    studio.target.value = "a1111"
    assert studio.exports.children == (studio.export_views["a1111"],)


def test_every_lesson_07_exercise_done_shows_the_green_done_box():
    """A finished exercise reads as finished: the same green box as every other lesson, never the amber one."""
    from portrait_lessons.ui.exercises import check_tool

    artist = preset("contemplative").spec.replace(identity="an abstract painter in his sixties")
    done = [
        lambda: check_beauty_fixed(preset("trust").spec.replace(identity="a baker")),
        lambda: check_one_factor(artist, artist.replace(gaze="direct eye contact")),
        lambda: check_own_goal(preset("approachable").spec.replace(identity="a data analyst"), "midjourney"),
    ]
    for check in done:
        exercise = check_tool(check)
        exercise.check.click()
        assert "pl-feedback-done" in exercise.feedback.value, exercise.feedback.value
    unfinished = check_tool(lambda: check_beauty_fixed(PromptSpec(identity="beautiful woman, flawless skin")))
    unfinished.check.click()
    assert "pl-feedback-todo" in unfinished.feedback.value


def test_exercise_1_holds_the_studio_with_its_check_underneath():
    """Load, fix in the studio shown inside the exercise, Check right below: no scrolling up to the studio."""
    from portrait_lessons.ui.exercises import Exercise
    from portrait_lessons.ui.prompt_studio import prompt_studio

    studio = prompt_studio(preset("trust").spec.replace(identity=""))
    beauty = PromptSpec(identity="beautiful woman, flawless skin, perfect face, stunning")
    exercise = Exercise(lambda: check_beauty_fixed(studio.model.spec),
                        actions={"Load it into the studio": lambda: studio.model.set_spec(beauty)}, tool=studio)
    kids = list(exercise.children)
    assert kids.index(studio) < next(i for i, w in enumerate(kids) if exercise.check in getattr(w, "children", ()))
    assert kids[-1] is exercise.feedback
    exercise.buttons["Load it into the studio"].click()
    assert studio.fields["identity"].value.startswith("beautiful woman")
    exercise.check.click()
    assert "pl-feedback-todo" in exercise.feedback.value
    studio.goal.value = "trust"
    studio.fields["identity"].value = "a baker who opens her shop at dawn"
    for _ in range(8):  # follow the check's advice, as a learner would, one field at a time
        said = exercise.run()
        if said.startswith("Well done"):
            break
        spec = studio.model.spec
        trust = preset("trust").spec
        for name in ("emotion", "gaze", "expression", "posture", "context", "lighting", "palette", "realism"):
            if not getattr(spec, name) and getattr(trust, name) and name in studio.fields:
                studio.fields[name].value = getattr(trust, name)
                break
    assert "pl-feedback-done" in exercise.feedback.value, exercise.feedback.value


def test_a_goal_that_replaces_words_the_learner_typed_says_so():
    """Choosing a goal rewrites every layer but the identity; the learner's own context is named, not lost silently."""
    studio = prompt_studio(preset("trust").spec.replace(identity=""))
    studio.fields["identity"].value = "a potter"
    studio.goal.value = "contemplative"  # replaces only the trust goal's words: nothing to report
    assert "replaced your own words" not in studio.message.value
    studio.fields["context"].value = "her workshop by the sea"
    studio.goal.value = "warmth"
    assert "replaced your own words in Context" in studio.message.value
    assert studio.fields["identity"].value == "a potter"
