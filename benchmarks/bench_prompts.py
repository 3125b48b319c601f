"""The prompt studio's work per keystroke, and variant sets.

Targets from the issue: build + lint + export one prompt in at most 2 ms;
1,000 variants in at most 0.5 s. Baseline: a plain string join of the same
prompt's phrases, measured in the same run.
"""

from __future__ import annotations

from portrait_lessons.prompts import PromptSpec, combinations, export, export_all, lint, one_factor, preset, resolve
from portrait_lessons.prompts.model import phrases
from timing import median_ms, report

FACTORS = ["gaze", "expression", "posture", "context", "lighting", "palette", "camera"]


def _build(fields: dict) -> PromptSpec:
    return PromptSpec(**fields)


def run() -> None:
    spec = preset("warmth").spec.replace(identity="a breathwork teacher (online), in her thirties")
    fields = spec.to_dict()
    words = [text for _, text in phrases(spec)]
    baseline = ("plain ', '.join of the same phrases", median_ms(lambda: ", ".join(words), repeat=2000))
    rows = [
        ("build the spec from its fields", median_ms(lambda: _build(fields), repeat=500)),
        ("resolve to text", median_ms(lambda: resolve(spec), repeat=500)),
        ("lint", median_ms(lambda: lint(spec), repeat=500)),
        ("export A1111 (weights, escapes, negative)", median_ms(lambda: export(spec, "a1111"), repeat=500)),
        ("export Midjourney", median_ms(lambda: export(spec, "midjourney"), repeat=500)),
        ("build + lint + export A1111  (target <= 2 ms)",
         median_ms(lambda: (lint(s := _build(fields)), export(s, "a1111")), repeat=500)),
        ("build + lint + all six exports (one keystroke)",
         median_ms(lambda: (lint(s := _build(fields)), export_all(s)), repeat=300)),
    ]  # fmt: skip
    report("Prompt studio: one prompt", baseline, rows)

    base_join = ("1,000 plain joins of the same prompt", median_ms(lambda: [", ".join(words) for _ in range(1000)]))
    rows = [
        ("1,000 variants sampled over 7 factors  (target <= 500 ms)",
         median_ms(lambda: combinations(spec, FACTORS, count=1000, sample_seed=1), repeat=15)),
        ("all 336 combinations of lighting x palette x expression",
         median_ms(lambda: combinations(spec, ["lighting", "palette", "expression"]), repeat=15)),
        ("one-factor set over the gaze vocabulary", median_ms(lambda: one_factor(spec, "gaze"), repeat=100)),
        ("lint 1,000 sampled variants",
         median_ms(lambda: [lint(v.spec) for v in combinations(spec, FACTORS, count=1000, sample_seed=1)], repeat=5)),
    ]  # fmt: skip
    report("Prompt studio: variant sets", base_join, rows)

    from portrait_lessons.ui.prompt_studio import prompt_studio  # ipywidgets only for the last row

    studio = prompt_studio(spec)
    box = studio.fields["identity"]
    texts = iter(f"a breathwork teacher {i}" for i in range(10**6))
    report("Prompt studio widget", baseline,
           [("one keystroke in Identity: model, lint, 6 exports, HTML", median_ms(lambda: setattr(box, "value", next(texts)), repeat=100))])  # fmt: skip


if __name__ == "__main__":
    run()
