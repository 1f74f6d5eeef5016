"""The shape of the code (README, "Architecture"): no import cycle between our modules, no module
past 400 lines, and every periodic task that beat schedules is one the worker knows.

The floors themselves are import-linter contracts (pyproject.toml), run by `make lint` and
`make test`; these tests keep the rules import-linter does not express."""

from pathlib import Path

import grimp
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("agency_crm", "clients", "inquiries", "followups")
MAX_LINES = 400


def import_cycles(graph) -> list[list[str]]:
    """Every group of our modules that import each other in a circle (Tarjan's strongly
    connected components over the direct imports; migrations aside)."""
    modules = sorted(m for m in graph.modules if ".migrations" not in m)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            if ".migrations" in imported:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return cycles


def test_the_cycle_finder_finds_a_cycle():
    graph = grimp.ImportGraph()
    for module in ("a.clock", "a.reminders", "a.services", "a.models"):
        graph.add_module(module)
    graph.add_import(importer="a.clock", imported="a.reminders")
    graph.add_import(importer="a.reminders", imported="a.services")
    graph.add_import(importer="a.services", imported="a.clock")
    graph.add_import(importer="a.services", imported="a.models")
    assert import_cycles(graph) == [["a.clock", "a.reminders", "a.services"]]


def test_no_import_cycle_between_our_modules(monkeypatch):
    monkeypatch.syspath_prepend(str(ROOT))
    graph = grimp.build_graph(*PACKAGES)
    assert import_cycles(graph) == []


def _our_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def test_no_module_of_ours_is_over_400_lines():
    too_long = {
        str(path.relative_to(ROOT)): count
        for path in _our_modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert too_long == {}, "split these by job (README, 'Architecture')"


def test_the_module_scan_sees_every_room():
    scanned = {str(path.relative_to(ROOT)) for path in _our_modules()}
    for room in ("conversations", "mailin", "reminders", "care", "dashboard", "proposals"):
        assert f"followups/{room}/__init__.py" in scanned


@pytest.mark.parametrize("entry", sorted(settings.CELERY_BEAT_SCHEDULE))
def test_every_periodic_task_is_registered_with_the_worker(entry):
    from agency_crm.celery import app

    app.loader.import_default_modules()  # what the worker does at start-up (autodiscovery)
    assert settings.CELERY_BEAT_SCHEDULE[entry]["task"] in app.tasks
