"""The interactive tools: ipywidgets views over the package's pure functions.

One module per tool, named for what the learner does: ``start_here`` (lesson 00),
``face_tools`` and ``landmark_picker`` (lessons 01 and 02), ``mirror`` (lesson 02's mirror
composites of the learner's photo), ``texture_tool``
(lesson 03), ``grading`` and ``era_picker`` (lessons 05 and 06), ``prompt_studio``
(lesson 07) and ``editing_panel`` (lesson 08). Every image tool sits in the one
tool frame of ``frame`` (photo source, before / after / split, Save, status line), and
every exercise is an ``exercises`` widget with a Check button. This is the only package that
imports ipywidgets or IPython; each tool's state lives in a plain model class
beside its view, so tests drive it by setting widget values.
"""
