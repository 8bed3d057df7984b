"""The one permission gate: ``restrict(user, action)`` and the 404/403 helper."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404

from agencies.models import MemberUnit, Province
from core.permissions import CHANGE, VIEW, RestrictedQuerySet, get_restricted_object
from measures.models import Measure, Plan
from tests.personas import PERSONAS

pytestmark = pytest.mark.django_db
ACTIVE = [name for name in PERSONAS if name != "outsider"]


@pytest.mark.parametrize("name", ACTIVE)
def test_every_signed_in_role_reads_the_plan(persona, name):
    user = persona(name)
    assert (
        MemberUnit.objects.restrict(user, VIEW).count() == 32
    )  # 28 members, the Office, 3 successors of 2008
    assert Province.objects.restrict(user, VIEW).count() == 31
    assert Measure.objects.restrict(user, VIEW).count() == 50


@pytest.mark.parametrize("name", [n for n in ACTIVE if n != "admin"])
def test_only_administrators_change_the_plan(persona, name):
    user = persona(name)
    assert not Plan.objects.restrict(user, CHANGE).exists()
    with pytest.raises(PermissionDenied):
        get_restricted_object(Plan.objects, user, CHANGE, code="2008-2012")


def test_administrator_changes_the_plan(persona):
    assert get_restricted_object(Plan.objects, persona("admin"), CHANGE, code="2008-2012")


def test_anonymous_and_deactivated_users_see_nothing(persona):
    for user in (AnonymousUser(), persona("outsider"), None):
        assert not Measure.objects.restrict(user, VIEW).exists()
        with pytest.raises(Http404):
            get_restricted_object(Plan.objects, user, VIEW, code="2008-2012")


def test_what_one_may_not_see_is_404_like_what_does_not_exist(persona):
    with pytest.raises(Http404):
        get_restricted_object(Plan.objects, persona("office"), VIEW, code="no-such-plan")


def test_unknown_action_is_a_programming_error(persona):
    with pytest.raises(ValueError, match="unknown action"):
        Plan.objects.restrict(persona("office"), "approve")


def test_a_model_without_a_rule_fails_loudly(persona):
    class Unruled(models.Model):  # noqa: DJ008
        objects = RestrictedQuerySet.as_manager()

        class Meta:
            app_label = "agencies"
            managed = False

    with pytest.raises(NotImplementedError, match="Unruled states no access rule"):
        Unruled.objects.restrict(persona("office"), VIEW)
