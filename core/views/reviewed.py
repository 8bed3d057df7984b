"""The pages of a reviewed record written once: the owner's edit form saved through the type's
service (``record_form_save``) and the Office's decision on the record (accept, return, reopen).

The edit form's save: a refusal comes back on the form by the field it names, a stale version
(``EditConflict``) keeps what was typed against the version saved now, and a save says whether the
record was submitted or kept as a draft. The record's page posts its decision form to
``RecordDecisionView``; the service decides (``core.workflow``). A bad comment comes back on the
record's page (400), a refusal of the state or a stale version as a message on it, and a decision
taken sends the reviewer on with a message. Each record type says only how to find its record, which
service takes each decision, and where the pages are.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from core.choices import ReviewState
from core.forms import add_service_errors
from core.workflow import EditConflict, WorkflowError


@dataclass(frozen=True)
class FormSave:
    """What saving an edit form gave: the saved ``record`` (``None`` when nothing was saved), the
    ``form`` to show again and, after a stale version, the ``conflict``."""

    record: object | None
    form: object
    conflict: EditConflict | None = None


def record_form_save(
    request, form, save: Callable[[], object], *, rebind, submitted: str, error_prefixes: tuple[str, ...] = ()
) -> FormSave:
    """Save a valid edit form through ``save()`` (the type's save service).

    Saved: a message, ``submitted`` or that the draft was saved. Refused: the service's message on
    the form, by the field it names (``error_prefixes``, see ``add_service_errors``). A stale
    version: the form again (``rebind(data)``) with what the user typed against the version saved
    now, so that saving again works.
    """
    try:
        record = save()
    except ValidationError as error:
        add_service_errors(form, error, prefixes=error_prefixes)
        return FormSave(None, form)
    except EditConflict as error:
        data = request.POST.copy()
        data["version"] = error.record.version
        form = rebind(data)
        form.is_valid()
        return FormSave(None, form, error)
    except WorkflowError as error:
        form.add_error(None, str(error))
        return FormSave(None, form)
    if record.state == ReviewState.SUBMITTED:
        messages.success(request, submitted)
    else:
        messages.success(request, _("Your draft was saved. Submit it when it is complete."))
    return FormSave(record, form)


class RecordDecisionView(LoginRequiredMixin, View):
    """``POST``: the decision named in the URL (``decision``) on the record the URL names.

    A subclass sets ``form_class`` (a form with ``version`` and ``comment``), ``decisions``
    ({"accept": service, …}; each service takes ``actor``, ``<record_id_name>``, ``version`` and
    ``comment``, as in the API's ``core.api.reviewed``) and ``record_id_name`` (``entry_id``), and
    says: ``get_record()`` (404 for what the user may not see), ``record_page(record, form,
    status=)`` (the record's page with the form and its errors), ``record_url(record)``,
    ``done_url(record)`` and ``done_message(record, decision)``.
    """

    http_method_names = ["post"]
    form_class = None
    error_prefixes: tuple[str, ...] = ()  # field prefixes of the form (see add_service_errors)
    decisions: dict = {}
    record_id_name = "record_id"

    def post(self, request, *args, decision, **kwargs):
        record = self.get_record()
        form = self.form_class(request.POST)
        if not form.is_valid():
            messages.error(request, _("The form was out of date: reload the page and try again."))
            return redirect(self.record_url(record))
        try:
            self.decide(
                record, decision, version=form.cleaned_data["version"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as error:
            add_service_errors(form, error, prefixes=self.error_prefixes)
            return self.record_page(record, form, status=400)
        except (WorkflowError, EditConflict) as error:
            messages.error(request, str(error))
            return redirect(self.record_url(record))
        messages.success(request, self.done_message(record, decision))
        return redirect(self.done_url(record))

    def get_record(self):
        raise NotImplementedError

    def decide(self, record, decision: str, *, version: int | None, comment: str) -> None:
        """Take ``decision`` on ``record`` through its service."""
        self.decisions[decision](
            actor=self.request.user, **{self.record_id_name: record.pk}, version=version, comment=comment
        )

    def record_page(self, record, form, *, status: int):
        raise NotImplementedError

    def record_url(self, record) -> str:
        raise NotImplementedError

    def done_url(self, record) -> str:
        raise NotImplementedError

    def done_message(self, record, decision: str) -> str:
        raise NotImplementedError
