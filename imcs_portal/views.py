"""Pages of the project itself, not of an app."""

from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import cache_control


@cache_control(max_age=24 * 60 * 60, public=True)
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page links: send them to the portal's icon."""
    return redirect(static("favicon.svg"))
