"""Template context every page shares: the plan the top bar links to."""

from django.utils.functional import SimpleLazyObject

from measures.selectors.plan import plan_current


def current_plan(request):
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {}
    return {"current_plan": SimpleLazyObject(lambda: plan_current(request.user))}
