"""The API's token check (django-rest-knox), apart from the token views so that DRF's settings can
import it without importing DRF's views (a circular import)."""

from __future__ import annotations

import binascii
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.settings import knox_settings
from rest_framework import exceptions


def token_ttl(user) -> timedelta:
    """How long a token of ``user`` lives: API_TOKEN_TTL, never longer than the user's session
    idle timeout where the role needs a second factor."""
    from agencies import sessions, two_factor  # models: not at DRF's settings import

    ttl = knox_settings.TOKEN_TTL
    if two_factor.required(user):
        ttl = min(ttl, timedelta(seconds=sessions.session_age(user)))
    return ttl


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check; a token that is not even text answers 401, never 500. A token is also
    refused (and deleted) once it is older than its user's lifetime *now*: whatever its stored
    expiry, a second-factor role's token never outlives that role's session age."""

    def authenticate_credentials(self, token):
        try:
            return super().authenticate_credentials(token)
        except (UnicodeDecodeError, binascii.Error, TypeError, ValueError) as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error

    def validate_user(self, auth_token):
        if auth_token.created + token_ttl(auth_token.user) <= timezone.now():
            auth_token.delete()
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().validate_user(auth_token)
