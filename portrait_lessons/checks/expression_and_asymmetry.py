"""Self-checks for lesson 02, expression and asymmetry: each returns a sentence saying what to do next."""

from __future__ import annotations

from .. import examples
from ..face.symmetry import landmark_asymmetry


def check_felt_smile(model, low: float = 2, high: float = 6, max_difference: float = 0.5, min_narrowing: float = 1) -> str:
    """Exercise 1: a slight, symmetric smile that reaches the eyes.

    Both mouth corners up by ``low`` to ``high`` px (at 1024 px), within
    ``max_difference`` of each other, and the eyelids narrowed by at least
    ``min_narrowing`` px. ``model`` is the expression tool's model.

    Examples
    --------
    >>> from portrait_lessons.ui.face_tools import FaceEditModel
    >>> check_felt_smile(FaceEditModel(mouth_left=4, mouth_right=4, eyelid_narrowing=2))[:10]
    'Well done:'
    >>> check_felt_smile(FaceEditModel(mouth_left=4, mouth_right=1))[:15]
    'Not there yet: '
    """
    left, right = model.mouth_left, model.mouth_right
    for side, value in (("left", left), ("right", right)):
        if not low <= value <= high:
            return f"Not there yet: the {side} corner is at {value:+.1f} px; a slight smile lifts each corner {low:g} to {high:g} px."
    if abs(left - right) > max_difference:
        return (
            f"Not there yet: the corners differ by {abs(left - right):.1f} px, a one-sided smile. "
            f"Bring them within {max_difference:g} px (tick 'Move both mouth corners together')."
        )
    if model.eyelid_narrowing < min_narrowing:
        return f"Not there yet: the mouth smiles but the eyes don't. Narrow the eyelids by at least {min_narrowing:g} px."
    return "Well done: a slight, even smile that reaches the eyes, the kind viewers tend to read as felt."


def most_asymmetric_portrait(max_edge: int = 1024) -> str:
    """The bundled portrait whose landmarks are least like a mirror image."""
    scores = {name: landmark_asymmetry(examples.portrait_landmarks(name, max_edge)).overall for name in examples.names()}
    return max(scores, key=scores.get)


def check_most_asymmetric(answer: str) -> str:
    """Exercise 2: name the bundled portrait with the largest shape asymmetry.

    Examples
    --------
    >>> check_most_asymmetric("collins")[:15]
    'Not there yet: '
    >>> check_most_asymmetric(" Grace Hopper ") == check_most_asymmetric("hopper")
    True
    """
    answer = _portrait_name(answer)
    if answer not in examples.names():
        people = ", ".join(_person(name) for name in examples.names())
        return f"{answer!r} isn't one of the bundled portraits; choose one of: {people}."
    best = most_asymmetric_portrait()
    if answer != best:
        mine = landmark_asymmetry(examples.portrait_landmarks(answer, 1024)).overall
        return (f"Not there yet: {_person(answer)} measures {mine:.1f} %. Read down the shape asymmetry column of "
                "the table above, choose the portrait with the largest figure and press Check again.")  # fmt: skip
    return (
        f"Well done: {_person(answer)} it is. Now look at the photo: how much of that is the face, and how much a "
        "head turned or tilted toward the camera? The number can't tell those apart."
    )


def _person(name: str) -> str:
    """The sitter's name as the lessons write it: 'Grace Hopper' for ``hopper``.

    Examples
    --------
    >>> _person("hopper"), _person("koch")
    ('Grace Hopper', 'Christina Koch')
    """
    person = examples.portrait(name).person.split(",")[0]
    return " ".join(word for word in person.split() if not word.endswith(".") and word != "Commodore")


def _portrait_name(answer) -> str:
    """The portrait's short name from what a learner types: 'Hopper', 'Grace Hopper', ' koch '."""
    text = str(answer).strip().lower()
    if text in examples.names():
        return text
    words = text.replace(",", " ").replace(".", " ").split()
    matches = [name for name in examples.names() if name in words]
    return matches[0] if len(matches) == 1 else text
