"""The admin of the organisation: divisions (read only: a data edition loads them), agencies,
units, provinces, users (with unlocking and ending API tokens),
API tokens (read and revoke only) and django-axes' failed sign-in attempts (unlocking addresses)."""

from axes.admin import AccessAttemptAdmin as AxesAccessAttemptAdmin
from axes.models import AccessAttempt
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from knox.models import AuthToken

from agencies.models import Agency, Division, MemberUnit, Province, User
from agencies.services.accounts import account_unlock, address_unlock, api_tokens_end


@admin.register(MemberUnit)
class MemberUnitAdmin(admin.ModelAdmin):
    list_display = ["seq", "code", "name_zh", "name_en", "is_member"]
    list_display_links = ["code"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "is_key_area", "is_origin", "is_destination"]
    list_editable = ["is_key_area", "is_origin", "is_destination"]
    list_filter = ["kind", "is_key_area", "is_origin", "is_destination"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Division)
class DivisionAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "level", "abolished_in"]
    list_filter = ["level", "abolished_in"]
    search_fields = ["code", "name_zh", "search_key"]
    fields = [
        "code",
        "name_zh",
        "name_en",
        "level",
        "parent",
        "first_edition",
        "abolished_in",
        "former_names",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "kind", "unit", "division", "is_active"]
    list_filter = ["kind", "is_active", "province", "unit"]
    list_select_related = ["unit", "division"]
    search_fields = ["code", "name_zh", "name_en", "division__code", "division__search_key"]
    autocomplete_fields = ["division"]
    fields = ["code", "kind", "unit", "division", "name_zh", "name_en", "is_active"]
    change_list_template = "agencies/admin/change_list_with_import.html"  # links the import page


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "agency", "is_active"]
    list_filter = ["role", "is_active", "agency__province", "agency__unit"]
    list_select_related = ["agency"]
    search_fields = [*BaseUserAdmin.search_fields, "agency__name_zh", "agency__name_en"]
    autocomplete_fields = ["agency"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Role in the portal"), {"fields": ("role", "agency")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Role in the portal"), {"fields": ("role", "agency")}),
    )
    actions = ["unlock_sign_in", "end_api_tokens"]
    change_list_template = "agencies/admin/change_list_with_import.html"  # links the import page

    @admin.action(
        description=_(
            "Unlock the account's sign-in (clears its failed attempts; a locked address is unlocked "
            "under Access attempts)"
        )
    )
    def unlock_sign_in(self, request, queryset):
        unlocked = sum(1 for user in queryset if account_unlock(actor=request.user, user=user))
        self.message_user(
            request,
            ngettext("%(count)d account unlocked.", "%(count)d accounts unlocked.", unlocked)
            % {"count": unlocked},
            messages.SUCCESS,
        )

    @admin.action(description=_("End all API tokens"))
    def end_api_tokens(self, request, queryset):
        ended = sum(api_tokens_end(actor=request.user, user=user, reason="admin") for user in queryset)
        self.message_user(
            request,
            ngettext("%(count)d API token ended.", "%(count)d API tokens ended.", ended) % {"count": ended},
            messages.SUCCESS,
        )


# Knox's own admin lets an administrator make a token that never expires, for anyone: replaced by
# a list to read and revoke (delete) tokens; tokens are made only by signing in to the API.
admin.site.unregister(AuthToken)


@admin.register(AuthToken)
class AuthTokenAdmin(admin.ModelAdmin):
    list_display = ["begins_with", "user", "issued", "expires"]
    list_select_related = ["user"]
    search_fields = ["token_key", "user__username"]
    fields = ["begins_with", "user", "issued", "expires"]
    readonly_fields = fields
    ordering = ["-created"]

    @admin.display(description=_("Token begins with"), ordering="token_key")
    def begins_with(self, token):
        return token.token_key

    @admin.display(description=_("Issued"), ordering="created")
    def issued(self, token):
        return token.created

    @admin.display(description=_("Expires"), ordering="expiry")
    def expires(self, token):
        return token.expiry

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def delete_model(self, request, obj):
        api_tokens_end(actor=request.user, user=obj.user, reason="admin", digest=obj.digest)

    def delete_queryset(self, request, queryset):
        for token in queryset.select_related("user"):
            self.delete_model(request, token)


admin.site.unregister(AccessAttempt)


@admin.register(AccessAttempt)
class AccessAttemptAdmin(AxesAccessAttemptAdmin):
    """django-axes' failed sign-in attempts, with an action that unlocks the selected attempts'
    addresses (every failed attempt from each address is cleared, and written to the audit log)."""

    actions = ["unlock_addresses"]

    @admin.action(
        description=_("Unlock the addresses of the selected attempts (clears every failed attempt from them)")
    )
    def unlock_addresses(self, request, queryset):
        addresses = sorted({a for a in queryset.values_list("ip_address", flat=True) if a})
        unlocked = sum(1 for ip in addresses if address_unlock(actor=request.user, ip_address=ip))
        self.message_user(
            request,
            ngettext("%(count)d address unlocked.", "%(count)d addresses unlocked.", unlocked)
            % {"count": unlocked},
            messages.SUCCESS,
        )
