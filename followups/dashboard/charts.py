"""Server-rendered SVG bar charts of the dashboard: the geometry is computed here and drawn by
templates/followups/dashboard/_bar_chart.html (autoescaped). Axis labels are measured, wrapped
onto two lines at most and thinned out (every n-th bar) so that no two ever overlap."""

from __future__ import annotations

import unicodedata

from django.utils.translation import gettext_lazy as _

CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_TOP = 640, 220, 44, 10
# The least room an axis label gets ("12-08"); longer labels get what their text needs.
CHART_LABEL_WIDTH = 44
CHART_LABEL_GAP = 6
CHART_LINE_HEIGHT = 13
CHART_MAX_LABEL_LINES = 2
# Label text is 11 px: about 6.2 px per Latin character, a full em for Hangul and other wide ones.
LATIN_CHAR_WIDTH, WIDE_CHAR_WIDTH = 6.2, 11.0


def label_width(text: str) -> float:
    """The width an axis label takes at the chart's font size (a generous estimate)."""
    return sum(WIDE_CHAR_WIDTH if unicodedata.east_asian_width(ch) in "WF" else LATIN_CHAR_WIDTH for ch in text)


def _wrap(text: str, width: float) -> list[str]:
    """`text` on lines no wider than `width` (split at spaces; a longer word keeps its own line)."""
    lines: list[str] = []
    for word in text.split():
        if lines and label_width(f"{lines[-1]} {word}") <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _label_layout(labels: list[str], slot: float) -> tuple[int, list[list[str]]]:
    """Label every n-th bar with each label wrapped onto at most two lines, choosing the smallest
    n at which no label is wider than the room it has, so no two labels ever overlap."""
    every = 1
    while True:
        room = slot * every - CHART_LABEL_GAP
        wrapped = [_wrap(label, room) for label in labels]
        fits = (
            slot * every >= CHART_LABEL_WIDTH
            and all(len(lines) <= CHART_MAX_LABEL_LINES for lines in wrapped)
            and all(label_width(line) <= room for lines in wrapped for line in lines)
        )
        if fits or every >= len(labels):
            return every, wrapped
        every += 1


def bar_chart(groups: list[tuple[str, list[float | None]]], series: list[str], unit: float = 1.0) -> dict:
    """Grouped bars: groups is [(label, [value per series])]; values are divided by `unit`."""
    values = [v / unit for _label, group in groups for v in group if v is not None]
    top = max(values, default=0) or 1
    plot_width = CHART_WIDTH - CHART_LEFT - 8
    slot = plot_width / max(len(groups), 1)
    label_every, wrapped = _label_layout([label for label, _group in groups], slot)
    line_count = max((len(wrapped[i]) for i in range(0, len(groups), label_every)), default=1)
    bottom = 16 + CHART_LINE_HEIGHT * line_count
    plot_height = CHART_HEIGHT - bottom - CHART_TOP
    bar_width = slot * 0.8 / max(len(series), 1)
    bars, labels = [], []
    for index, (label, group) in enumerate(groups):
        x0 = CHART_LEFT + index * slot + slot * 0.1
        if index % label_every == 0:
            labels.append({"x": round(x0 + slot * 0.4, 1), "text": label, "lines": wrapped[index]})
        for position, value in enumerate(group):
            scaled = 0 if value is None else value / unit
            height = plot_height * scaled / top
            bars.append(
                {
                    "x": round(x0 + position * bar_width, 1),
                    "y": round(CHART_TOP + plot_height - height, 1),
                    "width": round(bar_width * 0.92, 1),
                    "height": round(height, 1),
                    "series": position,
                    "title": f"{label} · {series[position]}: {_('no data') if value is None else round(scaled, 2)}",
                }
            )
    ticks = [{"y": round(CHART_TOP + plot_height - plot_height * f, 1), "text": f"{top * f:.1f}"} for f in (0, 0.5, 1)]
    return {
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": CHART_LEFT,
        "baseline": CHART_TOP + plot_height,
        "label_y": CHART_TOP + plot_height + 16,
        "line_height": CHART_LINE_HEIGHT,
        "slot": slot * label_every - CHART_LABEL_GAP,
        "bars": bars,
        "labels": labels,
        "ticks": ticks,
        "series": series,
    }
