"""The API's token check (django-rest-knox), apart from the token views so that DRF's settings can
import it without importing DRF's views (a circular import)."""

from __future__ import annotations

import binascii

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


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
        # Imported here: DRF's settings import this module before the app registry is ready, and
        # agencies.sessions reads the user's models (through two_factor).
        from agencies.sessions import token_ttl

        if auth_token.created + token_ttl(auth_token.user) <= timezone.now():
            auth_token.delete()
            raise exceptions.AuthenticationFailed(_("Invalid token."))
        return super().validate_user(auth_token)
