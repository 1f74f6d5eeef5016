"""`make run` on any PORT: the links in emails point at the server it starts (issue 14.1)."""

import os
import re
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import wait_until

ROOT = Path(__file__).resolve().parent.parent.parent


def _dry_run(**env) -> str:
    environment = {k: v for k, v in os.environ.items() if k != "SITE_URL"} | env
    result = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True, timeout=60
    )
    return result.stdout


def _commands_with(output: str, needle: str) -> list[str]:
    return [line for line in output.splitlines() if needle in line]


def test_make_run_points_email_links_at_its_own_port():
    output = _dry_run(PORT="8123")
    for command in ("manage.py seed_demo", "honcho"):
        (line,) = _commands_with(output, command)
        assert "SITE_URL=http://localhost:8123" in line, line


def test_an_explicit_site_url_wins():
    output = _dry_run(PORT="8123", SITE_URL="https://crm.example.com")
    (line,) = _commands_with(output, "honcho")
    assert "SITE_URL=https://crm.example.com" in line
    assert "localhost:8123" not in line.split("PORT=")[0]


def test_make_run_runs_without_debug_unless_asked():
    environment = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"}}
    result = subprocess.run(
        ["make", "-n", "run"], cwd=ROOT, env=environment, capture_output=True, text=True, check=True, timeout=60
    )
    (line,) = _commands_with(result.stdout, "honcho")
    assert "DEBUG=false" in line and 'SECRET_KEY="make-run-local-only-' in line
    assert "ALLOWED_HOSTS=localhost,127.0.0.1,[::1]" in line and "SECURE_SSL_REDIRECT=false" in line
    (line,) = _commands_with(_dry_run(DEBUG="true"), "honcho")
    assert "DEBUG=true" in line


# --- a real `make run`: the product's behaviour, not a developer's ------------------------------
# A fresh SQLite database under its own VAR_DIR and the filesystem broker, as a new agency gets
# them: DEBUG off, so a wrong address shows the styled 404 in the reader's language (Django's
# technical page shows the URLconf); web, worker and beat share the SQLite file, which must never
# answer "database is locked" (beat logged 9 of them adding its schedule on a fresh database).
_SERVICE_SETTINGS = {
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "SITE_URL",
    "STATIC_MANIFEST",
    "DJANGO_SETTINGS_MODULE",
    "IMAP_HOST",
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str, **headers) -> tuple[int, str, dict]:
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode(errors="replace"), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode(errors="replace"), dict(error.headers)


@pytest.mark.integration
def test_make_run_serves_the_product_and_never_locks_its_database(tmp_path):
    port = _free_port()
    environment = {k: v for k, v in os.environ.items() if k not in _SERVICE_SETTINGS}
    environment |= {"PORT": str(port), "VAR_DIR": str(tmp_path / "var")}
    log_path = tmp_path / "make-run.log"
    with open(log_path, "wb") as log:
        make = subprocess.Popen(
            ["make", "run"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    base = f"http://localhost:{port}"
    try:

        def login_page_answers():
            try:
                return _get(f"{base}/accounts/login/")[0] == 200
            except OSError:
                assert make.poll() is None, log_path.read_text(errors="replace")
                return False

        wait_until(login_page_answers, timeout=240, interval=0.5, message="make run's login page")
        status, body, _headers = _get(f"{base}/no-such-page/", **{"Accept-Language": "ko"})
        assert status == 404
        assert "페이지를 찾을 수 없습니다" in body
        assert "URLconf" not in body and "DEBUG = True" not in body
        status, body, headers = _get(f"{base}/favicon.ico")
        assert status == 200 and headers["Content-Type"].startswith("image/svg+xml"), (status, headers)
        status, body, _headers = _get(f"{base}/accounts/login/")
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', body).group(1)
        assert _get(f"{base}{stylesheet}")[0] == 200
        # Let beat add its schedule and the worker run the first ticks beside the web server.
        time.sleep(15)
        status, _body, _headers = _get(f"{base}/healthz")
        assert status in (200, 503)
    finally:
        os.killpg(make.pid, signal.SIGINT)
        try:
            make.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(make.pid, signal.SIGKILL)
            make.wait(timeout=10)
    output = log_path.read_text(errors="replace")
    assert "beat.1   | LocalTime -> " in output and "celery@" in output and " ready." in output, output[-3000:]
    assert "database is locked" not in output, output[-5000:]
    assert "Traceback" not in output, output[-5000:]
