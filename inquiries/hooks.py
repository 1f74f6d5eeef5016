"""What apps above `inquiries` do when an inquiry changes, without `inquiries` importing them.

`inquiries` may not import `followups` (see README, "Architecture"). When work is delivered,
followups' care room starts the after-delivery check-ins in the same request: it registers a
function here from `FollowupsConfig.ready()`. Its hourly pick-up stays as the safety net.
"""

from __future__ import annotations

from collections.abc import Callable

_delivered: list[Callable] = []


def on_delivered(function: Callable) -> Callable:
    """`function(*, inquiry, actor)` runs inside the transaction that marks an inquiry delivered."""
    if function not in _delivered:
        _delivered.append(function)
    return function


def delivered(*, inquiry, actor) -> None:
    for function in _delivered:
        function(inquiry=inquiry, actor=actor)
