"""The pickers of a division and of an agency: their searches (JSON, signed-in users only, bounded,
constant in queries), the fields that resolve what was typed when the page's script did not run,
and their use in the case forms (the referral's receiving agency, the intake's rescuing agency,
the rescue and home divisions, checked against their provinces by the case-file service and the API)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from rest_framework.test import APIClient

from agencies.choices import AgencyKind, DivisionLevel
from agencies.forms import SEARCH_LIMIT, AgencyField, DivisionField
from agencies.models import Agency, Division, MemberUnit, Province
from cases import services
from cases.forms import CaseFileForm, ReferralForm
from cases.models import CaseFile
from core.choices import Role
from tests.fixtures import in_english
from tests.personas import make_agency, make_user, signed_in
from tests.queries import page_queries

pytestmark = [pytest.mark.django_db, pytest.mark.portal_date("2010-01-10")]

DIVISIONS = reverse("agencies:division_search")
AGENCIES = reverse("agencies:agency_search")
# An agency of a county whose name says nothing of the city above it: found through the city.
WUHUA_MCA = ("MCA-530102", "五华区民政局", "Wuhua District Civil Affairs Bureau")


@pytest.fixture
def agencies(plan):
    return {code: make_agency(code) for code in ("MCA-530100", "MPS-530100", "MCA-450100", "MPS-130100")} | {
        "MCA-530102": make_agency(*WUHUA_MCA)
    }


@pytest.fixture
def hebei_officer(agencies):
    return make_user("case.mps.hebei", Role.CASE_OFFICER, agency="MPS-130100")


@pytest.fixture
def hebei(client, hebei_officer):
    return signed_in(client, hebei_officer)


def search(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def codes(answer) -> list[str]:
    return [result["code"] for result in answer["results"]]


# The division search.


def test_divisions_by_the_start_of_their_code(hebei):
    answer = search(hebei, DIVISIONS, q="5301")
    assert codes(answer)[0] == "530100"
    assert all(code.startswith("5301") for code in codes(answer)) and "530102" in codes(answer)
    assert len(codes(answer)) == len(set(codes(answer))) <= SEARCH_LIMIT


def test_divisions_by_chinese_name_with_the_path_above(hebei):
    [kunming] = search(hebei, DIVISIONS, q="昆明")["results"]
    assert kunming["code"] == "530100" and kunming["name"] == "昆明市"
    assert kunming["path"] == ["云南省"] and kunming["label"] == "云南省 › 昆明市"
    assert kunming["id"] == Division.objects.get(code="530100").pk
    wuhua = next(r for r in search(hebei, DIVISIONS, q="五华区")["results"] if r["code"] == "530102")
    assert wuhua["path"] == ["云南省", "昆明市"] and wuhua["label"] == "云南省 › 昆明市 › 五华区"
    assert wuhua["level"] == Division.objects.get(code="530102").get_level_display()


@pytest.mark.parametrize("text", ["kunming", "Kunming Shi", "KUNMINGSHI", "kunming shi "])
def test_divisions_by_pinyin_with_or_without_spaces(hebei, text):
    assert codes(search(hebei, DIVISIONS, q=text)) == ["530100"]


def test_divisions_by_pinyin_find_each_of_the_same_sound(hebei):
    found = codes(search(hebei, DIVISIONS, q="wuhua"))
    assert "530102" in found and "441424" in found  # 五华区 (Kunming) and 五华县 (Guangdong)


def test_names_in_english(hebei):
    [kunming] = search(in_english(hebei), DIVISIONS, q="昆明")["results"]
    assert kunming["name"] == "Kunming Shi" and kunming["path"] == ["Yunnan Province"]
    assert search(hebei, DIVISIONS, q="xyzxyz")["status"] == "No results"


def test_an_abolished_division_is_not_offered(hebei):
    chongwen = Division.objects.get(code="110103")  # 崇文区, merged into 东城区 in 2010
    assert chongwen.abolished_in is not None
    assert "110103" not in codes(search(hebei, DIVISIONS, q="崇文"))
    assert "110103" not in codes(search(hebei, DIVISIONS, q="110103"))
    assert "110101" in codes(search(hebei, DIVISIONS, q="东城"))


def test_at_most_twenty_and_the_status_says_there_are_more(hebei):
    answer = search(hebei, DIVISIONS, q="区")
    assert len(answer["results"]) == SEARCH_LIMIT == 20 and answer["more"] is True
    assert answer["status"] == "结果超过 20 个：请继续输入以缩小范围。"
    few = search(in_english(hebei), DIVISIONS, q="kunming")
    assert few["more"] is False and few["status"] == "1 result"


def test_levels_narrow_the_search(hebei):
    assert codes(search(hebei, DIVISIONS, q="云南")) == ["530000"]
    assert codes(search(hebei, DIVISIONS, q="云南", level=["prefecture", "county"])) == []
    found = search(hebei, DIVISIONS, q="53", level="prefecture")["results"]
    assert found and {r["code"][2:] for r in found} >= {"0100"} and all(r["code"][4:] == "00" for r in found)
    response = hebei.get(DIVISIONS, {"q": "云南", "level": "planet"})
    assert response.status_code == 400 and list(response.json()) == ["level"]


def test_a_province_narrows_the_search(hebei):
    assert codes(search(hebei, DIVISIONS, q="长安区")) == ["130102", "610116"]  # Shijiazhuang, Xi'an
    hebei_province = Province.objects.get(code="130000")
    assert codes(search(hebei, DIVISIONS, q="长安区", in_province=hebei_province.pk)) == ["130102"]
    for wrong in ("x", "999999"):
        response = hebei.get(DIVISIONS, {"q": "长安区", "in_province": wrong})
        assert response.status_code == 400 and list(response.json()) == ["in_province"]


def test_the_case_forms_county_follows_its_province_select(plan):
    html = str(CaseFileForm()["rescue_division"])
    assert 'data-province-from="id_rescue_province"' in html and "level=prefecture&amp;level=county" in html
    assert 'data-province-from="id_home_province"' in str(CaseFileForm()["home_division"])


@pytest.mark.parametrize("url", [DIVISIONS, AGENCIES])
def test_a_text_longer_than_fifty_characters_is_refused_naming_q(hebei, url):
    assert hebei.get(url, {"q": "昆" * 50}).status_code == 200
    response = hebei.get(url, {"q": "昆" * 51})
    assert response.status_code == 400
    assert list(response.json()) == ["q"] and "50" in response.json()["q"][0]


@pytest.mark.parametrize("url", [DIVISIONS, AGENCIES])
def test_an_empty_text_finds_nothing(hebei, url):
    assert search(hebei, url, q="  ") == {"results": [], "more": False, "status": "没有结果"}


@pytest.mark.parametrize("url", [DIVISIONS, AGENCIES])
def test_someone_not_signed_in_is_sent_to_sign_in(client, plan, url):
    response = client.get(url, {"q": "kunming"})
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", [DIVISIONS, AGENCIES])
def test_a_deactivated_account_finds_nothing(client, agencies, url):
    gone = make_user("gone", Role.CASE_OFFICER, agency="MPS-130100", active=False)
    client.force_login(gone)  # the session outlived the account
    response = client.get(url, {"q": "kunming"})
    assert response.status_code == 302


# The agency search.


@pytest.mark.parametrize("text", ["昆明", "kunming", "Kunming Shi", "530100", "mca-5301"])
def test_a_hebei_officer_finds_kunming_civil_affairs(hebei, text):
    found = codes(search(hebei, AGENCIES, q=text))
    assert "MCA-530100" in found


def test_an_agency_is_found_through_the_divisions_above_it(hebei):
    assert "MCA-530102" in codes(search(hebei, AGENCIES, q="昆明"))  # its city
    assert "MCA-530102" in codes(search(hebei, AGENCIES, q="Kunming Shi"))
    assert "MCA-530102" in codes(search(hebei, AGENCIES, q="云南"))  # its province
    assert "MCA-530102" in codes(search(hebei, AGENCIES, q="wuhua"))  # its own county
    assert "MCA-530102" not in codes(search(hebei, AGENCIES, q="南宁"))
    assert codes(search(hebei, AGENCIES, q="南宁")) == ["MCA-450100"]


def test_agency_results_name_the_place_in_both_languages(hebei):
    [kunming] = [r for r in search(hebei, AGENCIES, q="昆明市民政局")["results"]]
    assert kunming["name"] == "昆明市民政局" and kunming["place"] == "云南省 › 昆明市"
    assert kunming["detail"] == "云南省 › 昆明市 · MCA-530100"
    assert kunming["id"] == Agency.objects.get(code="MCA-530100").pk
    national = search(hebei, AGENCIES, q="MCA")["results"][0]  # the exact code comes first
    with translation.override("zh-hans"):
        assert national["code"] == "MCA" and national["place"] == gettext("National")
    english = search(in_english(hebei), AGENCIES, q="kunming civil")["results"]
    assert [(r["name"], r["place"]) for r in english] == [
        ("Kunming Civil Affairs Bureau", "Yunnan Province › Kunming Shi")
    ]
    assert search(hebei, AGENCIES, q="MCA")["results"][0]["place"] == "National"


def test_only_active_case_keeping_agencies_are_offered(hebei, agencies):
    found = codes(search(hebei, AGENCIES, q="云南"))
    assert "ATO-530000" not in found  # the anti-trafficking office keeps no case files
    Agency.objects.filter(code="MCA-530100").update(is_active=False)
    assert "MCA-530100" not in codes(search(hebei, AGENCIES, q="昆明"))


def test_division_narrows_to_that_division_and_below(hebei):
    assert set(codes(search(hebei, AGENCIES, q="民政", division="530100"))) == {"MCA-530100", "MCA-530102"}
    assert set(codes(search(hebei, AGENCIES, q="民政", division="530000"))) == {"MCA-530100", "MCA-530102"}
    assert codes(search(hebei, AGENCIES, q="民政", division="530102")) == ["MCA-530102"]
    response = hebei.get(AGENCIES, {"q": "民政", "division": "999999"})
    assert response.status_code == 400 and list(response.json()) == ["division"]


def test_exclude_leaves_one_agency_out(hebei, agencies):
    mine = agencies["MCA-530100"].pk
    assert "MCA-530100" not in codes(search(hebei, AGENCIES, q="昆明", exclude=mine))
    assert hebei.get(AGENCIES, {"q": "昆明", "exclude": "x"}).status_code == 400


def many_agencies(count: int) -> None:
    """``count`` more civil-affairs offices at the counties of Yunnan and Guangxi (names with 民政)."""
    unit = MemberUnit.objects.get(code="MCA")
    counties = list(Division.objects.current().filter(level=DivisionLevel.COUNTY, code__regex=r"^(53|45)"))
    Agency.objects.bulk_create(
        Agency(
            code=f"MCA-{county.code}-{n}",
            kind=AgencyKind.UNIT_OFFICE,
            unit=unit,
            division=county,
            name_zh=f"{county.name_zh}民政局{n}",
            name_en=f"{county.name_en} Civil Affairs Bureau {n}",
        )
        for n, county in zip(range(count), counties * (count // len(counties) + 1), strict=False)
    )


def test_agencies_at_most_twenty(hebei):
    many_agencies(30)
    answer = search(hebei, AGENCIES, q="民政")
    assert len(answer["results"]) == 20 and answer["more"] is True


def test_query_counts_stay_the_same_at_every_size(hebei):
    """The division search over every county of the country, a search that finds one or twenty, and
    the agency search before and after 500 more agencies: each the same number of queries."""
    assert Division.objects.current().filter(level=DivisionLevel.COUNTY).count() > 2800
    one = page_queries(hebei, f"{DIVISIONS}?q=kunming")
    twenty = page_queries(hebei, f"{DIVISIONS}?q=%E5%8C%BA")  # 区
    narrowed = page_queries(hebei, f"{DIVISIONS}?q=%E5%8C%BA&level=county")
    assert one == twenty == narrowed
    province = Province.objects.get(code="530000").pk
    assert page_queries(hebei, f"{DIVISIONS}?q=%E5%8C%BA&in_province={province}") == one + 1
    before = [page_queries(hebei, f"{AGENCIES}?q={q}") for q in ("kunming", "%E6%B0%91%E6%94%BF")]  # 民政
    within_before = page_queries(hebei, f"{AGENCIES}?q=kunming&division=530000")
    many_agencies(500)
    assert Agency.objects.count() > 500
    after = [page_queries(hebei, f"{AGENCIES}?q={q}") for q in ("kunming", "%E6%B0%91%E6%94%BF")]
    assert before == after == [one, one]  # the session, the user, the search
    assert page_queries(hebei, f"{AGENCIES}?q=kunming&division=530000") == within_before == one + 1


# The fields, when the page's script did not run: the text typed is looked up on the server.


def referral_form(user, **data) -> ReferralForm:
    return ReferralForm({"kind": "referral", "purpose": "请安排返乡。", **data}, agency_id=user.agency_id)


def test_one_agency_matching_the_text_is_chosen(hebei_officer):
    for text in ("昆明市民政局", "MCA-530100", "kunming civil affairs bureau", "Kunming Civil"):
        form = referral_form(hebei_officer, to_agency="", to_agency_text=text)
        assert form.is_valid(), (text, form.errors)
        assert form.cleaned_data["to_agency"].code == "MCA-530100"


def test_several_agencies_matching_the_text_is_an_error_naming_the_field(hebei_officer):
    form = referral_form(hebei_officer, to_agency="", to_agency_text="昆明")
    assert not form.is_valid()
    assert form.errors["to_agency"] == ["多个机构与“昆明”相符：请继续输入，或从列表中选择一个。"]
    html = form.as_div()
    assert 'value="昆明"' in html and 'aria-invalid="true"' in html  # the text typed is kept
    assert 'aria-describedby="id_to_agency_helptext id_to_agency_error"' in html


def test_no_agency_matching_the_text_is_an_error(hebei_officer, english):
    form = referral_form(hebei_officer, to_agency="", to_agency_text="Atlantis")
    assert not form.is_valid()
    assert form.errors["to_agency"] == ["No agency matches Atlantis: type its name, its code or its place."]
    form = referral_form(hebei_officer, to_agency="", to_agency_text="")
    assert not form.is_valid() and form.errors["to_agency"] == ["This field is required."]


def test_ones_own_agency_is_never_the_receiving_one(agencies):
    kunming = make_user("case.mca.kunming", Role.CASE_OFFICER, agency="MCA-530100")
    form = referral_form(kunming, to_agency="", to_agency_text="昆明市民政局")
    assert not form.is_valid() and "to_agency" in form.errors
    form = referral_form(kunming, to_agency=str(agencies["MCA-530100"].pk))
    assert not form.is_valid() and "to_agency" in form.errors
    assert str(agencies["MCA-530100"].pk) in form.as_div()  # the widget's search leaves it out too


def test_the_chosen_id_wins_while_the_text_still_names_it(hebei_officer, agencies):
    kunming = agencies["MCA-530100"]
    form = referral_form(hebei_officer, to_agency=str(kunming.pk), to_agency_text="昆明市民政局")
    assert form.is_valid() and form.cleaned_data["to_agency"] == kunming
    form = referral_form(hebei_officer, to_agency=str(kunming.pk))  # a client that sends only the id
    assert form.is_valid() and form.cleaned_data["to_agency"] == kunming
    # Typed over without the script: the text counts.
    form = referral_form(hebei_officer, to_agency=str(kunming.pk), to_agency_text="南宁市民政局")
    assert form.is_valid() and form.cleaned_data["to_agency"].code == "MCA-450100"
    form = referral_form(hebei_officer, to_agency="nonsense")
    assert not form.is_valid() and "to_agency" in form.errors


def test_a_bound_form_keeps_the_choice_and_the_text(hebei_officer, agencies):
    kunming = agencies["MCA-530100"]
    form = ReferralForm(
        {"to_agency": str(kunming.pk), "to_agency_text": "昆明市民政局", "purpose": ""},
        agency_id=hebei_officer.agency_id,
    )
    assert not form.is_valid() and "to_agency" not in form.errors
    html = str(form["to_agency"])
    assert f'name="to_agency" value="{kunming.pk}"' in html and 'value="昆明市民政局"' in html
    assert 'role="combobox"' in html and 'aria-controls="id_to_agency_listbox"' in html
    assert 'aria-expanded="false"' in html and 'role="listbox"' in html and 'aria-live="polite"' in html


def test_the_division_field_resolves_codes_names_and_pinyin(plan, english):
    field = DivisionField(
        queryset=Division.objects.current(), levels=[DivisionLevel.PREFECTURE, DivisionLevel.COUNTY]
    )
    for text in ("530102", "五华区", "Wuhua Qu"):
        assert field.clean(field.widget.value_from_datadict({"d_text": text}, {}, "d")).code == "530102"
    assert field.clean(field.widget.value_from_datadict({"d_text": "kunming shi"}, {}, "d")).code == "530100"
    for text, code in [
        ("城关区", "several"),
        ("云南省", "none"),
        ("崇文区", "none"),
        ("区" * 51, "too_long"),
    ]:
        with pytest.raises(ValidationError) as error:
            field.clean(field.widget.value_from_datadict({"d_text": text}, {}, "d"))
        assert error.value.code == code, text
    with pytest.raises(ValidationError) as error:
        field.clean(field.widget.value_from_datadict({"d_text": "城关区"}, {}, "d"))
    assert error.value.messages == [
        "Several divisions match 城关区: type more (or the six-digit code) or choose one from the list."
    ]


def test_an_agency_field_over_any_queryset(agencies):
    field = AgencyField(queryset=Agency.objects.case_keepers().filter(unit__code="MPS"), required=False)
    value = field.widget.value_from_datadict({"a_text": "昆明"}, {}, "a")
    assert field.clean(value).code == "MPS-530100"  # the only public-security office there
    assert field.clean(field.widget.value_from_datadict({"a_text": " "}, {}, "a")) is None


# The case forms and the case-file service.


def intake(**overrides) -> dict:
    data = {
        "category": "woman", "sex": "female", "name": "测试小芳", "id_document_kind": "other",
        "id_number": "", "date_of_birth": "1990-03-01", "rescued_on": "2009-06-01",
        "rescue_province": Province.objects.get(code="130000").pk, "rescue_division": "",
        "rescue_division_text": "石家庄", "rescuing_agency": "", "rescuing_agency_text": "石家庄市公安局",
        "home_province": Province.objects.get(code="530000").pk, "home_division": "",
        "home_division_text": "五华区", "status": "open", "consent_services": "on",
        "consent_sharing": "on", "consent_statistics": "on", "confirm_duplicate": "on",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_the_intake_page_saves_the_divisions_and_the_rescuing_agency(hebei, agencies):
    response = hebei.post(reverse("cases:new"), intake())
    assert response.status_code == 302, response.context["form"].errors
    case = CaseFile.objects.get()
    assert case.rescue_division.code == "130100" and case.home_division.code == "530102"
    assert case.rescuing_agency == agencies["MPS-130100"]
    page = hebei.get(reverse("cases:edit", kwargs={"number": case.number})).content.decode()
    assert 'value="石家庄市"' in page and 'value="五华区"' in page and 'value="石家庄市公安局"' in page


def test_the_intake_page_refuses_a_division_outside_the_province(hebei, agencies):
    response = hebei.post(reverse("cases:new"), intake(rescue_division_text="昆明市"))
    assert response.status_code == 200 and CaseFile.objects.count() == 0
    form = response.context["form"]
    assert form.errors["rescue_division"] == ["昆明市不在河北省：请选择该省的县或市。"]
    page = response.content.decode()
    assert 'value="昆明市"' in page and 'value="石家庄市公安局"' in page  # nothing typed is lost
    response = hebei.post(reverse("cases:new"), intake(home_division_text="城关区"))
    assert "home_division" in response.context["form"].errors and CaseFile.objects.count() == 0


def test_the_case_form_keeps_a_division_abolished_since(hebei_officer, agencies):
    case = services.case_create(
        actor=hebei_officer,
        data={
            "category": "woman",
            "sex": "female",
            "name": "测试",
            "id_document_kind": "other",
            "date_of_birth": dt.date(1990, 1, 1),
            "rescued_on": dt.date(2009, 6, 1),
            "rescue_province": Province.objects.get(code="110000"),
            "rescue_division": Division.objects.get(code="110103"),  # 崇文区, abolished since
            "rescuing_agency": agencies["MPS-130100"],
        },  # fmt: skip
        confirm_duplicate=True,
    )
    form = CaseFileForm(initial={"rescue_division": case.rescue_division}, case=case)
    assert 'value="崇文区"' in str(form["rescue_division"])
    assert "110103" not in [
        d.code for d in CaseFileForm().fields["rescue_division"].queryset.filter(code="110103")
    ]
    assert form.fields["rescue_division"].queryset.filter(code="110103").exists()


def test_the_service_checks_the_division_against_the_province(hebei_officer, agencies, english):
    data = {
        "category": "woman", "sex": "female", "name": "测试", "id_document_kind": "other",
        "date_of_birth": dt.date(1990, 1, 1), "rescued_on": dt.date(2009, 6, 1),
        "rescue_province": Province.objects.get(code="130000"),
        "rescue_division": Division.objects.get(code="530100"), "rescuing_agency": agencies["MPS-130100"],
    }  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.case_create(actor=hebei_officer, data=data, confirm_duplicate=True)
    assert error.value.message_dict == {
        "rescue_division": ["Kunming Shi is not in Hebei Province: choose a county or city of that province."]
    }
    with pytest.raises(ValidationError) as error:
        services.case_create(
            actor=hebei_officer,
            data=data | {"rescue_division": Division.objects.get(code="130000")},
            confirm_duplicate=True,
        )
    assert error.value.message_dict == {"rescue_division": ["Choose a county or city, not a province."]}
    assert CaseFile.objects.count() == 0
    case = services.case_create(
        actor=hebei_officer,
        data=data | {"rescue_division": Division.objects.get(code="130102")},
        confirm_duplicate=True,
    )
    assert case.rescue_division.code == "130102"
    with pytest.raises(ValidationError) as error:
        services.case_update(
            actor=hebei_officer,
            case_id=case.pk,
            data={"rescue_province": Province.objects.get(code="530000")},
            version=case.version,
        )
    assert list(error.value.message_dict) == ["rescue_division"]
    assert CaseFile.objects.get(pk=case.pk).rescue_province.code == "130000"


def test_the_api_takes_division_codes(hebei_officer, agencies):
    api = APIClient()
    api.force_authenticate(hebei_officer)
    body = {
        "category": "woman", "sex": "female", "name": "测试小芳", "id_document_kind": "other",
        "date_of_birth": "1990-03-01", "rescued_on": "2009-06-01", "rescue_province": "130000",
        "rescue_division": "130100", "home_division": "530102", "rescuing_agency": "MPS-130100",
        "confirm_duplicate": True,
    }  # fmt: skip
    response = api.post("/api/cases/", body, format="json")
    assert response.status_code == 201, response.json()
    case = CaseFile.objects.get()
    assert case.rescue_division.code == "130100" and case.home_division.code == "530102"
    for code in ("110103", "530000", "999999"):  # abolished, a province, none
        response = api.post("/api/cases/", body | {"rescue_division": code, "name": "别人"}, format="json")
        assert response.status_code == 400 and "rescue_division" in response.json(), code
    response = api.post("/api/cases/", body | {"rescue_division": "530100", "name": "别人"}, format="json")
    assert response.status_code == 400 and "rescue_division" in response.json()
    assert CaseFile.objects.count() == 1
