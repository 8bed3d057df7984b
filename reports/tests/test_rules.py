"""Validation rules of the quarterly report: each rule, its message, and what it blocks."""

import pytest
from django.core.exceptions import ValidationError

from measures.expressions import evaluate, parse
from measures.models import QuarterlyRule
from reports.models import QuarterlyReport
from tests.quarterly import file_report, good_values

pytestmark = pytest.mark.django_db


def test_expressions():
    assert evaluate("women_rescued + children_rescued", {"women_rescued": 3, "children_rescued": 4}) == 7
    assert evaluate("20 * cases_reported + 20", {"cases_reported": 2}) == 60
    assert evaluate("a + b", {"a": 1, "b": None}) is None
    for bad in ("a - b", "__import__('os')", "a * b", "2 ** 8"):
        with pytest.raises(ValueError):
            parse(bad)


@pytest.mark.parametrize(
    ("overrides", "field", "zh"),
    [
        ({"cases_solved": 41}, "cases_solved", "破案数不能大于立案数。"),
        ({"cross_province_cases": 41}, "cross_province_cases", "跨省案件数不能大于立案数。"),
        ({"persons_assisted": 36}, "persons_assisted", "获得救助的人数不能大于解救的妇女和儿童人数之和。"),
        ({"assisted_schooling": 16}, "assisted_schooling", "入学或返校人数不能大于解救儿童人数。"),
        ({"assisted_medical": 31}, "assisted_medical", "医疗救助人数不能大于获得救助的总人数。"),
    ],
)
def test_error_rules_name_the_field_and_save_nothing(gx, overrides, field, zh):
    with pytest.raises(ValidationError) as error:
        file_report(gx, "2009Q3", values=good_values(**overrides))
    assert error.value.message_dict[field] == [zh]
    assert not QuarterlyReport.objects.exists()


def test_messages_in_english(gx, english):
    with pytest.raises(ValidationError) as error:
        file_report(gx, "2009Q3", values=good_values(cases_solved=50))
    assert error.value.message_dict["cases_solved"] == ["Cases solved cannot be more than cases reported."]


@pytest.mark.parametrize("value", [-1, 1.5, "12", True, 2**31])
def test_no_negative_or_non_whole_counts(gx, value):
    with pytest.raises(ValidationError) as error:
        file_report(gx, "2009Q3", values=good_values(trainings_held=value))
    assert "trainings_held" in error.value.message_dict


def test_a_draft_may_be_incomplete_but_a_submission_may_not(gx):
    values = good_values()
    del values["publicity_events"]
    report = file_report(gx, "2009Q3", values=values)
    assert report.state == "draft"
    with pytest.raises(ValidationError) as error:
        file_report(gx, "2009Q3", values={}, version=report.version, submit=True)
    assert error.value.message_dict["publicity_events"] == ["请填写数字（无则填0）。"]


def test_warnings_need_an_explanation_to_submit(gx):
    values = good_values(trainings_held=10, persons_trained=5)  # fewer persons than trainings
    report = file_report(gx, "2009Q3", values=values)  # a draft with a warning saves
    with pytest.raises(ValidationError) as error:
        file_report(gx, "2009Q3", values={}, version=report.version, submit=True)
    assert "培训人数少于培训期数" in error.value.message_dict["warnings_comment"][0]
    report = file_report(gx, "2009Q3", values={}, version=report.version, submit=True,
                         warnings_comment="部分培训为线上培训，人数另计。")  # fmt: skip
    assert report.state == "submitted"


def test_rules_are_data(plan):
    rule = QuarterlyRule.objects.get(plan=plan, code="solved_le_reported")
    assert (rule.left, rule.operator, rule.right, rule.importance) == (
        "cases_solved",
        "<=",
        "cases_reported",
        "error",
    )
    assert rule.message_en == "Cases solved cannot be more than cases reported."
    assert QuarterlyRule.objects.filter(plan=plan, importance="warning").count() == 2
