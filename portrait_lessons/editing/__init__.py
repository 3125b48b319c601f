"""The editing panel's model: a registry of stages, recipes, sidecars and export.

Lesson 08 (editing for warmth and depth) is built on this package.

- :mod:`.recipe`: the stage registry, :class:`Recipe`, rendering, JSON sidecars, export.
- :mod:`.stages`: the workbook's own stages (light, skin, detail, depth, face, look).

The stages depend on the recipe's registry, never the reverse: importing this
package imports :mod:`.recipe` first and then :mod:`.stages`, which registers
the built-in stages.
"""

from .recipe import Recipe, RecipeError, export_edit, get_stage, load_sidecar, register_stage, render
from . import stages as _builtin_stages  # noqa: F401  (registers the workbook's stages)
