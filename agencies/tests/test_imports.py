"""The administrators' import of agencies and users: CSV (UTF-8, GB18030) and XLSX files, the dry
run, all or nothing, every row's problems by row and column, the bounds, the gate and the audit."""

import csv
import io
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.html import escape
from openpyxl import Workbook

from agencies.models import Agency, Division, MemberUnit, User
from agencies.models.users import role_agency_problem
from agencies.services.import_files import IMPORT_MAX_BYTES, IMPORT_MAX_ROWS, ImportRow, read_import_file
from agencies.services.imports import COLUMNS, organisation_import
from core.models import AuditEntry
from tests.browser import sign_in_with_code
from tests.fixtures import in_english
from tests.personas import make_user

pytestmark = pytest.mark.django_db

AGENCY_HEADER = list(COLUMNS["agencies"])
USER_HEADER = list(COLUMNS["users"])
WUHUA = ["MCA-530102", "unit_office", "MCA", "530102", "五华区民政局", "Wuhua District Civil Affairs Bureau"]
KUNMING_ATO = [
    "ATO-530100",
    "anti_trafficking_office",
    "",
    "530100",
    "昆明市反拐办",
    "Kunming Anti-Trafficking Office",
]
URL = "/organisation/import/"
AXE = Path(__file__).resolve().parents[2] / "tests" / "vendor" / "axe-core-4.11.4" / "axe.min.js"
WCAG_21_AA = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


def csv_file(rows, *, name="import.csv", encoding="utf-8-sig") -> SimpleUploadedFile:
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    return SimpleUploadedFile(name, out.getvalue().encode(encoding), content_type="text/csv")


def xlsx_file(rows, *, name="import.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    workbook.create_sheet("Ignored").append(["not", "read"])
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


def rows_of(header, *rows) -> list[ImportRow]:
    """Rows as the file reader gives them (the header is row 1)."""
    return [
        ImportRow(number, dict(zip(header, row, strict=True))) for number, row in enumerate(rows, start=2)
    ]


def post(client, kind, upload, action="import"):
    return client.post(URL, {"kind": kind, "file": upload, "action": action})


@pytest.fixture(autouse=True)
def local_agencies(plan):
    """Two civil-affairs bureaus in Yunnan (as the demo has them) for users to belong to."""
    mca = MemberUnit.objects.get(code="MCA")
    for code, division, name_zh, name_en in [
        ("MCA-530100", "530100", "昆明市民政局", "Kunming Civil Affairs Bureau"),
        ("MCA-532500", "532500", "红河哈尼族彝族自治州民政局", "Honghe Prefecture Civil Affairs Bureau"),
    ]:
        Agency.objects.create(
            code=code,
            kind="unit_office",
            unit=mca,
            division=Division.objects.get(code=division),
            name_zh=name_zh,
            name_en=name_en,
        )


@pytest.fixture
def admin_client(client_as):
    return in_english(client_as("admin"))


def import_entries():
    return AuditEntry.objects.filter(action="import").order_by("pk")


# The whole path, on the page -----------------------------------------------------------------------


def test_a_good_csv_creates_agencies_and_says_so(admin_client, persona):
    # UTF-8 with the byte-order mark Excel writes; a header in any order and case.
    header = ["Name_ZH", "code", "kind", "unit", "division", "name_en"]
    order = [4, 0, 1, 2, 3, 5]
    rows = [[row[i] for i in order] for row in (WUHUA, KUNMING_ATO)]
    response = post(admin_client, "agencies", csv_file([header, *rows]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Imported: 2 created, 0 updated, 0 unchanged." in body
    wuhua = Agency.objects.get(code="MCA-530102")
    assert (wuhua.unit.code, wuhua.division.code, wuhua.province.code) == ("MCA", "530102", "530000")
    assert wuhua.name_zh == "五华区民政局"
    ato = Agency.objects.get(code="ATO-530100")
    assert ato.unit is None and ato.kind == "anti_trafficking_office" and ato.province.code == "530000"
    entry = import_entries().get()
    assert entry.user == persona("admin") and entry.content_type.model == "agency"
    assert entry.detail["created"] == ["MCA-530102", "ATO-530100"]
    assert entry.detail["saved"] is True and entry.detail["dry_run"] is False
    assert entry.detail["file"] == "import.csv"


def test_a_good_xlsx_creates_agencies_then_users(admin_client):
    # Excel keeps a division code typed as a number: 530102 (read as "530102", not "530102.0").
    agencies = xlsx_file([AGENCY_HEADER, [*WUHUA[:3], 530102, *WUHUA[4:]]])
    assert "Imported: 1 created" in post(admin_client, "agencies", agencies).content.decode()
    users = xlsx_file(
        [
            USER_HEADER,
            ["case.mca.wuhua", "张丽", "zhang.li@example.org", "case_officer", "MCA-530102"],
            [None, None, None, None, None],  # a blank row is skipped, and keeps its number
            ["liaison.mca.new", "李华", "", "liaison", "MCA"],
        ]
    )
    body = post(admin_client, "users", users).content.decode()
    assert "Imported: 2 created, 0 updated, 0 unchanged." in body
    officer = User.objects.get(username="case.mca.wuhua")
    assert (officer.first_name, officer.email, officer.role) == (
        "张丽",
        "zhang.li@example.org",
        "case_officer",
    )
    assert officer.agency.code == "MCA-530102" and officer.unit.code == "MCA"
    # No password reset mail exists: a new account is inactive and cannot sign in until an
    # administrator sets its password.
    assert not officer.is_active and not officer.has_usable_password()
    assert User.objects.get(username="liaison.mca.new").agency.code == "MCA"


def test_the_dry_run_reports_the_same_and_saves_nothing(admin_client):
    response = post(admin_client, "agencies", csv_file([AGENCY_HEADER, WUHUA, KUNMING_ATO]), action="check")
    body = response.content.decode()
    assert "No problem found: 2 to create, 0 to update, 0 unchanged." in body
    assert "to create" in body and "Checked (nothing saved)" in body
    assert not Agency.objects.filter(code__in=["MCA-530102", "ATO-530100"]).exists()
    entry = import_entries().get()
    assert entry.detail["dry_run"] is True and entry.detail["saved"] is False
    assert entry.detail["created"] == ["MCA-530102", "ATO-530100"]  # what it would create


def test_one_bad_row_among_good_ones_saves_nothing_and_is_named(admin_client):
    bad = [
        "MCA-530103",
        "unit_office",
        "NOSUCH",
        "530103",
        "盘龙区民政局",
        "Panlong District Civil Affairs Bureau",
    ]
    response = post(admin_client, "agencies", csv_file([AGENCY_HEADER, WUHUA, KUNMING_ATO, bad]))
    body = response.content.decode()
    assert "1 row has problems: nothing was saved." in body
    assert not Agency.objects.filter(code__in=["MCA-530102", "ATO-530100", "MCA-530103"]).exists()
    table = body[body.index('id="import-rows"') :]
    # Errors first: row 4 (the header is row 1) before the good rows 2 and 3, naming its column.
    assert table.index(">4<") < table.index(">2<") < table.index(">3<")
    assert "<code>unit</code>" in table and "No member unit has the code “NOSUCH”." in table
    assert import_entries().get().detail["refused_rows"] == [4]


def test_existing_rows_are_updated_or_unchanged(admin_client, persona, english):
    admin = persona("admin")
    mca = Agency.objects.get(code="MCA")
    row = ["MCA", "unit_office", "MCA", "", mca.name_zh, "Ministry of Civil Affairs of the PRC"]
    result = organisation_import(
        actor=admin, kind="agencies", rows=rows_of(AGENCY_HEADER, row), dry_run=False
    )
    assert [r.status for r in result.rows] == ["updated"]
    assert Agency.objects.get(code="MCA").name_en == "Ministry of Civil Affairs of the PRC"
    result = organisation_import(
        actor=admin, kind="agencies", rows=rows_of(AGENCY_HEADER, row), dry_run=False
    )
    assert [r.status for r in result.rows] == ["unchanged"]

    officer = make_user("case.kunming", "case_officer", agency="MCA-530100")
    password = officer.password
    moved = ["case.kunming", "赵敏", "zhao.min@example.org", "case_officer", "MCA-532500"]
    result = organisation_import(actor=admin, kind="users", rows=rows_of(USER_HEADER, moved), dry_run=False)
    assert [r.status for r in result.rows] == ["updated"]
    officer.refresh_from_db()
    assert officer.agency.code == "MCA-532500" and officer.first_name == "赵敏"
    assert officer.password == password and officer.is_active  # an existing user keeps both
    result = organisation_import(actor=admin, kind="users", rows=rows_of(USER_HEADER, moved), dry_run=False)
    assert [r.status for r in result.rows] == ["unchanged"]


def test_a_gb18030_csv_from_chinese_excel(admin_client):
    rows = [USER_HEADER, ["liaison.mca.gb", "欧阳娜娜", "", "liaison", "MCA"]]
    upload = csv_file(rows, encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        upload.read().decode("utf-8")
    upload.seek(0)
    assert "Imported: 1 created" in post(admin_client, "users", upload).content.decode()
    assert User.objects.get(username="liaison.mca.gb").first_name == "欧阳娜娜"


def test_excel_unicode_text_utf16_with_tabs():
    text = "username\tfull_name\temail\trole\tagency\r\nliaison.mca.u16\t司马光\t\tliaison\tMCA\r\n"
    rows = read_import_file(SimpleUploadedFile("u.txt", text.encode("utf-16")), COLUMNS["users"])
    assert [(r.number, r.values["full_name"], r.values["agency"]) for r in rows] == [(2, "司马光", "MCA")]


def test_the_templates_download_and_import_as_they_are(admin_client):
    for kind in ("agencies", "users"):
        response = admin_client.get(URL, {"template": kind})
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert f"import-{kind}-template.csv" in response["Content-Disposition"]
        content = response.content
        assert content.startswith("\ufeff".encode())
        assert content.decode("utf-8-sig").splitlines()[0] == ",".join(COLUMNS[kind])
        upload = SimpleUploadedFile(f"{kind}.csv", content)
        assert "Imported: 1 created" in post(admin_client, kind, upload).content.decode()
    assert User.objects.get(username="case.mca.wuhua").agency.code == "MCA-530102"


# Every problem a row can have ------------------------------------------------------------------------


def agency_row(**changes):
    values = dict(zip(AGENCY_HEADER, WUHUA, strict=True))
    values.update(changes)
    return [values[name] for name in AGENCY_HEADER]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (agency_row(code=""), "code", "Required."),
        (agency_row(code="MCA 530102"), "code", "A code has only letters, digits, hyphens and underscores"),
        (agency_row(code="M" * 41), "code", "At most 40 characters (this has 41)."),
        (agency_row(code="mca"), "code", "Agency “MCA” exists: write its code as it is."),
        (agency_row(kind="bureau"), "kind", "The kind is one of: unit_office, anti_trafficking_office."),
        (agency_row(unit=""), "unit", "Required."),
        (agency_row(unit="NOSUCH"), "unit", "No member unit has the code “NOSUCH”."),
        (agency_row(unit="mca"), "unit", "No such code “mca”; did you mean “MCA”?"),
        (agency_row(unit="IMCS_OFFICE"), "unit", "is not a member unit and has no offices."),
        (agency_row(kind="anti_trafficking_office", code="ATO-530102"), "unit", "belongs to no member unit"),
        (agency_row(division="999999"), "division", "No division has the GB/T 2260 code “999999”"),
        (
            agency_row(division="110103", code="MCA-110103"),
            "division",
            "110103 Chongwen Qu was abolished (GB/T 2260 lists it no more from 2013).",
        ),
        (
            agency_row(code="MCA", name_zh="民政部"),
            "division",
            "Agency MCA is national; an import changes only",
        ),
        (
            agency_row(code="MCA", unit="MPS", division=""),
            "unit",
            "Agency MCA is MCA; an import changes only",
        ),
        (
            agency_row(code="ATO-530000", kind="unit_office", division="530000"),
            "kind",
            "Agency ATO-530000 is Anti-trafficking office; an import changes only",
        ),
        (
            agency_row(code="ATO-YN-2", kind="anti_trafficking_office", unit="", division="530000"),
            "division",
            "has its anti-trafficking office: ATO-530000.",
        ),
        (
            agency_row(code="ATO-NATIONAL-2", kind="anti_trafficking_office", unit="", division=""),
            "division",
            "The national level has its anti-trafficking office: IMCS_OFFICE.",
        ),
        (agency_row(code="MCA-2", division="", name_zh="民政部"), "name_zh", "Agency MCA has this name"),
        (agency_row(name_zh="局" * 101), "name_zh", "At most 100 characters (this has 101)."),
        (agency_row(name_en=""), "name_en", "Required."),
    ],
)
def test_each_problem_of_an_agency_row_names_its_column(persona, english, row, column, message):
    before = list(Agency.objects.values_list("code", "name_zh", "name_en", "division"))
    good = agency_row(code="MCA-530103", division="530103", name_zh="盘龙区民政局")
    result = organisation_import(
        actor=persona("admin"), kind="agencies", rows=rows_of(AGENCY_HEADER, good, row), dry_run=False
    )
    assert not result.ok and not result.saved
    assert result.rows[0].status == "created" and result.rows[1].status == "refused"
    problems = [(p.column, p.message) for p in result.rows[1].problems]
    assert any(c == column and message in m for c, m in problems), problems
    assert list(Agency.objects.values_list("code", "name_zh", "name_en", "division")) == before


def test_repeats_within_an_agencies_file(persona, english):
    twin = agency_row(name_zh="五华区民政局二")
    same_name = agency_row(code="MCA-530102-B")
    second_ato = agency_row(code="ATO-530100-B", kind="anti_trafficking_office", unit="", division="530100")
    rows = rows_of(AGENCY_HEADER, WUHUA, twin, same_name, KUNMING_ATO, second_ato)
    result = organisation_import(actor=persona("admin"), kind="agencies", rows=rows, dry_run=True)
    problems = {r.number: [(p.column, p.message) for p in r.problems] for r in result.rows}
    assert problems[2] == [] and problems[5] == []
    assert problems[3] == [("code", "“MCA-530102” is also on row 2.")]
    assert problems[4] == [("name_zh", "Row 2 has this name at this division.")]
    assert problems[6] == [("division", "Row 5 is this division's anti-trafficking office.")]


def user_row(**changes):
    values = {
        "username": "case.new",
        "full_name": "王芳",
        "email": "",
        "role": "case_officer",
        "agency": "MCA-530100",
    }
    values.update(changes)
    return [values[name] for name in USER_HEADER]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        (user_row(username=""), "username", "Required."),
        (user_row(username="bad name!"), "username", "A username has only letters, digits"),
        (user_row(username="u" * 151), "username", "At most 150 characters (this has 151)."),
        (user_row(username="admin"), "username", "Your own account is not changed by an import."),
        (user_row(full_name=""), "full_name", "Required."),
        (user_row(email="not-an-address"), "email", "“not-an-address” is not an e-mail address."),
        (user_row(role="boss"), "role", "The role is one of: liaison, office, province"),
        (user_row(role=""), "role", "Required."),
        (user_row(agency=""), "agency", "Required."),
        (user_row(agency="MCA-999999"), "agency", "a new agency is imported first, in its own file"),
        (user_row(agency="mca-530100"), "agency", "No such code “mca-530100”; did you mean “MCA-530100”?"),
    ],
)
def test_each_problem_of_a_user_row_names_its_column(persona, english, row, column, message):
    admin = persona("admin")
    good = user_row(username="case.good")
    result = organisation_import(
        actor=admin, kind="users", rows=rows_of(USER_HEADER, good, row), dry_run=False
    )
    assert not result.saved and result.rows[0].status == "created"
    problems = [(p.column, p.message) for p in result.rows[1].problems]
    assert any(c == column and message in m for c, m in problems), problems
    assert not User.objects.filter(username__in=["case.good", "case.new"]).exists()


def test_a_role_at_the_wrong_agency_is_refused_by_the_one_rule(persona, english):
    ato = Agency.objects.get(code="ATO-530000")
    rows = rows_of(
        USER_HEADER, user_row(role="liaison", agency="ATO-530000"), user_row(username="x", role="office")
    )
    result = organisation_import(actor=persona("admin"), kind="users", rows=rows, dry_run=True)
    assert [(p.column, p.message) for p in result.rows[0].problems] == [
        ("agency", role_agency_problem("liaison", ato))
    ]
    office_problem = role_agency_problem("office", Agency.objects.get(code="MCA-530100"))
    assert office_problem and [(p.column, p.message) for p in result.rows[1].problems] == [
        ("agency", office_problem)
    ]


def test_an_inactive_agency_and_repeated_usernames(persona, english):
    Agency.objects.filter(code="MCA-532500").update(is_active=False)
    rows = rows_of(USER_HEADER, user_row(), user_row(), user_row(username="case.honghe", agency="MCA-532500"))
    result = organisation_import(actor=persona("admin"), kind="users", rows=rows, dry_run=True)
    assert [(p.column, p.message) for p in result.rows[1].problems] == [
        ("username", "“case.new” is also on row 2.")
    ]
    assert result.rows[2].problems[0].column == "agency"
    assert "is no longer active" in result.rows[2].problems[0].message


def test_a_shifted_row_and_too_many_rows_for_the_service(persona, english):
    row = ImportRow(2, dict(zip(USER_HEADER, user_row(), strict=True)), overflow=True)
    result = organisation_import(actor=persona("admin"), kind="users", rows=[row], dry_run=True)
    assert result.rows[0].problems[0].message == "The row has values beyond the last column of the header."
    many = [ImportRow(n, {}) for n in range(2, IMPORT_MAX_ROWS + 3)]
    result = organisation_import(actor=persona("admin"), kind="users", rows=many, dry_run=False)
    assert result.problems == ["At most 5,000 rows can be imported at once."] and not result.saved


# What is wrong with the file itself ------------------------------------------------------------------


def test_an_over_size_file_is_refused_on_its_field(admin_client):
    big = SimpleUploadedFile("big.csv", b"code,kind\n" + b"x" * IMPORT_MAX_BYTES)
    body = post(admin_client, "agencies", big).content.decode()
    assert "File to import: “big.csv” is 2.0\xa0MB; an import file may be at most 2.0\xa0MB." in body
    assert 'aria-describedby="id_file_helptext id_file_error"' in body and 'id="id_file_error"' in body
    assert 'aria-invalid="true"' in body
    assert not import_entries().exists()  # refused before any row was read: nothing imported


def test_too_many_rows_are_refused_on_the_file_field(admin_client):
    rows = [USER_HEADER, *([f"u{n}", "N", "", "liaison", "MCA"] for n in range(IMPORT_MAX_ROWS + 1))]
    body = post(admin_client, "users", csv_file(rows)).content.decode()
    assert "File to import: The file has more than 5,000 rows to import" in body
    assert not User.objects.filter(username="u0").exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (b"username,full_name,email,role\n", "The header lacks the columns: agency."),
        (
            b"username,full_name,email,role,agency,phone\nx,y,,liaison,MCA,1\n",
            "columns this import does not have: phone",
        ),
        (b"username,username,full_name,email,role,agency\n", "The header names a column twice: username."),
        (b"username,full_name,email,role,agency\n", "The file has a header but no rows to import."),
        (b"username,full_name\xff\xfe\x81\x30,email\n", "neither UTF-8 nor GB18030"),
        (b"PK\x03\x04 not a zip", "The file is not an Excel workbook (.xlsx)."),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1\x00\x00", "This is an old Excel workbook (.xls)"),
        (b"%PDF-1.4\n\x00\x01binary", "The file is neither CSV text nor an Excel workbook (.xlsx)."),
    ],
)
def test_a_file_that_cannot_be_read_says_why(english, content, message):
    with pytest.raises(ValidationError) as refused:
        read_import_file(SimpleUploadedFile("users.csv", content), COLUMNS["users"])
    assert any(message in text for text in refused.value.messages), refused.value.messages


def test_rows_keep_their_numbers_and_cells_are_trimmed():
    content = (
        "\ufeffusername, full_name ,email,role,agency\n\n  a.b  ,  甲 ,,liaison, MCA\n,,,,\n"
        "c,乙,,liaison,MCA,extra\n"
    )
    rows = read_import_file(SimpleUploadedFile("u.csv", content.encode()), COLUMNS["users"])
    assert [(r.number, r.values["username"], r.values["full_name"], r.overflow) for r in rows] == [
        (3, "a.b", "甲", False),
        (5, "c", "乙", True),
    ]


def test_administrators_create_agencies_and_users_in_the_admin_pages(admin_client):
    """The other way in (issue 12): one agency, with its code, and one user, by the same rule."""
    fields = {
        "code": "MCA-530102",
        "kind": "unit_office",
        "unit": MemberUnit.objects.get(code="MCA").pk,
        "division": Division.objects.get(code="530102").pk,
        "name_zh": "五华区民政局",
        "name_en": "Wuhua District Civil Affairs Bureau",
        "is_active": "on",
    }
    assert admin_client.post(reverse("admin:agencies_agency_add"), fields).status_code == 302
    agency = Agency.objects.get(code="MCA-530102")
    assert agency.province.code == "530000"
    password = "Wuhua-case-officer-2026"
    user = {"username": "case.wuhua", "password1": password, "password2": password, "usable_password": "true"}
    response = admin_client.post(
        reverse("admin:agencies_user_add"), {**user, "role": "liaison", "agency": agency.pk}
    )
    assert escape(role_agency_problem("liaison", agency)) in response.content.decode()
    assert not User.objects.filter(username="case.wuhua").exists()
    response = admin_client.post(
        reverse("admin:agencies_user_add"), {**user, "role": "case_officer", "agency": agency.pk}
    )
    assert response.status_code == 302
    assert User.objects.get(username="case.wuhua").agency == agency


def test_the_admin_lists_of_agencies_and_users_link_the_import(admin_client):
    link = f'href="{reverse("agencies:import")}"'
    assert link in admin_client.get(reverse("admin:agencies_agency_changelist")).content.decode()
    assert link in admin_client.get(reverse("admin:agencies_user_changelist")).content.decode()


# Who may import ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["office", "liaison_mca", "auditor", "case_mca"])
def test_only_administrators_see_the_page(client_as, name):
    client = client_as(name)
    assert client.get(URL).status_code == 404
    assert client.get(URL, {"template": "users"}).status_code == 404
    assert post(client, "agencies", csv_file([AGENCY_HEADER, WUHUA])).status_code == 404
    assert not Agency.objects.filter(code="MCA-530102").exists()
    assert reverse("agencies:import") not in client.get(reverse("provinces")).content.decode()


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_page_in_both_languages_and_the_top_bar_link(client_as):
    client = client_as("admin")
    body = client.get(URL).content.decode()
    assert "导入机构和用户" in body and "仅检查（试运行）" in body
    assert f'href="{reverse("agencies:import")}"' in client.get(reverse("provinces")).content.decode()
    body = in_english(client).get(URL).content.decode()
    assert "Import agencies and users" in body and "Check only (dry run)" in body
    assert 'aria-describedby="id_file_helptext"' in body


def axe_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("options => axe.run(document, options)", WCAG_21_AA)
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_in_chromium_the_problems_are_shown_and_the_page_meets_wcag(browser, live_server, persona, tmp_path):
    # axe is injected as an inline script, which the portal's CSP (rightly) refuses: bypass it.
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US", bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    sign_in_with_code(page, live_server.url, persona("admin"))
    page.goto(live_server.url + URL)
    assert axe_violations(page) == []
    page.click("button[value=check]")  # no file chosen: the field says so and takes the focus
    page.wait_for_selector("#id_file_error")
    page.wait_for_function("() => document.activeElement && document.activeElement.id === 'id_file'")
    assert axe_violations(page) == []
    bad = agency_row(code="MCA-530103", unit="NOSUCH", division="530103", name_zh="盘龙区民政局")
    path = tmp_path / "agencies.csv"
    path.write_bytes(csv_file([AGENCY_HEADER, WUHUA, bad]).read())
    page.select_option("#id_kind", "agencies")
    page.set_input_files("#id_file", str(path))
    page.click("button[value=import]")
    page.wait_for_selector("#import-result")
    assert page.locator("#import-rows tr.row-refused").count() == 1
    assert page.locator("#import-rows tbody tr").first.locator("td").first.inner_text() == "3"
    assert axe_violations(page) == []
    assert not Agency.objects.filter(code="MCA-530102").exists()
    context.close()
