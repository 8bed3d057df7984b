"""The organisation: divisions, member units, provinces, agencies, users and their second factors."""

from agencies.models.divisions import Division
from agencies.models.organisation import Agency, MemberUnit, Province
from agencies.models.two_factor import BackupCode, TwoFactorDevice
from agencies.models.users import User, UserManager

__all__ = [
    "Agency",
    "BackupCode",
    "Division",
    "MemberUnit",
    "Province",
    "TwoFactorDevice",
    "User",
    "UserManager",
]
