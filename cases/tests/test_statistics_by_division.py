"""Case statistics by division (province, prefecture): every answer is a slice of one protected
cube, so that no count below the threshold shows, nor can be worked out by subtracting one allowed
answer from another (a province's total less its prefectures, a table less its narrowing)."""

import datetime as dt
from itertools import combinations

import pytest
from django.urls import reverse

from agencies.models import Agency, Division, Province
from agencies.models.users import Role
from cases.choices import CaseStatus, Category
from cases.models import CaseFile
from cases.selectors import UNPLACED, periods_between, suppressed_statistics
from tests.cases import open_case
from tests.personas import make_agency, make_user
from tests.queries import page_queries

pytestmark = pytest.mark.django_db

THRESHOLD = 10
YUNNAN = "530000"
KUNMING, HONGHE, DALI = "530100", "532500", "532900"
DALI_CITY = "532901"  # 大理市, a county-level city of 大理州


def agency(division_code: str, unit: str = "MCA") -> Agency:
    division = Division.objects.get(code=division_code)
    return make_agency(
        f"{unit}-{division_code}", f"{division.name_zh}民政局", f"{division.name_en} Civil Affairs"
    )


def officer(division_code: str):
    held = agency(division_code)
    return make_user(f"case-{division_code}", Role.CASE_OFFICER, agency=held.code)


class Files:
    """The files the test opens, and what the test knows of each: where it counts (province,
    division below it), its category, status and quarter of rescue."""

    def __init__(self):
        self.known = []
        self.serial = 0

    def open(self, user, count, *, province, division, category, status, rescued_on, **extra):
        for _ in range(count):
            self.serial += 1
            case = open_case(
                user,
                id_number=f"T{self.serial:05d}",
                name=f"统计{self.serial}",
                category=category,
                status=status,
                rescued_on=rescued_on,
                rescue_province=Province.objects.get(code=YUNNAN),
                rescuing_agency=user.agency,
                guardian_found=False if category == "child" else None,
            )
            if extra:
                CaseFile.objects.filter(pk=case.pk).update(
                    **extra
                )  # a field the intake form does not take yet
            self.known.append(
                {
                    "province": Province.objects.get(code=province).pk,
                    "division": division,
                    "category": category,
                    "status": status,
                    "year": rescued_on.year,
                    "quarter": (rescued_on.month - 1) // 3 + 1,
                }
            )


def yunnan_files(persona, few_reintegrated: bool = False) -> Files:
    """Yunnan: Kunming 30 files, Dali 12 (one of them held in Kunming but rescued in 大理市), Honghe
    2 (below the threshold), and 11 files of a national agency rescued in Yunnan (province level)."""
    files = Files()
    kunming, honghe, dali = officer(KUNMING), officer(HONGHE), officer(DALI)
    division = {code: Division.objects.get(code=code).pk for code in (KUNMING, HONGHE, DALI)}
    q2, q4, q1 = dt.date(2009, 6, 1), dt.date(2009, 11, 2), dt.date(2010, 3, 1)
    common = {"province": YUNNAN}
    # With ``few_reintegrated``, 6 of Kunming's children are reintegrated and were rescued in 2009
    # Q4: a small count in the whole country's status and quarter too, which hides far more.
    few = 6 if few_reintegrated else 0
    kunming_children = {"division": division[KUNMING], "category": "child"}
    files.open(kunming, 16 - few, **common, **kunming_children, status="open", rescued_on=q2)
    files.open(kunming, few, **common, **kunming_children, status="reintegrated", rescued_on=q4)
    files.open(
        kunming, 14, **common, division=division[KUNMING], category="woman", status="assisted", rescued_on=q1
    )
    files.open(dali, 11, **common, division=division[DALI], category="child", status="open", rescued_on=q2)
    files.open(
        kunming,
        1,
        **common,
        division=division[DALI],
        category="child",
        status="open",
        rescued_on=q2,
        rescue_division=Division.objects.get(code=DALI_CITY),
    )
    files.open(honghe, 2, **common, division=division[HONGHE], category="child", status="open", rescued_on=q2)
    files.open(
        persona("case_mps"), 11, **common, division=UNPLACED, category="woman", status="open", rescued_on=q2
    )
    return files


def allowed_queries(yunnan: Province):
    """Every answer the statistics page can give for the country and for Yunnan (the view's own
    rules: a dimension shown as rows or columns is not narrowed too), the API's two, and the
    compiled reports' periods (a quarter, a year to date, a year, quarters across two years)."""
    for province in (None, yunnan):
        for by in ("division", "status", "year"):
            for columns in ("category", "status"):
                if columns == by:
                    continue
                categories = [None] if "category" in (by, columns) else [None, *Category.values]
                statuses = [None] if "status" in (by, columns) else [None, *CaseStatus.values]
                years = [None] if by == "year" else [None, 2009, 2010]
                for category in categories:
                    for status in statuses:
                        for year in years:
                            yield {"by_rows": by, "by_columns": columns, "province": province,
                                   "category": category, "status": status, "year": year}  # fmt: skip
    for start, end in [
        (dt.date(2009, 4, 1), dt.date(2009, 6, 30)),
        (dt.date(2009, 1, 1), dt.date(2009, 9, 30)),
        (dt.date(2009, 1, 1), dt.date(2009, 12, 31)),
        (dt.date(2009, 4, 1), dt.date(2010, 3, 31)),
        (dt.date(2008, 1, 1), dt.date(2010, 6, 30)),
    ]:
        yield {"by_rows": "province", "by_columns": "category", "rescued_between": (start, end)}


def counted(query: dict, row, column, files: Files) -> frozenset:
    """The files a number of an answer counts: ``row``/``column`` is the key, or None for a total."""
    by, columns, province = query["by_rows"], query["by_columns"], query.get("province")
    wanted = {"category": query.get("category"), "status": query.get("status"), "year": query.get("year")}
    for name, key in ((by, row), (columns, column)):
        if key is not None and name in wanted:
            wanted[name] = key
    period = query.get("rescued_between")

    def counts(n, f):
        if province is not None and f["province"] != province.pk:
            return False
        if by == "division" and province is None and row is not None and f["province"] != row:
            return False
        if by == "division" and province is not None and row is not None and f["division"] != row:
            return False
        if by == "province" and row is not None and f["province"] != row:
            return False
        for name in ("category", "status", "year"):
            if wanted.get(name) is not None and f[name] != wanted[name]:
                return False
        if period:
            first = (period[0].year, (period[0].month - 1) // 3 + 1)
            last = (period[1].year, period[1].month // 3)
            if not first <= (f["year"], f["quarter"]) <= last:
                return False
        return True

    return frozenset(n for n, f in enumerate(files.known) if counts(n, f))


def numbers(table, query, files):
    """(what it counts, the number shown or None) of every cell and total of an answer."""
    for row, _label in table.rows:
        for column, _label in table.columns:
            yield counted(query, row, column, files), table.cells[(row, column)]
        yield counted(query, row, None, files), table.row_totals[row]
    for column, _label in table.columns:
        yield counted(query, None, column, files), table.column_totals[column]
    yield counted(query, None, None, files), table.total


@pytest.mark.parametrize("few_reintegrated", [False, True])
def test_no_count_below_the_threshold_shows_or_can_be_worked_out_from_two_answers(
    persona, settings, few_reintegrated
):
    settings.CASE_STATISTICS_THRESHOLD = THRESHOLD
    files = yunnan_files(persona, few_reintegrated)
    office = persona("office")
    yunnan = Province.objects.get(code=YUNNAN)
    honghe = Division.objects.get(code=HONGHE).pk

    # The prefecture table: Honghe's 2 hidden, and the next smallest division with them, so that
    # Yunnan's total, shown, less the shown divisions is not 2.
    by_prefecture = suppressed_statistics(office, "division", "category", province=yunnan)
    assert dict(by_prefecture.rows)[UNPLACED] == "省本级或未明确到地市"
    assert by_prefecture.row_totals[honghe] is None and by_prefecture.cells[(honghe, "child")] is None
    if not few_reintegrated:  # (with them, Yunnan's total is hidden too: checked below with the rest)
        assert by_prefecture.total == 55
        shown = [v for v in by_prefecture.row_totals.values() if v is not None]
        assert by_prefecture.total - sum(shown) >= THRESHOLD
        # The province's row in the country's table is the same number, and shown.
        by_province = suppressed_statistics(office, "province", "category")
        assert by_province.row_totals[yunnan.pk] == 55
    # Narrowed to children, the same slice of the same cube: Honghe stays hidden.
    children = suppressed_statistics(office, "division", "status", province=yunnan, category="child")
    assert children.row_totals[honghe] is None and children.cells[(honghe, "open")] is None

    # Every allowed answer: each shown number is the true count and never below the threshold
    # (zero apart); no two shown numbers, one counting a part of what the other counts, differ by a
    # count below the threshold (which would be a hidden count, or a sum of hidden ones, worked out).
    seen: dict[frozenset, int] = {}
    answers = 0
    for query in allowed_queries(yunnan):
        table = suppressed_statistics(office, **query)
        answers += 1
        for what, value in numbers(table, query, files):
            if value is None:
                continue
            assert value == len(what), query
            assert value == 0 or value >= THRESHOLD, query
            seen[what] = value
    assert answers > 70
    honghe_files = frozenset(n for n, f in enumerate(files.known) if f["division"] == honghe)
    assert not any(honghe_files <= what and len(what) == 2 for what in seen)  # never shown directly
    differences = 0
    for first, second in combinations(seen, 2):
        if not (first < second or second < first):
            continue  # the two share no margin: neither counts a part of the other's files
        differences += 1
        bigger, smaller = (second, first) if first < second else (first, second)
        difference = seen[bigger] - seen[smaller]
        assert difference >= THRESHOLD, (difference, sorted(bigger - smaller))
    assert differences >= (3 if few_reintegrated else 20)
    if not few_reintegrated:
        kunming = Division.objects.get(code=KUNMING).pk
        in_kunming = frozenset(n for n, f in enumerate(files.known) if f["division"] == kunming)
        assert seen[in_kunming] == 30 and seen[frozenset(range(len(files.known)))] == 55  # such a pair


def test_the_page_and_the_api_answer_slices_of_the_same_cube(persona, client_as, settings):
    settings.CASE_STATISTICS_THRESHOLD = THRESHOLD
    yunnan_files(persona)
    office = persona("office")
    yunnan = Province.objects.get(code=YUNNAN)
    client = client_as("office")
    page = client.get(reverse("cases:statistics"), {"province": YUNNAN, "by": "division"})
    assert page.status_code == 200
    table = page.context["table"]
    assert table.cells == suppressed_statistics(office, "division", "category", province=yunnan).cells
    html = page.content.decode()
    assert "红河哈尼族彝族自治州" in html and "昆明市" in html and "selected>云南省" in html
    assert "被解救妇女儿童：按地市和类别统计（云南省）" in html  # the table's caption
    assert 'title="已隐藏">·</span>' in html
    narrowed = client.get(
        reverse("cases:statistics"), {"province": YUNNAN, "columns": "status", "category": "child"}
    )
    assert narrowed.context["table"].cells == (
        suppressed_statistics(office, "division", "status", province=yunnan, category="child").cells
    )
    api = client.get("/api/case-statistics/").json()
    national = suppressed_statistics(office, "province", "category")
    row = next(r for r in api["rows"] if r["key"] == str(yunnan.pk))
    assert row["total"] == national.row_totals[yunnan.pk] == 55
    # In English, with the rule of which division a file counts in.
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(reverse("cases:statistics"), {"province": YUNNAN})
    text = english.content.decode()
    assert "Rescued women and children by prefecture and category" in text
    assert "else in the division of the agency that holds the file" in text
    assert "Province level or not known" in text


def test_a_file_counts_where_it_was_rescued_else_where_it_is_held_else_its_province(persona, settings):
    settings.CASE_STATISTICS_THRESHOLD = 1  # show every count, to see where each file counts
    yunnan_files(persona)
    yunnan = Province.objects.get(code=YUNNAN)
    table = suppressed_statistics(persona("office"), "division", "category", province=yunnan)
    totals = {key: table.row_totals[key] for key, _label in table.rows}
    division = {code: Division.objects.get(code=code).pk for code in (KUNMING, HONGHE, DALI)}
    # 30 held in Kunming; Dali's 11 and the Kunming file rescued in 大理市; a national agency's 11.
    assert totals[division[KUNMING]] == 30 and totals[division[DALI]] == 12 and totals[division[HONGHE]] == 2
    assert totals[UNPLACED] == 11 and table.total == 55
    assert (
        len(table.rows) == Division.objects.filter(parent__code=YUNNAN, abolished_in__isnull=True).count() + 1
    )
    by_year = suppressed_statistics(persona("office"), "year", "category", province=yunnan)
    assert by_year.row_totals == {2009: 41, 2010: 14}


def test_a_period_of_several_cells_is_their_sum_and_hidden_when_one_of_them_is(persona, settings):
    assert periods_between(dt.date(2009, 1, 1), dt.date(2009, 12, 31)) == [("y", 2009)]
    assert periods_between(dt.date(2009, 1, 1), dt.date(2009, 9, 30)) == [("ytd", 2009, 3)]
    assert periods_between(dt.date(2008, 10, 1), dt.date(2010, 6, 30)) == [
        ("q", 2008, 4),
        ("y", 2009),
        ("ytd", 2010, 2),
    ]
    with pytest.raises(ValueError):
        periods_between(dt.date(2009, 1, 5), dt.date(2009, 3, 31))
    settings.CASE_STATISTICS_THRESHOLD = THRESHOLD
    yunnan_files(persona)
    office = persona("office")
    yunnan = Province.objects.get(code=YUNNAN).pk
    one_year = suppressed_statistics(office, rescued_between=(dt.date(2009, 1, 1), dt.date(2009, 12, 31)))
    assert one_year.row_totals[yunnan] == 41
    across = suppressed_statistics(office, rescued_between=(dt.date(2009, 4, 1), dt.date(2010, 3, 31)))
    assert across.row_totals[yunnan] == 55  # 2009 Q2–Q4 and 2010 Q1, each shown
    assert across.cells[(yunnan, "woman")] == 25


def test_a_bad_choice_is_named_and_the_rest_still_shown(persona, client_as):
    response = client_as("office").get(reverse("cases:statistics"), {"province": "999999", "by": "status"})
    assert response.status_code == 200
    errors = response.content.decode().split('<div class="errors" role="alert">')[1].split("</div>")[0]
    assert 'href="#id_province"' in errors and "省" in errors
    assert [key for key, _label in response.context["table"].rows] == CaseStatus.values


def test_the_page_costs_the_same_queries_for_more_files_and_divisions(persona, client_as, settings):
    client = client_as("office")
    national, yunnan = reverse("cases:statistics"), reverse("cases:statistics") + f"?province={YUNNAN}"
    files = Files()
    kunming = officer(KUNMING)
    few = {"province": YUNNAN, "division": 0, "status": "open", "rescued_on": dt.date(2009, 6, 1)}
    files.open(kunming, 2, category="child", **few)
    small = (page_queries(client, national), page_queries(client, yunnan))
    for code in (HONGHE, DALI):
        files.open(officer(code), 12, category="woman", **{**few, "rescued_on": dt.date(2010, 2, 1)})
    files.open(persona("case_mps"), 3, category="child", **few)
    assert (page_queries(client, national), page_queries(client, yunnan)) == small


def test_the_protected_cube_is_kept_only_while_no_counted_file_changes(persona, settings):
    settings.CASE_STATISTICS_THRESHOLD = 1
    office, yunnan = persona("office"), Province.objects.get(code=YUNNAN)
    kunming = Division.objects.get(code=KUNMING).pk
    files, officer_in_kunming = Files(), officer(KUNMING)
    where = {"province": YUNNAN, "division": kunming, "category": "child", "status": "open"}
    files.open(officer_in_kunming, 1, **where, rescued_on=dt.date(2009, 6, 1))
    assert suppressed_statistics(office, "division", "category", province=yunnan).row_totals[kunming] == 1
    files.open(officer_in_kunming, 1, **where, rescued_on=dt.date(2009, 7, 1))
    assert suppressed_statistics(office, "division", "category", province=yunnan).row_totals[kunming] == 2
