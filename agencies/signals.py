"""Wiring that belongs to no caller: every path that changes a password or a role or deactivates a
user (the page, the admin, ``set_password`` in a shell) ends the user's API tokens; a lockout is
written to the audit log; a new session starts with its role's idle timeout."""

from axes.helpers import get_cool_off
from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.utils import timezone

from agencies import lockout, sessions
from agencies.models import User
from agencies.services.accounts import api_tokens_end
from core.audit import audit
from core.models import AuditEntry


@receiver(pre_save, sender=User, dispatch_uid="agencies.tokens.credentials_changed")
def _note_credentials_change(sender, instance, raw=False, update_fields=None, **kwargs):
    instance._end_api_tokens = False
    if raw or instance.pk is None:
        return
    if update_fields is not None and not {"password", "is_active", "role"} & set(update_fields):
        return  # e.g. last_login at every sign-in: nothing to compare
    before = User.objects.filter(pk=instance.pk).values("password", "is_active", "role").first()
    # A role change ends them too: a token issued without a second factor must not carry into a
    # role that needs one (nor keep a lifetime set for the old role).
    if before and (
        before["password"] != instance.password
        or (before["is_active"] and not instance.is_active)
        or before["role"] != instance.role
    ):
        instance._end_api_tokens = True


@receiver(post_save, sender=User, dispatch_uid="agencies.tokens.end_on_credentials_change")
def _end_tokens_on_credentials_change(sender, instance, **kwargs):
    if getattr(instance, "_end_api_tokens", False):
        instance._end_api_tokens = False
        api_tokens_end(actor=None, user=instance, reason="password_role_or_deactivation")


@receiver(user_locked_out, dispatch_uid="agencies.lockout.audit")
def _audit_lockout(sender, request, username=None, ip_address=None, **kwargs):
    if getattr(request, "axes_failures_since_start", None) is None:
        return  # an attempt refused during a lockout already logged (axes counted nothing)
    detail = lockout.new_lockouts(request, username)
    if not detail:
        return
    user = User.objects.filter(username=username).first() if username else None
    if user is None:  # an unknown name has no account to log it on: axes' records and the log keep it
        return
    # Once per lockout: a count that passes the limit by more than one (the limit lowered, or
    # failures counted at once) is not logged again within the cool-off.
    since = timezone.now() - get_cool_off(request)
    if AuditEntry.objects.filter(action="lockout", object_id=user.pk, at__gte=since).exists():
        return
    audit(user=user, action="lockout", obj=user, detail={**detail, "path": request.path[:200]})


@receiver(user_logged_in, dispatch_uid="agencies.sessions.start")
def _start_session(sender, request, user, **kwargs):
    """A new session starts with its role's idle timeout (its first page then writes nothing)."""
    session = getattr(request, "session", None)
    if session is not None:
        sessions.renew(session, sessions.session_age(user), force=True)
