"""The auditors' pages: the audit log of reads and changes of case files, filtered, and its export."""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.db.models.functions import Upper
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from agencies.models import Agency, User
from core.exports import table_response
from core.models import AUDIT_ACTIONS, AuditEntry, AuditShown
from core.paging import keyset_page
from core.permissions import READ_AUDIT_LOG, require

PAGE_SIZE = 100
AGENCIES_MAX = 50  # a name that many agencies share selects the first ones only


def _day(text: str):
    """The span of one day in the portal's time zone, or None for a date badly written."""
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None
    start = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return start, start + dt.timedelta(days=1)


def _audit_entries(request):
    """The entries the filters select. Each filter is one indexed condition on the log (by record:
    the label of the entry or one of the files a list showed; by user; by agency; by action; by
    day as a span of ``at``), never a scan of the whole log."""
    require(request.user, READ_AUDIT_LOG)
    entries = AuditEntry.objects.restrict(request.user).select_related("user", "agency")
    filters = {k: request.GET.get(k, "").strip()[:100] for k in ("case", "user", "agency", "action", "date")}
    if filters["case"]:
        label = filters["case"].upper()
        about = AuditEntry.objects.alias(label=Upper("object_label")).filter(label=label).order_by()
        shown = AuditShown.objects.filter(label=label).order_by()
        entries = entries.filter(pk__in=about.values("pk").union(shown.values("entry_id")))
    if filters["user"]:
        users = User.objects.filter(username=filters["user"]).values_list("pk", flat=True)
        entries = entries.filter(user_id__in=list(users))
    if filters["agency"]:
        agency = filters["agency"]
        exact = list(Agency.objects.filter(code__iexact=agency).values_list("pk", flat=True))
        named = Agency.objects.filter(Q(name_zh__icontains=agency) | Q(name_en__icontains=agency))
        named = list(named.values_list("pk", flat=True)[:AGENCIES_MAX])
        entries = entries.filter(agency_id__in=exact or named)
    if filters["action"]:
        entries = entries.filter(action=filters["action"])
    if filters["date"]:
        span = _day(filters["date"])
        if span is None:
            messages.error(request, _("The date must be written YYYY-MM-DD."))
            entries = entries.none()
        else:
            entries = entries.filter(at__gte=span[0], at__lt=span[1])
    return entries, filters


@never_cache
@login_required
def audit_log(request):
    """The log, newest first, a page of PAGE_SIZE at a time (keyset paging: the log is never counted)."""
    entries, filters = _audit_entries(request)
    page = keyset_page(entries, request.GET, PAGE_SIZE)
    actions = [(code, str(label)) for code, label in AUDIT_ACTIONS.items()]
    page_query = urlencode({key: value for key, value in filters.items() if value})
    context = {
        "page": page,
        "filters": filters,
        "actions": actions,
        "page_query": page_query,
        "when_format": get_format("DATETIME_FORMAT") + ":s",  # to the second, in one format each
    }
    return render(request, "cases/audit_log.html", context)


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
        for e in entries.order_by("-at", "-pk")[:50000]
    )  # fmt: skip
    return table_response(fmt, "audit-log", _("Audit log"), header, rows)
