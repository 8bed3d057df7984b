"""The gate in templates: ``{% load gate %}`` then ``{% if user|may:"review" %}``.

Templates ask the same named predicates as views (core/permissions.py); none compares roles.
"""

from django import template

from core import permissions

register = template.Library()


@register.filter
def may(user, capability: str) -> bool:
    """Whether ``user`` has ``capability`` (a name from ``core.permissions.CAPABILITIES``)."""
    return permissions.may(user, capability)
