"""The named people every test talks about (see HOUSE_STYLE.md: one shared place for personas).

- ``liaison_mca`` / ``liaison_mps``: liaison officers of two different member units
- ``office``: IMCS Office staff
- ``reporter_gx`` / ``reporter_yn``: provincial reporters of Guangxi and Yunnan
- ``case_mps`` / ``case_mca``: case officers of public security and civil affairs
- ``auditor``: read-only
- ``admin``: administrator
- ``outsider``: an account that was deactivated
"""

from agencies.models import MemberUnit, Province, User
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


def make_persona(name: str) -> User:
    role, unit, province = PERSONAS[name]
    user = User.objects.create_user(
        username=name,
        password=PASSWORD,
        role=role,
        unit=MemberUnit.objects.get(code=unit) if unit else None,
        province=Province.objects.get(code=province) if province else None,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
        is_active=name != "outsider",
    )
    return user
