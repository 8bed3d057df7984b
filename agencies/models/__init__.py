"""The organisation: member units, provinces, users and their second factors."""

from agencies.models.organisation import MemberUnit, Province
from agencies.models.two_factor import BackupCode, TwoFactorDevice
from agencies.models.users import User, UserManager

__all__ = ["BackupCode", "MemberUnit", "Province", "TwoFactorDevice", "User", "UserManager"]
