"""Forms of the measures app: a progress entry, the Office's review, evaluation rounds and assessments."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.forms import DecisionForm, MultipleFileField
from measures.choices import (
    MAX_AMOUNT_DIGITS,
    MAX_FIGURE,
    AgreementKind,
    AgreementStatus,
    DonorKind,
    EvaluationKind,
    EvaluationRating,
    ForeignPartyKind,
    FundingChannel,
    LineKind,
    ProgressStatus,
    ResponsibilityRole,
    SelfCheckStatus,
)
from measures.services.funding import amount_from_text


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
    plan_line = forms.TypedChoiceField(
        label=_("Line of your implementation plan"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("The line of your unit's implementation plan this entry reports on, if any."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, role: str, figures, evidence=(), max_size_label: str = "", plan_lines=(), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.figure_codes = []
        self.fields["plan_line"].choices = [("", "—"), *((line.pk, str(line)) for line in plan_lines)]
        if not plan_lines:
            del self.fields["plan_line"]
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


class GoodPracticeForm(forms.Form):
    """A unit's or a province's good practice: title and summary in Chinese and/or English, the
    area and measures of the plan it serves, where it is practised, and its files. The measures are
    grouped by area, so the form works without JavaScript; the service checks they are the area's."""

    title_zh = forms.CharField(label=_("Title in Chinese"), required=False, max_length=200)
    title_en = forms.CharField(label=_("Title in English"), required=False, max_length=300)
    summary_zh = forms.CharField(
        label=_("Summary in Chinese"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("What was done, by whom, with what result, and what others can take from it."),
    )
    summary_en = forms.CharField(
        label=_("Summary in English"),
        required=False,
        max_length=10_000,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    area = forms.ModelChoiceField(label=_("Area"), queryset=None, empty_label="—")
    measures = forms.TypedMultipleChoiceField(
        label=_("Measures"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The measures of the chosen area that the practice serves (Ctrl: several)."),
    )
    practice_province = forms.ModelChoiceField(
        label=_("Province where it is practised"),
        queryset=None,
        required=False,
        empty_label="—",
        help_text=_("Empty for a practice of the whole country; a province's own by default."),
    )
    attachments = MultipleFileField(
        label=_("Add files"),
        required=False,
        help_text=_(
            "PDF, images (PNG, JPEG) or office documents (Word, Excel, PowerPoint), at most %(size)s "
            "each and %(count)d in all."
        ),
    )
    remove_attachments = forms.TypedMultipleChoiceField(
        label=_("Remove files"), required=False, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, *args, areas, measures, provinces, attachments=(), max_size_label="", max_files=0, **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["area"].queryset = areas
        self.fields["practice_province"].queryset = provinces
        groups: dict = {}
        for measure in measures:
            label = f"{measure.label} {measure.text[:60]}"
            groups.setdefault(str(measure.area), []).append((measure.pk, label))
        self.fields["measures"].choices = list(groups.items())
        self.measures_by_pk = {measure.pk: measure for measure in measures}
        self.fields["attachments"].help_text = self.fields["attachments"].help_text % {
            "size": max_size_label,
            "count": max_files,
        }
        self.fields["remove_attachments"].choices = [(f.pk, f.original_name) for f in attachments]
        if not attachments:
            del self.fields["remove_attachments"]

    def chosen_measures(self) -> list:
        return [self.measures_by_pk[pk] for pk in self.cleaned_data.get("measures") or []]


class PracticeSearchForm(forms.Form):
    """The library's search box and filters (a GET form: every field may be empty)."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.TypedChoiceField(label=_("Area"), required=False, coerce=int, empty_value=None)
    measure = forms.ChoiceField(label=_("Measure"), required=False)
    unit = forms.ChoiceField(label=_("Member unit"), required=False)
    province = forms.ChoiceField(label=_("Province"), required=False)

    def __init__(self, *args, areas, measures, units, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        self.fields["area"].choices = everything + [(a.seq, str(a)) for a in areas]
        self.fields["measure"].choices = everything + [(m.ref, m.label) for m in measures]
        self.fields["unit"].choices = everything + [(u.code, str(u.name)) for u in units]
        self.fields["province"].choices = everything + [(p.code, str(p.name)) for p in provinces]


class ImplementationPlanForm(forms.Form):
    """An implementation plan's own fields: its summary and document (the lines are a formset)."""

    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        max_length=20_000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("How the unit or province will carry out the national plan, in a few paragraphs."),
    )
    document = forms.FileField(
        label=_("Document of the plan"),
        required=False,
        help_text=_("The plan as issued: PDF or an office document, at most %(size)s."),
    )
    remove_document = forms.BooleanField(label=_("Remove the document"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, max_size_label: str = "", has_document: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].help_text = self.fields["document"].help_text % {"size": max_size_label}
        if not has_document:
            del self.fields["remove_document"]


class ImplementationLineForm(forms.Form):
    """One line: the national measure, the kind (a province's local measure), what will be done, the
    office in charge, the budget, and a target for each year of the plan (empty: none that year)."""

    line_id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    measure = forms.TypedChoiceField(label=_("National measure"), coerce=int, empty_value=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=LineKind.choices, initial=LineKind.ACTION)
    title = forms.CharField(label=_("Title"), required=False, max_length=200)
    text = forms.CharField(
        label=_("What will be done"), max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )
    office_in_charge = forms.CharField(label=_("Office in charge"), max_length=200)
    budget = forms.DecimalField(
        label=_("Budget (yuan)"),
        required=False,
        min_value=0,
        max_digits=MAX_AMOUNT_DIGITS,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"min": 0, "step": "0.01"}),
    )

    def __init__(self, *args, measures=(), years=(), local_measures: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["measure"].choices = [("", "—"), *((m.pk, f"{m.label} {m.text[:50]}") for m in measures)]
        if not local_measures:
            self.fields["kind"].choices = [(LineKind.ACTION, LineKind.ACTION.label)]
        self.years = list(years)
        for year in self.years:
            self.fields[f"target_{year}"] = forms.CharField(
                label=_("Target for %(year)d") % {"year": year}, required=False, max_length=500
            )
            self.fields[f"quantity_{year}"] = forms.IntegerField(
                label=_("Quantity for %(year)d") % {"year": year},
                required=False,
                min_value=0,
                max_value=2_147_483_647,
            )

    def year_fields(self):
        """[(year, target field, quantity field)]."""
        return [(year, self[f"target_{year}"], self[f"quantity_{year}"]) for year in self.years]


class DivisionTargetForm(forms.Form):
    """A target of one of a province's local measures for a division below it, in a year."""

    line = forms.TypedChoiceField(label=_("Line"), coerce=int, empty_value=None)
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, empty_value=None)
    division = forms.ChoiceField(label=_("Division"))
    text = forms.CharField(label=_("Target"), max_length=500)
    quantity = forms.IntegerField(label=_("Quantity"), required=False, min_value=0, max_value=2_147_483_647)

    def __init__(self, *args, line_count: int = 0, years=(), divisions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["line"].choices = [
            ("", "—"),
            *((i, _("Line %(number)d") % {"number": i + 1}) for i in range(line_count)),
        ]
        self.fields["year"].choices = [("", "—"), *((y, str(y)) for y in years)]
        self.fields["division"].choices = [("", "—"), *((d.code, f"{d.code} {d.name}") for d in divisions)]


class SelfCheckForm(forms.Form):
    """A year's self-check of an accepted plan: a status and a note per line (``line_<id>_status``,
    ``line_<id>_note``)."""

    def __init__(self, *args, lines=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.line_ids = []
        for line in lines:
            self.fields[f"line_{line.pk}_status"] = forms.ChoiceField(
                label=_("Status of line %(line)s") % {"line": line},
                required=False,
                choices=[("", "—"), *SelfCheckStatus.choices],
            )
            self.fields[f"line_{line.pk}_note"] = forms.CharField(
                label=_("Note on line %(line)s") % {"line": line},
                required=False,
                max_length=5000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )
            self.line_ids.append(line.pk)

    def line_fields(self, line_id: int):
        return self[f"line_{line_id}_status"], self[f"line_{line_id}_note"]


class AgreementSearchForm(forms.Form):
    """The registry's filters: a party province, the kind, the status, the year signed, a measure."""

    province = forms.ChoiceField(label=_("Province"), required=False)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=[("", "—"), *AgreementKind.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", "—"), *AgreementStatus.choices]
    )
    year = forms.IntegerField(label=_("Year signed"), required=False, min_value=1980, max_value=2100)
    measure = forms.TypedChoiceField(label=_("Measure"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, provinces, measures, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [("", "—"), *((p.code, p.name) for p in provinces)]
        self.fields["measure"].choices = [("", "—"), *((m.pk, m.label) for m in measures)]


PARTY_FIELDS = ("province", "foreign_kind", "foreign_name_zh", "foreign_name_en")


class AgreementForm(forms.Form):
    """A cooperation agreement: titles, kind, date signed, status, summary, the measures it serves,
    its document and its parties, one row each (``parties_<n>_province``, or ``parties_<n>_foreign_kind``
    with a name). Empty rows are left out; "add rows" shows more without JavaScript."""

    title_zh = forms.CharField(label=_("Title in Chinese"), required=False, max_length=200)
    title_en = forms.CharField(label=_("Title in English"), required=False, max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", "—"), *AgreementKind.choices])
    signed_on = forms.DateField(
        label=_("Signed on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    status = forms.ChoiceField(label=_("Status"), choices=AgreementStatus.choices)
    summary = forms.CharField(
        label=_("Summary"), required=False, max_length=10_000, widget=forms.Textarea(attrs={"rows": 5})
    )
    measures = forms.TypedMultipleChoiceField(
        label=_("Measures it serves"),
        required=False,
        coerce=int,
        widget=forms.SelectMultiple(attrs={"size": 10}),
        help_text=_("The measures of the plan the agreement serves (Ctrl: several)."),
    )
    document = forms.FileField(
        label=_("Document"),
        required=False,
        help_text=_("The signed text: PDF, an image or an office document, at most %(size)s."),
    )
    remove_document = forms.BooleanField(label=_("Remove the saved document"), required=False)
    party_rows = forms.IntegerField(widget=forms.HiddenInput, required=False, min_value=1, max_value=40)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, measures, provinces, rows: int, max_size_label="", has_document=False, **kw):
        super().__init__(*args, **kw)
        groups: dict = {}
        for measure in measures:
            label = f"{measure.label} {measure.text[:60]}"
            groups.setdefault(str(measure.area), []).append((measure.pk, label))
        self.fields["measures"].choices = list(groups.items())
        self.measures_by_pk = {measure.pk: measure for measure in measures}
        self.fields["document"].help_text = self.fields["document"].help_text % {"size": max_size_label}
        if not has_document:
            del self.fields["remove_document"]
        self.rows = rows
        for n in range(rows):
            number = {"number": n + 1}
            self.fields[f"parties_{n}_province"] = forms.ModelChoiceField(
                label=_("Party %(number)d: province") % number,
                queryset=provinces,
                required=False,
                empty_label="—",
            )
            self.fields[f"parties_{n}_foreign_kind"] = forms.ChoiceField(
                label=_("Party %(number)d: or a party abroad") % number,
                required=False,
                choices=[("", "—"), *ForeignPartyKind.choices],
            )
            self.fields[f"parties_{n}_foreign_name_zh"] = forms.CharField(
                label=_("Party %(number)d: name abroad in Chinese") % number, required=False, max_length=200
            )
            self.fields[f"parties_{n}_foreign_name_en"] = forms.CharField(
                label=_("Party %(number)d: name abroad in English") % number, required=False, max_length=200
            )

    def party_rows_fields(self):
        """Each party row's four fields, for the template."""
        return [[self[f"parties_{n}_{name}"] for name in PARTY_FIELDS] for n in range(self.rows)]

    def chosen_measures(self) -> list:
        return [self.measures_by_pk[pk] for pk in self.cleaned_data.get("measures") or []]


class FundingLineForm(forms.Form):
    """A funding line: year, channel, area (none: the work as a whole), who gave it, the amounts as
    people type them (``1,200.50``, ``¥1200``; read by ``amount_from_text``) and a note."""

    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    channel = forms.ChoiceField(label=_("Channel"), choices=FundingChannel.choices)
    area = forms.ModelChoiceField(
        label=_("Area"),
        queryset=None,
        required=False,
        empty_label=_("The work as a whole"),
        help_text=_("Leave it on the work as a whole for money not kept by area."),
    )
    donor_kind = forms.ChoiceField(
        label=_("Kind of donor"),
        required=False,
        choices=[("", "—"), *DonorKind.choices],
        help_text=_("Donations only: a civil group, an enterprise or an individual."),
    )
    donor = forms.CharField(
        label=_("Donor"),
        required=False,
        max_length=200,
        help_text=_("International aid: who gave it (e.g. UNICEF, ILO); a donation may name it too."),
    )
    budgeted = forms.CharField(
        label=_("Budgeted (yuan)"),
        required=False,
        max_length=40,
        help_text=_("Government budgets only: the amount set aside for the year."),
    )
    amount = forms.CharField(
        label=_("Spent or received (yuan)"),
        required=False,
        max_length=40,
        help_text=_("In yuan, e.g. 1,200.50: what was spent from a budget, or what was received."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in plan.years]
        self.fields["area"].queryset = plan.areas.order_by("seq")

    def _amount(self, name: str):
        try:
            return amount_from_text(self.cleaned_data.get(name), field=name)
        except ValidationError as error:  # the field's own messages, without the field's name
            raise ValidationError(error.message_dict[name]) from error

    def clean_budgeted(self):
        return self._amount("budgeted")

    def clean_amount(self):
        return self._amount("amount")
