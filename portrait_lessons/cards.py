"""Evidence cards: each claim about perception with its sources, what was measured, and how strong it is.

Cards are data, kept here once and shown by key (``card("gaze.eye-contact")``),
so the same claim reads the same in every lesson. A card cites sources from
:mod:`portrait_lessons.sources` by key; it is refused if a source is not
registered, if it says nothing about what was measured, or if its strength is
above what its *checked* sources support. A notebook's Sources section is
rendered from the cards it shows (:func:`sources_section`), and the suite
keeps a count of cards, sources and labels per notebook.

Examples
--------
>>> card("colour.presence-amplifies").strength
'supported'
>>> "Lin, Mottaghi &amp; Shams (2023)" in card("colour.presence-amplifies")._repr_html_()
True
>>> [s.key for s in sources_section(5).sources][:2]
['mcmenamin2013', 'article']
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from .sources import RANK, STRENGTHS, SourceList, source

_COLOURS = {"established": "#1b7837", "supported": "#b35806", "popular claim": "#762a83"}


@dataclass(frozen=True)
class EvidenceCard:
    """A claim, the registered sources behind it, what they measured, and how strong it is.

    ``inference`` holds what the workbook reads into the finding for portraits;
    it is shown as an inference, never with the finding's strength.

    Examples
    --------
    >>> EvidenceCard("x", "A claim.", ("lin2023",), "ratings", "established")
    Traceback (most recent call last):
    ...
    ValueError: card 'x': 'established' is stronger than its checked sources support (at most 'supported')
    >>> EvidenceCard("x", "A claim.", ("nobody2020",), "ratings", "supported")
    Traceback (most recent call last):
    ...
    ValueError: card 'x': No source called 'nobody2020' in the registry (portrait_lessons/sources.py).
    >>> EvidenceCard("x", "A claim.", ("lin2023",), " ", "supported")
    Traceback (most recent call last):
    ...
    ValueError: card 'x': say what was measured (or "nothing directly" and why)
    >>> EvidenceCard("x", "A claim.", ("brm2026",), "ratings", "supported")
    Traceback (most recent call last):
    ...
    ValueError: card 'x': 'supported' is stronger than its checked sources support (at most 'popular claim')
    """

    key: str
    claim: str
    sources: tuple[str, ...]
    measured: str
    strength: str
    limits: str = ""
    inference: str = ""

    def __post_init__(self):
        def fail(message: str):
            raise ValueError(f"card {self.key!r}: {message}")

        if not self.claim.strip():
            fail("a card needs a claim")
        if self.strength not in STRENGTHS:
            fail(f"strength must be one of: {', '.join(STRENGTHS)} (got {self.strength!r})")
        if not self.measured.strip():
            fail('say what was measured (or "nothing directly" and why)')
        if not self.sources:
            fail("cite at least one registered source")
        try:
            cited = [source(key) for key in self.sources]
        except KeyError as error:
            fail(error.args[0])
        if any(s.kind == "method" for s in cited):
            fail("method sources describe tools, not perception; cite them in a Sources section instead")
        best = max((RANK[s.strength] for s in cited if s.checked), default=0)
        if RANK[self.strength] > best:
            fail(f"{self.strength!r} is stronger than its checked sources support (at most {list(STRENGTHS)[best]!r})")

    def _repr_html_(self) -> str:
        e = html.escape
        colour = _COLOURS[self.strength]
        cites = []
        for s in map(source, self.sources):
            text = e(s.cite()) + ("" if s.checked else " <i>(not checked)</i>")
            cites.append(f'<a href="{e(s.link)}" target="_blank" rel="noopener">{text}</a>' if s.link else text)
        limits = f"<div><b>Limits:</b> {e(self.limits)}</div>" if self.limits else ""
        inference = (f"<div><b>What the workbook infers</b> (an inference, not a finding): {e(self.inference)}</div>"
                     if self.inference else "")  # fmt: skip
        return (
            f'<div class="pl-evidence" data-card="{e(self.key)}" data-strength="{e(self.strength)}" '
            f'style="border-left:6px solid {colour};padding:6px 12px;margin:8px 0;background:rgba(127,127,127,0.08)">'
            f"<div><b>Claim:</b> {e(self.claim)}</div>"
            f"<div><b>Sources:</b> {'; '.join(cites)}</div>"
            f"<div><b>What was measured:</b> {e(self.measured)}</div>"
            f'<div><b>Strength:</b> <span style="color:{colour};font-weight:bold">{e(self.strength)}</span>'
            f" ({e(STRENGTHS[self.strength])})</div>{limits}{inference}</div>"
        )

    def __repr__(self) -> str:
        return f"[{self.strength}] {self.claim} ({'; '.join(source(k).cite() for k in self.sources)})"


def _cards(*cards: EvidenceCard) -> dict[str, EvidenceCard]:
    return {c.key: c for c in cards}


#: Every evidence card of the workbook, by key.
CARDS: dict[str, EvidenceCard] = _cards(
    # --- gaze (lessons 01, 07) ------------------------------------------------------------------------------
    EvidenceCard(
        "gaze.eye-contact",
        "A face that looks at the viewer draws attention and changes how it is processed, including activity in "
        "'social brain' regions: the eye-contact effect.",
        ("senju2009", "hooker2003"),
        "a review of behavioural, brain-imaging and developmental studies of perceived eye contact (Senju & "
        "Johnson); brain activity while people watched a face for gaze cues and for direct gaze (Hooker et al.)",
        "established",
        "laboratory faces, mostly photographs seen briefly; none of these studies measured trust or how a portrait "
        "feels",
        "direct gaze may make a portrait feel like an address to the viewer; whether it reads as open or "
        "trustworthy was not measured, and depends on the viewer",
    ),
    EvidenceCard(
        "gaze.culture",
        "Eye contact drew attention in Finnish and Japanese viewers alike, but Japanese viewers rated a face making "
        "eye contact as angrier, less approachable and more unpleasant than Finnish viewers did.",
        ("akechi2013",),
        "heart rate, looking time and ratings by Finnish and Japanese participants facing a real person who made eye "
        "contact or looked away",
        "supported",
        "two cultures and neutral faces only",
        "direct gaze is not a universal signal of trust: who will see the portrait matters",
    ),
    EvidenceCard(
        "gaze.break-contact",
        "On the bundled portraits, turning the eyes by about 10 to 15 degrees is enough for the gaze to stop meeting "
        "the viewer's.",
        ("workbook",),
        "nothing directly: the workbook's edits judged by eye; no viewer study was run",
        "popular claim",
        "faces, lenses and viewing distance differ; test it on your own edits",
    ),
    EvidenceCard(
        "gaze.shared-signal",
        "The shared-signal hypothesis: direct gaze makes approach emotions (joy, anger) easier to see, averted gaze "
        "avoidance emotions (fear, sadness).",
        ("adams2005",),
        "traits attributed to neutral faces, ratings of anger-fear blends and perception of prototypical "
        "expressions, each with direct or averted gaze",
        "supported",
        "posed faces; the full pattern was not confirmed later (the next two cards)",
    ),
    EvidenceCard(
        "gaze.liang",
        "For neutral and smiling faces, direct gaze made happiness more likely to be seen; averted gaze made anger and "
        "fear more likely to be seen.",
        ("liang2021",),
        "which emotion Asian participants perceived in photographed faces with direct or averted gaze",
        "supported",
        "one culture; averted gaze also raised perceived anger, which the shared-signal hypothesis does not predict",
    ),
    EvidenceCard(
        "gaze.bindemann",
        "Averted gaze impaired the recognition of every expression tested (happy, sad, angry and fearful), "
        "not only of approach emotions.",
        ("bindemann2008",),
        "how well people categorised and rated expressions with direct or averted gaze, in six experiments",
        "supported",
        "categorisation tasks; where averted gaze had helped fear or sadness before, that depended on the stimuli and "
        "the task",
        "a match of gaze and expression is a hypothesis to test, not a rule",
    ),
    EvidenceCard(
        "gaze.mismatch",
        "A portrait whose gaze and expression do not match (a smile aimed past the viewer, a downturned mouth staring "
        "out) feels less settled than a matched pair.",
        ("adams2005", "bindemann2008"),
        "nothing directly: the studies measured which emotions viewers recognised and how fast, not how settled a "
        "picture feels",
        "popular claim",
        "Bindemann et al. found averted gaze made every expression harder to read, matched or not",
    ),
    EvidenceCard(
        "gaze.averted-reading",
        "An averted gaze lets the viewer watch a thought: with a calm face it reads as contemplation or aspiration, "
        "with a tense one as unease.",
        ("liang2021", "bindemann2008", "practice"),
        "nothing directly: the studies measured which emotions were seen with averted gaze (more anger and fear on "
        "neutral faces; every expression harder to read), not 'watching a thought'",
        "popular claim",
        "a photographers' reading, consistent with but not tested by the studies",
    ),
    EvidenceCard(
        "gaze.look-room",
        "A glance toward the empty side of the frame feels like looking at something; toward the near edge, like "
        "looking away.",
        ("practice",),
        "nothing directly: a rule of thumb of portrait photography",
        "popular claim",
        "try it on the gaze pad rather than trust it",
    ),
    # --- expression (lessons 02, 07) ---------------------------------------------------------------------------
    EvidenceCard(
        "expression.engagement",
        "In the posts of one virtual influencer, facial movements of happiness but also of sadness, disgust and "
        "surprise went with engagement: 'positive expressions get more likes' oversimplifies.",
        ("yu2024", "jrcs2025", "article"),
        "facial action units in 1,028 pictures of one computer-generated influencer against likes and comments (Yu "
        "et al.); the founding article's 2025 source could not be read",
        "popular claim",
        "correlational data from one account; it shows what went with engagement there, not what causes it in "
        "portraits",
    ),
    EvidenceCard(
        "expression.smile-intensity",
        "A broad smile made people seem warmer but less competent than a slight smile; the warmth gain was larger in "
        "low-risk settings, the competence loss in high-risk ones.",
        ("wang2017",),
        "judgements of warmth and competence of marketers showing a broad or a slight smile, in experiments and in "
        "crowdfunding data",
        "supported",
        "marketing settings; the effects depend on what is at stake and on the viewer",
        "for a portrait that must look competent (thought leadership, finance), a slight smile is the safer choice",
    ),
    EvidenceCard(
        "expression.duchenne",
        "Observers told enjoyment smiles from other smiles better than chance, more so when the eyes visibly joined "
        "in, and saw the women showing enjoyment smiles more positively.",
        ("frank1993", "gunnery2016"),
        "observers' judgements of filmed enjoyment and non-enjoyment smiles, and their impressions of the smilers "
        "(Frank et al.); the meta-analysis by Gunnery & Ruben was not read here",
        "supported",
        "the eye marker can also be made on purpose, so it is a cue viewers use, not proof of a feeling",
    ),
    EvidenceCard(
        "expression.readings",
        "A brow raised on one side reads as doubt or irony, both brows up as surprise, a head tilted 5 to 10 degrees "
        "as softer; a relaxed, composed or serious face reads as calm, steady or grave.",
        ("practice",),
        "nothing directly: portrait photographers' experience",
        "popular claim",
        "test each reading on the sliders, or with a small rating study",
    ),
    # --- symmetry, texture (lessons 02, 03, 07) ----------------------------------------------------------------
    EvidenceCard(
        "symmetry.genuineness",
        "Symmetric facial expressions were judged more genuine than asymmetric ones.",
        ("asym2021",),
        "genuineness judgements by 35 undergraduate women of chimeric artificial faces, symmetric and asymmetric",
        "supported",
        "small, narrow sample and artificial faces; the emotion and the sex of the face interacted with the effect; "
        "the founding article reads this study the other way round",
    ),
    EvidenceCard(
        "symmetry.structural",
        "Faces are structurally asymmetric, and that structure explains much of the asymmetry seen at the peak of an "
        "expression.",
        ("schmidt2006",),
        "landmark asymmetry of 55 people at rest and at the peak of posed expressions; structure at rest accounted "
        "for .54 to .66 of the variance at peak",
        "supported",
        "one study of posed expressions",
        "the asymmetry worth keeping in an edit is the face's own structure, not a lopsided expression",
    ),
    EvidenceCard(
        "symmetry.mirror-composites",
        "Faces made more symmetric are usually rated more attractive, not less; earlier image studies that reported a "
        "preference for asymmetry may, one team suggests, reflect processing artefacts such as unnatural feature "
        "shapes and skin textures.",
        ("rhodes2006", "perrett1999"),
        "a review with meta-analyses of symmetry and attractiveness (Rhodes); attractiveness ratings of faces made "
        "more or less symmetric with skin texture held constant (Perrett et al.)",
        "established",
        "attractiveness ratings, not how natural or genuine a face looks",
        "mirror composites look odd because each doubles one half's features, lighting and texture, not because "
        "symmetry itself looks unnatural",
    ),
    EvidenceCard(
        "symmetry.imperfection-trust",
        "A touch of imperfection makes a portrait more trustworthy.",
        ("article",),
        "nothing directly: stated from experience; no cited study links imperfection to trust",
        "popular claim",
        "keep the face's own structure and skin, but do not make expressions lopsided on purpose",
    ),
    EvidenceCard(
        "texture.over-smoothing",
        "Over-smoothed, airbrushed skin makes a portrait look processed and less believable; real texture reads as a "
        "real person.",
        ("article", "practice"),
        "nothing directly: practitioner experience with retouching and AI portraits",
        "popular claim",
        "plausible and testable: lesson 03's exercise 2 runs a small rating study",
    ),
    # --- colour (lessons 00, 05, 07, 08) -----------------------------------------------------------------------
    EvidenceCard(
        "colour.presence-amplifies",
        "Colour, compared with greyscale, made pleasant photographs more pleasant and unpleasant ones more "
        "unpleasant: the presence of colour amplifies a photograph's mood.",
        ("lin2023",),
        "pleasantness ratings of positive and negative photographs shown in colour and in greyscale",
        "supported",
        "photographs in general, not portraits; colour versus none, not warmth",
    ),
    EvidenceCard(
        "colour.saturation",
        "Saturation is not an amplifier: photographs at full saturation were more pleasant than at half when "
        "positive, and less unpleasant when negative. More chroma made neutral and positive photographs look "
        "happier and more arousing, and people raised chroma to make any photograph look happier.",
        ("lin2023", "pazda2024"),
        "pleasantness of photographs at full and at half saturation (Lin et al.); happiness and arousal ratings of "
        "photographs with and without chroma, and the chroma people chose to make them look happy or sad (Pazda et al.)",
        "supported",
        "photographs in general, not portraits",
        "raising saturation is likely to make a portrait read livelier and more cheerful rather than to deepen its "
        "own mood",
    ),
    EvidenceCard(
        "colour.hue-counts",
        "Reddish-yellow hues are more common in emotional images, especially positive ones, and such hues shifted "
        "how attention spread.",
        ("mcmenamin2013",),
        "how often each hue occurs in emotionally rated images, and an attention-cueing task",
        "supported",
        "hue counts and attention, not ratings of recoloured pictures; nothing about saturation, sadness or calm",
    ),
    EvidenceCard(
        "colour.patches",
        "Saturated and bright colours raised arousal and valence; valence was highest for saturated blue.",
        ("wilms2018",),
        "valence and arousal ratings, skin conductance and heart rate of 62 people viewing colour fields varied in "
        "hue, saturation and brightness",
        "supported",
        "uniform colour fields, not photographs or faces",
        "'warm colours are positive' is not what this study found",
    ),
    EvidenceCard(
        "colour.warm-cool-lore",
        "Warm light and golden tones make a portrait feel friendlier and more inviting; cool blues and muted greys feel "
        "calmer, more intellectual or more distant.",
        ("article", "mcmenamin2013"),
        "not tested on portraits: the nearest study counted hues in emotionally rated images (McMenamin et al.) and "
        "did not measure feelings about recoloured pictures",
        "popular claim",
        "indirect support at best; Wilms & Oberfeld found the most pleasant colour was saturated blue",
    ),
    # --- nostalgia (lessons 06, 07) ----------------------------------------------------------------------------
    EvidenceCard(
        "nostalgia.ten-fifteen",
        "Nostalgic visual cues often evoke memories from about 10 to 15 years earlier.",
        ("article", "brm2026"),
        "unknown: the founding article credits a 2026 paper that could not be read here, and the figure could not be "
        "found in any description of it",
        "popular claim",
        "the article's claim, not a checked finding; the nostalgia window does not score it",
    ),
    EvidenceCard(
        "nostalgia.reminiscence-bump",
        "Adults over 40 recall a disproportionate share of their autobiographical memories from youth and early "
        "adulthood (roughly ages 10 to 30): the reminiscence bump.",
        ("koppel2016", "rubin1997"),
        "the ages from which adults' recalled memories come, pooled across many studies (reviewed by Koppel & "
        "Rubin, 2016; Rubin & Schulkind, 1997, was not read here)",
        "established",
        "about memories, not pictures; the bump's span shifts with the kind of cue (words, important events, smells)",
        "the era that feels nostalgic depends on the viewer's age: the looks of the years when they were 10 to 30",
    ),
    EvidenceCard(
        "nostalgia.look-better",
        "A nostalgic look makes a portrait more memorable and more liked.",
        ("article",),
        "nothing directly: an extrapolation from the findings above",
        "popular claim",
        "a workshop can test it: rate the same portrait with and without an era look, in random order",
    ),
    # --- posture, framing, setting, camera (lesson 07's vocabulary) ----------------------------------------------
    EvidenceCard(
        "posture.open",
        "An open, relaxed posture reads as confident and accessible; a closed one (arms crossed, hunched) as guarded; "
        "leaning in as engagement.",
        ("article", "hall2005"),
        "for these readings, nothing directly; a meta-analysis (Hall et al.) found that viewers do read dominance "
        "and status from nonverbal behaviour such as posture, more consistently than the behaviour tracks real status",
        "popular claim",
        "the specific readings are practitioner claims; the meta-analysis is about dominance, not warmth or access",
    ),
    EvidenceCard(
        "setting.context",
        "A setting and a crop tell viewers who the person is: a close crop feels personal, a wider frame gives "
        "context, a clean studio reads as professional, a lived-in place as real.",
        ("article", "aviezer2008"),
        "for these readings, nothing directly; Aviezer et al. showed that body and scene change which emotion viewers "
        "see in the same face",
        "popular claim",
        "the specific readings of places and crops are practitioner claims",
    ),
    EvidenceCard(
        "camera.distance",
        "Faces photographed from within personal space were trusted less and rated less attractive and competent than "
        "the same faces photographed from further away, with image size held equal.",
        ("bryan2012",),
        "trust-game investments and ratings of trustworthiness, competence and attractiveness",
        "supported",
        "a close camera, not a close crop; a limited set of faces",
        "a longer lens from further away is the safer choice for a portrait meant to earn trust",
    ),
    # --- lesson 04: posture, camera, framing, setting ------------------------------------------------------------
    EvidenceCard(
        "posture.expansive",
        "Viewers link expansive, open postures with dominance and power.",
        ("hall2005",),
        "a meta-analysis of how dominance, power and status relate to nonverbal behaviour, posture included, "
        "separately for people's perceptions and for actual behaviour",
        "established",
        "established for perception; links with people's actual power were weaker and varied",
    ),
    EvidenceCard(
        "posture.dating",
        "Expansive postures in dating profiles and at speed dates made people more desired.",
        ("vacharkulksemsuk2016",),
        "coded posture in 144 speed dates, and choices among 3,000 dating-app users shown the same people in "
        "expansive or contractive postures",
        "supported",
        "one set of studies in a dating context; the study explains the effect by looking more dominant",
    ),
    EvidenceCard(
        "posture.head-tilt",
        "A head tilted up reads as more dominant (and, in this study, happier); tilted down, as more submissive, "
        "sad or ashamed.",
        ("mignault2003",),
        "ratings of dominance and emotion for 3-D models of neutral faces with the head bowed or raised",
        "supported",
        "rendered faces, 64 participants, one set of studies",
    ),
    EvidenceCard(
        "camera.angle",
        "A camera looking up at a subject can make it seem more powerful.",
        ("meyerslevy1992",),
        "evaluations of products photographed from below, level or above (not checked here)",
        "popular claim",
        "products, not faces; the abstract could not be read here",
    ),
    EvidenceCard(
        "posture.power-pose-hormones",
        "Two minutes of an expansive 'power pose' raise testosterone, lower cortisol and increase risk-taking.",
        ("carney2010", "ranehill2015"),
        "hormone levels and gambling choices after holding a pose: 42 people in the first study, 200 in the "
        "replication",
        "popular claim",
        "the replication with 200 people found no effect on hormones or risk-taking",
    ),
    EvidenceCard(
        "posture.power-pose-feelings",
        "Holding an expansive pose makes the poser feel somewhat more powerful.",
        ("ranehill2015", "simmons2017", "cuddy2018"),
        "self-reported feelings of power after high- or low-power poses (Ranehill et al.); analyses of the "
        "published studies (Simmons & Simonsohn; Cuddy et al., whose abstract was not read here)",
        "supported",
        "about the poser, not about how viewers read a portrait; the two later analyses disagree on how strong "
        "the evidence is",
    ),
    EvidenceCard(
        "camera.nose-width",
        "At about 30 cm the nose base looks about 30 % wider, against the width of the face, than at 1.5 m.",
        ("ward2018",),
        "a geometric model of the face as planes at different depths, with average head measurements",
        "supported",
        "geometry, not perception; a study of real selfies (Pressler et al.) measured a smaller change",
        "the workbook's own model, with rounded typical depths, gives 28 %",
    ),
    EvidenceCard(
        "framing.face-ism",
        "Pictures in which the face fills more of the frame made the same people seem more intelligent and "
        "ambitious.",
        ("archer1983",),
        "facial prominence in published photos and art, and ratings of photos varied in facial prominence",
        "supported",
        "dated; 60 students rated the photos; the gender gap in face-ism it found in magazines may have changed",
    ),
    EvidenceCard(
        "framing.lead-room",
        "Viewers prefer a subject that faces into the frame, with room ahead of it.",
        ("palmer2008",),
        "forced-choice preferences, adjustments and free photographs for objects at different positions and facing "
        "directions in a frame",
        "supported",
        "single objects (people, cars, teapots, flowers); a centre bias was the strongest effect",
    ),
    EvidenceCard(
        "framing.thirds",
        "Eyes on a third line (the rule of thirds) and a little headroom make a better portrait.",
        ("practice", "amirshahi2014"),
        "nothing directly for portraits: a composition rule; Amirshahi et al. compared computed thirds scores of "
        "pictures with people's judgements",
        "popular claim",
        "taught everywhere, tested little; headroom has not been tested as a rule",
    ),
    EvidenceCard(
        "setting.context-emotion",
        "The body and the scene around a face change which emotion viewers read in it.",
        ("aviezer2008", "righart2008", "masuda2008"),
        "which emotion people saw in the same expression placed on different bodies and in different scenes; "
        "whose emotions surround a cartoon face, in Japan and the West (Masuda et al.)",
        "supported",
        "strong, posed contexts; not a test of everyday portrait settings; Masuda et al. found the surrounding "
        "faces swayed Japanese viewers but not Western ones; Righart & de Gelder's abstract was not read here",
    ),
    EvidenceCard(
        "setting.motifs",
        "A motif of the sitter's own heritage (a place, an object, a styling cue) makes a portrait read as more "
        "authentic and personal.",
        ("article", "masuda2008"),
        "nothing directly for motifs; context effects in general, and their cultural differences",
        "popular claim",
        "what a motif signals depends on the viewer's culture; test it with the viewers who matter to you",
    ),
    EvidenceCard(
        "light.practice",
        "Soft window light keeps skin texture and feels natural; harsh direct flash flattens warmth and feels "
        "clinical; film grain and period lenses read as memory and texture.",
        ("article", "practice"),
        "nothing directly: photographers' experience",
        "popular claim",
        "test it with an A/B pair that changes only the light",
    ),
    # --- prompts and editing (lessons 07, 08) --------------------------------------------------------------------
    EvidenceCard(
        "prompt.three-layers",
        "Prompts that give an identity, emotional direction (gaze, expression, posture) and a setting produce more "
        "convincing portraits than prompts about beauty alone; generators fill gaps with an average, smooth face.",
        ("article", "practice"),
        "nothing formally: experience with image generators, not a study",
        "popular claim",
        "test it yourself: lesson 07's A/B variants are made for exactly that",
    ),
    EvidenceCard(
        "prompt.identity-goals",
        "Deciding the emotional job of a portrait first (trust, creativity, authority...) and what viewers look for "
        "in a founder, an artist or an executive, then letting every choice serve it, makes a stronger portrait.",
        ("article",),
        "nothing directly: branding advice",
        "popular claim",
        "each goal's choices are hypotheses; the cards they rest on say how strong each piece is",
    ),
    EvidenceCard(
        "editing.tips",
        "Warm midtones, protected highlights and a softly separated background make a portrait feel present and "
        "inviting.",
        ("article", "practice"),
        "nothing yet: practitioner editing advice, not a controlled study",
        "popular claim",
        "treat each tip as a hypothesis; lesson 08's exercise 3 shows how a workshop can test one",
    ),
)

#: The cards each lesson shows, in the order its notebook shows them.
LESSON_CARDS: dict[int, tuple[str, ...]] = {
    0: ("colour.presence-amplifies", "colour.saturation", "colour.warm-cool-lore"),
    1: ("gaze.eye-contact", "gaze.culture", "gaze.break-contact", "gaze.look-room", "gaze.shared-signal",
        "gaze.liang", "gaze.bindemann", "gaze.mismatch"),
    2: ("expression.engagement", "expression.smile-intensity", "expression.duchenne", "expression.readings",
        "symmetry.genuineness", "symmetry.structural", "symmetry.imperfection-trust", "symmetry.mirror-composites"),
    3: ("texture.over-smoothing", "symmetry.imperfection-trust", "symmetry.structural", "symmetry.genuineness",
        "symmetry.mirror-composites"),
    4: ("posture.expansive", "posture.dating", "posture.head-tilt", "camera.angle", "posture.power-pose-hormones",
        "posture.power-pose-feelings", "camera.distance", "camera.nose-width", "framing.face-ism",
        "framing.lead-room", "framing.thirds", "setting.context-emotion", "setting.context", "setting.motifs"),
    5: ("colour.hue-counts", "colour.warm-cool-lore", "colour.patches", "colour.presence-amplifies",
        "colour.saturation"),
    6: ("nostalgia.ten-fifteen", "nostalgia.reminiscence-bump", "nostalgia.look-better"),
    7: ("prompt.three-layers", "posture.open", "gaze.eye-contact", "gaze.liang", "expression.engagement",
        "expression.smile-intensity", "symmetry.genuineness", "symmetry.mirror-composites",
        "symmetry.imperfection-trust", "prompt.identity-goals", "gaze.culture", "colour.presence-amplifies"),
    8: ("editing.tips", "texture.over-smoothing", "colour.presence-amplifies", "colour.saturation"),
    9: ("prompt.identity-goals", "gaze.eye-contact", "gaze.culture", "expression.smile-intensity",
        "expression.duchenne", "symmetry.genuineness", "symmetry.structural", "symmetry.imperfection-trust",
        "texture.over-smoothing", "expression.readings", "posture.open", "setting.context", "gaze.look-room",
        "editing.tips", "colour.warm-cool-lore", "colour.saturation", "colour.presence-amplifies",
        "expression.engagement"),
}  # fmt: skip

#: Further cards a lesson cites without showing them: lesson 07's vocabulary and goal tables, and its
#: studio's "what your choices signal" readout, label every line with a card.
LESSON_CITED: dict[int, tuple[str, ...]] = {
    7: ("gaze.averted-reading", "nostalgia.look-better", "expression.duchenne", "expression.readings",
        "setting.context", "light.practice", "colour.warm-cool-lore", "colour.saturation",
        "nostalgia.reminiscence-bump", "camera.distance", "texture.over-smoothing", "symmetry.structural",
        "gaze.bindemann"),
}  # fmt: skip

#: The method sources (algorithms and measures) each lesson's tools use.
LESSON_METHODS: dict[int, tuple[str, ...]] = {
    0: ("kang2002",),
    1: ("schaefer2006",),
    2: ("schaefer2006",),
    3: ("he2013", "he2015"),
    4: ("schaefer2006", "farkas1994"),
    5: ("hasler2003", "lam1985", "mccamy1992"),
    8: ("he2013",),
    9: ("hasler2003", "he2013"),
}


def card(key: str) -> EvidenceCard:
    """The evidence card called ``key``, ready to show in a notebook.

    Examples
    --------
    >>> card("gaze.culture").sources
    ('akechi2013',)
    >>> card("gaze.trust")
    Traceback (most recent call last):
    ...
    KeyError: "No evidence card called 'gaze.trust'. Cards are listed in portrait_lessons/cards.py."
    """
    if key not in CARDS:
        raise KeyError(f"No evidence card called {key!r}. Cards are listed in portrait_lessons/cards.py.")
    return CARDS[key]


def lesson_cards(lesson: int) -> tuple[EvidenceCard, ...]:
    """The cards a lesson shows and cites, shown ones first, each once."""
    keys = dict.fromkeys((*LESSON_CARDS.get(lesson, ()), *LESSON_CITED.get(lesson, ())))
    return tuple(card(key) for key in keys)


def sources_section(lesson: int) -> SourceList:
    """A lesson's Sources list: every source its cards cite, in order of first use, then its methods.

    Examples
    --------
    >>> [s.key for s in sources_section(0).sources]
    ['lin2023', 'pazda2024', 'article', 'mcmenamin2013', 'kang2002']
    """
    keys = [key for c in lesson_cards(lesson) for key in c.sources]
    return SourceList([*keys, *LESSON_METHODS.get(lesson, ())])


def evidence_counts(lesson: int) -> dict[str, int]:
    """How many cards a lesson shows, the evidence sources they cite (and how many of those were checked), and
    the strength labels on its cards.

    Examples
    --------
    >>> evidence_counts(6)
    {'cards': 3, 'sources': 4, 'checked': 2, 'established': 1, 'supported': 0, 'popular claim': 2}
    """
    shown = [card(key) for key in LESSON_CARDS.get(lesson, ())]
    cited = [s for s in sources_section(lesson).sources if s.kind != "method"]
    counts = {"cards": len(shown), "sources": len(cited), "checked": sum(s.checked for s in cited)}
    for strength in ("established", "supported", "popular claim"):
        counts[strength] = sum(c.strength == strength for c in shown)
    return counts
