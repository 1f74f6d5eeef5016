"""Settings fail loudly on bad values and pass `check --deploy` with production values."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "x7!k2p9@q4#w8e6r1t5y3u0i9o8p7a6s5d4f3g2h1j0k9l8z7x6c5v",
    "ALLOWED_HOSTS": "crm.example.com",
    "DATABASE_URL": "postgres://postgres@localhost:5432/postgres",
    "REDIS_URL": "redis://localhost:6379/0",
}


def run_manage(*args, **env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "SECURE_SSL_REDIRECT",
            "SESSION_COOKIE_SECURE",
            "CSRF_COOKIE_SECURE",
            "SECURE_HSTS_SECONDS",
            "STATIC_MANIFEST",
            "DEBUG",
            "SECRET_KEY",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
            "TIME_ZONE",
        }
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def test_production_settings_pass_check_deploy_without_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_fails_loudly_when_debug_is_off():
    env = dict(PRODUCTION)
    env["SECRET_KEY"] = ""
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_time_zone_fails_loudly():
    result = run_manage("check", **PRODUCTION, TIME_ZONE="Mars/Olympus")
    assert result.returncode != 0
    assert "not a known time zone" in result.stderr


def test_a_non_integer_number_fails_loudly():
    result = run_manage("check", **PRODUCTION, EMAIL_PORT="twenty-five")
    assert result.returncode != 0
    assert "ValueError" in result.stderr or "invalid literal" in result.stderr


def test_the_default_time_zone_is_seoul():
    result = run_manage("shell", "-c", "from django.conf import settings; print(settings.TIME_ZONE)", **PRODUCTION)
    assert result.stdout.strip().splitlines()[-1] == "Asia/Seoul", result.stderr


def test_a_too_frequent_dashboard_precompute_fails_loudly():
    result = run_manage("check", **PRODUCTION, DASHBOARD_PRECOMPUTE_SECONDS="5")
    assert result.returncode != 0
    assert "DASHBOARD_PRECOMPUTE_SECONDS must be at least 30" in result.stderr
