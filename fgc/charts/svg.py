"""Accessible server-rendered SVG charts: no JavaScript, no CDN, strings out.

Every chart has ``role="img"``, a ``<title>`` and a ``<desc>`` referenced by
``aria-labelledby``, and uses the Analysis Function colour palette in its recommended order.
Pages show the same numbers in a table beneath the chart; the ``<desc>`` summarises them for
screen-reader users who meet the chart first.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from xml.sax.saxutils import escape

# Analysis Function (Government Analysis Function) categorical palette, in order.
PALETTE: tuple[str, ...] = ("#12436D", "#28A197", "#801650", "#F46A25", "#3D3D3D", "#A285D1")
DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, LIGHT_PURPLE = PALETTE
FONT = "Arial, Helvetica, sans-serif"
TEXT_COLOUR = "#0B0C0C"
# Text on a filled bar: white on the dark colours, near-black on the light ones, so every
# label keeps a contrast ratio of at least 4.5:1 (WCAG AA).
_ON_FILL = {
    DARK_BLUE: "#FFFFFF",
    TURQUOISE: TEXT_COLOUR,
    DARK_PINK: "#FFFFFF",
    ORANGE: TEXT_COLOUR,
    DARK_GREY: "#FFFFFF",
    LIGHT_PURPLE: TEXT_COLOUR,
}
_ids = itertools.count(1)


def _fmt(v: float | None, unit: str = "") -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "no data"
    text = f"{v:,.0f}" if float(v).is_integer() else f"{v:,.1f}"
    return f"{text}%" if unit == "%" else (f"{text} {unit}" if unit and unit != "number" else text)


def _open(width: int, height: int, title: str, desc: str, chart_id: str | None) -> list[str]:
    cid = chart_id or f"chart-{next(_ids)}"
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-labelledby="{cid}-title {cid}-desc" '
        f'font-family="{FONT}" font-size="14">',
        f'<title id="{cid}-title">{escape(title)}</title>',
        f'<desc id="{cid}-desc">{escape(desc)}</desc>',
    ]


def _text(x: float, y: float, s: str, anchor: str = "start", **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{escape(v)}"' for k, v in attrs.items())
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(s)}</text>'


def _text_width(s: str, size: float = 14) -> float:
    """Rough rendered width of a label (about 0.6 em a character in Arial)."""
    return len(s) * size * 0.6


def _nice_max(v: float) -> float:
    if v <= 0:
        return 1.0
    mag = 10 ** math.floor(math.log10(v))
    for step in (1, 2, 2.5, 5, 10):
        if v <= step * mag:
            return step * mag
    return 10 * mag


def bar_chart(
    labels: Sequence[str],
    values: Sequence[float | None],
    *,
    title: str,
    unit: str = "",
    desc: str | None = None,
    highlight: str | None = None,
    chart_id: str | None = None,
    width: int = 640,
) -> str:
    """Horizontal bars, one per label; ``highlight`` picks one bar out in dark pink."""
    row, left, right, top = 28, 200, 80, 10
    height = top + row * len(labels) + 10
    vmax = _nice_max(max([v for v in values if v is not None] or [0]))
    plot = width - left - right
    summary = desc or "; ".join(
        f"{lab}: {_fmt(v, unit)}" for lab, v in zip(labels, values, strict=True)
    )
    out = _open(width, height, title, summary, chart_id)
    for i, (lab, v) in enumerate(zip(labels, values, strict=True)):
        y = top + i * row
        colour = DARK_PINK if highlight and lab == highlight else DARK_BLUE
        out.append(_text(left - 8, y + 18, lab, "end"))
        if v is not None and not math.isnan(v):
            w = max(0.0, plot * v / vmax)
            out.append(
                f'<rect x="{left}" y="{y + 4}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
            )
            out.append(_text(left + w + 6, y + 18, _fmt(v, unit)))
        else:
            out.append(_text(left + 6, y + 18, "no data", fill=DARK_GREY))
    out.append("</svg>")
    return "\n".join(out)


def funnel_chart(
    steps: Sequence[tuple[str, float]], *, title: str, chart_id: str | None = None, width: int = 640
) -> str:
    """Funnel of counts (offered → … → reviewed) with each step's share of the first."""
    first = steps[0][1] if steps and steps[0][1] else 0
    parts = []
    for label, v in steps:
        share = f" ({100 * v / first:.1f}% of {steps[0][0].lower()})" if first else ""
        parts.append(f"{label}: {_fmt(v)}{share}")
    row, top = 34, 10
    height = top + row * len(steps) + 10
    out = _open(width, height, title, "; ".join(parts), chart_id)
    centre = width / 2
    for i, (label, v) in enumerate(steps):
        y = top + i * row
        w = (width - 40) * (v / first) if first else 0
        out.append(
            f'<rect x="{centre - w / 2:.1f}" y="{y + 3}" width="{w:.1f}" height="{row - 6}" '
            f'fill="{PALETTE[i % 2]}"/>'
        )
        text = f"{label}: {_fmt(v)}"
        if w >= _text_width(text) + 16:  # on the bar, in the colour that contrasts with it
            out.append(_text(centre, y + 22, text, "middle", fill=_ON_FILL[PALETTE[i % 2]]))
        else:  # too narrow: beside the bar, in text colour on the white background
            out.append(_text(centre + w / 2 + 6, y + 22, text, "start", fill=TEXT_COLOUR))
    out.append("</svg>")
    return "\n".join(out)


def benchmark_chart(
    la_name: str,
    la_value: float | None,
    comparators: Mapping[str, float | None],
    *,
    title: str,
    unit: str = "",
    chart_id: str | None = None,
    width: int = 640,
) -> str:
    """The council against its comparators (neighbours, region, England) as bars."""
    labels = [la_name, *comparators]
    values = [la_value, *comparators.values()]
    return bar_chart(
        labels, values, title=title, unit=unit, highlight=la_name, chart_id=chart_id, width=width
    )


def line_chart(
    periods: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    title: str,
    unit: str = "",
    chart_id: str | None = None,
    width: int = 640,
    height: int = 260,
) -> str:
    """Trend over periods, one line per series (gaps where a value is missing)."""
    left, right, top, bottom = 60, 160, 16, 40
    allv = [v for s in series.values() for v in s if v is not None and not math.isnan(v)]
    vmax = _nice_max(max(allv or [0]))
    pw, ph = width - left - right, height - top - bottom
    n = max(1, len(periods) - 1)
    desc = "; ".join(
        f"{name}: " + ", ".join(f"{p} {_fmt(v, unit)}" for p, v in zip(periods, vals, strict=True))
        for name, vals in series.items()
    )
    out = _open(width, height, title, desc, chart_id)
    x0, y0 = left, top + ph
    out.append(f'<line x1="{x0}" y1="{y0}" x2="{x0 + pw}" y2="{y0}" stroke="{DARK_GREY}"/>')
    for t in range(5):
        v = vmax * t / 4
        y = y0 - ph * t / 4
        out.append(_text(x0 - 6, y + 4, _fmt(v, unit), "end", font_size="12"))
        out.append(f'<line x1="{x0}" y1="{y:.1f}" x2="{x0 + pw}" y2="{y:.1f}" stroke="#E0E0E0"/>')
    for i, p in enumerate(periods):
        out.append(_text(x0 + pw * i / n, y0 + 20, p, "middle", font_size="12"))
    for si, (name, vals) in enumerate(series.items()):
        colour = PALETTE[si % len(PALETTE)]
        pts = [
            (x0 + pw * i / n, y0 - ph * v / vmax)
            for i, v in enumerate(vals)
            if v is not None and not math.isnan(v)
        ]
        if len(pts) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in pts)
            out.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="3"/>'
            )
        for x, y in pts:
            out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>')
        if pts:
            out.append(_text(x0 + pw + 10, pts[-1][1] + 4, name, fill=colour))
    out.append("</svg>")
    return "\n".join(out)
