"""``manage.py create_demo_users``: one demo user per role (development only), with their logins."""

import logging
from contextlib import contextmanager

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from agencies import two_factor
from agencies.choices import AgencyKind
from agencies.demo import (
    DEMO_AGENCIES,
    DEMO_BACKUP_CODES,
    DEMO_OTHER_USERS,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DEMO_USERS,
)
from agencies.models import Agency, Division, MemberUnit, TwoFactorDevice, User
from core import clock
from core.choices import Role


@contextmanager
def _quiet(logger_name: str):
    """Leave out a library's informational lines while the block runs (its warnings still show)."""
    logger = logging.getLogger(logger_name)
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


class Command(BaseCommand):
    help = "Create (or reset) one demo user per role and print their logins. Development only."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="allow with DEBUG off")

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo users are for development: DEBUG is off (use --force to insist).")
        units = {u.code: u for u in MemberUnit.objects.all()}
        if not units or not Agency.objects.filter(code__startswith="ATO-").exists():
            raise CommandError("Load the divisions and the plan first: load_divisions, load_plan")
        for code, unit, division, name_zh, name_en in DEMO_AGENCIES:
            Agency.objects.get_or_create(
                code=code,
                defaults={
                    "kind": AgencyKind.UNIT_OFFICE,
                    "unit": units[unit],
                    "division": Division.objects.get(code=division),
                    "name_zh": name_zh,
                    "name_en": name_en,
                },
            )
        users = DEMO_USERS + DEMO_OTHER_USERS
        for code in sorted({u[2] for u in users if u[2].startswith("ATO-")}):  # the prefectures' 反拐办
            Agency.objects.anti_trafficking_office(Division.objects.get(code=code.removeprefix("ATO-")))
        agencies = {a.code: a for a in Agency.objects.filter(code__in=[u[2] for u in users])}
        rows = []
        for username, role, agency, name in users:
            user, _ = User.objects.update_or_create(
                username=username,
                defaults={
                    "role": role,
                    "agency": agencies[agency],
                    "first_name": name,
                    "is_staff": role == Role.ADMIN,
                    "is_superuser": role == Role.ADMIN,
                    "is_active": True,
                },
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if two_factor.required(user):
                TwoFactorDevice.objects.update_or_create(
                    user=user,
                    defaults={"secret": DEMO_TOTP_SECRET, "confirmed_at": clock.now(), "last_used_step": 0},
                )
                two_factor.set_backup_codes(user, codes=DEMO_BACKUP_CODES)
            # A demo account locked by failed sign-ins is unlocked again (django-axes' attempts),
            # without a line on the console per account.
            with _quiet("axes"):
                AxesProxyHandler.reset_attempts(username=username)
            rows.append((username, Role(role).label, str(user.affiliation or ""), two_factor.required(user)))
        rows = rows[: len(DEMO_USERS)]  # the other users are not printed one by one
        self.stdout.write(self.style.SUCCESS(f"Demo users (password for all: {DEMO_PASSWORD}):"))
        width = max(len(r[0]) for r in rows)
        for username, role, affiliation, second_factor in rows:
            mark = "  [+ second factor]" if second_factor else ""
            self.stdout.write(f"  {username.ljust(width)}  {role}  {affiliation}{mark}")
        others = ", ".join(u[0] for u in DEMO_OTHER_USERS)
        self.stdout.write(f"  The other prefectures of Yunnan report the same way: {others}.")
        needing = ", ".join(r[0] for r in rows if r[3])
        self.stdout.write(
            f"Accounts marked [+ second factor] ({needing}) are asked for a code after the password, "
            f"on the page and as 'otp' for an API token: add the key {DEMO_TOTP_SECRET} to an "
            f"authenticator app (time-based, 6 digits) and type its current code, or type a backup "
            f"code, each usable once: {', '.join(DEMO_BACKUP_CODES)} (renewed each time this runs)."
        )
