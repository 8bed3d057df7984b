"""The library of good practices: proposing, reviewing and publishing (services and pages), who sees
what (404 for a draft of another owner, 403 where a user sees but may not act), bad input (named
field, nothing half-saved, files too), search (Chinese substrings, English in any case, filters
combined, newest first) and the library's query counts at two sizes."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from core.choices import ReviewState, Role
from core.models import ChangeRecord, Notification
from core.workflow import EditConflict, WorkflowError
from measures.models import GoodPractice, PracticeAttachment
from measures.services.practices import (
    MAX_ATTACHMENTS,
    good_practice_accept,
    good_practice_reopen,
    good_practice_return,
    good_practice_submit,
)
from tests.fixtures import in_english
from tests.personas import make_agency, make_user, signed_in
from tests.practices import PLAN, area, measures, propose, published
from tests.progress import pdf
from tests.queries import page_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(persona, office):
    mca, mps, yn = persona("liaison_mca"), persona("liaison_mps"), persona("reporter_yn")
    return {
        "draft_mca": propose(mca, title_zh="民政部救助站的草稿"),
        "submitted_mca": propose(mca, title_zh="流浪儿童救助保护", submit=True),
        "published_yn": published(yn, office, title_zh="边境地区“反拐宣传进村寨”", refs=("2.1",)),
        "published_mps": published(
            mps, office, title_zh="打拐DNA数据库", title_en="The anti-trafficking DNA database", seq=3
        ),
    }


# --- the workflow ---------------------------------------------------------------------------------


def test_propose_submit_publish_and_take_out(persona, office):
    yn = persona("reporter_yn")
    practice = propose(yn, title_zh="反拐宣传进村寨", refs=("2.1",), new_files=[pdf("village.pdf")])
    assert practice.state == ReviewState.DRAFT
    assert practice.province.code == "530000" and practice.unit is None
    assert practice.practice_province.code == "530000"  # a province's practice is its own by default
    practice = good_practice_submit(actor=yn, practice_id=practice.pk, version=practice.version)
    assert practice.state == ReviewState.SUBMITTED
    practice = good_practice_accept(actor=office, practice_id=practice.pk, version=practice.version)
    assert practice.state == ReviewState.ACCEPTED and practice.published_at is not None
    assert practice.state_label == "已发布"
    with pytest.raises(ValidationError) as error:
        good_practice_reopen(actor=office, practice_id=practice.pk, version=practice.version, comment="")
    assert "comment" in error.value.message_dict
    practice = good_practice_reopen(
        actor=office, practice_id=practice.pk, version=practice.version, comment="数字需要核实"
    )
    assert practice.state == ReviewState.RETURNED and practice.published_at is None
    actions = list(ChangeRecord.objects.for_object(practice).values_list("action", flat=True))
    assert actions == ["created", "submitted", "accepted", "reopened"]
    notices = Notification.objects.filter(user=yn).order_by("pk")
    assert [n.link for n in notices] == [reverse("measures:practice", kwargs={"pk": practice.pk})] * 2
    assert "反拐宣传进村寨" in notices.last().title_zh and notices.last().body_zh.endswith("数字需要核实")


def test_a_prefecture_reporter_is_neither_owner_nor_told(persona, office, client_as, client):
    """Only the reporters of the province's own office own its practices and hear about them."""
    yn = persona("reporter_yn")
    make_agency("ATO-530100")
    kunming = make_user("reporter_km", Role.PROVINCE, agency="ATO-530100")
    draft = propose(yn, title_zh="省级草稿")
    practice = propose(yn, title_zh="省级做法", submit=True)
    good_practice_return(actor=office, practice_id=practice.pk, version=practice.version, comment="请补充")
    assert Notification.objects.filter(user=yn).count() == 1
    assert not Notification.objects.filter(user=kunming).exists()
    with pytest.raises(PermissionDenied):
        propose(kunming, title_zh="州市做法")
    page = signed_in(client, kunming).get(reverse("measures:practice", kwargs={"pk": draft.pk}))
    assert page.status_code == 404


def test_return_needs_a_comment_and_the_owner_edits_again(persona, office):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助", submit=True)
    with pytest.raises(ValidationError) as error:
        good_practice_return(actor=office, practice_id=practice.pk, version=practice.version, comment=" ")
    assert list(error.value.message_dict) == ["comment"]
    practice = good_practice_return(
        actor=office, practice_id=practice.pk, version=practice.version, comment="请补充成效"
    )
    practice = propose(
        mca, practice_id=practice.pk, version=practice.version, title_zh="救助", summary_zh="成效"
    )
    assert practice.state == ReviewState.RETURNED and practice.summary_zh == "成效"


def test_a_save_that_changes_nothing_keeps_the_version_and_the_history(persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助", refs=("4.2",), seq=4)
    again = propose(
        mca, practice_id=practice.pk, version=practice.version, title_zh="救助", refs=("4.2",), seq=4
    )
    assert again.version == practice.version
    assert ChangeRecord.objects.for_object(practice).count() == 1


def test_a_stale_version_is_refused(persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助")
    propose(mca, practice_id=practice.pk, version=practice.version, title_zh="救助一")
    with pytest.raises(EditConflict):
        propose(mca, practice_id=practice.pk, version=practice.version, title_zh="救助二")
    assert GoodPractice.objects.get(pk=practice.pk).title_zh == "救助一"


def test_a_submitted_practice_can_no_longer_be_changed_by_its_owner(persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助", submit=True)
    with pytest.raises(WorkflowError):
        propose(mca, practice_id=practice.pk, version=practice.version, title_zh="改")


@pytest.mark.parametrize("name", ["office", "case_mps", "auditor"])
def test_only_units_and_provinces_propose(persona, name):
    with pytest.raises(PermissionDenied):
        propose(persona(name), title_zh="做法")


# --- bad input -----------------------------------------------------------------------------------


def test_bad_input_names_each_field_and_saves_nothing(persona):
    mca = persona("liaison_mca")
    bad_file = SimpleUploadedFile("notes.pdf", b"not a pdf at all", "application/pdf")
    with pytest.raises(ValidationError) as error:
        propose(
            mca,
            title_zh="",
            title_en="",
            refs=("3.1",),  # a measure of area 3, not 2
            summary_en="x" * 10_001,
            submit=True,
            new_files=[pdf("good.pdf"), bad_file],
        )
    fields = error.value.message_dict
    assert set(fields) == {"title_zh", "measures", "summary_en", "attachments"}
    assert "3.(1)" in fields["measures"][0]
    assert "notes.pdf" in fields["attachments"][0]
    assert GoodPractice.objects.count() == PracticeAttachment.objects.count() == 0


def test_a_bad_file_leaves_the_practice_and_its_files_as_they_were(persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助", new_files=[pdf("a.pdf")])
    with pytest.raises(ValidationError) as error:
        propose(
            mca,
            practice_id=practice.pk,
            version=practice.version,
            title_zh="救助（新）",
            new_files=[pdf("a-again.pdf"), SimpleUploadedFile("b.pdf", b"", "application/pdf")],
        )
    assert list(error.value.message_dict) == ["attachments"]
    practice.refresh_from_db()
    assert practice.title_zh == "救助" and list(
        practice.attachments.values_list("original_name", flat=True)
    ) == ["a.pdf"]


def test_the_number_of_files_is_bounded(persona):
    mca = persona("liaison_mca")
    files = [pdf(f"f{n}.pdf") for n in range(MAX_ATTACHMENTS + 1)]
    with pytest.raises(ValidationError) as error:
        propose(mca, title_zh="救助", new_files=files)
    assert "attachments" in error.value.message_dict
    assert GoodPractice.objects.count() == 0


def test_submitting_needs_a_summary(persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_en="Shelters", summary_zh="")
    with pytest.raises(ValidationError) as error:
        good_practice_submit(actor=mca, practice_id=practice.pk, version=practice.version)
    assert list(error.value.message_dict) == ["summary_zh"]


# --- who sees what -------------------------------------------------------------------------------

# Which of the world's practices each persona reads (everything else answers 404).
SEES = {
    "liaison_mca": {"draft_mca", "submitted_mca", "published_yn", "published_mps"},
    "liaison_mps": {"published_yn", "published_mps"},
    "reporter_gx": {"published_yn", "published_mps"},
    "office": {"submitted_mca", "published_yn", "published_mps"},
    "auditor": {"submitted_mca", "published_yn", "published_mps"},
    "case_mps": {"published_yn", "published_mps"},
}


@pytest.mark.parametrize("name", list(SEES))
def test_practice_pages_by_persona(client_as, world, name):
    client = client_as(name)
    for key, practice in world.items():
        expected = 200 if key in SEES[name] else 404
        assert client.get(reverse("measures:practice", kwargs={"pk": practice.pk})).status_code == expected, (
            key
        )
    library = client.get(reverse("measures:practices", kwargs={"plan": PLAN}))
    assert library.status_code == 200
    listed = {p.pk for p in library.context["page"]}
    assert listed == {world["published_yn"].pk, world["published_mps"].pk}


def test_history_is_for_the_owner_and_the_office(client_as, world):
    url = reverse("measures:practice", kwargs={"pk": world["published_yn"].pk})
    assert client_as("reporter_yn").get(url).context["history"]
    assert client_as("office").get(url).context["history"]
    assert client_as("liaison_mps").get(url).context["history"] is None


def test_files_go_only_to_those_who_see_the_practice(client_as, persona):
    mca = persona("liaison_mca")
    practice = propose(mca, title_zh="救助", new_files=[pdf("a.pdf")])
    url = reverse("measures:practice_file", kwargs={"pk": practice.attachments.get().pk})
    response = client_as("liaison_mca").get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_as("liaison_mps").get(url).status_code == 404
    assert client_as("office").get(url).status_code == 404  # a draft, not submitted yet


@pytest.mark.parametrize(("name", "status"), [("office", 302), ("liaison_mca", 403), ("liaison_mps", 404)])
def test_only_the_office_decides_in_the_page(client_as, world, name, status):
    practice = world["submitted_mca"]
    url = reverse("measures:practice_review", kwargs={"pk": practice.pk, "decision": "accept"})
    assert client_as(name).post(url, {"version": practice.version}).status_code == status


def test_an_edit_page_of_another_owner(client_as, world):
    assert (
        client_as("liaison_mps")
        .get(reverse("measures:practice_edit", kwargs={"pk": world["draft_mca"].pk}))
        .status_code
        == 404
    )
    assert (
        client_as("liaison_mps")
        .get(reverse("measures:practice_edit", kwargs={"pk": world["published_yn"].pk}))
        .status_code
        == 403
    )


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("measures:practice_propose", {"liaison_mca", "reporter_gx"}),
        ("measures:practices_mine", {"liaison_mca", "reporter_gx"}),
        ("measures:practices_review", {"office", "auditor"}),
    ],
)
@pytest.mark.parametrize("name", ["liaison_mca", "reporter_gx", "office", "auditor", "case_mps"])
def test_practice_pages_by_role(client_as, plan, url, allowed, name):
    status = client_as(name).get(reverse(url, kwargs={"plan": PLAN})).status_code
    assert status == (200 if name in allowed else 404)


# --- the pages' forms ----------------------------------------------------------------------------


def test_the_form_proposes_and_submits(client_as, persona):
    client = client_as("liaison_mca")
    m = measures("4.2")[0]
    response = client.post(
        reverse("measures:practice_propose", kwargs={"plan": PLAN}),
        {
            "title_zh": "流浪儿童救助",
            "summary_zh": "做法",
            "area": area(4).pk,
            "measures": [m.pk],
            "attachments": [pdf("a.pdf")],
            "submit": "1",
        },
    )
    practice = GoodPractice.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "measures:practice", kwargs={"pk": practice.pk}
    )
    assert practice.state == ReviewState.SUBMITTED and practice.attachments.count() == 1
    assert list(practice.measures.all()) == [m]


def test_the_form_names_the_bad_field_and_keeps_what_was_typed(client_as):
    client = client_as("liaison_mca")
    response = client.post(
        reverse("measures:practice_propose", kwargs={"plan": PLAN}),
        {
            "title_zh": "流浪儿童救助",
            "area": area(2).pk,
            "measures": [measures("4.2")[0].pk],
            "attachments": [pdf("a.pdf")],
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"measures", "attachments"}  # the files must be chosen again
    assert "流浪儿童救助" in response.content.decode()
    assert GoodPractice.objects.count() == PracticeAttachment.objects.count() == 0


def test_the_office_returns_in_the_page_with_a_comment_only(client_as, world):
    practice = world["submitted_mca"]
    client = client_as("office")
    url = reverse("measures:practice_review", kwargs={"pk": practice.pk, "decision": "return"})
    response = client.post(url, {"version": practice.version, "comment": ""})
    assert response.status_code == 400 and "comment" in response.context["review_form"].errors
    assert client.post(url, {"version": practice.version, "comment": "请补充"}).status_code == 302
    assert GoodPractice.objects.get(pk=practice.pk).state == ReviewState.RETURNED


# --- search --------------------------------------------------------------------------------------


def test_search_finds_a_run_of_chinese_characters_and_english_in_any_case(client_as, persona, office):
    mps, yn = persona("liaison_mps"), persona("reporter_yn")
    dna = published(
        mps, office, title_zh="打拐DNA数据库", title_en="The Anti-Trafficking DNA Database", seq=3
    )
    village = published(
        yn, office, title_zh="边境村寨宣传", summary_zh="在边境村寨开展预防拐卖妇女儿童犯罪宣传教育。"
    )
    client = client_as("case_mps")

    def found(**query):
        response = client.get(reverse("measures:practices", kwargs={"plan": PLAN}), query)
        assert response.status_code == 200
        return [p.pk for p in response.context["page"]]

    assert found(q="拐卖") == [village.pk]  # inside a longer phrase, not a whole word
    assert found(q="anti-trafficking dna") == [dna.pk]
    assert found(q="DNA") == [dna.pk]
    assert found() == [village.pk, dna.pk]  # newest first
    assert found(q="拐", area="3") == [dna.pk]
    assert found(q="拐", province="530000") == [village.pk]
    assert found(q="拐", unit="MPS", province="530000") == []
    assert found(unit="MPS") == [dna.pk]


def test_search_by_measure_takes_its_dash_items(client_as, persona, office):
    mca = persona("liaison_mca")
    on_dash = published(mca, office, title_zh="甲", seq=4, refs=("4.2.a",))
    published(mca, office, title_zh="乙", seq=4, refs=("4.4",))
    response = client_as("office").get(
        reverse("measures:practices", kwargs={"plan": PLAN}), {"measure": "4.2"}
    )
    assert [p.pk for p in response.context["page"]] == [on_dash.pk]


def test_too_long_a_search_is_refused_naming_the_field(client_as):
    response = client_as("office").get(
        reverse("measures:practices", kwargs={"plan": PLAN}), {"q": "拐" * 101}
    )
    assert response.status_code == 400 and "q" in response.context["form"].errors


# --- query counts --------------------------------------------------------------------------------


def test_the_library_costs_the_same_at_two_sizes(client_as, persona, office):
    mca, yn = persona("liaison_mca"), persona("reporter_yn")
    published(mca, office, title_zh="做法一", seq=4, refs=("4.2", "4.4"), new_files=[pdf("a.pdf")])
    client = client_as("case_mps")
    url = reverse("measures:practices", kwargs={"plan": PLAN})
    small = page_queries(client, url)
    for n in range(6):
        published(yn if n % 2 else mca, office, title_zh=f"做法{n}", seq=4, refs=("4.2", "4.4", "4.5"))
    assert page_queries(client, url) == small <= 14
    assert page_queries(client, f"{url}?q=做法&area=4") == small


def test_the_menu_leads_a_case_officer_to_the_library(client_as, plan):
    """A case officer follows no plan (no Coordination in the menu), but reads the library."""
    page = client_as("case_mps").get(reverse("measures:practices", kwargs={"plan": PLAN})).content.decode()
    assert f'href="{reverse("measures:practices", kwargs={"plan": PLAN})}"' in page
    assert reverse("measures:coordination", kwargs={"plan": PLAN}) not in page


def test_a_practice_reads_in_the_readers_language_else_in_the_other(client_as, persona, office):
    yn, mps = persona("reporter_yn"), persona("liaison_mps")
    chinese = published(yn, office, title_zh="反拐宣传进村寨", summary_zh="进村入寨宣传。")
    english = published(
        mps, office, title_en="DNA matching", summary_zh="", summary_en="Samples are matched."
    )
    client = client_as("case_mps")
    page = client.get(reverse("measures:practice", kwargs={"pk": english.pk})).content.decode()
    assert '<span lang="en">DNA matching</span>' in page and "Samples are matched." in page
    page = in_english(client).get(reverse("measures:practice", kwargs={"pk": chinese.pk})).content.decode()
    assert "反拐宣传进村寨" in page and "Written in Chinese only." in page
