"""Middleware every app shares."""

from urllib.parse import urlencode

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from agencies import two_factor


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose English with the language switch.

    The portal serves Chinese officials whose browsers may well ask for English; the plan's
    authoritative text is Chinese, so the browser's Accept-Language is not followed: only the
    switch (a cookie) changes the language.
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = dict(settings.LANGUAGES)
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ApiMiddleware:
    """What every answer under ``/api/`` shares, whoever answered it (a view, DRF, a middleware).

    - ``Cache-Control: no-store``: API answers hold per-user, often confidential data (case files);
      no browser or proxy may keep a copy.
    - The pages a person opens in a browser under ``/api/`` (the interactive docs) behave like any
      other page: a user who still owes the second factor is sent to the two-factor page, where
      the API itself answers 403 in JSON (``agencies.two_factor.TwoFactorMiddleware``). Sign-in
      itself is required by the docs view (``login_required``).

    Placed after the authentication middleware and before the two-factor one.
    """

    BROWSER_PAGES = ("/api/docs/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(self.BROWSER_PAGES):
            user = getattr(request, "user", None)
            if (
                user is not None
                and two_factor.required(user)
                and not request.session.get(two_factor.SESSION_KEY)
            ):
                target = "two_factor_verify" if hasattr(user, "two_factor") else "two_factor_setup"
                return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
