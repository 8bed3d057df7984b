"""Demo users for every role, created by ``manage.py create_demo_users`` (``make run``)."""

from core.choices import Role

DEMO_PASSWORD = "imcs-demo-2026"  # noqa: S105 - printed on the console for development
# Demo case officers, the auditor and the administrator sign in with a second factor: add this key to an
# authenticator app, or use a backup code (each once per account; re-running create_demo_users
# renews them).
DEMO_TOTP_SECRET = "IMCSDEMOCASEFILESTWOFACTORKEYABC"  # noqa: S105 - development only
DEMO_BACKUP_CODES = [f"DEMO{n:04d}" for n in range(1, 11)]  # noqa: S105 - printed on the console for development

# username, role, unit code, province code, name
DEMO_USERS = [
    ("office", Role.OFFICE, "IMCS_OFFICE", None, "王静"),
    ("liaison.mca", Role.LIAISON, "MCA", None, "李明"),
    ("liaison.mca.deputy", Role.LIAISON, "MCA", None, "周洁"),
    ("liaison.mps", Role.LIAISON, "MPS", None, "张伟"),
    ("liaison.moe", Role.LIAISON, "MOE", None, "陈芳"),
    ("province.gx", Role.PROVINCE, None, "450000", "黄丽"),
    ("province.yn", Role.PROVINCE, None, "530000", "杨帆"),
    ("case.mps", Role.CASE_OFFICER, "MPS", "450000", "刘洋"),
    ("case.mca", Role.CASE_OFFICER, "MCA", "450000", "赵敏"),
    ("auditor", Role.AUDITOR, None, None, "孙强"),
    ("admin", Role.ADMIN, None, None, "管理员"),
]
