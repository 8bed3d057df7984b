"""The one page view of the Office's decision on a reviewed record (accept, return, reopen).

The record's page posts its decision form here; the service decides (``core.workflow``). A bad
comment comes back on the record's page (400), a refusal of the state or a stale version as a
message on it, and a decision taken sends the reviewer on with a message. Each record type says
only how to find its record, which service takes each decision, and where the pages are.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views import View

from core.forms import add_service_errors
from core.workflow import EditConflict, WorkflowError


class RecordDecisionView(LoginRequiredMixin, View):
    """``POST``: the decision named in the URL (``decision``) on the record the URL names.

    A subclass sets ``form_class`` (a form with ``version`` and ``comment``) and says:
    ``get_record()`` (404 for what the user may not see), ``decide(record, decision, version=,
    comment=)`` (calls the service), ``record_page(record, form, status=)`` (the record's page with
    the form and its errors), ``record_url(record)``, ``done_url(record)`` and ``done_message(record,
    decision)``.
    """

    http_method_names = ["post"]
    form_class = None
    error_prefixes: tuple[str, ...] = ()  # field prefixes of the form (see add_service_errors)

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
        raise NotImplementedError

    def record_page(self, record, form, *, status: int):
        raise NotImplementedError

    def record_url(self, record) -> str:
        raise NotImplementedError

    def done_url(self, record) -> str:
        raise NotImplementedError

    def done_message(self, record, decision: str) -> str:
        raise NotImplementedError
