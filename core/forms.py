"""How a service's refusal reaches a page's form: each message by the field it names (the page's
counterpart of ``core.api.errors.call_service``)."""

from django.core.exceptions import ValidationError


def add_service_errors(form, error: ValidationError, *, prefixes: tuple[str, ...] = ()) -> None:
    """Put a service's validation errors on the form's fields, so each message stands by the
    field it names; a key the form has no field for (even as ``<prefix><key>``) goes on top."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for key, messages in error.message_dict.items():
        name = next((n for n in (key, *(f"{p}{key}" for p in prefixes)) if n in form.fields), None)
        form.add_error(name, messages)
