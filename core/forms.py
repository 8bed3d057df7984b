"""What the pages' forms share: how a service's refusal reaches a form, each message by the field it
names (the page's counterpart of ``core.api.errors.call_service``), and the Office's decision form
on a reviewed record."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def add_service_errors(form, error: ValidationError, *, prefixes: tuple[str, ...] = ()) -> None:
    """Put a service's validation errors on the form's fields, so each message stands by the
    field it names; a key the form has no field for (even as ``<prefix><key>``) goes on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        name = next((n for n in (key, *(f"{p}{key}" for p in prefixes)) if n in form.fields), None)
        form.add_error(name, messages)


class DecisionForm(forms.Form):
    """The Office's decision on a reviewed record: a comment and the version the reviewer read (a
    form without it is out of date). A record type may say the comment's label and help."""

    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    version = forms.IntegerField(widget=forms.HiddenInput)


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
