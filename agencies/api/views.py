"""API of the organisation: its reference data (member units and provinces, read only), and API
tokens (django-rest-knox): one per sign-in, stored hashed, each with an expiry.

A token ends when it expires (API_TOKEN_TTL; a role with a second factor: its session's idle
timeout at most, as two-factor is checked only when a token is issued), at logout (this token or
all of the user's), when the user's password changes or the user is deactivated, or when an
administrator deletes it. Failed sign-ins here count towards the lockout (django-axes) as on the
sign-in page; a locked-out account or address gets 429 with the wait. ``TokenScheme`` gives the
API schema its security scheme (drf-spectacular finds it because this module is loaded with the
routes).
"""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.contrib.auth.models import update_last_login
from django.utils.translation import gettext as _
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
from agencies.api.serializers import (
    MemberUnitSerializer,
    ProvinceSerializer,
    TokenRequestSerializer,
    TokenResponseSerializer,
)
from agencies.filtersets import MemberUnitFilterSet, ProvinceFilterSet
from agencies.models import MemberUnit, Province
from agencies.services.accounts import api_token_issue
from core.api.views import RestrictedReadOnlyViewSet
from core.audit import client_ip


class MemberUnitViewSet(RestrictedReadOnlyViewSet):
    """Member units of the Joint Conference (and the IMCS Office), in the plan's order."""

    queryset = MemberUnit.objects.all()
    serializer_class = MemberUnitSerializer
    filterset_class = MemberUnitFilterSet
    lookup_field = "code"


class ProvinceViewSet(RestrictedReadOnlyViewSet):
    """Provincial-level divisions with their GB/T 2260 codes."""

    queryset = Province.objects.all()
    serializer_class = ProvinceSerializer
    filterset_class = ProvinceFilterSet
    lookup_field = "code"


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
