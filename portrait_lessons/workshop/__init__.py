"""The workshop kit: a rating study the room runs on itself, and its results.

A workshop can test the workbook's claims on the room, then set the room's
answers beside the literature. The kit has four parts, each a plain-Python
model that the views in :mod:`portrait_lessons.ui.study` show:

- :mod:`.design`: a study as a small JSON file (pairs of edited versions of
  one bundled portrait, the question, what the literature expects), checked
  on load with plain-words errors; three studies come bundled.
- :mod:`.stimuli`: the pictures, made by the package's own edits (face,
  white balance, skin smoothing), never ratings of the real person.
- :mod:`.runner`: one attendee's run: a random participant code (no names),
  a seeded order, counterbalanced sides, one attention check, a consent line,
  resuming after an interruption; answers written once per attendee.
- :mod:`.storage` and :mod:`.analysis`: one file per attendee written
  atomically and never overwritten, so 30 attendees writing into one shared
  folder lose nothing; merging refuses bad or duplicate files and keeps the
  rest; shares with Wilson intervals and exact binomial tests, or means with
  bootstrap intervals; one plot per study beside the literature.

Used by ``notebooks/workshop_study.ipynb`` (attendees),
``notebooks/workshop_results.ipynb`` (the facilitator) and ``apps/study.ipynb``.
"""

from .analysis import FactorResult, Merge, merge_answers, plot_study, results_table, simulate_room, summarise
from .design import Pair, Question, Study, StudyError, Version, bundled_studies, load_study
from .runner import StudyRun, new_participant_id, plan_trials
from .stats import binomial_test, bootstrap_interval, wilson_interval
from .storage import AnswersExistError, write_once

__all__ = [
    "AnswersExistError", "FactorResult", "Merge", "Pair", "Question", "Study", "StudyError", "StudyRun",
    "Version", "binomial_test", "bootstrap_interval", "bundled_studies", "load_study", "merge_answers",
    "new_participant_id", "plan_trials", "plot_study", "results_table", "simulate_room", "summarise",
    "wilson_interval", "write_once",
]  # fmt: skip
