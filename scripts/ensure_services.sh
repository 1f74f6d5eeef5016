#!/usr/bin/env bash
# Makes sure the services the test suite needs are there: PostgreSQL and Redis on localhost
# (started when installed but stopped), and Debian's Chromium for the browser tests.
set -euo pipefail

say() { printf '[services] %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

apt_updated=0
apt_install() {
  if ! command -v apt-get >/dev/null; then
    say "ERROR: $* is missing and this machine has no apt-get; install it by hand."; exit 1
  fi
  if [ "$apt_updated" = 0 ]; then as_root apt-get update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null
}

# PostgreSQL
if ! pg_isready -q -h localhost -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql/*/main >/dev/null 2>&1; then
    version=$(ls /etc/postgresql | head -1)
    say "starting PostgreSQL $version"
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h localhost -p 5432 && break; sleep 1; done
  fi
  if ! pg_isready -q -h localhost -p 5432 2>/dev/null; then
    say "ERROR: PostgreSQL is not reachable on localhost:5432 and is not installed here."
    say "Install it (apt-get install postgresql) or point DATABASE_URL at a server."
    exit 1
  fi
fi

# Redis
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  if command -v redis-server >/dev/null; then
    say "starting Redis"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
    for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
    say "ERROR: Redis is not reachable on 127.0.0.1:6379 and is not installed here."
    say "Install it (apt-get install redis-server)."
    exit 1
  fi
fi

# Chromium for Playwright (Playwright's own browser download needs the internet).
if [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium for the browser tests"
  apt_install chromium
fi
# Dovecot for the IMAP integration tests.
if [ ! -x /usr/sbin/dovecot ]; then
  say "installing Debian's dovecot-imapd for the IMAP tests"
  apt_install dovecot-imapd
fi
# CPython's email test corpus (test/test_email/data) for the inbound email parser tests: pyenv and
# python.org builds ship it; Debian's python3.X needs libpython3.X-testsuite.
py=.venv/bin/python; [ -x "$py" ] || py=python3
if ! "$py" -c "import test.test_email" >/dev/null 2>&1; then
  pyver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  say "installing Debian's libpython${pyver}-testsuite (CPython's email test corpus)"
  apt_install "libpython${pyver}-testsuite"
fi
say "PostgreSQL, Redis, Chromium and Dovecot are ready."
