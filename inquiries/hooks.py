"""What apps above `inquiries` do when an inquiry changes, without `inquiries` importing them.

`inquiries` may not import `followups` (see README, "Architecture"). When work is delivered,
followups' care room starts the after-delivery check-ins in the same request, and its growth room
turns the deferred wants into growth items: they register functions here from
`FollowupsConfig.ready()`. Care's hourly pick-up stays as the safety net.

When an inquiry is won (a status change by staff or a proposal accepted online), the functions
registered with `on_won` run inside that transaction, once per change to Won.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

_delivered: list[Callable] = []
_won: list[Callable] = []


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


def on_won(function: Callable) -> Callable:
    """`function(*, inquiry, actor)` runs inside the transaction in which an inquiry becomes won
    (`actor` is None when the customer accepted a proposal through its link)."""
    if function not in _won:
        _won.append(function)
    return function


def won(*, inquiry, actor) -> None:
    for function in _won:
        function(inquiry=inquiry, actor=actor)
