"""Production settings: secure by default, and `check --deploy` is clean."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def manage(*args, **env):
    unset = (
        "DEBUG", "HTTPS", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE", "CASE_ENCRYPTION_KEYS",
        "CASE_BLIND_INDEX_KEY",
    )  # fmt: skip
    base = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "IMCS_ENV": "production",
    "SECRET_KEY": "x8#kq2!vL0pZr7@tN4wYb1&eM9sH6cJ3uF5gD0aQ-production-like-secret",
    "ALLOWED_HOSTS": "imcs.example.gov.cn",
    "CASE_ENCRYPTION_KEYS": "q2sNnDRBc1Ya6Px9j0bNR6Z5qWn0Ue3yD9zH0m4Qk1E=",
    "CASE_BLIND_INDEX_KEY": "c3f1e8a4d9b2c7e6f0a1b2c3d4e5f60718293a4b5c6d7e8f9",
}


def test_check_deploy_with_production_settings_is_clean():
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_of_an_in_process_cache():
    """Kept values are renewed through tokens in the cache: in production every process must share it."""
    result = manage("check", "--deploy", **PRODUCTION, REDIS_URL="")
    assert "imcs.W001" in result.stdout + result.stderr


def test_refuses_to_start_without_case_encryption_keys():
    result = manage(
        "check",
        IMCS_ENV="production",
        SECRET_KEY=PRODUCTION["SECRET_KEY"],
        ALLOWED_HOSTS="imcs.example.gov.cn",
    )
    assert result.returncode != 0 and "CASE_ENCRYPTION_KEYS" in result.stderr


def test_refuses_to_start_without_a_secret_key():
    result = manage("check", IMCS_ENV="production", ALLOWED_HOSTS="imcs.example.gov.cn")
    assert result.returncode != 0 and "SECRET_KEY" in result.stderr


def test_refuses_to_start_without_allowed_hosts():
    result = manage("check", IMCS_ENV="production", SECRET_KEY=PRODUCTION["SECRET_KEY"])
    assert result.returncode != 0 and "ALLOWED_HOSTS" in result.stderr


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("CASE_ENCRYPTION_KEYS", "not-a-fernet-key"),
        ("CASE_ENCRYPTION_KEYS", PRODUCTION["CASE_ENCRYPTION_KEYS"] + ",c2hvcnQ="),  # the second is short
        ("CASE_BLIND_INDEX_KEY", "k"),
        ("ALLOWED_HOSTS", "*"),
        ("ALLOWED_HOSTS", "imcs.example.gov.cn,*"),
        ("HTTPS", "0"),
    ],
)
def test_production_refuses_to_start_with_a_bad_value(setting, value):
    """Not at the first read of a case file: at the start, naming the setting."""
    result = manage("check", **{**PRODUCTION, setting: value})
    last_line = result.stderr.strip().splitlines()[-1]
    assert result.returncode != 0 and last_line.startswith("django.core.exceptions.ImproperlyConfigured")
    assert setting in last_line, last_line


def test_production_refuses_debug():
    result = manage("check", **PRODUCTION, DEBUG="1")
    assert result.returncode != 0 and "DEBUG" in result.stderr


def test_management_commands_need_no_environment(tmp_path):
    """A bare checkout: DEBUG off, a random secret made once in VAR_DIR, migrations checkable."""
    result = manage(
        "makemigrations",
        "--check",
        "--dry-run",
        VAR_DIR=str(tmp_path),
        DATABASE_URL=f"sqlite:///{tmp_path}/db",
    )
    assert result.returncode == 0, result.stderr
    key = (tmp_path / ".secret_key").read_text()
    assert len(key) > 40 and oct((tmp_path / ".secret_key").stat().st_mode)[-3:] == "600"


def test_secret_key_from_a_file(tmp_path):
    secret = tmp_path / "secret"
    secret.write_text(PRODUCTION["SECRET_KEY"] + "\n")
    result = manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        SECRET_KEY_FILE=str(secret),
        **{key: value for key, value in PRODUCTION.items() if key != "SECRET_KEY"},
    )
    assert result.returncode == 0, result.stderr


def test_development_defaults_need_no_environment(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in (
            "DATABASE_URL",
            "REDIS_URL",
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "HTTPS",
            "VAR_DIR",
            "STATIC_ROOT",
            "MEDIA_ROOT",
        )
    }
    env.update(DEBUG="1", VAR_DIR=str(tmp_path))
    code = (
        "from django.conf import settings; print(settings.DATABASES['default']['ENGINE'], "
        "settings.CELERY_BROKER_URL)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "imcs_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.stdout.split() == ["django.db.backends.sqlite3", "filesystem://"], result.stderr


def test_no_model_change_without_its_migration():
    result = manage("makemigrations", "--check", "--dry-run", **PRODUCTION)
    assert result.returncode == 0, result.stdout


@pytest.mark.django_db
def test_content_security_policy_forbids_inline_scripts(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert (
        "script-src 'self'" in policy and "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    )
    assert "frame-ancestors 'none'" in policy
