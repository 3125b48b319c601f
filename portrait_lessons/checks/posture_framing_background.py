"""Self-checks for lesson 04, posture, framing and background: each returns a sentence saying what to do next."""

from __future__ import annotations

#: Postures the studies call expansive and contracted (Hall et al. 2005; Mignault & Chaudhuri 2003).
EXPANSIVE = ("open_confident", "calm_authority")
CONTRACTED = ("closed_guarded", "contemplative")


def check_posture_ratings(ratings: dict[str, int]) -> str:
    """Exercise 1: compare the learner's dominance ratings of the figure's postures with the literature.

    There is no right rating of a drawing; the check says whether the
    learner's ratings run the way the studies found viewers' do on average
    (expansive and chin-up above contracted and chin-down).

    Examples
    --------
    >>> check_posture_ratings({"open_confident": 6, "calm_authority": 6, "closed_guarded": 2, "contemplative": 3})[:10]
    'Well done:'
    >>> check_posture_ratings({"open_confident": 2, "calm_authority": 3, "closed_guarded": 6, "contemplative": 5})[:12]
    'Interesting:'
    """
    missing = [name for name in (*EXPANSIVE, *CONTRACTED) if name not in ratings]
    if missing:
        return "Not there yet: rate every figure first (" + ", ".join(m.replace("_", " ") for m in missing) + ")."
    if len(set(ratings.values())) == 1:
        return "Not there yet: every figure has the same rating. Move the sliders to say how each one reads to you."
    high = sum(ratings[n] for n in EXPANSIVE) / len(EXPANSIVE)
    low = sum(ratings[n] for n in CONTRACTED) / len(CONTRACTED)
    if high > low:
        return (
            f"Well done: you rated the expansive, chin-up postures {high - low:.1f} points higher on average, "
            "the direction a meta-analysis found (Hall et al. 2005). It is a tendency across many viewers, not a rule for every one."
        )
    return (
        f"Interesting: your ratings run the other way ({low - high:.1f} points for the contracted postures). "
        "Studies find the opposite on average; discuss what in the drawings made you read them so. Both readings are allowed."
    )


def check_camera_distance(answer: str | None, near_is: str = "B") -> str:
    """Exercise 2: which picture was taken from 30 cm? (the other from 3 m, at the same face size).

    Examples
    --------
    >>> check_camera_distance("B")[:10]
    'Well done:'
    >>> check_camera_distance(None)[:15]
    'Not there yet: '
    """
    if answer is None:
        return "Not there yet: click A or B first, then Check."
    if answer.strip().upper().startswith(near_is):
        return (
            "Well done: the near camera makes the nose larger and the face narrower, the ears slip out of sight. "
            "Both faces are the same size, so a crop could not have done it."
        )
    return "Not quite: look at the nose against the width of the cheeks, and at the ears. Which face looks narrower with a larger nose?"


def check_lead_room(model, min_lead: float = 0.58, min_face_ism: float = 0.55) -> str:
    """Exercise 3: in the crop tool, make the subject look into the frame, with a close crop.

    ``model`` is the crop tool's model (``tool.model``). The lead room must
    be at least ``min_lead`` and face-ism at least ``min_face_ism``.

    Examples
    --------
    >>> from portrait_lessons.ui.composition_tools import CropModel
    >>> check_lead_room(CropModel(photo="koch"))[:15]
    'Not there yet: '
    >>> check_lead_room(CropModel(photo="koch", gaze=-20, offset=1, zoom=0.6, aspect="4:5 (portrait)"))[:10]
    'Well done:'
    """
    values = model.measures()
    lead = values["lead_room"]
    if lead is None:
        return "Not there yet: the eyes look into the lens, so no side is ahead. Turn the gaze with the Gaze slider first."
    if lead < min_lead:
        return (
            f"Not there yet: the room ahead of the gaze is {lead:.2f} of the width. Move the face away from the side "
            f"it looks to (Face left ↔ right), or turn the gaze the other way, until it reaches {min_lead:.2f}."
        )
    if values["face_ism"] < min_face_ism:
        return f"Not there yet: face-ism is {values['face_ism']:.2f}; zoom in until it reaches {min_face_ism:.2f}."
    return (
        f"Well done: lead room {lead:.2f} and face-ism {values['face_ism']:.2f}. The subject looks into the frame, "
        "the composition Palmer, Gardner & Wickens (2008) found viewers prefer."
    )


#: Exercise 4's options and the strength each claim has in the evidence.
CLAIMS = {
    "The scene around a face changes which emotion viewers read in it.": "supported",
    "A sense of place outperforms a studio headshot.": "popular claim",
    "A studio backdrop reads as professional.": "popular claim",
}


def check_context_claim(answer: str | None) -> str:
    """Exercise 4: which claim about backgrounds comes from experiments?

    Examples
    --------
    >>> check_context_claim("The scene around a face changes which emotion viewers read in it.")[:10]
    'Well done:'
    >>> check_context_claim("A studio backdrop reads as professional.")[:11]
    'Not quite: '
    """
    if answer is None:
        return "Not there yet: click one of the claims first, then Check."
    strength = CLAIMS.get(answer)
    if strength is None:
        return "Not there yet: choose one of the claims listed."
    if strength == "supported":
        return (
            "Well done: Aviezer et al. (2008) and Righart & de Gelder (2008) showed that body and scene change the emotion "
            "read in the same face; Masuda et al. (2008) reported that this differs between cultures."
        )
    return f"Not quite: that one is a {strength}, said often but not tested as stated. Which claim comes from experiments?"


#: Exercise 5's options about power posing.
POWER_POSING = {
    "Holding an expansive pose changes the poser's hormones and risk-taking.": False,
    "Replications found no reliable hormone or risk effects; a small effect on how the poser feels is debated.": True,
    "Viewers read a posed power stance as fake, so it always backfires.": False,
}


def check_power_posing(answer: str | None) -> str:
    """Exercise 5: what did the replications of "power posing" find?

    Examples
    --------
    >>> check_power_posing(next(k for k, v in POWER_POSING.items() if v))[:10]
    'Well done:'
    """
    if answer is None:
        return "Not there yet: click one of the answers first, then Check."
    if POWER_POSING.get(answer):
        return (
            "Well done: Ranehill et al. (2015) found no hormone or risk effect; Simmons & Simonsohn (2017) found the "
            "evidence weak; Cuddy et al. (2018) argue for a small effect on feelings. None of that is about viewers: "
            "how viewers read a posture is a separate question, with its own evidence."
        )
    return "Not quite: look at the evidence card on power posing; it is about the poser, and the replications disagree with the first study."
