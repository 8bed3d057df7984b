"""Funding by channel, the services: amounts as people type them (and what is refused, naming the
field), the rules of a line, each write in one transaction with its rights re-checked, versions and
history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from core.models import ChangeRecord
from core.workflow import EditConflict
from measures.choices import FundingChannel
from measures.models import FundingLine
from measures.services.funding import (
    MAX_AMOUNT,
    amount_from_text,
    funding_line_change,
    funding_line_delete,
)
from tests.funding import add_line, funding_input
from tests.personas import make_agency, make_user

pytestmark = pytest.mark.django_db


# --- amounts as typed -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [
        ("1,200.50", Decimal("1200.50")),
        ("1200.5", Decimal("1200.50")),
        ("¥1200.5", Decimal("1200.50")),
        ("1200元", Decimal("1200.00")),
        ("１２００", Decimal("1200.00")),  # full-width digits
        (" 12,000,000 ", Decimal("12000000.00")),
        ("0", Decimal("0.00")),
        (1200, Decimal("1200.00")),
        (1200.5, Decimal("1200.50")),
        ("", None),
        (None, None),
    ],
)
def test_amounts_as_people_type_them(typed, amount):
    assert amount_from_text(typed, field="amount") == amount


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("-5", "负"),
        ("abc", "数字"),
        ("1e9", "1e9"),
        ("1.005", "两位小数"),
        ("12,00.5", "逗号"),
        ("1" * 13, "最多"),
        ("9" * 60, "最多"),
        (True, "数字"),
        (float("inf"), "数字"),
        (-3, "负"),
    ],
)
def test_what_is_no_amount_is_refused_naming_the_field(typed, says):
    with pytest.raises(ValidationError) as error:
        amount_from_text(typed, field="budgeted")
    assert list(error.value.message_dict) == ["budgeted"]
    assert says in error.value.message_dict["budgeted"][0]


def test_the_largest_amount_fits_the_column(persona):
    line = add_line(persona("liaison_mca"), amount=MAX_AMOUNT)
    line.refresh_from_db()
    assert line.amount == Decimal("999999999999.99")


# --- adding ------------------------------------------------------------------------------------------


def test_a_unit_and_a_province_add_their_own_lines(persona):
    mca = add_line(persona("liaison_mca"), budgeted="1500", amount="1200.50", area=2)
    assert (mca.unit.code, mca.province, mca.version) == ("MCA", None, 1)
    assert (mca.budgeted, mca.amount, mca.area.seq) == (Decimal("1500.00"), Decimal("1200.50"), 2)
    yn = add_line(persona("reporter_yn"), channel=FundingChannel.DONATION, donor_kind="enterprise")
    assert (yn.province.code, yn.unit, yn.area) == ("530000", None, None)
    record = ChangeRecord.objects.for_object(yn).get()
    assert record.action == "created"


@pytest.mark.parametrize(
    ("fields", "named"),
    [
        ({"year": 2007}, "year"),
        ({"year": None}, "year"),
        ({"channel": "lottery"}, "channel"),
        ({"channel": FundingChannel.DONATION}, "donor_kind"),
        ({"channel": FundingChannel.DONATION, "donor_kind": "state"}, "donor_kind"),
        ({"donor_kind": "enterprise"}, "donor_kind"),
        ({"channel": FundingChannel.INTERNATIONAL_AID}, "donor"),
        ({"donor": "UNICEF"}, "donor"),
        ({"channel": FundingChannel.INTERNATIONAL_AID, "donor": "U" * 201}, "donor"),
        ({"note": "注" * 501}, "note"),
        ({"amount": None}, "amount"),
        ({"amount": Decimal("-1")}, "amount"),
        ({"amount": Decimal("1.005")}, "amount"),
        ({"amount": MAX_AMOUNT + 1}, "amount"),
        ({"channel": FundingChannel.DONATION, "donor_kind": "individual", "budgeted": "10"}, "budgeted"),
        ({"budgeted": Decimal("-0.01")}, "budgeted"),
    ],
)
def test_a_bad_line_is_refused_naming_the_field_and_nothing_is_saved(persona, fields, named):
    with pytest.raises(ValidationError) as error:
        add_line(persona("liaison_mca"), **fields)
    assert named in error.value.message_dict
    assert not FundingLine.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_every_refusal_comes_at_once(persona):
    with pytest.raises(ValidationError) as error:
        add_line(persona("liaison_mca"), year=2020, channel=FundingChannel.INTERNATIONAL_AID, amount=None)
    assert set(error.value.message_dict) == {"year", "donor", "amount"}


def test_who_may_not_add(persona, plan):
    with pytest.raises(PermissionDenied):  # the Office reads every line and owns none
        add_line(persona("office"))
    with pytest.raises(PermissionDenied):
        add_line(persona("auditor"))
    with pytest.raises(Http404):
        add_line(persona("case_mps"))
    make_agency("ATO-530100")
    prefecture = make_user("km", "province", agency="ATO-530100")
    with pytest.raises(Http404):  # a prefecture's reporter writes nothing for its province
        add_line(prefecture)
    plan.memberships.filter(unit__code="MCA").update(is_member=False)
    with pytest.raises(Http404):  # a unit that is no member of the plan
        add_line(persona("liaison_mca"))
    assert not FundingLine.objects.exists()


# --- changing and deleting ---------------------------------------------------------------------------


def test_change_with_version_and_history(persona):
    mca = persona("liaison_mca")
    line = add_line(mca, budgeted="2000")
    changed = funding_line_change(
        actor=mca, line_id=line.pk, version=1, line=funding_input(budgeted="2000", amount="1500", area=3)
    )
    assert (changed.version, changed.amount, changed.area.seq) == (2, Decimal("1500.00"), 3)
    edit = ChangeRecord.objects.for_object(line).filter(action="edited").get()
    assert set(edit.changes) == {"amount", "area"}
    same = funding_line_change(
        actor=mca, line_id=line.pk, version=2, line=funding_input(budgeted="2000", amount="1500", area=3)
    )
    assert same.version == 2  # nothing changed: no new version, no history
    assert ChangeRecord.objects.for_object(line).count() == 2
    with pytest.raises(EditConflict):
        funding_line_change(actor=mca, line_id=line.pk, version=1, line=funding_input(amount="1"))
    with pytest.raises(ValidationError) as error:
        funding_line_change(actor=mca, line_id=line.pk, version=2, line=funding_input(amount=Decimal("-1")))
    assert "amount" in error.value.message_dict
    line.refresh_from_db()
    assert (line.version, line.amount) == (2, Decimal("1500.00"))


def test_other_owners_and_readers_change_nothing(persona):
    line, five = add_line(persona("liaison_mca")), funding_input(amount="5")
    for name, refusal in [
        ("liaison_mps", Http404),
        ("reporter_yn", Http404),
        ("case_mca", Http404),
        ("office", PermissionDenied),
        ("auditor", PermissionDenied),
    ]:
        with pytest.raises(refusal):
            funding_line_change(actor=persona(name), line_id=line.pk, version=1, line=five)
        with pytest.raises(refusal):
            funding_line_delete(actor=persona(name), line_id=line.pk, version=1)
    line.refresh_from_db()
    assert (line.version, line.amount) == (1, Decimal("1000.00"))


def test_delete_keeps_the_history(persona):
    yn = persona("reporter_yn")
    line = add_line(yn, channel=FundingChannel.INTERNATIONAL_AID, donor="UNICEF")
    with pytest.raises(EditConflict):
        funding_line_delete(actor=yn, line_id=line.pk, version=7)
    funding_line_delete(actor=yn, line_id=line.pk, version=1)
    assert not FundingLine.objects.exists()
    deleted = ChangeRecord.objects.filter(action="deleted").get()
    assert "UNICEF" in str(deleted.changes)
