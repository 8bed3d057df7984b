"""The Django admin of the reports app: the steps the reminders escalate through (data: who is told
how many days from the deadline), and the reminders sent (read only: the service writes them)."""

from django.contrib import admin

from reports.models import ReminderStep, ReportReminder


@admin.register(ReminderStep)
class ReminderStepAdmin(admin.ModelAdmin):
    list_display = ["order", "days", "recipient", "active"]
    list_display_links = ["order"]
    list_editable = ["days", "recipient", "active"]
    list_filter = ["recipient", "active"]

    def has_delete_permission(self, request, obj=None):
        # A step that has reminded someone stays (its reminders say it did): deactivate it instead.
        return super().has_delete_permission(request, obj) and (obj is None or not obj.reminders.exists())


@admin.register(ReportReminder)
class ReportReminderAdmin(admin.ModelAdmin):
    list_display = ["division", "period", "step", "sent_at", "recipients"]
    list_filter = ["step", "period"]
    list_select_related = ["division", "period", "step"]
    search_fields = ["division__code", "division__name_zh"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
