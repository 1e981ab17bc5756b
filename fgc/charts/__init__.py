"""Framework-free accessible SVG charts (strings out), Analysis Function palette."""

from fgc.charts.svg import PALETTE, bar_chart, benchmark_chart, funnel_chart, line_chart

__all__ = ["PALETTE", "bar_chart", "benchmark_chart", "funnel_chart", "line_chart"]
