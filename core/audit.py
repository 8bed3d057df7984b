"""The audit log: every read, reveal, export and change of a confidential record.

The request's IP address and id reach the writer through a context variable set by
``RequestContextMiddleware``, so services and tasks write complete entries without being handed the
request.
"""

from __future__ import annotations

import functools
import ipaddress
import uuid
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from core import clock
from core.models import AuditEntry, AuditShown


@dataclass(frozen=True)
class RequestContext:
    ip: str | None
    request_id: str
    channel: str


_context: ContextVar[RequestContext | None] = ContextVar("audit_request_context", default=None)


def _trusted_proxies():
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", []) or []))


@functools.cache
def _networks(entries: tuple[str, ...]) -> list:
    """The proxies' networks, parsed once per setting (this runs on every request)."""
    return [ipaddress.ip_network(e.strip(), strict=False) for e in entries if e.strip()]


def _address(text: str):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The client's address: the connection's, unless it comes from one of TRUSTED_PROXIES (and
    BEHIND_PROXY is on); then the right-most X-Forwarded-For address that is not itself a trusted
    proxy (each trusted proxy appends the address it was connected from; what comes before that
    was written by the client and is never believed). A malformed entry there ends the search at
    the last trusted hop."""
    remote = request.META.get("REMOTE_ADDR")
    trusted = _trusted_proxies() if settings.BEHIND_PROXY else []
    remote_address = _address(remote or "")
    if not trusted or remote_address is None or not any(remote_address in n for n in trusted):
        return remote
    client = remote
    for part in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(part)
        if address is None:
            break
        client = str(address)
        if not any(address in n for n in trusted):
            break
    return client


class RequestContextMiddleware:
    """Give every request an id for the audit log, made here: a client's ``X-Request-ID`` is never
    taken, since anyone could then write what they like into the log. The answer names the id."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id = uuid.uuid4().hex
        channel = "api" if request.path.startswith("/api/") else "page"
        token = _context.set(RequestContext(client_ip(request), request_id, channel))
        try:
            response = self.get_response(request)
        finally:
            _context.reset(token)
        response["X-Request-ID"] = request_id
        return response


def _entry(
    *, user, action: str, obj, label: str, detail: dict | None, channel: str, model=None
) -> AuditEntry:
    context = _context.get() or RequestContext(None, "", "job")
    return AuditEntry(
        at=clock.now(),
        user=user,
        agency_id=getattr(user, "agency_id", None),
        action=action,
        content_type=ContentType.objects.get_for_model(model or type(obj)),
        object_id=obj.pk if obj is not None else None,
        object_label=(label or str(obj if obj is not None else ""))[:100],
        channel=channel or context.channel,
        ip=context.ip,
        request_id=context.request_id,
        detail=detail or {},
    )


def audit(
    *, user, action: str, obj, label: str = "", detail: dict | None = None, channel: str = ""
) -> AuditEntry:
    """Append one entry: ``action`` is view, reveal, export, create, change, refer, ..."""
    entry = _entry(user=user, action=action, obj=obj, label=label, detail=detail, channel=channel)
    entry.save()
    return entry


def audit_each(*, user, action: str, objs, detail: dict | None = None, channel: str = "") -> None:
    """Append one entry per record, in a single statement (an export of many files)."""
    AuditEntry.objects.bulk_create(
        [_entry(user=user, action=action, obj=obj, label="", detail=detail, channel=channel) for obj in objs]
    )


# A list entry names at most this many records (a page of the longest list is shorter).
SHOWN_MAX = 200


def audit_shown(
    *, user, action: str, model, labels, detail: dict | None = None, channel: str = ""
) -> AuditEntry:
    """One entry for one request that showed many records at once (a list, a search): which
    were shown, by label, in ``detail["shown"]``; never one entry per record."""
    labels = [str(label) for label in labels]
    detail = {"shown": labels[:SHOWN_MAX], "count": len(labels), **(detail or {})}
    entry = audit_about(user=user, action=action, model=model, detail=detail, channel=channel)
    shown = dict.fromkeys(label.upper()[:100] for label in labels[:SHOWN_MAX])
    AuditShown.objects.bulk_create([AuditShown(entry=entry, label=label) for label in shown])
    return entry


def audit_about(
    *, user, action: str, model, label: str = "", detail: dict | None = None, channel: str = ""
) -> AuditEntry:
    """One entry about a kind of record rather than one record: a lookup that was refused (the
    label is what was asked for), a check that found or did not find something."""
    entry = _entry(
        user=user, action=action, obj=None, model=model, label=label, detail=detail, channel=channel
    )
    entry.save()
    return entry
