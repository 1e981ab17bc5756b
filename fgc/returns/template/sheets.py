"""The template's cell formats and its read-only sheets: Guidance and Code lists."""

from __future__ import annotations

from typing import Any

import xlsxwriter
from xlsxwriter.worksheet import Worksheet

from fgc.engine.aggregate import AGGREGATE_MEASURES
from fgc.engine.periods import Period
from fgc.formats.escape import escape_formula
from fgc.returns.template.layout import TEMPLATE_VERSION
from fgc.returns.template_checks import CHECKS
from fgc.standard import Standard


def _formats(book: xlsxwriter.Workbook) -> dict[str, Any]:
    return {
        "title": book.add_format({"bold": True, "font_size": 14}),
        "header": book.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#DEE0E2", "border": 1}
        ),
        "label": book.add_format({"border": 1}),
        "topic": book.add_format({"bold": True, "border": 1}),
        "input": book.add_format({"locked": False, "border": 1, "bg_color": "#FFFFFF"}),
        "median": book.add_format(
            {"locked": False, "border": 1, "bg_color": "#FFFFFF", "num_format": "0.0"}
        ),
        "na": book.add_format({"bg_color": "#B1B4B6", "border": 1}),
        "check": book.add_format({"italic": True, "font_color": "#505A5F", "border": 1}),
        "red": book.add_format({"bg_color": "#F4C7C3", "font_color": "#942514", "bold": True}),
        "wrap": book.add_format({"text_wrap": True, "valign": "top"}),
        "bold": book.add_format({"bold": True}),
        "unlocked": book.add_format({"locked": False, "bg_color": "#FFFFFF", "border": 1}),
    }


def _write_guidance(
    ws: Worksheet, f: dict[str, Any], la_name: str, p: Period, std: Standard
) -> None:
    ws.set_column(0, 0, 42)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 12)
    ws.set_column(3, 3, 90)
    ws.write(0, 0, f"FGC aggregate return: {la_name}, {p.label}", f["title"])
    intro = (
        f"Enter your council's figures for {p.label} ({p.start.isoformat()} to "
        f"{p.end.isoformat()}) on the Input sheet. Families are FGC episodes (one family group's "
        "journey); children are the children in those episodes. A family counts in a figure when "
        "any of its children does. Each breakdown (stage, reasons, meeting type, ethnicity group, "
        "age band, sex, disability) must add up to its Total row: use 'Not recorded' for the "
        "rest. Grey cells do not apply. The Checks column turns red while something does not add "
        f"up. Standard version {std.version}; template version {TEMPLATE_VERSION}."
    )
    ws.merge_range(1, 0, 1, 3, intro, f["wrap"])
    ws.set_row(1, 90)
    row = 3
    ws.write_row(row, 0, ["Measure", "Column name", "Unit", "Counting rule"], f["header"])
    for m in AGGREGATE_MEASURES:
        row += 1
        ws.write_row(row, 0, [m.label, m.name, m.unit], f["wrap"])
        ws.write(row, 3, f"{m.description} Reported by: {', '.join(m.topics)}.", f["wrap"])
    row += 2
    ws.write_row(row, 0, ["Check", "Severity", "", "What it means"], f["header"])
    for c in CHECKS:
        row += 1
        ws.write_row(row, 0, [c.code, c.severity, ""], f["wrap"])
        ws.write(row, 3, c.message, f["wrap"])
    row += 2
    ws.write(row, 0, "Example", f["bold"])
    example = (
        "40 families (62 children) were offered an FGC in the year: 25 accepted, 9 declined, "
        "4 gave no response and 2 are pending, so offered (40) = 25 + 9 + 4 + 2 + 0 not "
        "recorded. By stage, the 40 families split as, say, CP 22, PLO 12, CIN 6, and the other "
        "stages 0: 22 + 12 + 6 = 40, the Total row."
    )
    ws.merge_range(row + 1, 0, row + 1, 3, example, f["wrap"])
    ws.set_row(row + 1, 60)
    ws.protect()


def _write_codelists(ws: Worksheet, f: dict[str, Any], std: Standard) -> None:
    ws.set_column(0, 0, 22)
    ws.set_column(1, 1, 28)
    ws.set_column(2, 2, 60)
    ws.set_column(3, 3, 14)
    ws.write_row(0, 0, ["Code list", "Code", "Label", "Group"], f["header"])
    row = 0
    for name in (
        "stage",
        "exception_reason",
        "offer_response",
        "decline_reason",
        "meeting_type",
        "not_held_reason",
        "sex",
        "ethnicity",
        "disability",
    ):
        for c in std.codelists[name].codes:
            row += 1
            ws.write_row(row, 0, [name, c.code, escape_formula(c.label), c.group or ""])
    ws.protect()
