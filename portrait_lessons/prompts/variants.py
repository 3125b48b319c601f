"""Controlled variants: change one factor for an A/B test, or sample combinations of several.

Two habits of generator users cause most confusion: random batches that repeat
the same prompt, and images whose saved prompt is not the prompt that made
them. Here every variant is resolved to its final text when it is made and
recorded with it, sets never hold the same text twice, and the same seed always
gives the same set. All variants in a set share one image seed, so the only
thing that differs between two pictures is the factor under test.
"""

from __future__ import annotations

import html
import math
import random
from dataclasses import dataclass
from typing import Iterator, Mapping, Sequence

from .model import PromptSpec, clean_text, resolve
from .vocabulary import LABELS, TEXT_FIELDS, options

#: The most variants one call makes; past this a list stops being something a person can read.
MAX_VARIANTS = 10_000


@dataclass(frozen=True)
class Variant:
    """One prompt of a set: its spec, what changed from the base, and its resolved text.

    Examples
    --------
    >>> base = PromptSpec(identity="an artist", gaze="candid eye contact")
    >>> variant = one_factor(base, "gaze", ["soft gaze slightly off-camera"])[0]
    >>> variant.changes, variant.text
    ((('gaze', 'soft gaze slightly off-camera'),), 'an artist, soft gaze slightly off-camera')
    """

    label: str
    spec: PromptSpec
    changes: tuple[tuple[str, str], ...]
    text: str
    seed: int

    def to_dict(self) -> dict:
        """JSON-ready record: label, changes, resolved text, image seed and the full spec."""
        return {"label": self.label, "changes": dict(self.changes), "text": self.text, "seed": self.seed,
                "spec": self.spec.to_dict()}  # fmt: skip


@dataclass(frozen=True)
class VariantSet:
    """Variants of one base prompt, in a stable order, with how they were made."""

    base: PromptSpec
    factors: tuple[str, ...]
    variants: tuple[Variant, ...]
    image_seed: int
    sample_seed: int | None
    space: int

    def __len__(self) -> int:
        return len(self.variants)

    def __iter__(self) -> Iterator[Variant]:
        return iter(self.variants)

    def __getitem__(self, index: int) -> Variant:
        return self.variants[index]

    @property
    def texts(self) -> list[str]:
        """The resolved text of every variant, in order."""
        return [variant.text for variant in self.variants]

    def to_records(self) -> dict:
        """Everything needed to reproduce the set and check each image against it."""
        return {
            "base": {"text": resolve(self.base), "spec": self.base.to_dict()},
            "factors": list(self.factors), "image_seed": self.image_seed, "sample_seed": self.sample_seed,
            "space": self.space, "variants": [variant.to_dict() for variant in self.variants],
        }  # fmt: skip

    def _repr_html_(self) -> str:
        e = html.escape
        head = "".join(f"<th>{e(LABELS[f].lower())}</th>" for f in self.factors)
        base = "".join(f"<td>{e(clean_text(getattr(self.base, f)))}</td>" for f in self.factors)
        rows = [f"<tr><td><b>base</b></td>{base}<td>{e(resolve(self.base))}</td></tr>"]
        for variant in self.variants:
            changed = dict(variant.changes)
            cells = "".join(
                f"<td><b>{e(changed[f])}</b></td>" if f in changed else "<td>(as base)</td>" for f in self.factors
            )
            rows.append(f"<tr><td>{e(variant.label)}</td>{cells}<td>{e(variant.text)}</td></tr>")
        caption = (f"{len(self)} of {self.space} possible; image seed {self.image_seed}"
                   + (f", sample seed {self.sample_seed}" if self.sample_seed is not None else ""))  # fmt: skip
        return (f'<table class="pl-variants"><caption>{e(caption)}</caption>'
                f"<tr><th>#</th>{head}<th>resolved text</th></tr>{''.join(rows)}</table>")  # fmt: skip

    def __repr__(self) -> str:
        noun = "variant" if len(self) == 1 else "variants"
        lines = [f"{len(self)} {noun} of {self.space} over {', '.join(self.factors)} (image seed {self.image_seed})"]
        for variant in self.variants:
            lines.append(f"  {variant.label}: " + "; ".join(f"{k}={v!r}" for k, v in variant.changes))
        return "\n".join(lines)


def _values(factor: str, values: Sequence[str] | None) -> list[str]:
    if factor not in TEXT_FIELDS:
        raise ValueError(f"Can't vary {factor!r}: choose one of {', '.join(TEXT_FIELDS)}.")
    if isinstance(values, str):
        raise TypeError(f"Give the values for {factor} as a list, such as [{values!r}], not as one text.")
    chosen = options(factor) if values is None else values
    unique: dict[str, str] = {}
    for value in chosen:
        if not isinstance(value, str):
            raise TypeError(f"Every value for {factor} must be text, not {type(value).__name__}.")
        unique.setdefault(clean_text(value).casefold(), clean_text(value))
    return list(unique.values())


def one_factor(
    spec: PromptSpec, factor: str, values: Sequence[str] | None = None, image_seed: int = 0
) -> VariantSet:
    """Variants that each change only ``factor``, for an A/B test against ``spec``.

    ``values`` defaults to the vocabulary of the field; a value equal to the
    base's is skipped, since it would be the base again.

    Examples
    --------
    >>> base = PromptSpec(identity="an artist", gaze="candid eye contact", context="a quiet studio")
    >>> pair = one_factor(base, "gaze", ["candid eye contact", "soft gaze slightly off-camera"], image_seed=7)
    >>> len(pair), pair[0].seed, pair[0].text
    (1, 7, 'an artist, soft gaze slightly off-camera, a quiet studio')
    """
    current = clean_text(getattr(spec, factor, "")).casefold() if factor in TEXT_FIELDS else None
    chosen = [value for value in _values(factor, values) if value.casefold() != current]
    variants = []
    for value in chosen:
        changed = spec.replace(**{factor: value})
        variants.append(Variant(_label(len(variants)), changed, ((factor, value),), resolve(changed), image_seed))
    return VariantSet(spec, (factor,), tuple(variants), image_seed, None, len(chosen))


def combinations(
    spec: PromptSpec,
    factors: Mapping[str, Sequence[str] | None] | Sequence[str],
    count: int | None = None,
    sample_seed: int = 0,
    image_seed: int = 0,
) -> VariantSet:
    """Combinations of values across several factors: all of them, or ``count`` drawn without repeats.

    ``factors`` maps each field to its values (None: the field's vocabulary),
    or lists fields to vary over their vocabulary. With ``count`` smaller than
    the number of combinations, a sample is drawn with ``random.Random(sample_seed)``,
    so the same seed always gives the same set, and no combination is drawn
    twice. Variants are listed in a fixed order either way.

    Examples
    --------
    >>> base = PromptSpec(identity="an artist")
    >>> grid = combinations(base, {"gaze": ["candid eye contact", "looking away"], "palette": ["warm", "cool"]})
    >>> len(grid), grid.space
    (4, 4)
    >>> sample = combinations(base, ["gaze", "palette", "lighting"], count=5, sample_seed=3)
    >>> sample.texts == combinations(base, ["gaze", "palette", "lighting"], count=5, sample_seed=3).texts
    True
    """
    if not isinstance(factors, Mapping):
        if isinstance(factors, str):
            raise TypeError(f"Give the factors as a list, such as [{factors!r}], not as one text.")
        factors = dict.fromkeys(factors)
    if not factors:
        raise ValueError("Choose at least one factor to vary.")
    names = tuple(factors)
    choices = [_values(name, factors[name]) for name in names]
    for name, values in zip(names, choices):
        if not values:
            raise ValueError(f"No values to try for {name}.")
    space = math.prod(len(values) for values in choices)
    if count is None:
        if space > MAX_VARIANTS:
            raise ValueError(f"{space:,} combinations is too many to list; ask for a sample, such as count=100.")
        indices: Sequence[int] = range(space)
    else:
        if not 0 < count <= MAX_VARIANTS:
            raise ValueError(f"count must be between 1 and {MAX_VARIANTS:,} (got {count}).")
        indices = range(space) if count >= space else sorted(random.Random(sample_seed).sample(range(space), count))

    variants: list[Variant] = []
    seen: set[str] = set()
    for index in indices:
        changes = []
        for name, values in zip(reversed(names), reversed(choices)):  # mixed radix, last factor fastest
            index, digit = divmod(index, len(values))
            changes.append((name, values[digit]))
        changes.reverse()
        changed = spec.replace(**dict(changes))
        text = resolve(changed)
        if text.casefold() not in seen:
            seen.add(text.casefold())
            variants.append(Variant(_label(len(variants)), changed, tuple(changes), text, image_seed))
    return VariantSet(spec, names, tuple(variants), image_seed, sample_seed if count is not None else None, space)


def _label(index: int) -> str:
    return str(index + 1)
