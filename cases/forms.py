"""Forms of case files."""

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from agencies.choices import DivisionLevel
from agencies.forms import AgencyField, DivisionField
from agencies.models import Agency, Division, Province
from cases.choices import CaseStatus, Category, DocumentKind, Exploitation, ServiceKind, Sex
from core.forms import MultipleFileField

# A date input takes ISO dates whatever the page's language (zh's 2009/06/01 would read as empty).
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PHONE = RegexValidator(r"^\+?[0-9][0-9 -]{5,19}$", _("Enter a phone number: digits, with spaces or dashes."))
IDENTITY_FIELDS = ("name", "id_number", "phone", "address", "household_registration")
# Where a person was rescued and is from, below the province: a city (prefecture level) or a county.
COUNTY_OR_CITY = (DivisionLevel.PREFECTURE, DivisionLevel.COUNTY)


def county_or_city(label, province_field: str, help_text=None) -> DivisionField:
    return DivisionField(
        label=label,
        queryset=Division.objects.current(),
        levels=COUNTY_OR_CITY,
        province_field=province_field,
        required=False,
        **({"help_text": help_text} if help_text else {}),
    )


class CaseFileForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    name = forms.CharField(label=pgettext_lazy("person", "Name"), max_length=100)
    id_document_kind = forms.ChoiceField(
        label=_("Kind of identity document"), choices=DocumentKind.choices, initial=DocumentKind.RESIDENT_ID
    )
    id_number = forms.CharField(
        label=_("Identity document number"),
        max_length=40,
        required=False,
        help_text=_("A resident identity card number is checked (18 characters, the last a check digit)."),
    )
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False, validators=[PHONE])
    date_of_birth = forms.DateField(label=_("Date of birth"), required=False, widget=DATE)
    estimated_age = forms.IntegerField(label=_("Estimated age"), required=False, min_value=0, max_value=120)
    home_province = forms.ModelChoiceField(
        label=_("Home province"), queryset=Province.objects.all(), required=False
    )
    home_division = county_or_city(_("Home county or city"), "home_province")
    home_county = forms.CharField(
        label=_("Home county (as told)"),
        max_length=100,
        required=False,
        help_text=_("The place as the person names it, if it is not in the list above."),
    )
    address = forms.CharField(label=_("Home address"), max_length=300, required=False)
    household_registration = forms.CharField(
        label=_("Household registration"), max_length=200, required=False
    )
    rescued_on = forms.DateField(label=_("Rescued on"), widget=DATE)
    rescue_province = forms.ModelChoiceField(
        label=_("Rescued in (province)"), queryset=Province.objects.all()
    )
    rescue_division = county_or_city(
        _("Rescued in (county or city)"),
        "rescue_province",
        _("A county or city of the province above: type its name, pinyin or code, then choose."),
    )
    rescuing_agency = AgencyField(label=_("Rescuing agency"), queryset=Agency.objects.case_keepers())
    exploitation = forms.MultipleChoiceField(
        label=_("Forms of exploitation"),
        choices=Exploitation.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    consent_services = forms.BooleanField(label=_("Consents to assistance services"), required=False)
    consent_sharing = forms.BooleanField(label=_("Consents to sharing with other agencies"), required=False)
    consent_statistics = forms.BooleanField(label=_("Consents to anonymous statistics"), required=False)
    guardian_found = forms.NullBooleanField(label=_("Guardian found (children)"), required=False)
    status = forms.ChoiceField(label=_("Status"), choices=CaseStatus.choices, initial=CaseStatus.OPEN)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    confirm_duplicate = forms.BooleanField(
        label=_("I checked: this is a different person, or a new file is needed"), required=False
    )

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.editing = case is not None
        if self.editing:
            # A division abolished since it was recorded stays a valid value of this file.
            for name in ("home_division", "rescue_division"):
                if getattr(case, f"{name}_id"):
                    field = self.fields[name]
                    field.queryset = field.queryset | Division.objects.filter(pk=getattr(case, f"{name}_id"))
            # Editing never shows the identifiers: each keeps its value unless a new one is typed.
            for name in IDENTITY_FIELDS:
                field = self.fields[name]
                field.required = False
                masked = {
                    "name": case.masked_name,
                    "id_number": case.masked_id_number,
                    "phone": case.masked_phone,
                }
                field.widget.attrs["placeholder"] = masked.get(name) or (
                    "****" if getattr(case, name) else ""
                )
                field.help_text = _("Leave empty to keep the current value.")
            del self.fields["confirm_duplicate"]

    def case_data(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("version", "confirm_duplicate")}
        if self.editing:
            data = {k: v for k, v in data.items() if k not in IDENTITY_FIELDS or v}
        if data.get("category") != Category.CHILD:
            data["guardian_found"] = None
        return data


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("Why do you need to see the identifiers?"), max_length=300)


class ServiceForm(forms.Form):
    kind = forms.ChoiceField(label=_("Service"), choices=ServiceKind.choices)
    provided_on = forms.DateField(label=_("Provided on"), widget=DATE)
    outcome = forms.CharField(label=_("Outcome"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    visited_on = forms.DateField(label=_("Visited on"), widget=DATE)
    living_conditions = forms.CharField(
        label=_("Living conditions"), widget=forms.Textarea(attrs={"rows": 2})
    )
    needs = forms.CharField(label=_("Needs"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_visit_due = forms.DateField(label=_("Next visit due"), required=False, widget=DATE)


class ReferralForm(forms.Form):
    to_agency = AgencyField(
        label=_("Refer to"),
        queryset=Agency.objects.case_keepers(),
        help_text=_(
            "Any agency, in any province: type its name, code or place (昆明, kunming), then choose."
        ),
    )

    def __init__(self, *args, agency_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency_id:  # one's own agency is no referral
            self.fields["to_agency"].exclude(agency_id)

    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("referral", _("Referral for services")), ("transfer", _("Transfer of the case file"))],
    )
    purpose = forms.CharField(label=_("Purpose"), widget=forms.Textarea(attrs={"rows": 2}))


class ExportForm(forms.Form):
    with_identifiers = forms.BooleanField(label=_("Include names and identifiers"), required=False)
    reason = forms.CharField(label=_("Reason (needed with identifiers)"), required=False, max_length=300)

    def clean(self):
        data = super().clean()
        if data.get("with_identifiers") and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Say why the export needs names and identifiers."))
        return data


class PublicReportForm(forms.Form):
    """The public page's report of a suspected crime: where (a province, and a county or city of it
    if known), what and when, anonymously or with a way to be reached, and up to three files. The
    ``website`` field is a trap for robots: people never see it."""

    province = forms.ModelChoiceField(
        Province.objects.all(),
        to_field_name="code",
        label=_("Province where it happens"),
        empty_label=_("Choose the province"),
    )
    county = forms.ModelChoiceField(
        Division.objects.none(),
        to_field_name="code",
        required=False,
        label=_("County or city (if you know it)"),
        empty_label=_("Anywhere in the province / not sure"),
    )
    description = forms.CharField(
        label=_("What happened"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Who, where, what you saw or heard. At most 5000 characters."),
    )
    happened_on = forms.DateField(label=_("When it happened (if you know)"), required=False, widget=DATE)
    is_anonymous = forms.BooleanField(
        label=_("Report anonymously (leave no way to reach me)"), required=False, initial=True
    )
    contact_name = forms.CharField(label=_("Your name"), max_length=100, required=False)
    contact_phone = forms.CharField(
        label=_("Your phone"), max_length=30, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    contact_email = forms.CharField(
        label=_("Your e-mail"), max_length=254, required=False, widget=forms.EmailInput()
    )
    attachments = MultipleFileField(
        label=_("Photos or documents (up to 3)"),
        required=False,
        help_text=_("PDF, PNG, JPEG, Word, Excel or PowerPoint, at most 10 MB each."),
    )
    website = forms.CharField(
        label=_("Leave this empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.data.get("province") or self.initial.get("province")
        self.fields["county"].queryset = counties_of(code if isinstance(code, str) else "")


def counties_of(province_code: str):
    """The prefectures and counties of a province, for the public page's second select."""
    if not (province_code.isdigit() and len(province_code) == 6):
        return Division.objects.none()
    return (
        Division.objects.current()
        .filter(code__startswith=province_code[:2], level__in=COUNTY_OR_CITY)
        .order_by("code")
    )


class FollowUpCodeForm(forms.Form):
    """The public page where a person asks for the status of their report, by its code."""

    code = forms.CharField(
        label=_("Follow-up code"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters", "spellcheck": "false"}
        ),
        help_text=_("The code shown when you sent the report, such as 7KQ2-M9XD-4HPA-TC3W-8RNB."),
    )


class PublicReportUpdateForm(forms.Form):
    """The receiving agency's status and notes on a report from the public."""

    status = forms.ChoiceField(label=_("Status"), choices=[])
    notes = forms.CharField(
        label=_("Notes of the receiving agency"),
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Kept encrypted; never shown to the person who reported."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, statuses=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = list(statuses)


class PublicReportForwardForm(forms.Form):
    """The Office's triage: the public-security office a report goes to."""

    to_agency = forms.ModelChoiceField(Agency.objects.none(), label=_("Send to"))
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, agencies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agencies is not None:
            self.fields["to_agency"].queryset = agencies
