"""Shared fixtures: personas (manager, owner, other staff, anonymous), a logged-in client for
each, real service helpers (Celery worker, SMTP), and Playwright on Debian's Chromium.

GONGGAM_TEST_NOW=2026-12-25T11:00:00+09:00 (an ISO datetime with offset) runs the whole session as
if it started at that moment, the clock ticking on from there: a test that fails only under some
moments depends on the wall clock and should freeze its own.
"""

import datetime as dt
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import connection

from tests.factories import ManagerFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


# --- the moment the session runs at (opt-in) -----------------------------------------------------
def _session_moment() -> dt.datetime | None:
    value = os.environ.get("GONGGAM_TEST_NOW", "").strip()
    if not value:
        return None
    try:
        moment = dt.datetime.fromisoformat(value)
    except ValueError:
        raise pytest.UsageError(f"GONGGAM_TEST_NOW={value!r} is not an ISO datetime.") from None
    if moment.tzinfo is None:
        raise pytest.UsageError(f"GONGGAM_TEST_NOW={value!r} needs an offset, e.g. +09:00.")
    return moment


def pytest_configure(config):
    # Passwords made by the tests are hashed with MD5: Django's PBKDF2 (1,000,000 iterations) took
    # 0.23 s for every user a factory created, minutes of the suite. Production keeps the default
    # hashers, listed after MD5 so that their hashes still verify.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *settings.PASSWORD_HASHERS]
    # Every test client builds its own middleware chain, and WhiteNoise's middleware listed every
    # file of every static folder when built (about 0.15 s: 40 of the permission matrix's 67 s, and
    # a share of every test with a client). Tests have no collected STATIC_ROOT and find their
    # static files through the finders, so WhiteNoise looks each one up when asked, as it does
    # under `runserver` (production, with a collected STATIC_ROOT, is unchanged).
    settings.WHITENOISE_AUTOREFRESH = True
    moment = _session_moment()
    if moment is not None:
        # Before the test database is set up, so everything the session creates is "at" the moment;
        # a test's own time_machine.travel() nests inside and is undone back to this one.
        traveller = time_machine.travel(moment, tick=True)
        traveller.start()
        config.add_cleanup(traveller.stop)


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """A fresh copy of the migrated template database for this session (see tests/database.py),
    instead of pytest-django's reused one; `--create-db` rebuilds the template. A transactional
    test's flush is followed by the data migrations' rows, as the template has them."""
    from tests.database import (
        create_fresh_test_database,
        drop_test_database,
        fast_flush_after_transactional_tests,
        restore_after_flush,
    )

    original = connection.settings_dict["NAME"]
    with django_db_blocker.unblock():
        test_name = create_fresh_test_database(rebuild_template=request.config.getvalue("create_db"))
    restore_after_flush()
    fast_flush_after_transactional_tests()
    yield
    with django_db_blocker.unblock():
        drop_test_database(test_name, original)


@pytest.fixture(scope="session", autouse=True)
def _jinja_pages_tell_the_test_client():
    """Jinja2 pages send `template_rendered` while tests run, as Django's test setup makes its own
    templates do, so `response.context` works for them too (agency_crm.jinja_templates)."""
    from django.test.signals import template_rendered

    from agency_crm.jinja_templates import Template

    render = Template.render

    def render_and_tell(self, context=None, request=None):
        context = {} if context is None else context
        template_rendered.send(sender=self, template=self, context=context)
        return render(self, context, request)

    Template.render = render_and_tell
    yield
    Template.render = render


def pytest_report_header(config):
    moment = _session_moment()
    return [f"GONGGAM_TEST_NOW: the clock starts at {moment.isoformat()}"] if moment else []


# --- personas ---------------------------------------------------------------------------------
@pytest.fixture
def manager(db):
    return ManagerFactory(username="boss", first_name="Seoyeon", last_name="Kim")


@pytest.fixture
def owner(db):
    return UserFactory(username="owner", first_name="Minji", last_name="Park")


@pytest.fixture
def other_staff(db):
    return UserFactory(username="other", first_name="Junho", last_name="Lee")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(client, other_staff):
    client.force_login(other_staff)
    return client


# --- real services -----------------------------------------------------------------------------
def subprocess_env(**extra) -> dict:
    """Environment for a subprocess that must see the test database and broker."""
    env = os.environ.copy()
    db = connection.settings_dict
    env["DATABASE_URL"] = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or 'localhost'}:{db['PORT'] or 5432}/{db['NAME']}"
    )
    env["PYTHONPATH"] = str(ROOT)
    env.update({k: str(v) for k, v in extra.items()})
    return env


class CeleryProcess:
    def __init__(self, args: list[str], env: dict, log: Path):
        self.log = log
        self._asked_to_stop = False
        self._log_file = open(log, "wb")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "agency_crm", *args],
            cwd=ROOT,
            env=env,
            stdout=self._log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text in self.output():
                return
            if self.proc.poll() is not None:
                raise AssertionError(f"celery exited early:\n{self.output()}")
            time.sleep(0.2)
        raise AssertionError(f"{text!r} not seen within {timeout}s:\n{self.output()}")

    def kill(self, sig=signal.SIGKILL) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, sig)
            self.proc.wait(timeout=30)

    def ask_to_stop(self) -> None:
        """SIGTERM (a warm shutdown) without waiting for it, once."""
        if self.proc.poll() is None and not self._asked_to_stop:
            self._asked_to_stop = True
            os.killpg(self.proc.pid, signal.SIGTERM)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.ask_to_stop()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log_file.close()


@pytest.fixture
def broker_url():
    """A Redis database of its own, flushed, so no other worker steals our tasks."""
    import redis

    url = settings.CELERY_BROKER_URL
    redis.Redis.from_url(url).flushdb()
    return url


@pytest.fixture
def celery_processes(transactional_db, broker_url, tmp_path):
    """Start real Celery workers/beat as subprocesses: start("worker", ...) -> CeleryProcess."""
    started: list[CeleryProcess] = []

    def start(kind: str, *extra_args: str, **env_extra) -> CeleryProcess:
        n = len(started)
        if kind == "worker":
            args = [
                "worker",
                "--pool",
                "solo",
                "--loglevel",
                "INFO",
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "-n",
                f"test{n}@%h",
                *extra_args,
            ]
        elif kind == "beat":
            args = [
                "beat",
                "--loglevel",
                "DEBUG",
                "--max-interval",
                "1",
                "--schedule",
                str(tmp_path / f"beat{n}"),
                *extra_args,
            ]
        else:
            raise ValueError(kind)
        proc = CeleryProcess(
            args, subprocess_env(CELERY_BROKER_URL=broker_url, **env_extra), tmp_path / f"{kind}{n}.log"
        )
        started.append(proc)
        if kind == "worker":
            proc.wait_for("ready.")
        return proc

    yield start
    # All are asked first, then awaited: their warm shutdowns (several seconds each for a worker
    # and a beat) overlap instead of adding up.
    for proc in started:
        proc.ask_to_stop()
    for proc in started:
        proc.stop()


def wait_until(predicate, timeout: float = 30, interval: float = 0.2, message: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    raise AssertionError(f"{message} not met within {timeout}s")


# --- a real SMTP server on loopback (aiosmtpd) --------------------------------------------------
class LoopbackSMTP:
    """An aiosmtpd server on 127.0.0.1 that records what it accepts.

    `messages` holds (envelope, parsed email.message.EmailMessage) pairs; set `reply` to e.g.
    "550 5.1.1 No such user" to refuse messages, or call stop()/start() to take it down and up
    again on the same port. `env()` gives the settings a Celery worker subprocess needs.
    """

    def __init__(self):
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.host = "127.0.0.1"
        self.messages: list = []
        self.reply = "250 2.0.0 Message accepted for delivery"
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        from email import policy
        from email.parser import BytesParser

        if self.reply.startswith("2"):
            self.messages.append((envelope, BytesParser(policy=policy.default).parsebytes(envelope.content)))
        return self.reply

    def start(self) -> "LoopbackSMTP":
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def env(self) -> dict:
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": self.host,
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": "false",
            "EMAIL_USE_SSL": "false",
            "EMAIL_TIMEOUT": 5,
        }


@pytest.fixture
def smtp_server(settings):
    """A running LoopbackSMTP; Django's email settings point at it for the test."""
    server = LoopbackSMTP()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    server.start()
    yield server
    server.stop()


# --- Playwright on Debian's Chromium ----------------------------------------------------------
@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.exists(CHROMIUM) and shutil.which(CHROMIUM)):
        pytest.fail(f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium).")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def login(live_server, page):
    """login(username, password) in the browser; returns the page on the home screen."""

    def do_login(username: str, password: str):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        return page

    return do_login
