"""How a case file opens to another agency: django-guardian's direct-FK grant models of case
files, and each agency's group that a referral's grant is given to."""

from django.contrib.auth.models import Group
from django.db import models
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

VIEW_CASE = "view_casefile"
AGENCY_GROUP_PREFIX = "agency:"


def agency_group_name(agency_id: int) -> str:
    return f"{AGENCY_GROUP_PREFIX}{agency_id}"


def agency_group(agency_id: int) -> Group:
    group, _created = Group.objects.get_or_create(name=agency_group_name(agency_id))
    return group


# The case file is named by its label: the file's own module reads these grants in its rule.
class CaseFileUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey("cases.CaseFile", on_delete=models.CASCADE)


class CaseFileGroupObjectPermission(GroupObjectPermissionBase):
    """A grant to an agency's group: how a referral opens a case to the receiving agency."""

    content_object = models.ForeignKey("cases.CaseFile", on_delete=models.CASCADE)
