"""Throughput for `make bench`: the inbox against a bare authenticated view on the same gunicorn.

Starts gunicorn (2 sync workers, DEBUG off, the benchmark database) on a free loopback port, logs
the benchmark manager in (a session cookie), and loads each URL with Debian's `wrk` for a bounded
time and number of connections, interleaved (bare, layout, inbox, bare, ...). Reports requests per
second of each and the inbox's share of the bare view's, and writes JSON to benchmarks/results/.

    make bench                                   # after benchmarks/run.py
    make bench THROUGHPUT_ARGS="--duration 20 --rounds 5"
    .venv/bin/python benchmarks/throughput.py --duration 10 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from results_file import write_result  # noqa: E402 - benchmarks/ is the script's own folder

BENCH_ENV = {
    "DATABASE_URL": os.environ.get("DATABASE_URL", "postgres://postgres@localhost:5432/gonggam_bench"),
    "DEBUG": "false",
    "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-benchmark-only-secret-key"),
    "ALLOWED_HOSTS": "testserver,localhost,127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "SESSION_COOKIE_SECURE": "false",
    "CSRF_COOKIE_SECURE": "false",
    "STATIC_MANIFEST": "false",
}
# The bare view (every middleware, no template, no query of its own), a small page in the layout
# (navigation, bell, a short list: the floor under every page), the inbox's reads alone (its
# queries, no page: the ceiling of any inbox that reads its data on every request) and the inbox.
URLS = {"bare": "/bench/bare/", "layout": "/notifications/", "inbox_reads": "/bench/inbox-reads/", "inbox": "/inbox/"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def session_cookie() -> str:
    """A logged-in session of bench_manager, stored in the benchmark database."""
    os.environ.update(BENCH_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "agency_crm.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    manager = get_user_model().objects.filter(username="bench_manager").first()
    if manager is None:
        raise SystemExit("No bench_manager user: run `make bench BENCH_ARGS=--generate` first.")
    client = Client()
    client.force_login(manager)
    same_queries(client)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def same_queries(client) -> None:
    """/bench/inbox-reads/ stands for the inbox's reads only while it runs as many queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext, override_settings

    counts = {}
    with override_settings(ROOT_URLCONF="benchmarks.throughput_urls"):
        for name in ("inbox_reads", "inbox"):
            client.get(URLS[name])  # warm: the first request may load what later ones reuse
            with CaptureQueriesContext(connection) as queries:
                client.get(URLS[name])
            counts[name] = len(queries)
    if counts["inbox_reads"] != counts["inbox"]:
        reads, inbox = counts["inbox_reads"], counts["inbox"]
        raise SystemExit(f"/bench/inbox-reads/ runs {reads} queries and /inbox/ {inbox}: make them read the same")


def start_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, **BENCH_ENV, "DJANGO_SETTINGS_MODULE": "benchmarks.throughput_settings"}
    process = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "agency_crm.wsgi",
            "--chdir",
            str(ROOT),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            get(port, "/healthz", "")
            return process
        except OSError:
            time.sleep(0.3)
    process.terminate()
    raise SystemExit("gunicorn did not answer /healthz within 30 s")


def check(port: int, cookie: str) -> None:
    """Both URLs answer 200 to the logged-in session (not a redirect to the login page)."""
    for url in URLS.values():
        status = get(port, url, cookie)
        if status != 200:
            raise SystemExit(f"{url} answered {status} to the benchmark session (200 expected)")


def get(port: int, url: str, cookie: str) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", url, headers={"Cookie": cookie} if cookie else {})
        response = connection.getresponse()
        response.read()
        return response.status
    finally:
        connection.close()


def wrk(port: int, url: str, cookie: str, duration: int, connections: int) -> float:
    output = subprocess.run(
        [
            "wrk",
            "--threads",
            "1",
            "--connections",
            str(connections),
            "--duration",
            f"{duration}s",
            "--timeout",
            "10s",
            "--header",
            f"Cookie: {cookie}",
            f"http://127.0.0.1:{port}{url}",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if re.search(r"Non-2xx or 3xx responses", output):
        raise SystemExit(f"wrk saw error responses for {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration", type=int, default=10, help="Seconds of load per URL and round.")
    parser.add_argument("--rounds", type=int, default=3, help="Interleaved rounds (the median is reported).")
    parser.add_argument("--connections", type=int, default=4, help="Concurrent keep-alive connections.")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers.")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results"))
    args = parser.parse_args(argv)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install -y wrk (make bench installs it)")

    cookie = session_cookie()
    port = free_port()
    server = start_gunicorn(port, args.workers)
    try:
        check(port, cookie)
        for url in URLS.values():  # warm both workers' caches (templates, translations, plans)
            wrk(port, url, cookie, 2, args.connections)
        rates: dict[str, list[float]] = {name: [] for name in URLS}
        for _ in range(args.rounds):
            for name, url in URLS.items():
                rates[name].append(wrk(port, url, cookie, args.duration, args.connections))
    finally:
        server.terminate()
        server.wait(timeout=30)

    medians = {name: statistics.median(values) for name, values in rates.items()}
    share = medians["inbox"] / medians["bare"]
    reads_share = medians["inbox_reads"] / medians["bare"]
    print(f"gunicorn {args.workers} sync workers, wrk {args.connections} connections, {args.rounds}×{args.duration} s")
    for name, url in URLS.items():
        rounds = ", ".join(f"{value:.0f}" for value in rates[name])
        print(f"{name:<12}{medians[name]:>9.1f} req/s   ({rounds})  {url}")
    print(f"inbox / bare: {share:.1%}   inbox's reads alone / bare: {reads_share:.1%}")

    write_result(
        args.output,
        "throughput",
        {
            "gunicorn_workers": args.workers,
            "connections": args.connections,
            "duration_s": args.duration,
            "rounds": rates,
            "median_req_s": medians,
            "inbox_share_of_bare": round(share, 4),
            "inbox_reads_share_of_bare": round(reads_share, 4),
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
