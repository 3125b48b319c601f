"""The workshop study: design files, order and sides, write-once answers, merging and the statistics."""

from __future__ import annotations

import copy
import json
import multiprocessing
import random
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from portrait_lessons.workshop import (
    AnswersExistError,
    StudyError,
    StudyRun,
    binomial_test,
    bootstrap_interval,
    bundled_studies,
    load_study,
    merge_answers,
    plan_trials,
    plot_study,
    simulate_room,
    summarise,
    wilson_interval,
    write_once,
)
from portrait_lessons.workshop.design import STUDY_DIR
from portrait_lessons.workshop.runner import RunError

FOUR = "four_cues"


def _data(name: str = FOUR) -> dict:
    return json.loads((STUDY_DIR / f"{name}.json").read_text())


# --- design ------------------------------------------------------------------------------


@pytest.mark.parametrize("name", bundled_studies())
def test_bundled_studies_load_and_cite_their_evidence(name):
    study = load_study(name)
    assert study.pairs and study.question.text.endswith("?")
    for pair in study.pairs:
        assert pair.literature is not None, "every bundled pair says what the literature expects"
        assert pair.a.to_dict()["edits"] != pair.b.to_dict()["edits"]


def test_a_study_loads_from_a_path_and_a_dict(tmp_path):
    path = tmp_path / "mine.json"
    path.write_text(json.dumps(_data()))
    assert load_study(path) == load_study(_data()) == load_study(FOUR)


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d.pop("question"), 'it needs a "question"'),
        (lambda d: d.update(portrait="mona_lisa"), "the portrait 'mona_lisa' is not bundled"),
        (lambda d: d["question"].update(answer="essay"), 'answer must be "choice"'),
        (lambda d: d["question"].update(answer="rating", scale=[1, 30]), "scale must be two whole numbers"),
        (lambda d: d["pairs"][0]["b"]["edits"].update(warmth=500), "warmth must be a number from -60 to 60"),
        (lambda d: d["pairs"][0]["b"]["edits"]["face"].update(nose=3), "'nose' is not a face edit"),
        (lambda d: d["pairs"][1].update(factor="gaze"), "the factor 'gaze' appears twice"),
        (lambda d: d["pairs"][0].update(b=copy.deepcopy(d["pairs"][0]["a"])), "have the same edits"),
        (lambda d: d["pairs"][0]["b"]["edits"]["face"].update(gaze_x=-40), "gaze_x -40 is beyond what this face allows"),
        (lambda d: d["pairs"][0]["literature"].update(strength="certain"), 'literature "strength" must be one of'),
        (lambda d: d["pairs"][0]["literature"].update(expects="c"), 'literature "expects" must be "a", "b"'),
        (lambda d: d["pairs"][2]["a"].pop("label"), 'needs a "label"'),
        (lambda d: d.update(pairs=[]), 'it needs "pairs"'),
        (lambda d: d.update(colour="red"), "'colour' is not a study setting"),
        (lambda d: d.update(format="something-else/2"), '"format" must be'),
        (lambda d: d["pairs"][0].update(factor="attention"), "the name of the attention check"),
        (lambda d: d["pairs"][0]["b"]["edits"].update(posture="slouching"), "'slouching' is not one of the figure's"),
        (lambda d: d["pairs"][0]["b"]["edits"].update(posture="open_confident"), "cannot be combined with other edits"),
    ],
)
def test_malformed_studies_are_refused_in_plain_words(change, words):
    data = _data()
    change(data)
    with pytest.raises(StudyError) as error:
        load_study(data)
    message = str(error.value)
    assert words in message
    assert message.endswith("Fix these lines in the study file and load it again.")


def test_a_posture_version_is_the_drawn_figure_at_the_portraits_size():
    from portrait_lessons.workshop.stimuli import render_version

    study = load_study("posture")
    pair = study.pair("openness")
    open_, closed = (render_version(study.portrait, pair.version(v), 240) for v in "ab")
    portrait = render_version(study.portrait, study.pairs[0].a.__class__(label="original"), 240)
    assert open_.shape == closed.shape == portrait.shape
    assert (open_ != closed).any() and (open_ != portrait).any()
    assert pair.a.to_dict() == {"label": "open posture", "edits": {"posture": "open_confident"}}


def test_every_problem_is_listed_at_once():
    data = _data()
    data["pairs"][0]["b"]["edits"]["warmth"] = "warm"
    data["pairs"][1]["a"]["edits"]["smoothing"] = 2
    message = str(pytest.raises(StudyError, load_study, data).value)
    assert "pair 1 (gaze), version b: warmth" in message and "pair 2 (smile), version a: smoothing" in message


def test_unreadable_study_files_say_what_to_do(tmp_path):
    broken = tmp_path / "broken.json"
    broken.write_text('{"id": "x",, }')
    assert "not valid JSON: line 1" in str(pytest.raises(StudyError, load_study, broken).value)
    assert "neither a bundled study" in str(pytest.raises(StudyError, load_study, "no_such_study").value)


def test_the_fingerprint_changes_with_the_pairs_not_the_wording_of_the_title():
    data = _data()
    data["title"] = "Another title"
    assert load_study(data).fingerprint == load_study(FOUR).fingerprint
    data["pairs"][0]["b"]["edits"]["face"]["gaze_x"] = -10
    assert load_study(data).fingerprint != load_study(FOUR).fingerprint


# --- order and counterbalancing ----------------------------------------------------------


def test_the_order_is_seeded_by_the_participant_code():
    study = load_study(FOUR)
    assert plan_trials(study, "p-0000abcd") == plan_trials(study, "p-0000abcd")
    orders = {tuple(t.factor for t in plan_trials(study, f"p-{i:08x}")) for i in range(200)}
    assert len(orders) > 60, "attendees get their own orders"


@pytest.mark.parametrize("name", ["four_cues", "competence"])
def test_every_pair_once_one_attention_check_and_balanced_sides(name):
    study = load_study(name)
    first_positions, a_left = Counter(), Counter()
    for i in range(2000):
        trials = plan_trials(study, f"p-{i:08x}")
        pairs = [t for t in trials if t.kind == "pair"]
        assert sorted(t.factor for t in pairs) == sorted(study.factors)
        assert [t.kind for t in trials].count("attention") == 1 and trials[0].kind == "pair"
        lefts = sum(t.left == "a" for t in pairs)
        assert abs(lefts - (len(pairs) - lefts)) <= 1, "within a run, a is on the left in half the pairs"
        first_positions[trials[0].factor] += 1
        for t in pairs:
            a_left[t.factor] += t.left == "a"
    for factor in study.factors:
        assert 900 < a_left[factor] < 1100, "over a room, each version is on each side about equally often"
        assert first_positions[factor] > 2000 / len(study.factors) * 0.8, "every pair comes first about equally often"


def test_consent_comes_first_and_answers_follow_the_sides(tmp_path):
    study = load_study(FOUR)
    run = StudyRun(study, tmp_path, participant="p-00000042")
    with pytest.raises(RunError, match="consent"):
        run.choose("left")
    run.agree()
    trial = run.current
    run.choose("right")
    assert run.responses[0] == {"factor": trial.factor, "left": trial.left, "chose": trial.right}
    with pytest.raises(RunError, match="choose a picture"):
        run.rate(3, 4)


def test_an_interrupted_run_resumes_where_it_stopped(tmp_path):
    study = load_study(FOUR)
    answers, drafts = tmp_path / "shared", tmp_path / "mine"
    answers.mkdir()
    first = StudyRun.resume_or_start(study, answers, drafts)
    first.agree()
    first.choose("left")
    first.choose("right")
    # The kernel dies here; the attendee opens the study again.
    again = StudyRun.resume_or_start(study, answers, drafts)
    assert again.resumed and again.participant == first.participant and again.position == 2
    assert again.responses == first.responses and again.current == first.current
    while not again.done:
        again.choose(again.current.side_of("grey") if again.current.kind == "attention" else "left")
    path = again.finish()
    assert path.parent == answers and not again.draft_path.exists()
    assert not StudyRun.resume_or_start(study, answers, drafts).resumed, "a finished run is not resumed"
    assert again.finish() == path, "pressing Hand in twice is harmless"


def test_a_rating_run_stores_both_ratings_under_their_versions(tmp_path):
    study = load_study("four_cues_rating")
    run = StudyRun(study, tmp_path, participant="p-00000007")
    run.agree()
    trial = run.current
    run.rate(2, 6)
    assert run.responses[0]["ratings"] == {trial.left: 2, trial.right: 6}
    with pytest.raises(RunError, match="whole number from 1 to 7"):
        run.rate(0, 8)


# --- writing answers ---------------------------------------------------------------------


def test_answers_are_never_overwritten(tmp_path):
    path = write_once(tmp_path / "a.json", {"n": 1})
    with pytest.raises(AnswersExistError, match="already handed in"):
        write_once(path, {"n": 2})
    assert json.loads(path.read_text()) == {"n": 1}
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"], "no temporary file is left behind"


def test_without_hard_links_the_name_is_claimed_exclusively(tmp_path, monkeypatch):
    import errno
    import os

    def no_links(*args):
        raise OSError(errno.EPERM, "hard links not supported")

    monkeypatch.setattr(os, "link", no_links)
    path = write_once(tmp_path / "a.json", {"n": 1})
    assert json.loads(path.read_text()) == {"n": 1}
    with pytest.raises(AnswersExistError):
        write_once(path, {"n": 2})
    assert json.loads(path.read_text()) == {"n": 1}


def _attendee(folder: str, index: int, start) -> str:
    study = load_study(FOUR)
    run = StudyRun(study, folder, drafts=Path(folder) / ".drafts" / str(index), participant=f"p-{index:08x}")
    run.agree()
    start.wait()  # every writer finishes at the same moment
    while not run.done:
        trial = run.current
        run.choose(trial.side_of("grey") if trial.kind == "attention" else ("left" if index % 3 else "right"))
    run.finish()
    return run.participant


def test_thirty_attendees_writing_at_once_lose_nothing(tmp_path):
    # Fork where the system has it (Linux, the hubs workshops use): 30 real processes, started cheaply.
    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    start = context.Manager().Barrier(30)
    with context.Pool(30) as pool:
        codes = pool.starmap(_attendee, [(str(tmp_path), i, start) for i in range(30)])
    files = sorted(tmp_path.glob("*.json"))
    assert len(files) == 30 and not list(tmp_path.glob(".*.tmp"))
    merge = merge_answers(load_study(FOUR), tmp_path)
    assert merge.refused == []
    assert Counter(r["participant"] for r in merge.records) == Counter(codes), "every answer exactly once"
    assert all(len(r["trials"]) == 5 for r in merge.records)


# --- merging -----------------------------------------------------------------------------


def test_bad_and_duplicate_files_are_refused_and_the_rest_kept(tmp_path):
    study = load_study(FOUR)
    paths = simulate_room(study, tmp_path / "room", 6, seed=1)
    extra = tmp_path / "handed_in"
    extra.mkdir()
    (extra / "copy.json").write_bytes(paths[0].read_bytes())
    (extra / "cut.json").write_bytes(paths[1].read_bytes()[:100])
    (extra / "photo.json").write_bytes(b"\xff\xd8\xff\xe0 not json")
    other = json.loads(paths[2].read_text()) | {"study": "competence"}
    (extra / "other.json").write_text(json.dumps(other))
    unfinished = json.loads(paths[3].read_text()) | {"complete": False, "participant": "p-99999999"}
    (extra / "unfinished.json").write_text(json.dumps(unfinished))
    upload = {"name": "upload.json", "content": memoryview(paths[4].read_bytes())}
    merge = merge_answers(study, tmp_path / "room", extra, [upload])
    assert len(merge.records) == 6
    reasons = dict(merge.refused)
    twice = [name for name, reason in merge.refused if "the same run handed in twice" in reason]
    assert sorted(twice) == sorted([paths[0].name, "upload.json"]), "the first by name is kept, its copies refused"
    assert "not readable JSON" in reasons["cut.json"] and "not readable JSON" in reasons["photo.json"]
    assert "merge it with that study" in reasons["other.json"]
    assert "not finished" in reasons["unfinished.json"]
    assert "Refused cut.json" in merge.report()


def test_answers_to_an_edited_study_are_refused(tmp_path):
    simulate_room(load_study(FOUR), tmp_path, 3, seed=2)
    data = _data()
    data["pairs"][2]["a"]["edits"]["warmth"] = 40
    merge = merge_answers(load_study(data), tmp_path)
    assert not merge.records and all("another version of this study" in r for _, r in merge.refused)


def test_the_merge_is_deterministic_whatever_the_order_of_sources(tmp_path):
    study = load_study(FOUR)
    paths = simulate_room(study, tmp_path, 12, {"gaze": 0.3}, seed=5)
    shuffled = list(paths)
    random.Random(1).shuffle(shuffled)
    one, two = merge_answers(study, tmp_path), merge_answers(study, *shuffled)
    assert one.records == two.records and summarise(one) == summarise(two)


def test_attendees_who_miss_the_attention_check_are_counted_and_left_out(tmp_path):
    study = load_study(FOUR)
    simulate_room(study, tmp_path, 40, seed=3, inattentive=0.25)
    merge = merge_answers(study, tmp_path)
    assert len(merge.records) == 40 and 4 <= len(merge.inattentive) <= 18
    assert summarise(merge)[0].n == 40 - len(merge.inattentive)


# --- the analysis on synthetic rooms ---------------------------------------------------


def test_known_shares_are_recovered(tmp_path):
    study = load_study(FOUR)
    lean = {"gaze": 0.2, "smile": 0.8, "warmth": 0.5, "skin": 0.9}
    simulate_room(study, tmp_path, 240, lean, seed=11)
    for result in summarise(merge_answers(study, tmp_path)):
        low, high = result.interval
        assert low < lean[result.factor] < high
        assert abs(result.share_b - lean[result.factor]) < 0.08
        assert (result.p_value < 0.001) == (lean[result.factor] != 0.5)
        assert 0.4 < result.chose_left / result.n < 0.6, "sides do not decide the answer"
    results = {r.factor: r for r in summarise(merge_answers(study, tmp_path))}
    assert results["gaze"].agreement == "as the literature expects"  # direct gaze expected; 80 % chose it
    assert results["warmth"].agreement == "no clear lean yet"


def test_known_rating_differences_are_recovered(tmp_path):
    study = load_study("four_cues_rating")
    lean = {"gaze": -1.0, "smile": 0.0, "warmth": 0.5, "skin": 1.5}
    simulate_room(study, tmp_path, 200, lean, seed=4)
    for result in summarise(merge_answers(study, tmp_path)):
        low, high = result.interval
        assert low < lean[result.factor] < high, result
        (a_low, a_high), (b_low, b_high) = result.mean_intervals
        assert a_low < result.means[0] < a_high and b_low < result.means[1] < b_high


def test_the_plot_shows_every_factor_beside_the_literature(tmp_path):
    study = load_study(FOUR)
    simulate_room(study, tmp_path, 10, seed=6)
    figure = plot_study(merge_answers(study, tmp_path))
    texts = [t.get_text() for t in figure.axes[0].texts]
    for pair in study.pairs:
        assert pair.a.label in texts and pair.b.label in texts
        assert any(t.startswith(f"literature: {pair.version(pair.literature.expects).label}") for t in texts)
    assert sum(t.startswith("this room:") for t in texts) == len(study.pairs)


def test_an_empty_folder_gives_an_empty_but_honest_result(tmp_path):
    merge = merge_answers(load_study(FOUR), tmp_path)
    assert [r.n for r in summarise(merge)] == [0, 0, 0, 0]
    assert "no answers yet" in [t.get_text() for t in plot_study(merge).axes[0].texts]


# --- the statistics --------------------------------------------------------------------


def test_binomial_test_matches_hand_computed_values():
    assert binomial_test(15, 20) == pytest.approx(0.04138946533203125)
    assert binomial_test(0, 10) == pytest.approx(2 / 1024)
    assert binomial_test(7, 9, chance=0.3) == pytest.approx(0.00429, abs=5e-5)


@pytest.mark.parametrize("n", [10, 24, 60])
@pytest.mark.parametrize("share", [0.15, 0.5, 0.7])
def test_wilson_interval_covers_the_true_share_about_95_percent_of_the_time(n, share):
    rng = np.random.default_rng(n * 100 + int(share * 100))
    counts = rng.binomial(n, share, size=4000)
    covered = np.mean([low <= share <= high for low, high in (wilson_interval(int(k), n) for k in counts)])
    assert 0.92 <= covered <= 0.99, covered


def test_the_exact_test_keeps_false_alarms_at_or_below_five_percent():
    rng = np.random.default_rng(7)
    for n in (12, 30):
        alarms = np.mean([binomial_test(int(k), n) < 0.05 for k in rng.binomial(n, 0.5, size=3000)])
        assert alarms <= 0.055


def test_bootstrap_interval_covers_the_true_mean_about_95_percent_of_the_time():
    rng = np.random.default_rng(3)
    levels, weights = np.arange(1, 8), np.array([1, 2, 4, 6, 5, 3, 1], float)
    truth = float((levels * weights).sum() / weights.sum())
    hits = []
    for seed in range(400):
        sample = rng.choice(levels, size=30, p=weights / weights.sum())
        low, high = bootstrap_interval(sample, resamples=1000, seed=seed)
        hits.append(low <= truth <= high)
    assert 0.90 <= np.mean(hits) <= 0.99, np.mean(hits)
