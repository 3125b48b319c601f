"""Portrait prompts: build them from layers, lint them, vary them, export them.

Lesson 07 (the prompt studio) is built on this package; lesson 09's brief uses its exports.

The package follows one prompt through its life:

- :mod:`.vocabulary` and :mod:`.model`: fields, layers and words; :class:`PromptSpec`
  and :func:`resolve`, which turns a spec into plain text;
- :mod:`.presets`: goals such as trust or contemplation, set across every layer;
- :mod:`.lint`: the traps the workbook teaches, each with its principle and fix;
- :mod:`.variants`: one-factor A/B variants and seeded combinatorial sets;
- :mod:`.exports`: text that pastes cleanly into each generator's syntax;
- :mod:`.library`: named prompts saved as JSON, never lost.
"""

from .exports import TARGETS, Export, export, export_all
from .library import PromptLibrary, PromptLibraryError
from .lint import Finding, Findings, lint
from .model import PromptSpec, missing_layers, phrases, resolve
from .presets import PRESETS, Preset, PresetTable, apply_preset, preset
from .variants import Variant, VariantSet, combinations, one_factor
from .vocabulary import LAYERS, VOCABULARY, Term, lookup, options

__all__ = [
    "Export", "Finding", "Findings", "LAYERS", "PRESETS", "Preset", "PresetTable", "PromptLibrary",
    "PromptLibraryError", "PromptSpec", "TARGETS", "Term", "VOCABULARY", "Variant", "VariantSet",
    "apply_preset", "combinations", "export", "export_all", "lint", "lookup", "missing_layers",
    "one_factor", "options", "phrases", "preset", "resolve",
]  # fmt: skip
