"""Charts as standalone SVG: bars, lines and histograms, each mark with a <title> tooltip.

SVG rather than a plotting library: the file is the report chart, and the web app shows it
inline, where hovering a bar or point shows its value — no runtime dependency, no JavaScript.
Values are floats for drawing only (dollars); the figures in tooltips are the report's own.
"""

from collections.abc import Sequence
from html import escape

import numpy as np
from numpy.typing import NDArray

WIDTH, HEIGHT = 760, 380
LEFT, RIGHT, TOP, BOTTOM = 80, 20, 40, 70
COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2")

Series = tuple[str, Sequence[float | None]]


def _frame(title: str, top: float, unit: str, body: list[str], legend: Sequence[str]) -> str:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}"'
        f' viewBox="0 0 {WIDTH} {HEIGHT}" font-family="sans-serif" font-size="11">',
        f"<title>{escape(title)}</title>",
        f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">{escape(title)}</text>',
    ]
    for step in range(5):
        value = top * step / 4
        y = TOP + plot_h - plot_h * step / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#ddd"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{_money(value, unit)}</text>'
        )
    parts += body
    for i, name in enumerate(legend):
        x = LEFT + i * 150
        parts.append(
            f'<rect x="{x}" y="{HEIGHT - 18}" width="10" height="10"'
            f' fill="{COLOURS[i % len(COLOURS)]}"/>'
            f'<text x="{x + 14}" y="{HEIGHT - 9}">{escape(name)}</text>'
        )
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def _money(value: float, unit: str) -> str:
    if unit != "$":
        return f"{value:,.2f}{unit}"
    for size, suffix in ((1e6, "M"), (1e3, "k")):
        if abs(value) >= size:
            return f"${value / size:,.1f}{suffix}"
    return f"${value:,.0f}"


def _top(values: Sequence[float]) -> float:
    top = max([v for v in values if v > 0], default=1.0)
    return top * 1.05


def bar_chart(
    title: str,
    labels: Sequence[str],
    series: Sequence[Series],
    stacked: bool = True,
    unit: str = "$",
) -> str:
    """Bars per label, one segment (stacked) or bar (side by side) per series; None is omitted."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    clean = [[v or 0.0 for v in values] for _, values in series]
    totals = (
        [sum(col) for col in zip(*clean, strict=True)]
        if stacked
        else [v for col in clean for v in col]
    )
    top = _top(totals or [1.0])
    slot = plot_w / max(len(labels), 1)
    width = slot * 0.8 / (1 if stacked else max(len(series), 1))
    body = []
    for j, label in enumerate(labels):
        base = 0.0
        for i, (name, values) in enumerate(series):
            value = values[j]
            if value is None:
                continue
            height = plot_h * value / top
            x = LEFT + slot * j + slot * 0.1 + (0 if stacked else i * width)
            y = TOP + plot_h - height - (plot_h * base / top if stacked else 0)
            body.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{width:.1f}" height="{max(height, 0):.1f}"'
                f' fill="{COLOURS[i % len(COLOURS)]}"><title>{escape(label)} · {escape(name)}:'
                f" {escape(_money(value, unit))}</title></rect>"
            )
            if stacked:
                base += value
        if len(labels) <= 24 or j % max(len(labels) // 12, 1) == 0:
            body.append(
                f'<text x="{LEFT + slot * (j + 0.5):.1f}" y="{TOP + plot_h + 14}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(title, top, unit, body, [name for name, _ in series])


def line_chart(title: str, labels: Sequence[str], series: Sequence[Series], unit: str = "$") -> str:
    """A line per series through the labels; a None value breaks the line there."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    top = _top([v for _, values in series for v in values if v is not None] or [1.0])
    step = plot_w / max(len(labels) - 1, 1)
    body = []
    for i, (name, values) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        points = []
        for j, value in enumerate(values):
            if value is None:
                continue
            x, y = LEFT + step * j, TOP + plot_h - plot_h * value / top
            points.append(f"{x:.1f},{y:.1f}")
            body.append(
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}">'
                f"<title>{escape(labels[j])} · {escape(name)}:"
                f" {escape(_money(value, unit))}</title></circle>"
            )
        body.insert(0, f'<polyline fill="none" stroke="{colour}" points="{" ".join(points)}"/>')
    for j, label in enumerate(labels):
        if len(labels) <= 24 or j % max(len(labels) // 12, 1) == 0:
            body.append(
                f'<text x="{LEFT + step * j:.1f}" y="{TOP + plot_h + 14}"'
                f' text-anchor="middle">{escape(label)}</text>'
            )
    return _frame(title, top, unit, body, [name for name, _ in series])


def histogram(title: str, series: Sequence[tuple[str, NDArray[np.float64]]], bins: int = 60) -> str:
    """Distributions of dollar amounts on shared bins, one outline per series (share of years)."""
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    low = min(float(values.min()) for _, values in series)
    high = max(float(np.quantile(values, 0.999)) for _, values in series)
    edges = np.linspace(low, high if high > low else low + 1.0, bins + 1)
    shares = [np.histogram(np.minimum(v, edges[-1]), edges)[0] / len(v) for _, v in series]
    top = max(float(s.max()) for s in shares) * 1.05
    body = []
    for i, ((name, _), share) in enumerate(zip(series, shares, strict=True)):
        colour = COLOURS[i % len(COLOURS)]
        points = []
        for b, value in enumerate(share):
            x0 = LEFT + plot_w * b / bins
            x1 = LEFT + plot_w * (b + 1) / bins
            y = TOP + plot_h - plot_h * value / top
            points += [f"{x0:.1f},{y:.1f}", f"{x1:.1f},{y:.1f}"]
            body.append(
                f'<rect x="{x0:.1f}" y="{y:.1f}" width="{x1 - x0:.1f}"'
                f' height="{TOP + plot_h - y:.1f}" fill="{colour}" fill-opacity="0.15">'
                f"<title>{escape(name)}: {_money(edges[b], '$')}–{_money(edges[b + 1], '$')}:"
                f" {value:.1%} of years"
                "</title></rect>"
            )
        body.append(f'<polyline fill="none" stroke="{colour}" points="{" ".join(points)}"/>')
    for b in range(0, bins + 1, max(bins // 6, 1)):
        body.append(
            f'<text x="{LEFT + plot_w * b / bins:.1f}" y="{TOP + plot_h + 14}"'
            f' text-anchor="middle">{_money(edges[b], "$")}</text>'
        )
    return _frame(title, top * 100, "%", body, [name for name, _ in series])
