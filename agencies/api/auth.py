"""API tokens (django-rest-knox): one per sign-in, stored hashed, each with an expiry.

A token ends when it expires (API_TOKEN_TTL; a role with a second factor: its session's idle
timeout at most, as two-factor is checked only when a token is issued), at logout (this token or
all of the user's), when the user's password changes or the user is deactivated, or when an
administrator deletes it. Failed sign-ins here count towards the lockout (django-axes) as on the
sign-in page; a locked-out account or address gets 429 with the wait.
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from knox import views as knox_views
from knox.settings import knox_settings
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from agencies import lockout, two_factor
from agencies.api.authentication import TokenAuthentication
from agencies.services.accounts import api_token_issue
from core.audit import client_ip


class TokenScheme(OpenApiAuthenticationExtension):
    """The API schema's word for the token check: ``Authorization: Token <token>``."""

    target_class = TokenAuthentication
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(
            header_name="Authorization", token_prefix=knox_settings.AUTH_HEADER_PREFIX
        )


class TokenThrottle(ScopedRateThrottle):
    """Calls to the token endpoint per client address (the same address as the lockout and the
    audit log, never a forgeable header), counted in the cache; the rate is read at each call."""

    def get_rate(self):
        return api_settings.DEFAULT_THROTTLE_RATES[self.scope]

    def get_ident(self, request):
        return client_ip(request._request if hasattr(request, "_request") else request) or ""


class OtpField(serializers.CharField):
    """The two-factor code, as text. A JSON number is read as the 6-digit authenticator code it
    spells, zero-padded (123 is 000123: a number cannot carry leading zeros); any other number
    (negative, fractional, more than 6 digits) is refused, naming the field and asking for text."""

    def to_internal_value(self, data):
        if isinstance(data, int) and not isinstance(data, bool):
            if 0 <= data <= 999_999:
                return f"{data:06d}"
            self.fail("not_a_code")
        if isinstance(data, float):
            self.fail("not_a_code")
        return super().to_internal_value(data)

    default_error_messages = {
        "not_a_code": gettext_lazy("Send the two-factor code as text, e.g. 012345."),
    }


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False, max_length=4096)
    otp = OtpField(
        required=False,
        allow_blank=True,
        max_length=20,
        help_text="two-factor code (authenticator or backup code): case officers, auditors, administrators",
    )


class TokenResponseSerializer(serializers.Serializer):
    token = serializers.CharField()
    expiry = serializers.DateTimeField()


LOCKED_OUT = OpenApiResponse(
    inline_serializer(
        "LockedOut",
        {"detail": serializers.CharField(), "wait_seconds": serializers.IntegerField(required=False)},
    ),
    description="too many failed sign-ins for this account or from this address (with wait_seconds), "
    "or too many token requests from this address; Retry-After says when to try again",
)


NO_TOKEN = OpenApiResponse(description="no valid token (missing, expired or ended)")


class ObtainTokenView(APIView):
    """Exchange a username and password (and, where the role needs it, a two-factor code) for a
    new token; each call gives a new token, with its expiry."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [TokenThrottle]
    throttle_scope = "auth_token"
    serializer_class = TokenRequestSerializer

    @extend_schema(
        request=TokenRequestSerializer,
        responses={
            200: TokenResponseSerializer,
            400: OpenApiResponse(description="refused"),
            429: LOCKED_OUT,
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        # django-axes reads (and marks) the Django request, not DRF's wrapper.
        django_request = request._request
        user = authenticate(django_request, username=data["username"], password=data["password"])
        if user is None:
            if (seconds := lockout.locked_wait(django_request, data["username"])) is not None:
                return lockout.api_response(seconds)
            raise serializers.ValidationError(
                {"non_field_errors": [_("Unable to log in with provided credentials.")]}
            )
        if two_factor.required(user):
            code = data.get("otp", "")
            if not code:
                raise serializers.ValidationError({"otp": [_("Enter your two-factor code.")]})
            if not two_factor.verify(django_request, user, code):
                if (seconds := lockout.locked_wait(django_request, user.get_username())) is not None:
                    return lockout.api_response(seconds)
                raise serializers.ValidationError(
                    {"otp": [_("This code is not right, or was already used.")]}
                )
        instance, token = api_token_issue(user=user)
        update_last_login(None, user)
        body = TokenResponseSerializer({"token": token, "expiry": instance.expiry}).data
        return Response(body, status=status.HTTP_200_OK)


class LogoutView(knox_views.LogoutView):
    """End the token this request was made with (knox's own view, with the portal's token check)."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None, 401: NO_TOKEN})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutAllView(knox_views.LogoutAllView):
    """End every token of the user (every script and device signed in with one)."""

    authentication_classes = [TokenAuthentication]

    @extend_schema(request=None, responses={204: None, 401: NO_TOKEN})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
