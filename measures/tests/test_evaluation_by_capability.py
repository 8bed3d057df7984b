"""What each persona's evaluation pages offer, by what the gate lets them do: the Office opens,
assesses and closes rounds; a unit's liaison officer self-assesses its measures; auditors and
administrators read every submitted self-assessment and the Office's assessments and change nothing.
"""

import pytest
from django.conf import settings
from django.urls import reverse

from tests.evaluation import office_assess, self_assess

pytestmark = pytest.mark.django_db

# What each may do on a round's page and the round list: (self-assess, assess as the Office and
# close, see the Office's assessment of every measure).
OFFERS = {
    "liaison_mca": (True, False, False),
    "office": (False, True, True),
    "auditor": (False, False, True),
    "admin": (False, False, True),
}


@pytest.fixture
def assessed(persona, office, mid_term):
    """An open round with MCA's submitted self-assessment of 4.2.a and the Office's of it."""
    self_assess(persona("liaison_mca"), mid_term, "4.2.a", narrative="本单位牵头完成了该项措施的主要任务。")
    office_assess(office, mid_term, "4.2.a")
    return mid_term


@pytest.mark.parametrize(("name", "offers"), OFFERS.items())
def test_the_pages_offer_what_the_gate_allows(client_as, assessed, name, offers):
    self_assesses, reviews, sees_office = offers
    client = client_as(name)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(reverse("measures:evaluation_round", kwargs={"pk": assessed.pk}))
    body = page.content.decode()
    assert ("Submit to the IMCS Office" in body) == self_assesses, name
    assert ("Save the Office's assessment" in body) == reviews, name
    assert ("Close the round" in body) == reviews, name
    rows = [row for _area, rows in page.context["areas"] for row in rows]
    assert rows, name
    # The Office's card: on every measure for those who see it, on none for a unit while open.
    assert body.count("Assessment of the IMCS Office") == (len(rows) if sees_office else 0), name
    assert any(row.form for row in rows) == (self_assesses or reviews), name

    listing = client.get(reverse("measures:evaluation_rounds")).content.decode()
    assert ("Your unit's measures self-assessed" in listing) == self_assesses, name
    assert ("Measures assessed by the Office" in listing) == sees_office, name
    assert ("Open an evaluation round" in listing) == reviews, name


@pytest.mark.parametrize("name", ["liaison_mca", "auditor", "admin"])
def test_only_the_office_opens_a_round(client_as, name):
    data = {"kind": "final", "title_zh": "终期评估（2012年）", "title_en": "Final evaluation (2012)",
            "opens_on": "2012-10-01", "due_on": "2012-12-31"}  # fmt: skip
    assert client_as(name).post(reverse("measures:evaluation_rounds"), data).status_code == 404
