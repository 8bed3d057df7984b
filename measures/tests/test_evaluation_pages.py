"""Evaluation pages and API: who sees what (404 otherwise), forms that keep the input and name the
field, a closed round refused everywhere, the comparison of two rounds, query counts."""

import pytest
from django.conf import settings
from django.urls import reverse

from measures import services
from measures.models import EvaluationRound, OfficeAssessment, Responsibility, SelfAssessment
from tests.evaluation import office_assess, open_round, self_assess
from tests.fixtures import in_english
from tests.progress import measure, pdf
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

SEE_ROUNDS = {"liaison_mca": 200, "liaison_mps": 200, "office": 200, "auditor": 200, "admin": 200,
              "reporter_gx": 404, "case_mps": 404}  # fmt: skip


def round_url(evaluation_round, name="measures:evaluation_round"):
    return reverse(name, kwargs={"pk": evaluation_round.pk})


@pytest.mark.parametrize(("name", "status"), SEE_ROUNDS.items())
def test_who_sees_the_pages(client_as, mid_term, name, status):
    client = client_as(name)
    assert client.get(reverse("measures:evaluation_rounds")).status_code == status
    assert client.get(round_url(mid_term)).status_code == status
    assert client.get(reverse("measures:evaluation_compare")).status_code == status
    close = client.get(round_url(mid_term, "measures:evaluation_round_close")).status_code
    assert close == (200 if name == "office" else 404)
    nav = client.get(reverse("provinces")).content.decode()
    assert (reverse("measures:evaluation_rounds") in nav) == (status == 200)


def test_the_office_opens_a_round_and_bad_input_names_the_field(client_as, plan):
    client = in_english(client_as("office"))
    url = reverse("measures:evaluation_rounds")
    data = {
        "kind": "final",
        "title_zh": "终期评估（2012年）",
        "opens_on": "2012-10-01",
        "due_on": "2012-09-01",
    }
    response = client.post(url, data)  # no English title
    assert response.status_code == 200 and not EvaluationRound.objects.exists()
    assert list(response.context["form"].errors) == ["title_en"]
    assert "终期评估（2012年）" in response.content.decode()  # what was typed is kept
    data["title_en"] = "Final evaluation (2012)"
    response = client.post(url, data)
    body = response.content.decode()
    assert response.status_code == 200 and not EvaluationRound.objects.exists()
    assert "Self-assessments due on: The due date cannot be before the round opens." in body
    assert "终期评估（2012年）" in body and "Final evaluation (2012)" in body
    data["due_on"] = "2013-01-31"
    response = client.post(url, data)
    evaluation_round = EvaluationRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round_url(evaluation_round)
    assert (evaluation_round.title_zh, evaluation_round.title_en) == (
        "终期评估（2012年）",
        "Final evaluation (2012)",
    )
    assert client_as("liaison_mca").post(url, data).status_code == 404


def test_a_liaison_sees_only_their_units_measures(client_as, persona, mid_term):
    self_assess(persona("liaison_mps"), mid_term, "3.1.a", narrative="公安部的自评")
    self_assess(persona("liaison_mca"), mid_term, "4.2.a", narrative="民政部的自评")
    response = client_as("liaison_mca").get(round_url(mid_term))
    refs = {row.measure.ref for _area, rows in response.context["areas"] for row in rows}
    assert refs == set(
        Responsibility.objects.filter(unit__code="MCA", role="R").values_list("measure__ref", flat=True)
    )
    body = response.content.decode()
    assert "民政部的自评" in body and "公安部的自评" not in body
    office = client_as("office").get(round_url(mid_term)).content.decode()
    assert "民政部的自评" in office and "公安部的自评" in office


def test_saving_for_a_measure_the_unit_is_not_responsible_for_is_404(client_as, mid_term):
    client = client_as("liaison_mca")
    for ref in ("3.1.a", "4.4"):  # another unit's; MCA only cooperates
        data = {
            "measure": ref,
            f"m{measure(ref).pk}-rating": "achieved",
            f"m{measure(ref).pk}-narrative": "x",
        }
        assert client.post(round_url(mid_term), data).status_code == 404
    assert client_as("reporter_gx").post(round_url(mid_term), {"measure": "4.2.a"}).status_code == 404
    assert client_as("auditor").post(round_url(mid_term), {"measure": "4.2.a"}).status_code == 404
    assert not SelfAssessment.objects.exists()


def test_bad_input_keeps_the_text_and_names_the_field(client_as, mid_term):
    client = in_english(client_as("liaison_mca"))
    prefix = f"m{measure('4.2.a').pk}"
    data = {
        "measure": "4.2.a",
        f"{prefix}-rating": "",
        f"{prefix}-narrative": "我们的评估文字",
        "submit": "1",
    }
    response = client.post(round_url(mid_term), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Rating: Choose a rating before submitting." in body
    assert "我们的评估文字" in body
    assert not SelfAssessment.objects.exists()
    data[f"{prefix}-rating"] = "largely"
    data[f"{prefix}-evidence"] = pdf("自评材料.pdf")
    response = client.post(round_url(mid_term), data)
    assert response.status_code == 302
    saved = SelfAssessment.objects.get()
    assert saved.is_submitted and saved.evidence_name == "自评材料.pdf" and saved.rating == "largely"


def test_the_office_assesses_on_the_page(client_as, persona, mid_term):
    self_assess(persona("liaison_mca"), mid_term, "4.2.a")
    client = in_english(client_as("office"))
    prefix = f"m{measure('4.2.a').pk}"
    response = client.post(
        round_url(mid_term), {"measure": "4.2.a", f"{prefix}-rating": "", f"{prefix}-comment": "意见"}
    )
    assert "Rating of the Office: This field is required." in response.content.decode()
    assert "意见" in response.content.decode()
    client.post(
        round_url(mid_term), {"measure": "4.2.a", f"{prefix}-rating": "partly", f"{prefix}-comment": "意见"}
    )
    assert OfficeAssessment.objects.get().rating == "partly"


def test_evidence_download_is_gated(client_as, persona, mid_term):
    draft = self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False, evidence=pdf())
    submitted = self_assess(persona("liaison_mca"), mid_term, "4.2.a", evidence=pdf())
    cases = {
        "liaison_mca": (200, 200), "liaison_mps": (404, 404), "office": (404, 200), "auditor": (404, 200),
        "reporter_gx": (404, 404), "case_mca": (404, 404),
    }  # fmt: skip
    for name, expected in cases.items():
        client = client_as(name)
        for assessment, status in zip((draft, submitted), expected, strict=True):
            response = client.get(reverse("measures:evaluation_evidence", kwargs={"pk": assessment.pk}))
            assert response.status_code == status, name
            if status == 200:
                assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_a_closed_round_is_refused_in_page_and_api(client_as, api_as, persona, mid_term):
    self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False)
    client = client_as("office")
    confirm = client.get(round_url(mid_term, "measures:evaluation_round_close"))
    assert confirm.status_code == 200 and b'<form method="post">' in confirm.content
    assert client.post(round_url(mid_term, "measures:evaluation_round_close")).status_code == 302
    mid_term.refresh_from_db()
    assert not mid_term.is_open
    page = client.get(round_url(mid_term))
    assert all(row.form is None for _area, rows in page.context["areas"] for row in rows)
    assert round_url(mid_term, "measures:evaluation_round_close") not in page.content.decode()
    prefix = f"m{measure('4.3').pk}"
    mca = in_english(client_as("liaison_mca"))
    data = {"measure": "4.3", f"{prefix}-rating": "achieved", f"{prefix}-narrative": "改", "submit": "1"}
    response = mca.post(round_url(mid_term), data, follow=True)
    assert "This round is closed" in response.content.decode()
    assert SelfAssessment.objects.get().narrative != "改"
    payload = {"round": mid_term.pk, "measure": measure("4.3").pk, "rating": "achieved", "narrative": "改"}
    answer = api_as("liaison_mca").post("/api/self-assessments/", payload, format="json")
    assert answer.status_code == 409 and "冻结" in str(answer.json())  # the caller's language
    answer = api_as("office").post("/api/office-assessments/", payload, format="json")
    assert answer.status_code == 409
    assert not OfficeAssessment.objects.exists()


def test_compare_two_rounds(client_as, persona):
    office, mca = persona("office"), persona("liaison_mca")
    first = open_round(office)
    self_assess(mca, first, "4.2.a", rating="partly")
    self_assess(mca, first, "4.3", rating="largely")
    office_assess(office, first, "4.2.a", rating="not_achieved")
    services.evaluation_round_close(actor=office, round_id=first.pk)
    second = open_round(office, kind="final", title="终期评估（2012年）")
    self_assess(mca, second, "4.2.a", rating="achieved")
    self_assess(mca, second, "4.3", rating="largely")
    office_assess(office, second, "4.2.a", rating="largely")
    url = reverse("measures:evaluation_compare") + f"?first={first.pk}&second={second.pk}"
    response = in_english(client_as("office")).get(url)
    rows = {row.measure.ref: row for row in response.context["rows"]}
    changed = rows["4.2.a"]
    assert [(u.code, p.first, p.second, p.direction) for u, p in changed.units] == [
        ("MCA", "partly", "achieved", "up")
    ]
    assert (changed.office.first, changed.office.second, changed.office.direction) == (
        "not_achieved",
        "largely",
        "up",
    )
    assert not rows["4.3"].changed and rows["4.3"].office.first == ""
    assert response.context["changed"] == 1
    body = response.content.decode()
    assert body.count('class="changed changed-up"') == 1 and 'class="office-row changed changed-up"' in body
    assert "The rating changed on 1 measure between the two rounds" in body
    # A liaison officer compares their own unit's ratings, without the Office's.
    mps_rows = client_as("liaison_mps").get(url).context["rows"]
    assert all(p.first == "" and p.second == "" for row in mps_rows for _u, p in row.units)
    assert all(row.office is None for row in mps_rows)
    mca_rows = {row.measure.ref: row for row in client_as("liaison_mca").get(url).context["rows"]}
    assert mca_rows["4.2.a"].units[0][1].changed and mca_rows["4.2.a"].office is None
    assert client_as("reporter_gx").get(url).status_code == 404


def test_round_list_shows_completeness(client_as, persona, mid_term):
    self_assess(persona("liaison_mca"), mid_term, "4.2.a")
    self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False)
    office_assess(persona("office"), mid_term, "4.3")
    office_done = client_as("office").get(reverse("measures:evaluation_rounds")).context["rows"][0][1]
    assert (office_done.self_assessed, office_done.office_assessed) == (1, 1)
    mca_done = client_as("liaison_mca").get(reverse("measures:evaluation_rounds")).context["rows"][0][1]
    assert mca_done.measures == Responsibility.objects.filter(unit__code="MCA", role="R").count()
    assert (mca_done.self_assessed, mca_done.office_assessed) == (1, None)


def test_api_lists_by_permission(api_as, persona, mid_term):
    mca_draft = self_assess(persona("liaison_mca"), mid_term, "4.3", submit=False)
    mca_done = self_assess(persona("liaison_mca"), mid_term, "4.2.a")
    mps_done = self_assess(persona("liaison_mps"), mid_term, "3.1.a")
    office_assess(persona("office"), mid_term, "3.1.a")
    sees = {
        "liaison_mca": {mca_draft.pk, mca_done.pk}, "liaison_mps": {mps_done.pk},
        "office": {mca_done.pk, mps_done.pk}, "auditor": {mca_done.pk, mps_done.pk},
        "reporter_gx": set(), "case_mca": set(),
    }  # fmt: skip
    for name, expected in sees.items():
        api = api_as(name)
        listed = api.get(f"/api/self-assessments/?round={mid_term.pk}").json()["results"]
        assert {a["id"] for a in listed} == expected, name
        rounds = api.get("/api/evaluation-rounds/")
        assert [r["id"] for r in rounds.json()["results"]] == (
            [] if name in ("reporter_gx", "case_mca") else [mid_term.pk]
        )
        hidden = name in ("reporter_gx", "case_mca")
        assert api.get(f"/api/evaluation-rounds/{mid_term.pk}/").status_code == (404 if hidden else 200)
        offices = api.get("/api/office-assessments/").json()["results"]
        assert len(offices) == (1 if name in ("office", "auditor") else 0), name
    assert api_as("liaison_mps").get(f"/api/self-assessments/{mca_draft.pk}/").status_code == 404


def test_api_saves_through_the_services(api_as, mid_term):
    api = api_as("liaison_mca")
    payload = {"round": mid_term.pk, "measure": measure("4.2.a").pk, "rating": "largely", "narrative": "自评"}
    created = api.post("/api/self-assessments/", payload, format="json")
    assert created.status_code == 201 and created.json()["version"] == 1 and created.json()["unit"] == "MCA"
    stale = api.post("/api/self-assessments/", {**payload, "narrative": "改", "version": 0}, format="json")
    assert stale.status_code == 409
    submitted = api.post("/api/self-assessments/", {**payload, "version": 1, "submit": True}, format="json")
    assert submitted.status_code == 201 and submitted.json()["submitted_at"]
    other = api.post("/api/self-assessments/", {**payload, "measure": measure("3.1.a").pk}, format="json")
    assert other.status_code == 400 and "measure" in other.json()
    assert api_as("reporter_gx").post("/api/self-assessments/", payload, format="json").status_code == 403
    office = api_as("office").post("/api/office-assessments/", {**payload, "rating": "bad"}, format="json")
    assert office.status_code == 400 and "rating" in office.json()
    office = api_as("office").post("/api/office-assessments/", {**payload, "comment": "好"}, format="json")
    assert office.status_code == 201 and office.json()["rating"] == "largely"
    # A second POST with the version read updates it (the same row); a stale version is refused.
    update = {**payload, "rating": "partly", "comment": "更正", "version": office.json()["version"]}
    updated = api_as("office").post("/api/office-assessments/", update, format="json")
    assert updated.status_code == 201 and updated.json()["id"] == office.json()["id"]
    assert updated.json()["rating"] == "partly"
    assert api_as("office").post("/api/office-assessments/", update, format="json").status_code == 409


def test_page_query_counts_do_not_grow(client_as, persona, mid_term):
    office, mca = client_as("office"), persona("liaison_mca")
    self_assess(mca, mid_term, "4.2.a")
    final = open_round(persona("office"), kind="final", title="终期评估")
    urls = [
        reverse("measures:evaluation_rounds"),
        round_url(mid_term),
        reverse("measures:evaluation_compare"),
    ]
    small = [page_queries(office, url) for url in urls]
    for ref in (
        Responsibility.objects.filter(unit__code="MCA", role="R")
        .exclude(measure__ref="4.2.a")
        .values_list("measure__ref", flat=True)
    ):
        self_assess(mca, mid_term, ref)
        office_assess(persona("office"), mid_term, ref)
    self_assess(mca, final, "4.2.a")
    large = [page_queries(office, url) for url in urls]
    assert large == small


def test_a_conflict_keeps_the_text_against_the_saved_version(client_as, persona, mid_term):
    client = in_english(client_as("office"))
    prefix = f"m{measure('4.3').pk}"
    office_assess(persona("office"), mid_term, "4.3", rating="partly")  # saved by someone else meanwhile
    data = {
        "measure": "4.3",
        f"{prefix}-rating": "achieved",
        f"{prefix}-comment": "我的意见",
        f"{prefix}-version": "0",
    }
    response = client.post(round_url(mid_term), data)
    assert response.status_code == 409
    body = response.content.decode()
    assert "after you opened it" in body and "我的意见" in body
    assert f'name="{prefix}-version" value="1"' in body
    assert OfficeAssessment.objects.get().rating == "partly"
    data[f"{prefix}-version"] = "1"
    assert client.post(round_url(mid_term), data).status_code == 302
    assert OfficeAssessment.objects.get().rating == "achieved"


def test_a_unit_reads_the_offices_assessment_of_its_measures_once_the_round_is_closed(
    api_as, client_as, persona, mid_term
):
    self_assess(persona("liaison_mca"), mid_term, "4.3")
    office_assess(persona("office"), mid_term, "4.3", rating="partly", comment="请补充佐证材料。")
    mca, mps = api_as("liaison_mca"), api_as("liaison_mps")
    assert mca.get("/api/office-assessments/").json()["results"] == []  # not while the round is open
    assert "请补充佐证材料。" not in client_as("liaison_mca").get(round_url(mid_term)).content.decode()
    services.evaluation_round_close(actor=persona("office"), round_id=mid_term.pk)
    listed = mca.get("/api/office-assessments/").json()["results"]
    assert [(a["measure_ref"], a["rating"], a["comment"]) for a in listed] == [
        ("4.3", "partly", "请补充佐证材料。")
    ]
    assert "请补充佐证材料。" in client_as("liaison_mca").get(round_url(mid_term)).content.decode()
    assert mps.get("/api/office-assessments/").json()["results"] == []  # not MPS's measure
    assert mps.get(f"/api/office-assessments/{listed[0]['id']}/").status_code == 404


def test_a_rounds_name_reads_in_the_pages_language(client_as, api_as, mid_term):
    """Issue 10, 15: round names had no English. Each page, and the API, names the round in the
    reader's language; both names are kept."""
    chinese, english = "中期评估（2010年）", "Mid-term evaluation (2010)"
    for language, shown, hidden in (("zh-hans", chinese, english), ("en", english, chinese)):
        client = client_as("office")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for url in (reverse("measures:evaluation_rounds"), round_url(mid_term)):
            body = client.get(url).content.decode()
            assert shown in body and hidden not in body, url
    detail = in_english(client_as("liaison_mca")).get(round_url(mid_term)).content.decode()
    assert f"<h1>{english} " in detail
    data = in_english(api_as("office")).get(f"/api/evaluation-rounds/{mid_term.pk}/").json()
    assert (data["title"], data["title_zh"], data["title_en"]) == (english, chinese, english)


def test_a_round_without_an_english_name_reads_in_chinese(client_as, mid_term):
    """A round opened before names were bilingual has no English one: it reads in Chinese."""
    EvaluationRound.objects.filter(pk=mid_term.pk).update(title_en="")
    body = in_english(client_as("office")).get(round_url(mid_term)).content.decode()
    assert "<h1>中期评估（2010年）" in body
