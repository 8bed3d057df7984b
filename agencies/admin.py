from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import MemberUnit, Province, User


@admin.register(MemberUnit)
class MemberUnitAdmin(admin.ModelAdmin):
    list_display = ["seq", "code", "name_zh", "name_en", "is_member", "is_lead"]
    list_display_links = ["code"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "is_key_area", "is_origin", "is_destination"]
    list_editable = ["is_key_area", "is_origin", "is_destination"]
    list_filter = ["kind", "is_key_area", "is_origin", "is_destination"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "unit", "province", "is_active"]
    list_filter = ["role", "is_active", "unit", "province"]
    list_select_related = ["unit", "province"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the portal"), {"fields": ("role", "unit", "province")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the portal"), {"fields": ("role", "unit", "province")}),
    )
