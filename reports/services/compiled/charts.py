"""Charts for the compiled reports, drawn as SVG on the server: sharp in print, text searchable.

Three kinds are enough: horizontal stacked bars (how measures stand), horizontal bars against a
reference line (provinces against the baseline) and a line over quarters (a trend). A reference
line is named in the legend, never on the line, and no value is written across it.
"""

from __future__ import annotations

import base64
import math
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

    @property
    def image(self) -> str:
        """The SVG as an image source: in the tagged PDF an image is a Figure with its text
        alternative (inline SVG is not), so that a screen reader announces the chart."""
        return "data:image/svg+xml;base64," + base64.b64encode(self.svg.encode()).decode()


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
        f"{escape(str(text))}</text>"
    )


def text_width(text: str, size: int = 10) -> float:
    """About how wide a text is drawn: a Chinese character is square, a Latin one about half."""
    return sum(size if ord(c) > 0x2E7F else size * 0.6 for c in str(text))


def _legend(
    y: float, series: list[tuple[str, str]], reference: str = "", x: float = LABEL_WIDTH
) -> list[str]:
    """A swatch per series; the reference line as a dashed sample with its label."""
    body = []
    for label, colour in series:
        body.append(f'<rect x="{x}" y="{y - 8}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, y, label))
        x += 24 + text_width(label)
    if reference:
        body.append(_dashed(x, y - 3, x + 18, y - 3))
        body.append(_text(x + 22, y, reference))
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
    height, gap = (BAR_HEIGHT, GAP) if len(bars) <= 12 else (12, 4)  # 31 provinces fit half a page
    line_x = None if reference is None else LABEL_WIDTH + plot * min(max(reference, 0), 1)
    body = [] if reference is None else _legend(12, [], f"{reference_label} {reference * 100:.1f}%")
    y = 8 if reference is None else 26
    top = y
    for label, value in bars:
        body.append(_text(LABEL_WIDTH - 6, y + height - 3, _shorten(label), anchor="end"))
        if value is None:
            body.append(_text(LABEL_WIDTH + 4, y + height - 3, "–", fill=GREY))
        else:
            width = plot * min(max(value, 0), 1)
            colour = "#2e7d32" if reference is None or value >= reference else "#c62828"
            body.append(
                f'<rect x="{LABEL_WIDTH}" y="{y}" width="{width:.1f}" height="{height}" fill="{colour}"/>'
            )
            shown = f"{value * 100:.1f}%"
            x = LABEL_WIDTH + width + 4
            if line_x is not None and x - 4 <= line_x <= x + text_width(shown) + 8:
                x = line_x + 4  # past the reference line, not across it
            body.append(_text(x, y + height - 3, shown))
        y += height + gap
    if line_x is not None:
        body.append(_dashed(line_x, top - 4, line_x, y))
    return _svg(y + 4, body, title)


def line(
    title: str,
    labels: list[str],
    series: list[tuple[str, str, list[float | None]]],
    reference: float | None = None,
    reference_label: str = "",
) -> Chart:
    """Shares (0–1) over the labels (quarters), with an optional dashed reference line."""
    left, top, plot_w, plot_h = 50, 24, WIDTH - 100, 180  # room for the last quarter's name
    named = f"{reference_label} {reference * 100:.1f}%" if reference is not None else ""
    body = _legend(12, [(name, colour) for name, colour, _values in series], named, x=left)
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = top + plot_h * (1 - tick)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + plot_w}" y2="{y:.1f}" stroke="#e0e0e0"/>')
        body.append(_text(left - 4, y + 3, f"{tick * 100:.0f}%", anchor="end"))
    step = plot_w / max(len(labels) - 1, 1)
    # As many quarters named as fit side by side.
    widest = max((text_width(label, 9) for label in labels), default=0) + 8
    every = max(1, math.ceil(widest / step)) if len(labels) > 1 else 1
    for i, label in enumerate(labels):
        if i % every == 0:
            body.append(_text(left + i * step, top + plot_h + 14, label, anchor="middle", size=9))
    if reference is not None:
        y = top + plot_h * (1 - min(max(reference, 0), 1))
        body.append(_dashed(left, y, left + plot_w, y))
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


def _shorten(label: str, room: float = LABEL_WIDTH - 10) -> str:
    """A bar's label cut to the room left of the bars (the table beside the chart has it whole)."""
    label = str(label)
    if text_width(label) <= room:
        return label
    while label and text_width(label + "…") > room:
        label = label[:-1]
    return label + "…"
