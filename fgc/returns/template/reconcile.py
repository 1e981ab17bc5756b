"""Evaluating the AGG reconciliation checks on figures read back, as validation findings."""

from __future__ import annotations

from typing import Any

from fgc.engine.aggregate import AGGREGATE_MEASURES, BREAKDOWN_TOPICS, Measure
from fgc.returns.template.layout import TOTAL
from fgc.returns.template_checks import CHECKS, CHECKS_BY_CODE, ReconciliationCheck


def _finding(
    check: ReconciliationCheck, row: int | None, field: str | None, value: Any, detail: str
) -> dict[str, Any]:
    return {
        "row": row,
        "episode_id": None,
        "child_id": None,
        "field": field,
        "value": None if value is None else str(value),
        "code": check.code,
        "severity": check.severity,
        "message": f"{detail}: {check.message}" if detail else check.message,
    }


def _cell_value(raw: Any, m: Measure) -> tuple[float | int | None, bool]:
    """(value, ok). Blank → (None, True)."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None, True
    if isinstance(raw, bool):
        return None, False
    if isinstance(raw, str):
        try:
            raw = float(raw.strip())
        except ValueError:
            return None, False
    if not isinstance(raw, int | float) or raw < 0:
        return None, False
    if m.unit == "days":
        return float(raw), True
    if float(raw) != int(raw):
        return None, False
    return int(raw), True


def _evaluate_checks(
    values: dict[tuple[str, str], dict[str, Any]], row_no: dict[tuple[str, str], int]
) -> list[dict[str, Any]]:
    out: list[dict[str, Any]] = []
    by_name = {m.name: m for m in AGGREGATE_MEASURES}
    for (topic, label), vals in values.items():
        where = f"{topic} / {label}"
        xr = row_no[(topic, label)]
        for check in CHECKS:
            for unit in ("families", "children"):
                if check.kind not in ("sum_equals", "at_most"):
                    continue
                left = f"{unit}_{check.left}"
                right = [f"{unit}_{s}" for s in check.right]
                if any(n not in vals for n in (left, *right)):
                    continue
                total = sum(vals[n] for n in right)
                bad = vals[left] != total if check.kind == "sum_equals" else total > vals[left]
                if bad:
                    detail = f"{where}: {left} = {vals[left]}, " + " + ".join(right) + f" = {total}"
                    out.append(_finding(check, xr, left, vals[left], detail))
            if check.kind == "children_at_least_families":
                for name, v in vals.items():
                    m = by_name[name]
                    if m.unit != "families":
                        continue
                    ch = f"children_{m.step}"
                    if ch in vals and vals[ch] < v:
                        detail = f"{where}: {ch} = {vals[ch]} < {name} = {v}"
                        out.append(_finding(check, xr, ch, vals[ch], detail))
    totals = values.get((TOTAL, TOTAL), {})
    agg007 = CHECKS_BY_CODE["AGG007"]
    for topic in BREAKDOWN_TOPICS:
        if topic == TOTAL:
            continue
        rows = [v for (t, _), v in values.items() if t == topic]
        for name, total in totals.items():
            if by_name[name].unit == "days" or not rows or name not in rows[0]:
                continue
            s = sum(r[name] for r in rows)
            if s != total:
                detail = f"{topic}: {name} rows add up to {s}, the Total row says {total}"
                out.append(_finding(agg007, None, name, s, detail))
    return out
