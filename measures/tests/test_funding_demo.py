"""The demo's funding lines: 公安部's and 民政部's budgets, Yunnan's provincial budget, donations
(an enterprise's to Yunnan), UNICEF and ILO aid, across the areas and for the work as a whole, in
2008 and 2009; made once, through the services; the Office's totals page reads them."""

import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import User
from measures.demo.funding import LINES, create_demo_funding
from measures.models import FundingLine
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_funding(plan, client):
    call_command("create_demo_users", force=True, stdout=io.StringIO())
    assert create_demo_funding() == len(LINES) == 12
    assert create_demo_funding() == 0  # made once
    lines = FundingLine.objects.all()
    assert set(lines.values_list("year", flat=True)) == {2008, 2009}
    assert set(lines.values_list("channel", flat=True)) == {"budget", "donation", "international_aid"}
    assert lines.filter(area=None).exists() and lines.filter(area__seq=4).exists()
    assert lines.filter(unit__code="MPS", channel="budget").count() == 3
    gift = lines.get(province__code="530000", channel="donation")
    assert gift.donor_kind == "enterprise" and gift.updated_at.year == 2009
    assert {line.donor for line in lines.filter(channel="international_aid")} >= {
        "联合国儿童基金会（UNICEF）", "国际劳工组织（ILO）CP-TING项目"}  # fmt: skip
    office = signed_in(client, User.objects.get(username="office"))
    page = office.get(reverse("measures:funding_totals", kwargs={"plan": "2008-2012"}))
    total = sum(lines.values_list("amount", flat=True), Decimal(0))
    assert page.context["totals"].all.total == total
    assert f"¥{total:,.2f}" in page.content.decode()
