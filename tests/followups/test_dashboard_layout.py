"""The dashboard's layout details (issue 14, point 12): chart labels that never overlap, and
"no data" (translated) where a figure has nothing to show."""

import pytest
from django.utils import translation

from followups.dashboard.charts import bar_chart, label_width
from followups.templatetags.dashboard_tags import hms, percent

pytestmark = pytest.mark.django_db


def widest(label) -> float:
    return max(label_width(line) for line in label["lines"])


def assert_labels_do_not_overlap(chart):
    labels = chart["labels"]
    for left, right in zip(labels, labels[1:], strict=False):
        room = right["x"] - left["x"]
        assert room >= (widest(left) + widest(right)) / 2, (left, right)
    for label in labels:
        assert " ".join(label["lines"]) == " ".join(label["text"].split()), "nothing is cut off"


@pytest.mark.parametrize(
    "labels",
    [
        ["Under 1 business hour", "1–4 business hours", "4–8 business hours", "8 business hours – 3 business days"],
        [
            "영업시간 1시간 미만",
            "영업시간 1–4시간",
            "영업시간 4–8시간",
            "영업시간 8시간 – 영업일 3일",
            "영업일 3일 초과",
        ],
        [f"{month:02d}-{day:02d}" for month in range(1, 13) for day in (1, 8, 15, 22)],
    ],
)
def test_chart_labels_never_overlap(labels):
    chart = bar_chart([(label, [1.0]) for label in labels], ["Waiting"])
    assert_labels_do_not_overlap(chart)
    assert chart["labels"], "some labels are always shown"


def test_a_long_label_that_has_its_slot_alone_is_wrapped_onto_lines():
    chart = bar_chart([("8 business hours – 3 business days", [1.0]), ("Over 3 business days", [2.0])], ["Waiting"])
    first = chart["labels"][0]
    assert len(first["lines"]) >= 1 and all(label_width(line) <= chart["slot"] for line in first["lines"])


def test_the_waiting_now_chart_uses_the_short_labels_and_none_overlap(manager_client):
    chart = manager_client.get("/dashboard/").context["waiting_chart"]
    assert [label["text"] for label in chart["labels"]] == ["< 1 h", "1–4 h", "4–8 h", "8 h – 3 d", "> 3 d"]
    assert_labels_do_not_overlap(chart)


def test_empty_figures_say_no_data_in_both_languages(manager_client):
    html = manager_client.get("/dashboard/").content.decode()
    assert '<div class="fs-5" data-figure="first">no data</div>' in html
    assert "0:00:00" not in html
    assert hms(None) == "no data" and percent(None) == "no data"
    with translation.override("ko"):
        assert hms(None) == "데이터 없음"
    assert hms(0) == "0:00:00", "a real zero is still a figure"
