"""Forms of the reports app."""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from agencies.models import MemberUnit, Province
from core.permissions import REVIEW, may
from measures.choices import MAX_FIGURE, FigureGroup


class QuarterlyReportForm(forms.Form):
    """Figures (grouped as the plan's catalogue says), a narrative per area, and the warnings' explanation."""

    warnings_comment = forms.CharField(
        label=_("Explanation of the warnings"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed only when the figures raise a warning."),
    )
    plan_lines = forms.TypedMultipleChoiceField(
        label=_("Lines of the implementation plan reported on"),
        required=False,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The lines of your province's implementation plan this report is on."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, figures, areas, plan_lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.figures, self.areas = list(figures), list(areas)
        self.fields["plan_lines"].choices = [(line.pk, str(line)) for line in plan_lines]
        if not plan_lines:
            del self.fields["plan_lines"]
        for figure in self.figures:
            self.fields[f"figure_{figure.code}"] = forms.IntegerField(
                label=figure.name,
                required=False,
                min_value=0,
                max_value=MAX_FIGURE,
                widget=forms.NumberInput(attrs={"min": 0}),
            )
        for area in self.areas:
            self.fields[f"narrative_{area.seq}"] = forms.CharField(
                label=f"{area.seq}. {area.title}", required=False, widget=forms.Textarea(attrs={"rows": 3})
            )

    def figure_groups(self):
        """[(group label, [bound fields])] in the catalogue's order."""
        groups = []
        for value, label in FigureGroup.choices:
            fields = [self[f"figure_{f.code}"] for f in self.figures if f.group == value]
            if fields:
                groups.append((label, fields))
        return groups

    def narrative_fields(self):
        return [self[f"narrative_{area.seq}"] for area in self.areas]

    def values(self) -> dict[str, int | None]:
        return {f.code: self.cleaned_data.get(f"figure_{f.code}") for f in self.figures}

    def narratives(self) -> dict[int, str]:
        return {area.seq: self.cleaned_data.get(f"narrative_{area.seq}", "") for area in self.areas}


class ReopenRequestForm(forms.Form):
    reason = forms.CharField(
        label=_("Why should the quarter be reopened?"), widget=forms.Textarea(attrs={"rows": 3})
    )


class ReopenDecisionForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    open_until = forms.DateField(
        label=_("Open until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Filled-in template (.xlsx)"))
    dry_run = forms.BooleanField(label=_("Only check it: save nothing"), required=False, initial=True)


class BaselineForm(forms.Form):
    """One province's 2007 figures; the Office fills one such row per province."""

    cases_reported = forms.IntegerField(label=_("Cases reported"), min_value=0, required=False)
    cases_solved = forms.IntegerField(label=_("Cases solved"), min_value=0, required=False)

    def clean(self):
        data = super().clean()
        reported, solved = data.get("cases_reported"), data.get("cases_solved")
        if (reported is None) != (solved is None):
            raise forms.ValidationError(_("Enter both numbers, or neither."))
        if reported is not None and solved is not None and solved > reported:
            self.add_error("cases_solved", _("Cases solved cannot be more than cases reported."))
        return data


class ReportRequestForm(forms.Form):
    """Which report to compile: the spec's checks (``report_spec``) put their errors on these fields."""

    kind = forms.ChoiceField(label=_("Report"))
    period = forms.CharField(
        label=_("Period"),
        max_length=6,
        help_text=_("A quarter such as 2009Q4; for an annual report, a year such as 2009."),
    )
    province = forms.ModelChoiceField(
        label=_("Province"), queryset=Province.objects.all(), required=False, to_field_name="code"
    )
    unit = forms.ModelChoiceField(
        label=_("Member unit"), queryset=MemberUnit.objects.all(), required=False, to_field_name="code"
    )
    language = forms.ChoiceField(label=_("Language"), choices=settings.LANGUAGES)
    early = forms.BooleanField(
        label=_("Compile it now all the same"),
        required=False,
        help_text=_("The report will say that its data is as of today and that more may still come in."),
    )

    def __init__(self, *args, user, kinds, ask_early: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = kinds
        if not may(user, REVIEW):  # a province's or a unit's report is their own
            del self.fields["province"], self.fields["unit"]
        if not ask_early:  # asked only once the request turns out to be ahead of the deadline
            del self.fields["early"]


class NothingToReportForm(forms.Form):
    """The level above marks a division below it as having nothing to report for a quarter."""

    reason = forms.CharField(
        label=_("Why has this division nothing to report?"),
        required=False,  # the service names the missing reason, as the API does
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class LockExceptionForm(forms.Form):
    """The level above lets a division below it submit a locked quarter until a date."""

    open_until = forms.DateField(
        label=_("Open until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
