"""Portrait Lessons: the helper package behind the workbook's notebooks.

The notebooks import from here so that each lesson shows only the idea it
teaches. Image functions are pure: they take an RGB ``uint8`` array of shape
``(H, W, 3)`` and return a new one. Only :mod:`portrait_lessons.ui` imports
ipywidgets.
"""

__version__ = "0.1.0"
