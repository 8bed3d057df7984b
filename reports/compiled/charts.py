"""Charts for the compiled reports, drawn as SVG on the server: sharp in print, text searchable.

Three kinds are enough: horizontal stacked bars (how measures stand), horizontal bars against a
reference line (provinces against the baseline) and a line over quarters (a trend).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

FONT = "Noto Sans CJK SC, Noto Sans, sans-serif"
WIDTH = 680
LABEL_WIDTH = 220
BAR_HEIGHT = 16
GAP = 6
GREY = "#9aa3ad"


@dataclass(frozen=True)
class Chart:
    """A chart's caption (shown above it) and its SVG markup (built here, every text escaped)."""

    title: str
    svg: str


def _svg(height: int, body: list[str], title: str) -> Chart:
    markup = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" font-family="{FONT}" font-size="10" role="img">'
        f"<title>{escape(title)}</title>" + "".join(body) + "</svg>"
    )
    return Chart(title, mark_safe(markup))  # noqa: S308 - every text in it went through escape()


def _text(x: float, y: float, text: str, anchor: str = "start", size: int = 10, fill: str = "#222") -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" fill="{fill}">'
        f"{escape(text)}</text>"
    )


def _legend(y: float, series: list[tuple[str, str]]) -> list[str]:
    body, x = [], LABEL_WIDTH
    for label, colour in series:
        body.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, y, label))
        x += 24 + 9 * len(label) if label.isascii() else 24 + 11 * len(label)
    return body


def stacked_bars(title: str, bars: list[tuple[str, list[int]]], series: list[tuple[str, str]]) -> Chart:
    """One bar per label, split into the series' counts, scaled to the largest total."""
    plot = WIDTH - LABEL_WIDTH - 40
    largest = max((sum(values) for _label, values in bars), default=0) or 1
    body = _legend(12, series)
    y = 26
    for label, values in bars:
        body.append(_text(LABEL_WIDTH - 6, y + 12, _shorten(label), anchor="end"))
        x = LABEL_WIDTH
        for (_name, colour), value in zip(series, values, strict=True):
            width = plot * value / largest
            if width:
                body.append(
                    f'<rect x="{x:.1f}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
                )
            x += width
        body.append(_text(x + 4, y + 12, str(sum(values))))
        y += BAR_HEIGHT + GAP
    return _svg(y + 4, body, title)


def bars_against(
    title: str, bars: list[tuple[str, float | None]], reference: float | None, reference_label: str
) -> Chart:
    """Shares (0–1) as bars, with a dashed line at the reference; an empty bar says 'no data'."""
    plot = WIDTH - LABEL_WIDTH - 60
    body = []
    y = 8
    for label, value in bars:
        body.append(_text(LABEL_WIDTH - 6, y + 12, _shorten(label), anchor="end"))
        if value is None:
            body.append(_text(LABEL_WIDTH + 4, y + 12, "–", fill=GREY))
        else:
            width = plot * min(max(value, 0), 1)
            colour = "#2e7d32" if reference is None or value >= reference else "#c62828"
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{BAR_HEIGHT}" fill="{colour}"/>'
            )
            body.append(_text(LABEL_WIDTH + width + 4, y + 12, f"{value * 100:.1f}%"))
        y += BAR_HEIGHT + GAP
    if reference is not None:
        x = LABEL_WIDTH + plot * min(max(reference, 0), 1)
        body.append(_dashed(x, 4, x, y))
        body.append(_text(x, y + 12, f"{reference_label} {reference * 100:.1f}%", anchor="middle"))
        y += 16
    return _svg(y + 4, body, title)


def line(
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[float | None]]],
    reference: float | None = None,
    reference_label: str = "",
) -> Chart:
    """Shares (0–1) over the labels (quarters), with an optional dashed reference line."""
    left, top, plot_w, plot_h = 50, 24, WIDTH - 70, 180
    body = _legend(12, [(name, colour) for name, colour, _values in series])
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        body.append(_text(left - 4, y + 3, f"{tick * 100:.0f}%", anchor="end"))
    step = plot_w / max(len(labels) - 1, 1)
    every = max(1, len(labels) // 10)
    for i, label in enumerate(labels):
        if i % every == 0 or i == len(labels) - 1:
            body.append(_text(left + i * step, top + plot_h + 14, label, anchor="middle", size=9))
    if reference is not None:
        y = top + plot_h * (1 - min(max(reference, 0), 1))
        body.append(_dashed(left, y, left + plot_w, y))
        body.append(_text(left + plot_w, y - 4, f"{reference_label} {reference * 100:.1f}%", anchor="end"))
    for _name, colour, values in series:
        points = [
            f"{left + i * step:.1f},{top + plot_h * (1 - min(max(v, 0), 1)):.1f}"
            for i, v in enumerate(values)
            if v is not None
        ]
        if len(points) > 1:
            body.append(
                f'<polyline points="{" ".join(points)}" fill="none" stroke="{colour}" stroke-width="2"/>'
            )
        for point in points:
            x, y = point.split(",")
            body.append(f'<circle cx="{x}" cy="{y}" r="3" fill="{colour}"/>')
    return _svg(top + plot_h + 24, body, title)


def _dashed(x1: float, y1: float, x2: float, y2: float) -> str:
    ends = f'x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"'
    return f'<line {ends} stroke="#333" stroke-dasharray="4 3"/>'


def _shorten(label: str, limit: int = 36) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"
