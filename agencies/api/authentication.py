"""The API's token check (django-rest-knox), apart from the token views so that DRF's settings can
import it without importing DRF's views (a circular import)."""

import binascii

from django.utils.translation import gettext_lazy as _
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from rest_framework import exceptions


class TokenAuthentication(KnoxTokenAuthentication):
    """Knox's token check; a token that is not even text answers 401, never 500."""

    def authenticate_credentials(self, token):
        try:
            return super().authenticate_credentials(token)
        except (UnicodeDecodeError, binascii.Error, TypeError, ValueError) as error:
            raise exceptions.AuthenticationFailed(_("Invalid token.")) from error
