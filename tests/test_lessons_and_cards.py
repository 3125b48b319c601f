import pytest

from portrait_lessons.cards import STRENGTHS, EvidenceCard
from portrait_lessons.lessons import LESSONS, LessonMap

PAYLOAD = "<img src=x onerror=alert(1)>"


def test_lesson_files_follow_the_curriculum():
    assert [lesson.number for lesson in LESSONS] == list(range(10))
    assert LESSONS[0].available and LESSONS[0].file == "00_start_here.ipynb"


def test_lesson_map_links_only_present_notebooks():
    table = LessonMap()._repr_html_()
    for lesson in LESSONS:
        assert (f'href="{lesson.file}"' in table) == lesson.available


@pytest.mark.parametrize("strength", STRENGTHS)
def test_every_strength_renders(strength):
    assert strength in EvidenceCard("c", "s", "m", strength)._repr_html_()


def test_card_text_is_escaped_and_links_are_only_web_links():
    card = EvidenceCard(PAYLOAD, PAYLOAD, PAYLOAD, "supported", limits=PAYLOAD, link="javascript:alert(1)")
    html = card._repr_html_()
    assert "<img" not in html and "&lt;img" in html
    assert "javascript:" not in html
