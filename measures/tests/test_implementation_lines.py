"""Choosing the line of an implementation plan: a progress entry names one of its unit's lines on
that measure, a province's quarterly report the lines of its province's plan it reports on; another
owner's line is refused naming the field, and the pages show the line chosen."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from measures.models import ProgressEntry
from reports.models import QuarterlyReport
from tests.chain import collect, reporter_of
from tests.implementation import line, save_plan
from tests.progress import edit_url
from tests.quarterly import file_report, good_values

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2009-10-10")]


@pytest.fixture
def lines(persona):
    mca = save_plan(persona("liaison_mca"), [line("4.2.a", "民政救助"), line("2.1", "别的措施")])
    mps = save_plan(persona("liaison_mps"), [line("4.2.a", "公安的")])
    return {
        "mca": mca.lines.get(measure__ref="4.2.a"),
        "mca_other_measure": mca.lines.get(measure__ref="2.1"),
        "mps": mps.lines.get(),
    }


def test_the_entry_form_offers_the_units_own_lines_on_the_measure(client_as, lines):
    form = client_as("liaison_mca").get(edit_url("4.2.a", "2009Q3")).context["form"]
    assert [value for value, _label in form.fields["plan_line"].choices] == ["", lines["mca"].pk]


@pytest.mark.parametrize("other", ["mps", "mca_other_measure"])
def test_another_line_is_refused_naming_the_field(client_as, lines, other):
    client = client_as("liaison_mca")
    data = {"status": "on_track", "narrative": "进展", "plan_line": lines[other].pk}
    response = client.post(edit_url("4.2.a", "2009Q3"), data)
    assert response.status_code == 200 and response.context["form"].errors["plan_line"]
    assert not ProgressEntry.objects.exists()


def test_the_entry_names_its_line_on_its_page(client_as, lines):
    client = client_as("liaison_mca")
    data = {"status": "on_track", "narrative": "进展", "plan_line": lines["mca"].pk}
    response = client.post(edit_url("4.2.a", "2009Q3"), data)
    entry = ProgressEntry.objects.get()
    assert response.status_code == 302 and entry.plan_line == lines["mca"]
    page = client.get(reverse("measures:entry", kwargs={"pk": entry.pk}))
    assert "民政救助" in page.content.decode() and 'id="plan-line"' in page.content.decode()
    # The Office does not see the unit's draft plan: the entry does not name its line to it.
    entry.state = "submitted"
    entry.save()
    assert 'id="plan-line"' not in client_as("office").get(f"/progress/entries/{entry.pk}/").content.decode()


@pytest.fixture
def yunnan_lines(persona):
    yn = save_plan(persona("reporter_yn"), [line("2.1", "云南打击"), line("3.1", "云南预防")])
    gx = save_plan(persona("reporter_gx"), [line("2.1", "广西的")])
    return list(yn.lines.order_by("seq")), gx.lines.get()


def _report_post(**extra) -> dict:
    data = {f"figure_{code}": value for code, value in good_values().items()}
    return {"narrative_3": "开展行动", **data, **extra}


def test_a_province_names_the_lines_its_report_is_on(client_as, yunnan_lines):
    own, _other = yunnan_lines
    client = client_as("reporter_yn")
    url = reverse("reports:report_edit", kwargs={"period": "2009Q3"})
    form = client.get(url).context["form"]
    assert {value for value, _label in form.fields["plan_lines"].choices} == {ln.pk for ln in own}
    response = client.post(url, _report_post(plan_lines=[own[0].pk]))
    assert response.status_code == 302
    report = QuarterlyReport.objects.get()
    assert list(report.plan_lines.all()) == [own[0]]
    assert "云南打击" in client.get(response.url).content.decode()


def test_another_provinces_line_is_refused_naming_the_field(persona, yunnan_lines):
    _own, other = yunnan_lines
    with pytest.raises(ValidationError) as error:
        file_report(persona("reporter_yn"), "2009Q3", plan_line_ids=[other.pk])
    assert "plan_lines" in error.value.message_dict
    assert not QuarterlyReport.objects.exists()


def test_a_report_below_the_province_names_no_line(persona, yunnan_lines):
    own, _other = yunnan_lines
    collect("530000")  # Yunnan collects from its prefectures
    with pytest.raises(ValidationError) as error:
        file_report(reporter_of("530100"), "2009Q3", plan_line_ids=[own[0].pk])
    assert "plan_lines" in error.value.message_dict


def test_a_province_names_its_lines_through_the_api(persona, api_as, yunnan_lines):
    own, other = yunnan_lines
    report = file_report(persona("reporter_yn"), "2009Q3")
    api = api_as("reporter_yn")
    url = f"/api/quarterly-reports/{report.pk}/"
    refused = api.patch(url, {"plan_lines": [other.pk], "version": report.version}, format="json")
    assert refused.status_code == 400 and "plan_lines" in refused.data
    chosen = api.patch(url, {"plan_lines": [own[1].pk], "version": report.version}, format="json")
    assert chosen.status_code == 200 and chosen.data["plan_lines"] == [own[1].pk]
    kept = api.patch(url, {"warnings_comment": "", "version": chosen.data["version"]}, format="json")
    assert kept.data["plan_lines"] == [own[1].pk]
