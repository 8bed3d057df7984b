"""Writes of the agencies app."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db import models, transaction

from agencies.choices import ProvinceKind
from agencies.models import MemberUnit, Province, User


class DataFileError(ValueError):
    """A data file that cannot be loaded; the message names the entry at fault."""


@dataclass
class SyncCounts:
    """What a load did, per model: created, updated, unchanged (and deleted)."""

    counts: Counter = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[(model._meta.verbose_name_plural, outcome)] += 1

    @property
    def changed(self) -> int:
        return sum(n for (_, outcome), n in self.counts.items() if outcome != "unchanged")

    def summary(self) -> str:
        names = sorted({str(name) for name, _ in self.counts})
        lines = []
        for name in names:
            parts = [
                f"{outcome} {self.counts[(n, outcome)]}"
                for n, outcome in sorted(self.counts)
                if str(n) == name and self.counts[(n, outcome)]
            ]
            lines.append(f"{name}: {', '.join(parts)}")
        return "\n".join(lines)


def row_sync(
    model: type[models.Model],
    lookup: dict,
    values: dict,
    counts: SyncCounts,
    *,
    on_create: dict | None = None,
):
    """Create or update one row by its natural key; a row that already matches is not written.

    ``on_create`` holds values set only when the row is new (editable in the portal afterwards).
    """
    obj = model._default_manager.filter(**lookup).first()
    if obj is None:
        obj = model._default_manager.create(**lookup, **values, **(on_create or {}))
        counts.add(model, "created")
        return obj
    changed = [name for name, value in values.items() if getattr(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, values[name])
        obj.save(update_fields=changed)
        counts.add(model, "updated")
    else:
        counts.add(model, "unchanged")
    return obj


def require(entry: dict, key: str, where: str):
    if entry.get(key) in (None, ""):
        raise DataFileError(f"{where}: missing '{key}'")
    return entry[key]


def units_sync(*, units: list[dict], counts: SyncCounts) -> dict[str, MemberUnit]:
    """Create or update member units from a plan file's ``units`` list; returns them by code."""
    seen: set[str] = set()
    for i, entry in enumerate(units, 1):
        code = require(entry, "code", f"units[{i}]")
        if code in seen:
            raise DataFileError(f"units[{i}]: duplicate unit code '{code}'")
        seen.add(code)
    leads = [u["code"] for u in units if u.get("is_lead")]
    if len(leads) > 1:
        raise DataFileError(f"units: more than one lead unit ({', '.join(leads)})")
    if leads:
        # Only one lead unit may exist at a time: clear a former lead before setting the new one.
        former = MemberUnit.objects.filter(is_lead=True).exclude(code=leads[0])
        if former.exists():
            former.update(is_lead=False)
    result = {}
    for i, entry in enumerate(units, 1):
        where = f"units[{i}] ({entry['code']})"
        result[entry["code"]] = row_sync(
            MemberUnit,
            {"code": entry["code"]},
            {
                "seq": int(entry.get("seq", 0)),
                "name_zh": require(entry, "name_zh", where),
                "name_en": require(entry, "name_en", where),
                "is_member": bool(entry.get("is_member", True)),
                "is_lead": bool(entry.get("is_lead", False)),
            },
            counts,
        )
    return result


def provinces_load(*, data: dict, counts: SyncCounts) -> None:
    """Create or update the provincial-level divisions from ``provinces.yaml``; all or nothing."""
    provinces = data.get("provinces")
    if not isinstance(provinces, list) or not provinces:
        raise DataFileError("provinces: missing or empty list")
    seen: set[str] = set()
    for i, entry in enumerate(provinces, 1):
        code = str(require(entry, "code", f"provinces[{i}]"))
        if len(code) != 6 or not code.isdigit():
            raise DataFileError(f"provinces[{i}]: code '{code}' is not a six-digit GB/T 2260 code")
        if code in seen:
            raise DataFileError(f"provinces[{i}]: duplicate code '{code}'")
        if entry.get("kind") not in ProvinceKind.values:
            raise DataFileError(f"provinces[{i}] ({code}): unknown kind '{entry.get('kind')}'")
        seen.add(code)
    with transaction.atomic():
        for entry in provinces:
            where = f"province {entry['code']}"
            row_sync(
                Province,
                {"code": str(entry["code"])},
                {
                    "name_zh": require(entry, "name_zh", where),
                    "name_en": require(entry, "name_en", where),
                    "kind": entry["kind"],
                },
                counts,
                # The area flags are an initial classification the Office edits afterwards.
                on_create={
                    "is_key_area": bool(entry.get("is_key_area", False)),
                    "is_origin": bool(entry.get("is_origin", False)),
                    "is_destination": bool(entry.get("is_destination", False)),
                },
            )


@transaction.atomic
def api_tokens_end(*, actor: User | None, user: User, reason: str, digest: str | None = None) -> int:
    """End the API tokens of ``user``: all of them, or the one whose ``digest`` is given. An
    administrator's doing (``actor`` other than the user) is written to the audit log; ``actor``
    None is the portal itself (a password change or a deactivation). Returns how many ended."""
    from knox.models import AuthToken

    from core.audit import audit

    tokens = AuthToken.objects.filter(user=user)
    if digest is not None:
        tokens = tokens.filter(digest=digest)
    count, _ = tokens.delete()
    if count and actor is not None and actor.pk != user.pk:
        audit(user=actor, action="end_tokens", obj=user, detail={"tokens": count, "reason": reason})
    return count


@transaction.atomic
def account_unlock(*, actor: User, user: User) -> int:
    """Lift a sign-in lockout of ``user``'s account before its cool-off ends (django-axes' failed
    attempts under that username are cleared); written to the audit log. Returns the attempts
    cleared (0: the account was not locked, nothing logged)."""
    from axes.handlers.proxy import AxesProxyHandler

    from core.audit import audit

    count = AxesProxyHandler.reset_attempts(username=user.get_username())
    if count:
        audit(user=actor, action="unlock", obj=user, detail={"attempts": count})
    return count


@transaction.atomic
def address_unlock(*, actor: User, ip_address: str) -> int:
    """Lift a sign-in lockout of an address before its cool-off ends: every failed attempt from
    it is cleared (django-axes), which also lowers the counts of the accounts tried from it;
    written to the audit log (the record is the address). Returns the attempts cleared (0:
    nothing to unlock, nothing logged)."""
    from axes.handlers.proxy import AxesProxyHandler
    from axes.models import AccessAttempt

    from core.audit import audit_about

    count = AxesProxyHandler.reset_attempts(ip_address=ip_address)
    if count:
        audit_about(
            user=actor,
            action="unlock",
            model=AccessAttempt,
            label=ip_address,
            detail={"attempts": count, "address": ip_address},
        )
    return count


def sign_in_records_clean(*, log_days: int | None = None) -> dict:
    """Delete what sign-ins leave behind once it is of no use: expired API tokens, and django-axes'
    access logs and failure logs older than ``log_days`` (SIGN_IN_LOG_DAYS), through axes' own
    API. Run daily by Celery beat (agencies.tasks.clean_sign_in_records). Returns the counts."""
    from axes.handlers.proxy import AxesProxyHandler
    from django.conf import settings
    from django.utils import timezone
    from knox.models import AuthToken

    days = settings.SIGN_IN_LOG_DAYS if log_days is None else log_days
    with transaction.atomic():
        tokens, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
        logs = AxesProxyHandler.reset_logs(age_days=days)
        failure_logs = AxesProxyHandler.reset_failure_logs(age_days=days)
    return {"tokens": tokens, "access_logs": logs, "failure_logs": failure_logs}
