"""Middleware every app shares."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import add_never_cache_headers


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

    Placed before the two-factor middleware, so that its answers get the header too.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith("/api/"):
            add_never_cache_headers(response)
        return response
