"""How the API shows member units and provinces."""

from rest_framework import serializers

from agencies.models import MemberUnit, Province


class MemberUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = MemberUnit
        fields = ["code", "name_zh", "name_en", "seq", "is_lead", "is_member"]


class ProvinceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Province
        fields = ["code", "name_zh", "name_en", "kind", "is_key_area", "is_origin", "is_destination"]
