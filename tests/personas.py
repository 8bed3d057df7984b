"""The named people every test talks about (one shared place for personas: README.md, "Map of the code").

- ``liaison_mca`` / ``liaison_mps``: liaison officers of two different member units
- ``office``: IMCS Office staff
- ``reporter_gx`` / ``reporter_yn``: provincial reporters of Guangxi and Yunnan
- ``case_mps`` / ``case_mca``: case officers of public security and civil affairs
- ``auditor``: read-only
- ``admin``: administrator
- ``outsider``: an account that was deactivated

``make_agency("MCA-530100")`` makes a local agency (the demo's, by its code) for the personas of
the organisation's tests (``make_user(..., agency="MCA-530100")``).

``signed_in(client, user)`` signs a test client in as any user (second factor passed);
``api_for(user)`` is a DRF client authenticated as them.

``enrol_second_factor(user)`` gives one of them an authenticator (and backup codes), as the
two-factor setup page does.
"""

import pyotp
from rest_framework.test import APIClient

from agencies import two_factor
from agencies.choices import AgencyKind
from agencies.demo import DEMO_AGENCIES
from agencies.models import Agency, Division, MemberUnit, Province, TwoFactorDevice, User
from core.choices import Role

PASSWORD = "persona-password-1"

PERSONAS = {
    "liaison_mca": (Role.LIAISON, "MCA", None),
    "liaison_mps": (Role.LIAISON, "MPS", None),
    "office": (Role.OFFICE, "IMCS_OFFICE", None),
    "reporter_gx": (Role.PROVINCE, None, "450000"),
    "reporter_yn": (Role.PROVINCE, None, "530000"),
    "case_mps": (Role.CASE_OFFICER, "MPS", None),
    "case_mca": (Role.CASE_OFFICER, "MCA", None),
    "auditor": (Role.AUDITOR, None, None),
    "admin": (Role.ADMIN, None, None),
    "outsider": (Role.LIAISON, "MOE", None),
}


def make_user(
    username: str,
    role: str,
    *,
    unit: str | None = None,
    province: str | None = None,
    agency: str | None = None,
    active: bool = True,
) -> User:
    """A user with the personas' password, of the agency with code ``agency``; else of the national
    office of the member unit ``unit``, of the anti-trafficking office of ``province``, or of the IMCS
    Office."""
    code = agency or unit or (f"ATO-{province}" if province else "IMCS_OFFICE")
    return User.objects.create_user(
        username=username,
        password=PASSWORD,
        role=role,
        agency=Agency.objects.get(code=code),
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        is_active=active,
    )


def make_agency(code: str, name_zh: str = "", name_en: str = "") -> Agency:
    """The office of a member unit at a division, by its code (``MCA-530100``: civil affairs at
    昆明市), or a division's anti-trafficking office (``ATO-530100``), made once: named as the demo
    names it (``agencies.demo.DEMO_AGENCIES``), else as given, else after its division and unit."""
    unit_code, division_code = code.rsplit("-", 1)
    if unit_code == "ATO":  # a division's anti-trafficking office
        return Agency.objects.anti_trafficking_office(Division.objects.get(code=division_code))
    demo = {row[0]: row for row in DEMO_AGENCIES}.get(code)
    unit, division = MemberUnit.objects.get(code=unit_code), Division.objects.get(code=division_code)
    return Agency.objects.get_or_create(
        code=code,
        defaults={
            "kind": AgencyKind.UNIT_OFFICE,
            "unit": unit,
            "division": division,
            "name_zh": name_zh or (demo[3] if demo else f"{division.name_zh}{unit.name_zh}"),
            "name_en": name_en or (demo[4] if demo else f"{division.name_en} {unit.name_en}"),
        },
    )[0]


def make_persona(name: str) -> User:
    role, unit, province = PERSONAS[name]
    return make_user(name, role, unit=unit, province=province, active=name != "outsider")


def reporters_elsewhere(count: int) -> list[User]:
    """Reporters (``r<code>``) of ``count`` provinces besides Guangxi: more rows for query counts."""
    provinces = Province.objects.exclude(code="450000")[:count]
    return [make_user(f"r{province.code}", Role.PROVINCE, province=province.code) for province in provinces]


def enrol_second_factor(
    user: User, *, secret: str | None = None, backup_codes: list[str] | None = None, code_spent: bool = True
) -> str:
    """Enrol ``user``'s authenticator with its current code (as the setup page does, so that this code
    is used up) and, if given, set these backup codes; return the authenticator's secret.

    ``code_spent=False``: as if enrolled a while ago, the authenticator's current code still signs in."""
    secret = secret or two_factor.new_secret()
    two_factor.enrol(user, secret, pyotp.TOTP(secret).now())
    if not code_spent:
        TwoFactorDevice.objects.filter(user=user).update(last_used_step=0)
    if backup_codes:
        two_factor.set_backup_codes(user, codes=backup_codes)
    return secret


def signed_in(client, user):
    """Django's test ``client`` signed in as ``user``, the second factor (where the role needs it)
    passed."""
    client.force_login(user)
    session = client.session
    session[two_factor.SESSION_KEY] = True
    session.save()
    return client


def api_for(user) -> APIClient:
    """A DRF API client authenticated as ``user``."""
    api = APIClient()
    api.force_authenticate(user)
    return api
