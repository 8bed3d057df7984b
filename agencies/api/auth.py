"""API tokens: a case officer or auditor must add a current two-factor code (``otp``)."""

from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken

from agencies import two_factor


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField()
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    otp = serializers.CharField(
        required=False, allow_blank=True, help_text="two-factor code, for case officers and auditors"
    )


class ObtainTokenView(ObtainAuthToken):
    """Exchange a username and password (and, where required, a two-factor code) for a token."""

    def post(self, request, *args, **kwargs):
        serializer = self.serializer_class(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        user = serializer.validated_data["user"]
        if two_factor.required(user):
            code = request.data.get("otp", "")
            if not code:
                raise serializers.ValidationError({"otp": [_("Enter your two-factor code.")]})
            if not two_factor.verify(user, code):
                raise serializers.ValidationError(
                    {"otp": [_("This code is not right, or was already used.")]}
                )
        return super().post(request, *args, **kwargs)
