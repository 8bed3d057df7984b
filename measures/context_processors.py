"""Template context every page shares: the main menu, with the plan it links to."""

from django.template.loader import render_to_string
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from core import statistics_cache
from core.permissions import rights_key
from measures.selectors.plan import plan_current


def main_nav(request):
    """The menu of the user's role, rendered once per user, language and change of the plan's
    data (``core.statistics_cache.PLAN``: a new plan, a changed agency or division) and kept: two
    dozen links and as many questions to the gate, the same on every page. What the gate allows the
    user (the capabilities it answers yes to) and the user's agency are in the key: a change of
    either makes another."""
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {}

    def render() -> str:
        return render_to_string("_main_nav.html", {"user": user, "current_plan": plan_current(user)})

    def kept() -> str:
        name = f"nav:{rights_key(user)}:{get_language()}"
        return mark_safe(statistics_cache.cached(name, render, domain=statistics_cache.PLAN))  # noqa: S308

    return {"main_nav": SimpleLazyObject(kept)}
