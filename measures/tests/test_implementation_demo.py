"""The demo's implementation plans: Yunnan's accepted with a local measure under 2.(1) for 昆明市
and 德宏州, the MPS's submitted, the MCA's returned with a comment, the MOE's a draft, others none;
made once."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import User
from core.choices import ReviewState
from measures.demo.implementation import create_demo_implementation_plans
from measures.models import ImplementationPlan, SelfCheck
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_plans(plan, client):
    call_command("create_demo_users", force=True, stdout=io.StringIO())
    assert create_demo_implementation_plans() == 4
    assert create_demo_implementation_plans() == 0  # made once
    guangxi = ImplementationPlan.objects.get(province__code="450000")
    assert guangxi.state == ReviewState.ACCEPTED and guangxi.document_name == "广西壮族自治区实施计划.pdf"
    local = guangxi.lines.get(kind="local_measure")
    assert local.measure.ref == "2.1"
    assert {t.division.code for t in local.targets.all()} == {"450100", "451400"}
    assert SelfCheck.objects.filter(line__implementation_plan=guangxi, year=2008).count() == 3
    states = dict(ImplementationPlan.objects.filter(unit__isnull=False).values_list("unit__code", "state"))
    assert states == {"MPS": "submitted", "MCA": "returned", "MOE": "draft"}
    assert ImplementationPlan.objects.get(unit__code="MCA").review_comment
    office = signed_in(client, User.objects.get(username="office"))
    url = reverse("measures:implementation_plans", kwargs={"plan": "2008-2012"})
    response = office.get(url + "?show=missing")
    missing = {row.code for row in response.context["page"].paginator.object_list}
    # Yunnan has none: the trial's new user enters it as Yunnan's office.
    assert "MOE" in missing and "530000" in missing and "450000" not in missing and "MPS" not in missing
