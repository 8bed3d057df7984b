"""The Django admin of the plan: plans, areas, measures with their responsible and cooperating units,
clauses and targets."""

from django.contrib import admin

from measures.models import Area, Measure, Plan, PlanClause, Responsibility, Target


class ResponsibilityInline(admin.TabularInline):
    model = Responsibility
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(Plan)
class PlanAdmin(admin.ModelAdmin):
    list_display = ["code", "title_zh", "document_number", "start_year", "end_year"]


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ["plan", "seq", "title_zh"]
    list_filter = ["plan"]


@admin.register(Measure)
class MeasureAdmin(admin.ModelAdmin):
    list_display = ["ref", "plan", "area", "units_zh"]
    list_filter = ["plan", "area__seq"]
    search_fields = ["ref", "text_zh", "text_en"]
    list_select_related = ["plan", "area"]
    inlines = [ResponsibilityInline]


@admin.register(Target)
class TargetAdmin(admin.ModelAdmin):
    list_display = ["code", "plan", "kind", "due_on", "indicator"]
    list_filter = ["plan", "kind"]


@admin.register(PlanClause)
class PlanClauseAdmin(admin.ModelAdmin):
    list_display = ["plan", "kind", "seq", "key"]
    list_filter = ["plan", "kind"]
