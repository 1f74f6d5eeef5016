"""Where the benchmarks write what they measured: benchmarks/results/<kind>-<UTC time>-<revision>."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def git_revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def write_result(output: str | Path, kind: str, content: dict | str, suffix: str = "json") -> Path:
    """Write `content` (a dict becomes JSON, with when, revision and machine added) and say where."""
    output = Path(output)
    output.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime())
    revision = git_revision()
    if isinstance(content, dict):
        machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "system": platform.system()}
        content = json.dumps(
            {"when": stamp, "revision": revision, "machine": machine, **content}, indent=2, ensure_ascii=False
        )
    path = output / f"{kind}-{stamp}-{revision}.{suffix}"
    path.write_text(content)
    print(f"written {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return path
