"""`make run` on any PORT: the links in emails point at the server it starts (issue 14.1)."""

import os
import subprocess
from pathlib import Path

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
