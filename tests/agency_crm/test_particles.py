"""Korean particles after a name or a number are chosen by the word's last sound ("v1을",
"박민지로", "Minji Park로"), never both printed ("v1을(를)", "—(으)로")."""

import pytest
from django.utils import translation

from agency_crm import facts
from agency_crm.particles import choose_particles, particle_after


@pytest.mark.parametrize(
    ("word", "pair", "expected"),
    [
        ("박민지", "을(를)", "를"),
        ("김하늘", "을(를)", "을"),
        ("v1", "을(를)", "을"),  # 일
        ("v2", "을(를)", "를"),  # 이
        ("10", "이(가)", "이"),  # 십
        ("박민지", "(으)로", "로"),
        ("서울", "(으)로", "로"),  # ㄹ takes 로
        ("김하늘", "(으)로", "로"),
        ("이준호", "(으)로", "로"),
        ("한빛 물류", "(으)로", "로"),
        ("제안서", "은(는)", "는"),
        ("견적", "은(는)", "은"),
        ("Minji Park", "(으)로", "로"),
        ("Kim", "을(를)", "을"),
        ("Blue Harbor", "와(과)", "와"),
        ("대기", "(으)로", "로"),
        ("답변 대기", "(으)로", "로"),
        ("종결", "(으)로", "로"),
        ("상담", "(으)로", "으로"),
        ("“배송”", "와(과)", "과"),
    ],
)
def test_the_particle_follows_the_last_sound(word, pair, expected):
    assert particle_after(word, pair) == expected


def test_a_word_whose_sound_is_unknown_keeps_both_forms():
    assert particle_after("—", "(으)로") == "(으)로"


def test_the_template_gets_the_particle_of_its_value():
    template = "%(name)s 님이 제안서 v%(number)s을(를) 수락했습니다; 담당자를 %(old)s에서 %(new)s(으)로 변경"
    values = {"name": "정우성", "number": 1, "old": "박민지", "new": "김하늘"}
    assert choose_particles(template, values) % values == (
        "정우성 님이 제안서 v1을 수락했습니다; 담당자를 박민지에서 김하늘로 변경"
    )
    # A closing bracket or quote between the value and its particle is looked through.
    assert choose_particles("대화 %(subject)s (%(client)s)을(를)", {"subject": "a", "client": "한빛"}) == (
        "대화 %(subject)s (%(client)s)을"
    )


def test_facts_render_the_right_particle_in_korean():
    with translation.override("ko"):
        text = facts.render(
            "Conversation %(subject)s moved from %(old)s to %(new)s",
            {"subject": "배송", "old": "박민지", "new": "김하늘"},
        )
    assert text == "대화 배송의 담당자가 박민지에서 김하늘로 변경됨"
