"""What apps above `inquiries` do when an inquiry changes, without `inquiries` importing them.

`inquiries` may not import `followups` (see README, "Architecture"). When work is delivered,
followups' care room starts the after-delivery check-ins in the same request: it registers a
function here from `FollowupsConfig.ready()`. Its hourly pick-up stays as the safety net.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

_delivered: list[Callable] = []


def on_delivered(function: Callable) -> Callable:
    """`function(*, inquiry, actor)` runs inside the transaction that marks an inquiry delivered."""
    if function not in _delivered:
        _delivered.append(function)
    return function


def delivered(*, inquiry, actor) -> None:
    for function in _delivered:
        function(inquiry=inquiry, actor=actor)


@dataclass(frozen=True)
class NextStep:
    """The next open task of an inquiry, as the board's card shows it."""

    title: str
    due_at: dt.datetime  # aware; a task with a date only is due at the end of that day, local time
    has_time: bool


_next_steps: list[Callable] = []


def on_next_steps(function: Callable) -> Callable:
    """`function(inquiry_ids: list[int]) -> dict[int, NextStep]`, one query for all ids."""
    if function not in _next_steps:
        _next_steps.append(function)
    return function


def next_steps(inquiry_ids: list[int]) -> dict[int, NextStep]:
    found: dict[int, NextStep] = {}
    for function in _next_steps:
        found.update(function(list(inquiry_ids)))
    return found
