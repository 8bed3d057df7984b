"""Forms of the organisation: signing in (the second factor's code, and the password change counted
like a sign-in), and the searchable pickers of a division and of an agency that other apps' forms
use (``DivisionField``, ``AgencyField``), with the searches that both they and the pickers' JSON
endpoints (agencies/views/pickers.py) run."""

from __future__ import annotations

from typing import NamedTuple
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db.models import Case, Q, QuerySet, When
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from agencies import lockout
from agencies.choices import DivisionLevel
from agencies.models import Agency, Division


class TwoFactorCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "autofocus": True}),
        help_text=_("The 6 digits your authenticator app shows, or one of your backup codes."),
    )


class LockedPasswordChangeForm(PasswordChangeForm):
    """The password change form, counted like a sign-in: a wrong current password is a failed
    sign-in (django-axes counts it, so the account and the address lock after AXES_FAILURE_LIMIT of
    them), and while the account or the address is locked the current password is not checked at
    all."""

    def __init__(self, user, *args, request=None, **kwargs):
        self.request = request
        super().__init__(user, *args, **kwargs)

    def clean_old_password(self):
        username = self.user.get_username()
        seconds = None if self.request is None else lockout.locked_wait(self.request, username)
        if seconds is not None:
            # The page puts the field's label ("Old password") before the message.
            raise ValidationError(lockout.wait_message(seconds), code="locked")
        old_password = self.cleaned_data.get("old_password", "")
        if not self.user.check_password(old_password):
            user_login_failed.send(sender=__name__, credentials={"username": username}, request=self.request)
            raise ValidationError(self.error_messages["password_incorrect"], code="password_incorrect")
        return old_password


# The pickers' searches are bounded: at most this many characters are searched for, and at most
# this many results are answered (more means: type more).
SEARCH_MAX_CHARS = 50
SEARCH_LIMIT = 20
PATH_SEPARATOR = " › "


def division_search(divisions: QuerySet[Division], text: str) -> QuerySet[Division]:
    """``divisions`` found by ``text`` (the start of a code, the Chinese name or the pinyin, as
    ``Division.objects.search``), best first: the exact code or name, then names that begin with
    the text, then provinces before prefectures before counties, by code."""
    text = text.strip()
    return (
        divisions.search(text)
        .annotate(
            rank=Case(
                When(Q(code=text) | Q(name_zh=text) | Q(name_en__iexact=text), then=0),
                When(Q(name_zh__startswith=text) | Q(name_en__istartswith=text), then=1),
                default=2,
            ),
            depth=Case(
                When(level=DivisionLevel.PROVINCE, then=0),
                When(level=DivisionLevel.PREFECTURE, then=1),
                default=2,
            ),
        )
        .select_related("parent__parent")
        .order_by("rank", "depth", "code")
    )


def agency_search(
    agencies: QuerySet[Agency], text: str, *, within: Division | None = None
) -> QuerySet[Agency]:
    """``agencies`` found by ``text``: by their name (Chinese or English), the start of their code, or
    their division's code, name or pinyin, or one of the divisions above it (昆明 finds 昆明市民政局
    and the bureaus of 五华区); with ``within``, only those at that division and below. Best first:
    the exact code, then names that begin with the text; then by division and unit.

    One query however many divisions match: the divisions (of every edition, so that an agency of
    an abolished one is still found) are a subquery, and a division is at most two levels below
    another (county, prefecture, province)."""
    text = text.strip()
    if not text:
        return agencies.none()
    places = Division.objects.search(text).values("pk")
    found = agencies.filter(
        Q(name_zh__icontains=text)
        | Q(name_en__icontains=text)
        | Q(code__istartswith=text)
        | Q(division__in=places)
        | Q(division__parent__in=places)
        | Q(division__parent__parent__in=places)
    )
    if within is not None:
        found = found.filter(division__code__startswith=within.code_prefix)
    return (
        found.annotate(
            rank=Case(
                When(code__iexact=text, then=0),
                When(Q(name_zh__startswith=text) | Q(name_en__istartswith=text), then=1),
                default=2,
            )
        )
        .select_related("unit", "division__parent__parent")
        .order_by("rank", "division__code", "unit__seq", "name_zh")
    )


def division_path(division: Division | None) -> list[str]:
    """The names from the province down to ``division`` (云南省, 昆明市, 五华区), in the active
    language; its divisions above are read with it (``select_related("parent__parent")``)."""
    names = []
    while division is not None:
        names.insert(0, division.name)
        division = division.parent
    return names


def agency_place(agency: Agency) -> str:
    """Where an agency sits, as the pickers show it: 云南省 › 昆明市, or "National"."""
    return PATH_SEPARATOR.join(division_path(agency.division)) if agency.division_id else str(_("National"))


class PickerInput(NamedTuple):
    """What a picker posts: the chosen id (its hidden input, set by the script) and the text typed
    (its visible input; None where only the id was sent, as a client without the page may)."""

    id: str | None
    text: str | None


class PickerWidget(forms.Widget):
    """A text input that searches as one types and offers what it finds in a list (the WAI-ARIA 1.2
    combobox pattern with list autocomplete, static/js/picker.js), and a hidden input named as the
    field that holds the chosen id. The text is posted too (as ``<name>_text``): without the script,
    the field finds what was typed on the server."""

    template_name = "agencies/widgets/picker.html"

    def __init__(
        self,
        *,
        search_url_name: str,
        params: dict | None = None,
        province_from: str = "",
        attrs: dict | None = None,
    ):
        super().__init__(attrs)
        self.search_url_name = search_url_name
        self.params = dict(params or {})
        self.province_from = province_from  # the id of a province select that narrows the search
        self.queryset = None  # set by the field
        self.listbox_label = ""

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.params = {key: list(v) if isinstance(v, list) else v for key, v in self.params.items()}
        return copied

    def value_from_datadict(self, data, files, name):
        text = data.get(f"{name}_text")
        return PickerInput(data.get(name) or None, text)

    def value_omitted_from_data(self, data, files, name):
        return name not in data and f"{name}_text" not in data

    def chosen(self, pk):
        """The object with ``pk`` (shown by its name), also one the field no longer offers."""
        if pk in (None, "") or self.queryset is None:
            return None
        try:
            return self.queryset.model._default_manager.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            return None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        if isinstance(value, PickerInput):
            chosen_id, text = value.id, value.text
            if text is None:  # only the id was sent: show its name
                found = self.chosen(chosen_id)
                text = str(found) if found else ""
        else:  # the initial value: an id (or None)
            found = self.chosen(value)
            chosen_id, text = (found.pk, str(found)) if found else ("", "")
        context["widget"].update(
            {
                "chosen": "" if chosen_id is None else str(chosen_id),
                "text": text,
                "search_url": reverse(self.search_url_name),
                "params": urlencode(self.params, doseq=True),
                "listbox_label": self.listbox_label,
                "province_from": self.province_from,
            }
        )
        return context


class PickerField(forms.ModelChoiceField):
    """A choice among many (thousands of divisions, hundreds of agencies) made with a picker that
    searches. The chosen id wins when the text still names it; otherwise the text typed is looked up
    within the field's queryset: exactly one object by code or name, else exactly one that the
    search finds; none or several is an error that says so (nothing submitted is lost: the form
    shows the text again)."""

    search_url_name = ""
    default_help_text = ""
    default_error_messages = {
        "too_long": _("Type at most %(max)s characters."),
    }

    def __init__(self, queryset, *, search_params: dict | None = None, **kwargs):
        kwargs.setdefault("help_text", self.default_help_text)
        kwargs.setdefault("widget", PickerWidget(search_url_name=self.search_url_name, params=search_params))
        super().__init__(queryset, empty_label=None, **kwargs)

    def _set_queryset(self, queryset):
        super()._set_queryset(queryset)
        self.widget.queryset = self._queryset

    queryset = property(forms.ModelChoiceField._get_queryset, _set_queryset)

    def widget_attrs(self, widget):
        widget.listbox_label = self.label or ""
        return super().widget_attrs(widget)

    def names(self, obj) -> set[str]:
        """What text stands for ``obj`` (in lower case): its code and names."""
        return {obj.code.lower(), obj.name_zh.lower(), obj.name_en.lower()}

    def exact(self, text: str) -> QuerySet:
        return self.queryset.filter(Q(code__iexact=text) | Q(name_zh=text) | Q(name_en__iexact=text))

    def search(self, text: str) -> QuerySet:
        raise NotImplementedError

    def to_python(self, value):
        if not isinstance(value, PickerInput):
            return super().to_python(value)
        text = None if value.text is None else value.text.strip()
        chosen = None
        if value.id not in self.empty_values:
            try:
                chosen = super().to_python(value.id)
            except ValidationError:
                if not text:
                    raise
        if chosen is not None and (text is None or text.lower() in self.names(chosen)):
            return chosen
        if not text:
            return None
        return self.resolve(text)

    def resolve(self, text: str):
        """The one object ``text`` names within the queryset, or the error saying none or several."""
        self.validate_no_null_characters(text)
        if len(text) > SEARCH_MAX_CHARS:
            raise ValidationError(
                self.error_messages["too_long"], code="too_long", params={"max": SEARCH_MAX_CHARS}
            )
        found = list(self.exact(text)[:2]) or list(self.search(text)[:2])
        if len(found) == 1:
            return found[0]
        code = "several" if found else "none"
        raise ValidationError(self.error_messages[code], code=code, params={"text": text})

    def has_changed(self, initial, data):
        if isinstance(data, PickerInput):
            data = data.id if data.id or not data.text else data.text
        return super().has_changed(initial, data)


class DivisionField(PickerField):
    """An administrative division, picked by code, name or pinyin. ``levels`` narrows both the
    queryset and the picker's search (``levels=[PREFECTURE, COUNTY]``: a county or a city);
    ``province_field`` names the form's province field whose choice narrows the picker's
    suggestions (the server checks the pair where it saves them)."""

    search_url_name = "agencies:division_search"
    default_help_text = _("Type the code, the name or the pinyin (kunming), then choose from the list.")
    default_error_messages = {
        "several": _(
            "Several divisions match %(text)s: type more (or the six-digit code) or choose one from the list."
        ),
        "none": _("No division matches %(text)s: type its name, its pinyin or its six-digit code."),
    }

    def __init__(self, queryset, *, levels=None, province_field: str = "", **kwargs):
        params = {}
        if levels:
            queryset = queryset.filter(level__in=levels)
            params["level"] = list(levels)
        super().__init__(queryset, search_params=params, **kwargs)
        # The select's id as Django gives it without a prefix (the case forms have none).
        self.widget.province_from = f"id_{province_field}" if province_field else ""

    def exact(self, text: str) -> QuerySet:
        return self.queryset.filter(Q(code=text) | Q(name_zh=text) | Q(name_en__iexact=text))

    def search(self, text: str) -> QuerySet:
        return division_search(self.queryset, text)


class AgencyField(PickerField):
    """An agency that keeps case files, picked by its name, its code or its place."""

    search_url_name = "agencies:agency_search"
    default_help_text = _(
        "Type the agency's name, its code or its place (昆明, kunming), then choose from the list."
    )
    default_error_messages = {
        "several": _("Several agencies match %(text)s: type more or choose one from the list."),
        "none": _("No agency matches %(text)s: type its name, its code or its place."),
    }

    def exclude(self, pk: int) -> None:
        """Leave out one agency (one's own, where a case is referred), from the choice and the search."""
        self.queryset = self.queryset.exclude(pk=pk)
        self.widget.params = {**self.widget.params, "exclude": pk}

    def search(self, text: str) -> QuerySet:
        return agency_search(self.queryset, text)
