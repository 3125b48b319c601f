"""The workbook's sources, each registered once: who, when, what was measured, how strong, and whether it was read.

Evidence cards (:mod:`portrait_lessons.cards`) cite these by key, and each
notebook's Sources section is rendered from the cards it shows, so a reference
is written in one place only.

Every research source records whether its abstract was read before the
workbook cited it (``checked``). One that could not be read is marked "not
checked" and can carry no more than a **popular claim**: a card may be
stronger than "popular claim" only on the strength of sources that were
checked (see :class:`portrait_lessons.cards.EvidenceCard`).

Kinds of source:

- ``"research"``: a study or review about how people perceive faces, colour
  or memory; it has a strength and must give a DOI or a stable link;
- ``"practice"``: practitioner writing or rules of thumb; always a popular claim;
- ``"method"``: the algorithms and measures the tools use; no perception claim,
  so no strength.

Examples
--------
>>> source("lin2023").cite()
'Lin, Mottaghi & Shams (2023)'
>>> source("lin2023").checked, source("brm2026").checked
(True, False)
>>> source("brm2026").strength
'popular claim'
>>> source("nobody2020")
Traceback (most recent call last):
...
KeyError: "No source called 'nobody2020' in the registry (portrait_lessons/sources.py)."
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Iterable

#: The three strengths a claim can have, with what each means (weakest first).
STRENGTHS = {
    "popular claim": "said in practitioner writing, or the evidence is weak, indirect or not checked",
    "supported": "at least one controlled study; read its limits",
    "established": "replicated in many studies or a meta-analysis",
}
#: Order of the strengths, so a card can be compared with its sources.
RANK = {name: rank for rank, name in enumerate(STRENGTHS)}
KINDS = ("research", "practice", "method")
#: A surname in "Surname, I., Other, J. & Last, K.": a capitalised word before a comma and an initial.
_SURNAME = re.compile(r"(?:^|, |& )([A-Z][^,&.]+), [A-Z]")


@dataclass(frozen=True)
class Source:
    """One registered source. See the module docstring for ``kind`` and ``checked``.

    Examples
    --------
    >>> Source("x2020", "research", "A, B", 2020, "T", "V", "https://doi.org/10/x", "m", "supported", "l",
    ...        checked=False)
    Traceback (most recent call last):
    ...
    ValueError: x2020: a source that was not checked can only carry a popular claim (got 'supported')
    """

    key: str
    kind: str
    authors: str
    year: int | None
    title: str
    venue: str
    link: str = ""
    measured: str = ""
    strength: str | None = None
    limits: str = ""
    checked: bool = False
    note: str = ""
    short: str = ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"{self.key}: kind must be one of {', '.join(KINDS)} (got {self.kind!r})")
        if self.link and not self.link.startswith("https://"):
            raise ValueError(f"{self.key}: links must be https:// addresses (got {self.link!r})")
        if self.kind == "method":
            return
        if self.strength not in STRENGTHS:
            raise ValueError(f"{self.key}: strength must be one of {', '.join(STRENGTHS)} (got {self.strength!r})")
        if not self.measured.strip():
            raise ValueError(f"{self.key}: say what was measured")
        if self.kind == "practice" and self.strength != "popular claim":
            raise ValueError(f"{self.key}: practitioner writing is a popular claim (got {self.strength!r})")
        if self.kind == "research" and not self.link:
            raise ValueError(f"{self.key}: a research source needs a DOI or a stable link")
        if not self.checked and self.strength != "popular claim":
            raise ValueError(
                f"{self.key}: a source that was not checked can only carry a popular claim (got {self.strength!r})"
            )

    def cite(self) -> str:
        """Short citation: first authors' surnames and year, as written in the prose.

        Examples
        --------
        >>> source("senju2009").cite()
        'Senju & Johnson (2009)'
        """
        if self.short:
            return self.short
        year = f" ({self.year})" if self.year else ""
        return f"{self.authors_short}{year}"

    @property
    def authors_short(self) -> str:
        """The authors as cited in running text ("Lin, Mottaghi & Shams"; "Hooker et al.")."""
        surnames = _SURNAME.findall(self.authors)
        if self.kind == "practice" or not surnames:
            return self.authors
        if len(surnames) > 3:
            return f"{surnames[0]} et al."
        return surnames[0] if len(surnames) == 1 else f"{', '.join(surnames[:-1])} & {surnames[-1]}"

    def reference(self) -> str:
        """The full reference as plain text.

        Examples
        --------
        >>> print(source("pazda2024").reference())
        Pazda, A. D., Thorstenson, C. A. & Fetterman, A. K. (2024). Colorfulness influences perceptions of valence and arousal. Journal of Experimental Psychology: General, 153(1), 145-158. https://doi.org/10.1037/xge0001484
        """
        year = f" ({self.year})" if self.year else ""
        link = f" {self.link}" if self.link else ""
        return f"{self.authors}{year}. {self.title}. {self.venue}.{link}"

    def _html(self) -> str:
        e = html.escape
        title = e(self.title)
        link = f' <a href="{e(self.link)}" target="_blank" rel="noopener">{e(self.link)}</a>' if self.link else ""
        year = f" ({self.year})" if self.year else ""
        if self.kind == "method":
            tail = ""
        else:
            status = ("practitioner writing" if self.kind == "practice"
                      else "abstract read" if self.checked else "<b>not checked</b>")  # fmt: skip
            tail = (f'<br><span style="color:#555">What was measured: {e(self.measured)} · strength: '
                    f"<b>{e(self.strength)}</b> · {status}"
                    + (f" · limits: {e(self.limits)}" if self.limits else "")
                    + (f" · {e(self.note)}" if self.note else "") + "</span>")  # fmt: skip
        return f"<li>{e(self.authors)}{year}. <i>{title}</i>. {e(self.venue)}.{link}{tail}</li>"


def _research(key, authors, year, title, venue, link, measured, strength, limits="", checked=True, note="", short=""):
    return Source(key, "research", authors, year, title, venue, link, measured, strength, limits, checked, note, short)


def _method(key, authors, year, title, venue, link="", note=""):
    return Source(key, "method", authors, year, title, venue, link, note=note)


_DOI = "https://doi.org/"

#: Every source the workbook cites, by key. ``checked`` says whether its abstract was read.
SOURCES: dict[str, Source] = {s.key: s for s in (
    # --- gaze -----------------------------------------------------------------------------------------------
    _research("senju2009", "Senju, A. & Johnson, M. H.", 2009, "The eye contact effect: mechanisms and development",
              "Trends in Cognitive Sciences, 13(3), 127-134", _DOI + "10.1016/j.tics.2008.11.009",
              "a review of behavioural, brain-imaging and developmental studies of how perceived eye contact changes "
              "attention and the processing that follows", "established",
              "laboratory faces; nothing about trust, confidence or portraits"),
    _research("hooker2003", "Hooker, C. I., Paller, K. A., Gitelman, D. R., Parrish, T. B., Mesulam, M.-M. & Reber, P. J.",
              2003, "Brain networks for analyzing eye gaze", "Cognitive Brain Research, 17(2), 406-418",
              _DOI + "10.1016/S0926-6410(03)00143-5",
              "brain activity (fMRI) while people extracted direction from gaze or arrows, and while they watched a "
              "face for direct gaze", "supported", "one small imaging study; about detecting gaze, not about liking"),
    _research("bc2017", "article in Brain and Cognition (authors and title not identified here)", 2017,
              "the paper behind the founding article's link S027826261730221X", "Brain and Cognition",
              "https://www.sciencedirect.com/science/article/pii/S027826261730221X",
              "not known: the paper could not be read here", "popular claim",
              "the founding article says it shows direct gaze engaging social-brain regions and drawing the eyes to "
              "the eyes and mouth; the workbook cites Senju & Johnson (2009) for that instead", checked=False,
              short="the Brain and Cognition article (2017)"),
    _research("adams2005", "Adams, R. B., Jr. & Kleck, R. E.", 2005,
              "Effects of direct and averted gaze on the perception of facially communicated emotion",
              "Emotion, 5(1), 3-11", _DOI + "10.1037/1528-3542.5.1.3",
              "three studies: traits attributed to neutral faces, ratings of anger-fear blends, and perception of "
              "prototypical expressions, each with direct or averted gaze", "supported",
              "posed faces; later studies did not confirm the full pattern (Bindemann et al. 2008; Liang et al. 2021)"),
    _research("liang2021", "Liang, J., Zou, Y.-Q., Liang, S.-Y., Wu, Y.-W. & Yan, W.-J.", 2021,
              "Emotional gaze: the effects of gaze direction on the perception of facial emotions",
              "Frontiers in Psychology, 12, 684357", _DOI + "10.3389/fpsyg.2021.684357",
              "which emotions Asian participants perceived in photographs of neutral and smiling faces with direct or "
              "averted gaze", "supported",
              "one culture; averted gaze raised perceived anger too, which the shared-signal hypothesis does not "
              "predict, and the full facilitating-impairing pattern was not found"),
    _research("bindemann2008", "Bindemann, M., Burton, A. M. & Langton, S. R. H.", 2008,
              "How do eye gaze and facial expression interact?", "Visual Cognition, 16(6), 708-733",
              "https://dspace.stir.ac.uk/handle/1893/21037",
              "six experiments: categorising happy, sad, angry and fearful faces, and rating them, "
              "with direct or averted gaze", "supported",
              "categorisation tasks with face photographs; earlier boosts for fear and sadness under averted gaze "
              "were found to depend on the stimuli and the task"),
    _research("akechi2013", "Akechi, H., Senju, A., Uibo, H., Kikuchi, Y., Hasegawa, T. & Hietanen, J. K.", 2013,
              "Attention to eye contact in the West and East: autonomic responses and evaluative ratings",
              "PLoS ONE, 8(3), e59312", _DOI + "10.1371/journal.pone.0059312",
              "heart rate, looking time and ratings by Finnish and Japanese participants facing a real person who "
              "made eye contact or looked away, with a neutral face", "supported",
              "two cultures, one live model per condition; a first study of its kind rather than a settled map of "
              "cultures"),
    # --- smiles, engagement -------------------------------------------------------------------------------------
    _research("jrcs2025", "article in the Journal of Retailing and Consumer Services (authors and title not "
              "identified here)", 2025, "the paper behind the founding article's link S0969698925002632",
              "Journal of Retailing and Consumer Services",
              "https://www.sciencedirect.com/science/article/pii/S0969698925002632",
              "not known: the paper could not be read here", "popular claim",
              "the founding article says emotional intensity and positive valence of face and posture went with more "
              "likes on virtual influencers' posts", checked=False,
              short="the Journal of Retailing and Consumer Services article (2025)"),
    _research("yu2024", "Yu, J., Dickinger, A., So, K. K. F. & Egger, R.", 2024,
              "Artificial intelligence-generated virtual influencer: examining the effects of emotional display on "
              "user engagement", "Journal of Retailing and Consumer Services, 76, 103560",
              _DOI + "10.1016/j.jretconser.2023.103560",
              "facial action units, found by face recognition, in 1,028 pictures posted by one virtual influencer, "
              "against the engagement each picture received", "popular claim",
              "correlational data from one computer-generated account: it shows what went with engagement there, "
              "not what causes it, so the workbook counts it as weak evidence for portraits"),
    _research("wang2017", "Wang, Z., Mao, H., Li, Y. J. & Liu, F.", 2017,
              "Smile big or not? Effects of smile intensity on perceptions of warmth and competence",
              "Journal of Consumer Research, 43(5), 787-805", _DOI + "10.1093/jcr/ucw062",
              "how warm and how competent consumers judged marketers showing a broad or a slight smile, in experiments "
              "and in crowdfunding field data", "supported",
              "marketers and consumers; the effects depend on the risk of the setting and on the viewer's focus"),
    _research("frank1993", "Frank, M. G., Ekman, P. & Friesen, W. V.", 1993,
              "Behavioral markers and recognizability of the smile of enjoyment",
              "Journal of Personality and Social Psychology, 64(1), 83-93", "https://pubmed.ncbi.nlm.nih.gov/8421253/",
              "timing of smiles filmed alone and in conversation; whether observers could tell enjoyment smiles from "
              "other smiles, and their impressions of the women smiling", "supported",
              "video of women's smiles; accuracy rose with visible action round the eyes, but the marker can also be "
              "produced on purpose"),
    _research("gunnery2016", "Gunnery, S. D. & Ruben, M. A.", 2016,
              "Perceptions of Duchenne and non-Duchenne smiles: a meta-analysis", "Cognition and Emotion, 30(3), "
              "501-515", _DOI + "10.1080/02699931.2015.1018817",
              "a meta-analysis of how Duchenne and non-Duchenne smiles are perceived (its abstract could not be read "
              "here)", "popular claim", "not checked: only the title, journal and pages were seen", checked=False),
    # --- symmetry and asymmetry ---------------------------------------------------------------------------------
    _research("asym2021", "authors not read here (Louvain Experimental Psychopathology, UCLouvain, and Université "
              "de Lille)", 2021, "The influence of facial asymmetry on genuineness judgment",
              "Frontiers in Psychology (brief research report), 10.3389/fpsyg.2021.727446",
              _DOI + "10.3389/fpsyg.2021.727446",
              "35 undergraduate women judged whether expressions on chimeric artificial faces were genuinely felt; "
              "symmetric and asymmetric versions were compared", "supported",
              "small, narrow sample and artificial faces; the emotion shown and the sex of the face interacted with "
              "the effect", short="the genuineness study (Frontiers in Psychology, 2021)"),
    _research("schmidt2006", "Schmidt, K. L., Liu, Y. & Cohn, J. F.", 2006,
              "The role of structural facial asymmetry in asymmetry of peak facial expressions",
              "Laterality, 11(6), 540-561", _DOI + "10.1080/13576500600832758",
              "asymmetry measured from video of 55 people at rest and at the peak of posed joy, anger and disgust; "
              "structural asymmetry at rest accounted for .54 to .66 of the variance in asymmetry at peak expression",
              "supported", "one landmark study of posed expressions"),
    _research("rhodes2006", "Rhodes, G.", 2006, "The evolutionary psychology of facial beauty",
              "Annual Review of Psychology, 57, 199-226", _DOI + "10.1146/annurev.psych.57.102904.190208",
              "a critical review with meta-analyses of how averageness, symmetry and sexual dimorphism relate to "
              "rated attractiveness, in male and female faces and across cultures", "established",
              "attractiveness ratings, not genuineness or trust"),
    _research("perrett1999", "Perrett, D. I., Burt, D. M., Penton-Voak, I. S., Lee, K. J., Rowland, D. A. & Edwards, R.",
              1999, "Symmetry and human facial attractiveness", "Evolution and Human Behavior, 20(5), 295-307",
              "https://durham-repository.worktribe.com/output/1622808",
              "attractiveness ratings of face images whose shape was made more or less symmetric with skin texture "
              "held constant; the authors suggest that earlier image studies which found a preference for asymmetry may "
              "reflect unnatural feature shapes and skin textures from image processing", "supported",
              "computer-altered photographs; attractiveness, not how natural a face looks"),
    # --- colour ----------------------------------------------------------------------------------------------------
    _research("mcmenamin2013", "McMenamin, B. W., Radue, J., Trask, J., Huskamp, K., Kersten, D. & Marsolek, C. J.",
              2013, "The diagnosticity of color for emotional objects", "Motivation and Emotion, 37(3), 609-622",
              _DOI + "10.1007/s11031-012-9319-0",
              "how often each hue occurs in emotionally rated images (reddish-yellow hues were more common in "
              "emotional, especially positive, images), and an attention-cueing task with those hues", "supported",
              "hue counts and attention, not emotion ratings of recoloured pictures; nothing about saturation, "
              "sadness or calm",
              note="the founding article links PMC3959785; this is most likely that paper (the PMC page itself was "
                   "not opened)"),
    _research("lin2023", "Lin, C., Mottaghi, S. & Shams, L.", 2023,
              "The effects of color and saturation on the enjoyment of real-life images",
              "Psychonomic Bulletin & Review, 30, 361-372", _DOI + "10.3758/s13423-023-02357-4",
              "pleasantness ratings of positive and negative photographs shown in colour or greyscale (two "
              "experiments) and at full or half saturation (a third)", "supported",
              "photographs in general, not portraits; colour and saturation, not warmth"),
    _research("pazda2024", "Pazda, A. D., Thorstenson, C. A. & Fetterman, A. K.", 2024,
              "Colorfulness influences perceptions of valence and arousal",
              "Journal of Experimental Psychology: General, 153(1), 145-158", _DOI + "10.1037/xge0001484",
              "ratings of photographs shown chromatic or achromatic, and the chroma people chose to make photographs "
              "look happy, sad, positive, negative, arousing or calming (four experiments)", "supported",
              "photographs in general, not portraits; chroma only"),
    _research("wilms2018", "Wilms, L. & Oberfeld, D.", 2018, "Color and emotion: effects of hue, saturation, and "
              "brightness", "Psychological Research, 82(5), 896-914", _DOI + "10.1007/s00426-017-0880-8",
              "valence and arousal ratings, skin conductance and heart rate of 62 people viewing 27 coloured and 3 "
              "grey light fields varied in hue, saturation and brightness", "supported",
              "uniform colour on an LED display, not photographs or faces; valence was highest for saturated blue, "
              "so it does not show that warm hues read more positive"),
    # --- nostalgia -------------------------------------------------------------------------------------------------
    _research("brm2026", "article in Behavior Research Methods (authors and title not identified here)", 2026,
              "the paper behind the founding article's link 10.3758/s13428-026-02971-9", "Behavior Research Methods",
              _DOI + "10.3758/s13428-026-02971-9", "not known: the paper could not be read here", "popular claim",
              "the founding article credits it with the figure of 10 to 15 years; the figure could not be found, and "
              "one secondary note describes the paper as a food-stimulus method study", checked=False,
              short="the Behavior Research Methods article (2026)"),
    _research("rubin1997", "Rubin, D. C. & Schulkind, M. D.", 1997,
              "The distribution of autobiographical memories across the lifespan", "Memory & Cognition, 25(6), "
              "859-866", _DOI + "10.3758/BF03211330",
              "the ages from which adults' word-cued autobiographical memories came (its abstract could not be read "
              "here)", "popular claim", "not checked: cited for the reminiscence bump as Koppel & Rubin (2016) "
              "review it", checked=False),
    _research("koppel2016", "Koppel, J. & Rubin, D. C.", 2016,
              "Recent advances in understanding the reminiscence bump: the importance of cues in guiding recall from "
              "autobiographical memory", "Current Directions in Psychological Science, 25(2), 135-140",
              _DOI + "10.1177/0963721416631955",
              "a review, drawing on a meta-analysis, of the ages from which adults over 40 recall their "
              "autobiographical memories, and how the kind of cue shifts the bump", "established",
              "memories, not pictures; the bump's start, end and size change with the kind of cue"),
    # --- posture, distance, context -----------------------------------------------------------------------------
    _research("hall2005", "Hall, J. A., Coats, E. J. & LeBeau, L. S.", 2005,
              "Nonverbal behavior and the vertical dimension of social relations: a meta-analysis",
              "Psychological Bulletin, 131(6), 898-924", _DOI + "10.1037/0033-2909.131.6.898",
              "a meta-analysis of how dominance, power and status relate to gaze, facial behaviour, posture, distance "
              "and voice, separately for people's beliefs and perceptions and for actual behaviour", "established",
              "perceptions were stronger and more consistent than actual links, and results varied widely between "
              "behaviours"),
    _research("bryan2012", "Bryan, R., Perona, P. & Adolphs, R.", 2012,
              "Perspective distortion from interpersonal distance is an implicit visual cue for social judgments of "
              "faces", "PLoS ONE, 7(9), e45301", _DOI + "10.1371/journal.pone.0045301",
              "investments in a trust game and ratings of trustworthiness, competence and attractiveness for faces "
              "photographed from within personal space or from further away, with image size, expression and light "
              "held equal", "supported", "photographs of a limited set of faces; a close camera, not a close crop"),
    _research("aviezer2008", "Aviezer, H., Hassin, R. R., Ryan, J., Grady, C., Susskind, J., Anderson, A., "
              "Moscovitch, M. & Bentin, S.", 2008,
              "Angry, disgusted, or afraid? Studies on the malleability of emotion perception",
              "Psychological Science, 19(7), 724-732", _DOI + "10.1111/j.1467-9280.2008.02148.x",
              "which emotion people saw in the same facial expression placed in different emotional contexts (bodies "
              "and scenes), and where their eyes went", "supported",
              "strong, posed contexts; not a test of everyday portrait settings"),
    # --- lesson 04: posture, camera distance, framing, context --------------------------------------------------
    _research("mignault2003", "Mignault, A. & Chaudhuri, A.", 2003,
              "The many faces of a neutral face: head tilt and perception of dominance and emotion",
              "Journal of Nonverbal Behavior, 27(2), 111-132", _DOI + "10.1023/A:1023914509763",
              "ratings of dominance and emotion by 64 people shown 3-D models of neutral faces with the head bowed "
              "or raised (two experiments)", "supported",
              "rendered 3-D faces, one set of studies; a raised head also read as happier"),
    _research("vacharkulksemsuk2016", "Vacharkulksemsuk, T., Reit, E., Khambatta, P., Eastwick, P. W., Finkel, E. J. "
              "& Carney, D. R.", 2016, "Dominant, open nonverbal displays are attractive at zero-acquaintance",
              "PNAS, 113(15), 4009-4014", _DOI + "10.1073/pnas.1508932113",
              "nonverbal behaviour coded in 144 speed dates against the partner's 'yes'; then a field experiment with "
              "3,000 users of a dating app who chose among photos of the same people in expansive or contractive "
              "postures", "supported",
              "one set of studies in a dating context; attraction only, explained in the study by looking more "
              "dominant"),
    _research("meyerslevy1992", "Meyers-Levy, J. & Peracchio, L. A.", 1992, "Getting an angle in advertising: the "
              "effect of camera angle on product evaluations", "Journal of Marketing Research, 29(4), 454-461",
              _DOI + "10.1177/002224379202900406",
              "evaluations of products photographed from below, level or above (its abstract could not be read here)",
              "popular claim", "not checked; products, not faces, and only under some viewing conditions",
              checked=False),
    _research("carney2010", "Carney, D. R., Cuddy, A. J. C. & Yap, A. J.", 2010, "Power posing: brief nonverbal "
              "displays affect neuroendocrine levels and risk tolerance", "Psychological Science, 21(10), 1363-1368",
              _DOI + "10.1177/0956797610383437",
              "testosterone, cortisol, felt power and risk-taking after two one-minute high- or low-power poses "
              "(42 people, as Simmons & Simonsohn report)", "popular claim",
              "one small study whose hormone and risk effects did not replicate with 200 people (Ranehill et al. "
              "2015): weak evidence, so a popular claim"),
    _research("ranehill2015", "Ranehill, E., Dreber, A., Johannesson, M., Leiberg, S., Sul, S. & Weber, R. A.", 2015,
              "Assessing the robustness of power posing: no effect on hormones and risk tolerance in a large sample "
              "of men and women", "Psychological Science, 26(5), 653-656", _DOI + "10.1177/0956797614553946",
              "hormone levels, risk-taking and self-reported power of 200 people after high- or low-power poses, with "
              "the experimenter blind to condition", "supported",
              "found an effect on self-reported feelings of power only; about the poser, not about viewers"),
    _research("simmons2017", "Simmons, J. P. & Simonsohn, U.", 2017, "Power posing: p-curving the evidence",
              "Psychological Science, 28(5), 687-693", _DOI + "10.1177/0956797616658563",
              "a p-curve analysis of the p-values of the 33 studies Carney, Cuddy & Yap (2015) had reviewed: they were "
              "indistinguishable from a zero average effect plus selective reporting", "supported",
              "an analysis of published results, not a new experiment; disputed by Cuddy, Schultz & Fosse (2018), "
              "who analysed a wider set"),
    _research("cuddy2018", "Cuddy, A. J. C., Schultz, S. J. & Fosse, N. E.", 2018, "P-curving a more comprehensive "
              "body of research on postural feedback reveals clear evidential value for power-posing effects",
              "Psychological Science, 29(4), 656-666", _DOI + "10.1177/0956797617746749",
              "a p-curve analysis of a wider set of postural-feedback studies (its abstract could not be read here)",
              "popular claim", "not checked; about feelings of the poser, not viewers", checked=False),
    _research("ward2018", "Ward, B., Ward, M., Fried, O. & Paskhover, B.", 2018,
              "Nasal distortion in short-distance photographs: the selfie effect",
              "JAMA Facial Plastic Surgery, 20(4), 333-335", _DOI + "10.1001/jamafacial.2018.0009",
              "a geometric model of the face as parallel planes, with average head measurements, giving the ratio "
              "of nose breadth to bizygomatic (face) breadth as the camera distance changes", "supported",
              "geometry, not perception; a photographic study of real selfies (Pressler et al.) measured a smaller "
              "change in that ratio"),
    _research("archer1983", "Archer, D., Iritani, B., Kimes, D. D. & Barrios, M.", 1983,
              "Face-ism: five studies of sex differences in facial prominence",
              "Journal of Personality and Social Psychology, 45(4), 725-735", _DOI + "10.1037/0022-3514.45.4.725",
              "facial prominence in 1,750 press photos, 3,500 pictures from 11 cultures and 920 portraits; amateur "
              "drawings; and ratings of intelligence and other traits for photos varied in facial prominence",
              "supported", "dated; the rating study had 60 students"),
    _research("palmer2008", "Palmer, S. E., Gardner, J. S. & Wickens, T. D.", 2008,
              "Aesthetic issues in spatial composition: effects of position and direction on framing single objects",
              "Spatial Vision, 21(3-5), 421-449", _DOI + "10.1163/156856808784532662",
              "forced-choice preferences, adjustments and free photographs for single objects (people, cars, "
              "teapots, flowers) at different positions and facing directions in a frame", "supported",
              "single objects; a centre bias was strongest, and facing into the frame (the inward bias) added to it"),
    _research("amirshahi2014", "Amirshahi, S. A., Hayn-Leichsenring, G. U., Denzler, J. & Redies, C.", 2014,
              "Evaluating the rule of thirds in photographs and paintings", "Art & Perception, 2(1-2), 163-182",
              _DOI + "10.1163/22134913-00002024",
              "computed rule-of-thirds scores of photographs and paintings against 30 people's judgements (its "
              "abstract was read only in part here)", "popular claim",
              "read in part; cited for the rule of thirds being a composition rule rather than a finding",
              checked=False),
    _research("righart2008", "Righart, R. & de Gelder, B.", 2008, "Recognition of facial expressions is influenced "
              "by emotional scene gist", "Cognitive, Affective & Behavioral Neuroscience, 8(3), 264-272",
              _DOI + "10.3758/CABN.8.3.264", "recognition of facial expressions shown in emotional scenes (its "
              "abstract could not be read here)", "popular claim", "not checked", checked=False,
              short="Righart & de Gelder (2008)"),
    _research("masuda2008", "Masuda, T., Ellsworth, P. C., Mesquita, B., Leu, J., Tanida, S. & Van de Veerdonk, E.",
              2008, "Placing the face in context: cultural differences in the perception of facial emotion",
              "Journal of Personality and Social Psychology, 94(3), 365-381", _DOI + "10.1037/0022-3514.94.3.365",
              "Japanese and Western viewers' judgements of the emotion of a cartoon person surrounded by people "
              "showing the same or another emotion; eye tracking of where they looked (two studies)", "supported",
              "the surrounding faces changed Japanese viewers' judgements but not Westerners'; cartoons, not photos"),
    # --- practitioner writing ----------------------------------------------------------------------------------
    Source("article", "practice", "author not named", None,
           "Why AI Selfies Need More Than Beauty: The Psychology Behind Portraits That Truly Connect",
           "practitioner article, the workbook's founding text", "",
           "nothing directly: advice from experience, which cites some of the studies above", "popular claim",
           "written to promote an AI photo app; where it cites studies, the workbook checks them separately",
           checked=True, short="the founding article"),
    Source("practice", "practice", "portrait photographers and editors (no single text)", None,
           "rules of thumb of portrait photography, retouching and prompt writing", "practitioner knowledge", "",
           "nothing directly: experience, not a study", "popular claim",
           "a hypothesis to test, for example with a small rating study in a workshop", checked=True,
           short="photographers' rules of thumb"),
    Source("workbook", "practice", "Portrait Lessons", None, "what the workbook's own edits show on its bundled "
           "portraits", "this workbook", "", "looking at the edits; nobody's perception was measured", "popular claim",
           "a few portraits judged by eye", checked=True, short="this workbook's own edits"),
    # --- methods the tools use -------------------------------------------------------------------------------
    _method("kang2002", "Kang, B., Moon, O., Hong, C., Lee, H., Cho, B. & Kim, Y.", 2002,
            "Design of advanced color temperature control system for HDTV applications",
            "Journal of the Korean Physical Society, 41(6), 865-871",
            note="the formula the warmth tool uses for the colour of a black body's light"),
    _method("schaefer2006", "Schaefer, S., McPhail, T. & Warren, J.", 2006,
            "Image deformation using moving least squares", "ACM SIGGRAPH 2006 (ACM Transactions on Graphics, 25(3))",
            _DOI + "10.1145/1141911.1141920", note="the warp behind the face edits"),
    _method("he2013", "He, K., Sun, J. & Tang, X.", 2013, "Guided image filtering",
            "IEEE Transactions on Pattern Analysis and Machine Intelligence, 35(6), 1397-1409",
            _DOI + "10.1109/TPAMI.2012.213", note="the edge-preserving filter of the skin smoother and the subject mask"),
    _method("he2015", "He, K. & Sun, J.", 2015, "Fast guided filter", "arXiv:1505.00996",
            "https://arxiv.org/abs/1505.00996", note="computing the guided filter on a subsampled copy"),
    _method("hasler2003", "Hasler, D. & Süsstrunk, S.", 2003, "Measuring colourfulness in natural images",
            "Proc. SPIE 5007, Human Vision and Electronic Imaging VIII", _DOI + "10.1117/12.477378",
            note="the colourfulness measure"),
    _method("lam1985", "Lam, K. M.", 1985, "Metamerism and colour constancy", "PhD thesis, University of Bradford",
            note="the Bradford transform used for white balance"),
    _method("farkas1994", "Farkas, L. G.", 1994, "Anthropometry of the Head and Face (2nd ed.)", "Raven Press",
            note="typical adult head and face measurements, rounded for the camera-distance model's depths"),
    _method("mccamy1992", "McCamy, C. S.", 1992,
            "Correlated color temperature as an explicit function of chromaticity coordinates",
            "Color Research & Application, 17(2), 142-144", _DOI + "10.1002/col.5080170211",
            note="the light-colour readout"),
)}  # fmt: skip


def source(key: str) -> Source:
    """The registered source called ``key``; a clear error if there is none."""
    if key not in SOURCES:
        raise KeyError(f"No source called {key!r} in the registry (portrait_lessons/sources.py).")
    return SOURCES[key]


class SourceList:
    """Sources as a numbered HTML list (the notebooks' Sources sections), each with what it measured.

    Examples
    --------
    >>> html_text = SourceList(["lin2023", "brm2026"])._repr_html_()
    >>> "Lin, C., Mottaghi, S. &amp; Shams, L." in html_text and "not checked" in html_text
    True
    >>> print(SourceList(["senju2009"]))
    - Senju, A. & Johnson, M. H. (2009). The eye contact effect: mechanisms and development. Trends in Cognitive Sciences, 13(3), 127-134. https://doi.org/10.1016/j.tics.2008.11.009 [established; abstract read]
    """

    def __init__(self, keys: Iterable[str]):
        self.sources = [source(key) for key in dict.fromkeys(keys)]

    def _repr_html_(self) -> str:
        return f'<ol class="pl-sources">{"".join(s._html() for s in self.sources)}</ol>'

    def __repr__(self) -> str:
        def status(s: Source) -> str:
            if s.kind == "method":
                return " [method]"
            read = "practitioner writing" if s.kind == "practice" else "abstract read" if s.checked else "not checked"
            return f" [{s.strength}; {read}]"

        return "\n".join(f"- {s.reference()}{status(s)}" for s in self.sources)
