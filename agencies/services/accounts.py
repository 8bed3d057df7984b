"""Account safety, done by an administrator or by the portal itself: issuing and ending API tokens,
lifting a sign-in lockout (of an account or of an address), and clearing what sign-ins leave behind. Each
administrator's act is written to the audit log in the transaction that does it."""

from __future__ import annotations

from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from knox.models import AuthToken

from agencies.models import User
from agencies.sessions import token_ttl
from core.audit import audit, audit_about

TOKENS_PER_USER = 10


@transaction.atomic
def api_token_issue(*, user: User) -> tuple[AuthToken, str]:
    """A new API token for ``user`` (the instance and the token's text, shown once). The user's
    expired tokens are deleted, and at most TOKENS_PER_USER are kept: the oldest are ended to make
    room (a script that signs in again and again keeps working; its forgotten tokens do not pile
    up)."""
    User.objects.select_for_update(of=("self",)).filter(pk=user.pk).first()  # one issuer at a time per user
    AuthToken.objects.filter(user=user, expiry__lt=timezone.now()).delete()
    newest = AuthToken.objects.filter(user=user).order_by("-created", "-pk")
    keep = list(newest.values_list("pk", flat=True)[: TOKENS_PER_USER - 1])
    AuthToken.objects.filter(user=user).exclude(pk__in=keep).delete()
    return AuthToken.objects.create(user=user, expiry=token_ttl(user))


@transaction.atomic
def api_tokens_end(*, actor: User | None, user: User, reason: str, digest: str | None = None) -> int:
    """End the API tokens of ``user``: all of them, or the one whose ``digest`` is given. An
    administrator's doing (``actor`` other than the user) is written to the audit log; ``actor``
    None is the portal itself (a password change or a deactivation). Returns how many ended."""
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
    days = settings.SIGN_IN_LOG_DAYS if log_days is None else log_days
    with transaction.atomic():
        tokens, _ = AuthToken.objects.filter(expiry__lt=timezone.now()).delete()
        logs = AxesProxyHandler.reset_logs(age_days=days)
        failure_logs = AxesProxyHandler.reset_failure_logs(age_days=days)
    return {"tokens": tokens, "access_logs": logs, "failure_logs": failure_logs}
