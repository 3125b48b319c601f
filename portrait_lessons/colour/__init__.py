"""Colour and film: white balance, develop controls, film looks, measures, eras, nostalgia.

Lessons 00 (the warmth slider), 05 (colour psychology), 06 (nostalgia and
culture) and 08 (the editing panel's look stage) are built on this package.

- :mod:`.white_balance`: warmth as a white-balance shift in linear light, and its measure.
- :mod:`.adjust`: develop controls: Bradford white balance, exposure, tone, vibrance, grading.
- :mod:`.film`: grain, fade, halation, vignette, casts, soft focus, light leaks.
- :mod:`.look`: :class:`Look` (every colour and film setting) and its fast renderer.
- :mod:`.measure`: colour temperature, colourfulness, saturation, palettes, mood map.
- :mod:`.eras`: era presets kept as data (``presets/eras.json``).
- :mod:`.nostalgia`: the nostalgia window (the reminiscence bump).
"""

from . import eras
from .look import FULL_LOOK, Look, LookError, render_look
from .measure import colour_temperature, colourfulness, dominant_palette, measurements, skin_tone
from .nostalgia import nostalgia_window, window_figure
from .white_balance import WARMTH_RANGE, warm_cool_index, warmth
