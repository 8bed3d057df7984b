"""End to end in headless Chromium, an implementation plan (issue 14, point 6): Yunnan's reporting
officer goes from the coordination records to its plan, enters the 2008–2012 plan with an action and
a local measure (实施细则) under 2.(1) with targets for 昆明市 and 德宏州, and submits it; the Office
finds it in its table of plans and accepts it; the owner sees it accepted."""

import pytest
from django.urls import reverse

from agencies import two_factor
from core.choices import ReviewState
from measures.models import ImplementationPlan, Measure
from tests.browser import SHOTS, sign_in, sign_in_with_code, sign_out

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.portal_date("2008-06-20"),
]


def sign_in_as(page, base_url: str, user) -> None:
    if two_factor.required(user):
        sign_in_with_code(page, base_url, user)
    else:
        sign_in(page, base_url, user.username)


def test_yunnan_enters_and_submits_its_plan_and_the_office_accepts_it(page, live_server, persona):
    yunnan, office = persona("reporter_yn"), persona("office")
    measure = str(Measure.objects.get(plan__code="2008-2012", ref="2.1").pk)
    base = live_server.url

    sign_in_as(page, base, yunnan)
    page.goto(f"{base}{reverse('measures:coordination', kwargs={'plan': '2008-2012'})}")
    with page.expect_navigation():
        page.click("#hub-implementation a")
    assert page.url.endswith(reverse("measures:implementation_plan_edit", kwargs={"plan": "2008-2012"}))
    page.fill("#id_summary", "云南省贯彻国家行动计划实施计划：以边境地区为重点。")
    # Line 1: an action on 2.(1), with a target for 2008.
    page.select_option("#id_lines-0-measure", measure)
    page.fill("#id_lines-0-text", "在全省城乡社区建立反拐工作网络。")
    page.fill("#id_lines-0-office_in_charge", "省反拐办")
    page.fill("#id_lines-0-budget", "1800000")
    page.fill("#id_lines-0-target_2008", "建立社区工作网络试点20个")
    page.fill("#id_lines-0-quantity_2008", "20")
    # Line 2: a local measure under 2.(1), its targets per division below.
    page.select_option("#id_lines-1-measure", measure)
    page.select_option("#id_lines-1-kind", "local_measure")
    page.fill("#id_lines-1-title", "边境地区群防群治实施细则")
    page.fill("#id_lines-1-text", "在边境州市建立村寨联防机制。")
    page.fill("#id_lines-1-office_in_charge", "省公安厅刑侦总队")
    for row, (code, target) in enumerate([("530100", "设立反拐宣传点10个"), ("533100", "边境联合巡逻24次")]):
        page.select_option(f"#id_targets-{row}-line", "1")
        page.select_option(f"#id_targets-{row}-year", "2009")
        page.select_option(f"#id_targets-{row}-division", code)
        page.fill(f"#id_targets-{row}-text", target)
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / "implementation-plan-form.png"), full_page=True)
    with page.expect_navigation():
        page.click("button[name=submit]")
    record = ImplementationPlan.objects.get(province__code="530000")
    assert page.url.endswith(reverse("measures:implementation_plan", kwargs={"pk": record.pk}))
    assert record.state == ReviewState.SUBMITTED
    local = record.lines.get(kind="local_measure")
    assert sorted(local.targets.values_list("division__code", flat=True)) == ["530100", "533100"]
    assert page.locator("#plan-lines").inner_text().count("边境地区群防群治实施细则") == 1
    sign_out(page)

    # The Office finds Yunnan's plan in its table and accepts it.
    sign_in_as(page, base, office)
    page.goto(f"{base}{reverse('measures:implementation_plans', kwargs={'plan': '2008-2012'})}?kind=province")
    row = page.locator("#owner-530000")
    assert row.locator(".state-submitted").count() == 1
    with page.expect_navigation():
        row.locator("a.button").click()
    with page.expect_navigation():
        page.click("button[name=accept]")
    record.refresh_from_db()
    assert record.state == ReviewState.ACCEPTED and record.reviewed_by == office
    sign_out(page)

    # The owner sees it accepted, and its self-check of 2008 is open.
    sign_in_as(page, base, yunnan)
    page.goto(f"{base}{reverse('measures:implementation_plans', kwargs={'plan': '2008-2012'})}")
    assert page.locator("#plan-summary .state-accepted").count() == 1
    assert page.locator(f"a[href$='/implementation/{record.pk}/self-check/2008/']").count() == 1
    page.screenshot(path=str(SHOTS / "implementation-plan-accepted.png"), full_page=True)
