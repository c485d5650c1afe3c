"""Bar charts drawn on the server as inline SVG from the report's numbers. Pure.

No JavaScript and nothing fetched: the chart is part of the page, works offline and under the
strict Content-Security-Policy (colours are SVG attributes, not style sheets). The SVG has a
title and a description for screen readers; the table beside it holds every number.
"""
from __future__ import annotations

from collections.abc import Sequence
from math import floor, log10

from markupsafe import Markup, escape

# Colours with at least 3:1 contrast against white (WCAG 1.4.11), told apart by the legend too.
PALETTE = ("#0b4f9c", "#c25100", "#2e7d32", "#6a1b9a")
PLOT_LEFT, PLOT_TOP, PLOT_RIGHT, PLOT_BOTTOM = 44, 28, 8, 42


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 covering ``top``: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0:
        return [0, 1]
    raw = top / count
    power = 10 ** floor(log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    if step < 1 and top >= 1:
        step = 1
    ticks, value = [0.0], 0.0
    while value < top:
        value = round(value + step, 10)
        ticks.append(value)
    return ticks


def _fmt(value: float) -> str:
    return f"{value:.0f}" if float(value).is_integer() else f"{value:.1f}".replace(".", ",")


def bar_chart(title: str, categories: Sequence[str], series: Sequence[tuple[str, Sequence[float | None]]], *,
              top: float | None = None, suffix: str = "", note: str = "", width: int = 640,
              height: int = 240, chart_id: str = "chart") -> Markup:
    """Grouped bars: one group per category, one bar per series; None draws no bar."""
    values = [v for _, vs in series for v in vs if v is not None]
    ticks = nice_ticks(top if top is not None else max(values, default=0))
    scale_top = ticks[-1] or 1
    plot_w = width - PLOT_LEFT - PLOT_RIGHT
    plot_h = height - PLOT_TOP - PLOT_BOTTOM
    group_w = plot_w / max(len(categories), 1)
    bar_w = group_w * 0.8 / max(len(series), 1)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" class="chart" role="img" '
           f'aria-labelledby="{chart_id}-t {chart_id}-d">',
           f'<title id="{chart_id}-t">{escape(title)}</title>',
           f'<desc id="{chart_id}-d">{escape(note)}</desc>']
    for tick in ticks:
        y = PLOT_TOP + plot_h - tick / scale_top * plot_h
        out.append(f'<line x1="{PLOT_LEFT}" x2="{width - PLOT_RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d0d0d0"/>')
        out.append(f'<text x="{PLOT_LEFT - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                   f'fill="#1a1a1a">{_fmt(tick)}{escape(suffix)}</text>')
    for i, category in enumerate(categories):
        x0 = PLOT_LEFT + i * group_w + group_w * 0.1
        for j, (name, vs) in enumerate(series):
            value = vs[i] if i < len(vs) else None
            if value is None:
                continue
            h = max(value, 0) / scale_top * plot_h
            out.append(f'<rect x="{x0 + j * bar_w:.1f}" y="{PLOT_TOP + plot_h - h:.1f}" width="{bar_w * 0.92:.1f}" '
                       f'height="{h:.1f}" fill="{PALETTE[j % len(PALETTE)]}"><title>{escape(category)} · '
                       f'{escape(name)}: {_fmt(value)}{escape(suffix)}</title></rect>')
        out.append(f'<text x="{x0 + group_w * 0.4:.1f}" y="{height - PLOT_BOTTOM + 14}" text-anchor="middle" '
                   f'font-size="11" fill="#1a1a1a">{escape(category)}</text>')
    for j, (name, _) in enumerate(series):
        x = PLOT_LEFT + j * 170
        out.append(f'<rect x="{x}" y="6" width="12" height="12" fill="{PALETTE[j % len(PALETTE)]}"/>'
                   f'<text x="{x + 16}" y="16" font-size="12" fill="#1a1a1a">{escape(name)}</text>')
    out.append("</svg>")
    return Markup("".join(out))
