"""End to end in headless Chromium, a cooperation agreement (issue 14, the trial): Yunnan's reporting
officer goes from the coordination records to the registry of agreements and records the letter of
intent Yunnan signed with Guangdong (a destination province) in June 2008, first leaving out the
date (told, what was typed kept); the Office sees on its dashboard that Yunnan and Guangdong had
signed by the end of 2008 and that Chongqing had not, and finds the link in the registry's picture."""

import pytest
from django.urls import reverse

from agencies import two_factor
from measures.models import CooperationAgreement
from tests.browser import SHOTS, sign_in, sign_in_with_code, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2010-01-10"),
]


def sign_in_as(page, base_url: str, user) -> None:
    if two_factor.required(user):
        sign_in_with_code(page, base_url, user)
    else:
        sign_in(page, base_url, user.username)


def test_yunnan_records_its_letter_of_intent_and_the_office_sees_the_milestone(page, live_server, persona):
    yunnan, office = persona("reporter_yn"), persona("office")
    base = live_server.url

    sign_in_as(page, base, yunnan)
    page.goto(f"{base}{reverse('measures:coordination', kwargs={'plan': '2008-2012'})}")
    with page.expect_navigation():
        page.click("#hub-agreements a")
    with page.expect_navigation():
        page.click("text=登记协议")
    page.fill("#id_title_zh", "云南省与广东省反对拐卖妇女儿童合作意向书")
    page.select_option("#id_kind", "letter_of_intent")
    page.select_option("#id_parties_0_province", label="云南省")
    page.select_option("#id_parties_1_province", label="广东省")
    with page.expect_navigation():
        page.click("button[name=save]")
    assert page.locator("#id_signed_on_error").count() == 1  # the date is missing: named
    assert page.input_value("#id_title_zh") == "云南省与广东省反对拐卖妇女儿童合作意向书"  # kept
    assert not CooperationAgreement.objects.exists()
    page.fill("#id_signed_on", "2008-06-18")
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "agreement-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=save]")
    agreement = CooperationAgreement.objects.get()
    assert page.url.endswith(reverse("measures:agreement", kwargs={"pk": agreement.pk}))
    assert agreement.created_by == yunnan
    assert sorted(agreement.parties.values_list("province__code", flat=True)) == ["440000", "530000"]
    assert "广东省" in page.locator("#agreement-parties").inner_text()
    sign_out(page)

    sign_in_as(page, base, office)
    page.goto(f"{base}{reverse('reports:dashboard')}")
    signed = page.locator("#milestone-signed").inner_text()
    assert "云南省" in signed and "广东省" in signed
    assert "重庆市" in page.locator("#milestone-not-signed").inner_text()
    page.screenshot(path=str(SHOTS / "agreement-milestone-dashboard.png"), full_page=True)
    page.goto(f"{base}{reverse('measures:agreements', kwargs={'plan': '2008-2012'})}")
    assert page.locator("#network svg g.links line").count() == 1
    assert "广东省" in page.locator("#network-table").inner_text()
