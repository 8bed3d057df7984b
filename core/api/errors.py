"""How a service's refusal reaches an API caller: 400 naming the field, 409 with the reason."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import status
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.views import exception_handler as drf_exception_handler

from core.workflow import EditConflict, WorkflowError


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def call_service(function, *, conflicts: tuple[type[Exception], ...] = (), **kwargs):
    """Run a service: a validation error becomes 400 (by field); a state the action does not fit, a
    stale version, or any of ``conflicts``, becomes 409 with its message."""
    try:
        return function(**kwargs)
    except DjangoValidationError as error:
        raise ValidationError(
            error.message_dict if hasattr(error, "error_dict") else error.messages
        ) from error
    except (EditConflict, WorkflowError, *conflicts) as error:
        raise Conflict(str(error)) from error


def exception_handler(exc, context):
    """DRF's handler, but a 404 says only "not found" (in the caller's language), never which
    model was looked for: what may not be seen answers exactly like what does not exist."""
    if isinstance(exc, Http404):
        exc = NotFound()
    return drf_exception_handler(exc, context)
