"""The study's views, driven as an attendee's and a facilitator's mouse would."""

from __future__ import annotations

import base64
import json
import re
from datetime import datetime, timezone

from portrait_lessons.ui.study import study_results, study_runner
from portrait_lessons.workshop import load_study, simulate_room


def _upload(name: str, data: bytes) -> dict:
    return {"name": name, "type": "application/json", "size": len(data), "content": memoryview(data),
            "last_modified": datetime.now(timezone.utc)}  # fmt: skip


def _answer_all(runner) -> None:
    while not runner.run.done:
        trial = runner.run.current
        if trial.kind == "attention":
            runner.choose[0 if trial.left == "grey" else 1].click()
        elif runner.run.study.question.answer == "rating":
            runner.ratings[0].value, runner.ratings[1].value = 2, 6
            runner.next.click()
        else:
            runner.choose[1].click()


def test_an_attendee_consents_answers_and_hands_in(tmp_path):
    runner = study_runner("four_cues", tmp_path / "shared", tmp_path / "mine")
    assert runner.start.disabled and runner.trial_box.layout.display == "none"
    runner.agree.value = True
    runner.start.click()
    assert runner.trial_box.layout.display == "" and "Screen 1 of 5" in runner.progress.value
    shown = [bytes(p.value) for p in runner.pictures]
    assert shown[0] != shown[1], "two different versions side by side"
    runner.choose[0].click()
    assert "Screen 2 of 5" in runner.progress.value and runner.run.position == 1
    _answer_all(runner)
    files = list((tmp_path / "shared").glob("*.json"))
    assert len(files) == 1 and "Thank you" in runner.done_box.value
    link = re.search(r'href="data:application/json;base64,([^"]+)"', runner.done_box.value).group(1)
    assert json.loads(base64.b64decode(link)) == json.loads(files[0].read_text())
    assert runner.run.participant in files[0].name and "name" not in json.loads(files[0].read_text())


def test_a_reopened_study_continues_where_it_stopped(tmp_path):
    runner = study_runner("competence", tmp_path / "shared", tmp_path / "mine")
    runner.agree.value = True
    runner.start.click()
    runner.choose[0].click()
    again = study_runner("competence", tmp_path / "shared", tmp_path / "mine")
    assert again.run.participant == runner.run.participant and "Welcome back" in again.message.value
    assert again.consent_box.layout.display == "none" and "Screen 2 of 3" in again.progress.value


def test_rating_needs_both_ratings_before_next(tmp_path):
    runner = study_runner("four_cues_rating", tmp_path / "shared", tmp_path / "mine")
    runner.agree.value = True
    runner.start.click()
    while runner.run.current.kind == "attention":
        runner.choose[0 if runner.run.current.left == "grey" else 1].click()
    assert runner.next.disabled and runner.ratings[0].layout.display == ""
    runner.ratings[0].value = 3
    assert runner.next.disabled
    runner.ratings[1].value = 5
    assert not runner.next.disabled
    runner.next.click()
    assert runner.run.responses[-1]["ratings"] in ({"a": 3, "b": 5}, {"a": 5, "b": 3})


def test_the_facilitator_merges_a_folder_and_handed_in_files(tmp_path):
    study = load_study("four_cues")
    simulate_room(study, tmp_path / "room", 9, {"skin": 0.9}, seed=2)
    handed = simulate_room(study, tmp_path / "usb", 2, seed=3)
    view = study_results("four_cues", tmp_path / "room")
    assert len(view.merged.records) == 9 and bytes(view.plot.value).startswith(b"\x89PNG")
    before = view.plot.value
    files = [(p.name, p.read_bytes()) for p in handed] + [("holiday.json", b"{not json")]
    view.upload.value = tuple(_upload(name, data) for name, data in files)
    assert len(view.merged.records) == 11 and bytes(view.plot.value) != bytes(before)
    assert "Refused holiday.json" in view.report.value and "11 answers files merged" in view.report.value
    view.folder.value = str(tmp_path / "nowhere")
    view.merge.click()
    assert "does not exist yet" in view.report.value and len(view.merged.records) == 2
