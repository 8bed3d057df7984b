"""How the API shows member units and provinces, and what the token endpoint reads and answers
(the two-factor code as text)."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from agencies.models import MemberUnit, Province


class MemberUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberUnit
        fields = ["code", "name_zh", "name_en", "seq", "is_member"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_zh", "name_en", "kind", "is_key_area", "is_origin", "is_destination"]


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
