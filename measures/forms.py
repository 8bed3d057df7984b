"""Forms of the measures app: a progress entry, the Office's review, evaluation rounds and assessments."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import DecisionForm
from measures.choices import MAX_FIGURE, EvaluationKind, EvaluationRating, ProgressStatus, ResponsibilityRole


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (kind, size, emptiness)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, list | tuple):
            return [super(MultipleFileField, self).clean(item, initial) for item in data if item]
        return [super().clean(data, initial)] if data else []


class ProgressEntryForm(forms.Form):
    """What a unit reports: status (responsible units only), narrative, figures, evidence."""

    status = forms.ChoiceField(label=_("Status"), required=False)
    narrative = forms.CharField(
        label=_("Narrative"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done this period, what is planned, and any difficulty."),
    )
    evidence = MultipleFileField(
        label=_("Add evidence files"),
        required=False,
        help_text=_(
            "PDF, images (PNG, JPEG) or office documents (Word, Excel, PowerPoint), at most %(size)s each."
        ),
    )
    remove_evidence = forms.TypedMultipleChoiceField(
        label=_("Remove evidence files"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, role: str, figures, evidence=(), max_size_label: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.figure_codes = []
        if role == ResponsibilityRole.RESPONSIBLE:
            self.fields["status"].choices = [("", "—"), *ProgressStatus.choices]
        else:
            del self.fields["status"]
            self.fields["narrative"].label = _("Contribution of your unit")
        self.fields["evidence"].help_text = self.fields["evidence"].help_text % {"size": max_size_label}
        self.fields["remove_evidence"].choices = [(f.pk, f.original_name) for f in evidence]
        if not evidence:
            del self.fields["remove_evidence"]
        for definition in figures:
            name = f"figure_{definition.code}"
            self.fields[name] = forms.IntegerField(
                label=definition.name, required=False, min_value=0, max_value=MAX_FIGURE
            )
            self.figure_codes.append(definition.code)

    def figure_values(self) -> dict[str, int | None]:
        return {code: self.cleaned_data.get(f"figure_{code}") for code in self.figure_codes}

    def figure_fields(self):
        return [self[f"figure_{code}"] for code in self.figure_codes]


class ReviewForm(DecisionForm):
    """The Office's decision on an entry: the comment speaks to the unit."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].label = _("Comment to the unit")
        self.fields["comment"].help_text = _(
            "Required when returning the entry: say what the unit should fix."
        )


class EvaluationRoundForm(forms.Form):
    """The Office opens an evaluation round."""

    kind = forms.ChoiceField(label=_("Kind of evaluation"), choices=EvaluationKind.choices)
    title_zh = forms.CharField(label=_("Title in Chinese"), max_length=200)
    title_en = forms.CharField(label=_("Title in English"), max_length=200)
    opens_on = forms.DateField(label=_("Opens on"), widget=forms.DateInput(attrs={"type": "date"}))
    due_on = forms.DateField(
        label=_("Self-assessments due on"), widget=forms.DateInput(attrs={"type": "date"})
    )


class SelfAssessmentForm(forms.Form):
    """A unit's self-assessment of one measure (one per measure on the round's page, by prefix)."""

    rating = forms.ChoiceField(label=_("Rating"), required=False)
    narrative = forms.CharField(
        label=_("Self-assessment"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What your unit achieved on this measure, what remains, and why."),
    )
    evidence = forms.FileField(
        label=_("Evidence file"),
        required=False,
        help_text=_(
            "PDF, images (PNG, JPEG) or office documents (Word, Excel, PowerPoint), at most %(size)s."
        ),
    )
    remove_evidence = forms.BooleanField(label=_("Remove the evidence file"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, max_size_label: str = "", has_evidence: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["rating"].choices = [("", "—"), *EvaluationRating.choices]
        self.fields["evidence"].help_text = self.fields["evidence"].help_text % {"size": max_size_label}
        if not has_evidence:
            del self.fields["remove_evidence"]


class OfficeAssessmentForm(forms.Form):
    """The Office's assessment of one measure (one per measure on the round's page, by prefix)."""

    rating = forms.ChoiceField(
        label=_("Rating of the Office"), choices=[("", "—"), *EvaluationRating.choices]
    )
    comment = forms.CharField(
        label=_("Comment of the Office"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
