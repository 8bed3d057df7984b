"""The auditors' pages: the audit log of reads and changes of case files, filtered, and its export."""

import datetime as dt
import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.exports import table_response
from core.models import AUDIT_ACTIONS, AuditEntry
from core.permissions import READ_AUDIT_LOG, require


def _audit_entries(request):
    require(request.user, READ_AUDIT_LOG)
    entries = AuditEntry.objects.restrict(request.user).select_related("user", "agency")
    filters = {k: request.GET.get(k, "").strip() for k in ("case", "user", "agency", "action", "date")}
    if filters["case"]:
        # The entries about that file, and the lists and searches that showed it.
        shown = json.dumps(filters["case"].upper())
        entries = entries.filter(Q(object_label__iexact=filters["case"]) | Q(detail__shown__icontains=shown))
    if filters["user"]:
        entries = entries.filter(user__username=filters["user"])
    if filters["agency"]:
        agency = filters["agency"]
        entries = entries.filter(
            Q(agency__code__iexact=agency)
            | Q(agency__name_zh__icontains=agency)
            | Q(agency__name_en__icontains=agency)
        )
    if filters["action"]:
        entries = entries.filter(action=filters["action"])
    if filters["date"]:
        try:
            entries = entries.filter(at__date=dt.date.fromisoformat(filters["date"]))
        except ValueError:
            messages.error(request, _("The date must be written YYYY-MM-DD."))
            entries = entries.none()
    return entries, filters


@never_cache
@login_required
def audit_log(request):
    entries, filters = _audit_entries(request)
    page = Paginator(entries, 100).get_page(request.GET.get("page"))
    actions = [(code, str(label)) for code, label in AUDIT_ACTIONS.items()]
    return render(request, "cases/audit_log.html", {"page": page, "filters": filters, "actions": actions})


@never_cache
@login_required
def audit_export(request, fmt):
    entries, _filters = _audit_entries(request)
    header = [
        _("When"),
        _("User"),
        _("Agency"),
        _("Action"),
        _("Record"),
        _("Through"),
        _("IP address"),
        _("Request id"),
        _("Detail"),
    ]
    rows = (
        [e.at.astimezone().strftime("%Y-%m-%d %H:%M:%S"), e.user.username, e.agency.code if e.agency else "",
         e.action_label, e.object_label, e.channel_label, e.ip or "", e.request_id,
         "; ".join(f"{key}: {value}" for key, value in e.detail.items())]
        for e in entries[:50000]
    )  # fmt: skip
    return table_response(fmt, "audit-log", _("Audit log"), header, rows)
