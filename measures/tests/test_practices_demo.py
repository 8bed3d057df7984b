"""The demo's good practices: five published across the areas (some in Chinese only), one waiting
for the Office, one returned with a comment, one draft; made once; the library reads them."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from agencies.models import User
from measures.demo.practices import create_demo_practices
from measures.models import GoodPractice
from tests.personas import signed_in

pytestmark = pytest.mark.django_db


def test_the_demo_practices(plan, client):
    call_command("create_demo_users", force=True, stdout=io.StringIO())
    assert create_demo_practices() == 8
    assert create_demo_practices() == 0  # made once
    states = sorted(GoodPractice.objects.values_list("state", flat=True))
    assert states == ["accepted"] * 5 + ["draft", "returned", "submitted"]
    published = GoodPractice.objects.published()
    assert set(published.values_list("area__seq", flat=True)) == {1, 2, 3, 4, 5}
    assert published.filter(title_en="").exists() and published.exclude(title_en="").exists()
    assert GoodPractice.objects.get(state="returned").review_comment
    dna = GoodPractice.objects.get(unit__code="MPS")
    assert dna.attachments.count() == 1 and dna.published_at.year == 2009
    reader = signed_in(client, User.objects.get(username="office"))
    response = reader.get(reverse("measures:practices", kwargs={"plan": "2008-2012"}), {"q": "拐卖"})
    assert {p.pk for p in response.context["page"]} >= {dna.pk}
    first = reader.get(reverse("measures:practices", kwargs={"plan": "2008-2012"})).context["page"][0]
    assert first.unit.code == "MCA"  # the newest published: 16 November 2009
