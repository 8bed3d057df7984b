"""Forms posted on the case page for the assistance given: a service, a follow-up visit."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases.forms import FollowUpForm, ServiceForm
from cases.services import assistance
from cases.views.case_files import post_to_case


@never_cache
@login_required
@require_POST
def service_add(request, number):
    def call(case, data):
        return assistance.service_add(actor=request.user, case_id=case.pk, **data)

    return post_to_case(request, number, ServiceForm, "service", call)


@never_cache
@login_required
@require_POST
def follow_up_add(request, number):
    def call(case, data):
        return assistance.follow_up_add(actor=request.user, case_id=case.pk, **data)

    return post_to_case(request, number, FollowUpForm, "follow_up", call)
