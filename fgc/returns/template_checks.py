"""The reconciliation checks of the aggregate return, declared once as data.

The template writer turns each into an Excel formula the person sees turn red as they type;
``read_template`` evaluates the same declarations on the figures read back. Codes are AGG0xx.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["sum_equals", "at_most", "children_at_least_families", "topic_total", "cell"]


@dataclass(frozen=True)
class ReconciliationCheck:
    code: str
    severity: Literal["error", "query"]
    kind: Kind
    message: str
    left: str = ""  # a journey step (see fgc.engine.aggregate.measures.STEPS)
    right: tuple[str, ...] = ()  # steps summed on the right-hand side
    short: str = ""  # the few words shown in the Excel Checks column


CHECKS: tuple[ReconciliationCheck, ...] = (
    ReconciliationCheck(
        "AGG001",
        "error",
        "sum_equals",
        "Offered must equal accepted + declined + no response + pending + response not "
        "recorded (every offer made in the period has exactly one response).",
        "offered",
        ("accepted", "declined", "no_response", "pending", "response_not_recorded"),
        "offered is not accepted + declined + no response + pending + not recorded",
    ),
    ReconciliationCheck(
        "AGG002",
        "error",
        "children_at_least_families",
        "Children cannot be fewer than families: every family counted has at least one child.",
        short="fewer children than families",
    ),
    ReconciliationCheck(
        "AGG003",
        "error",
        "at_most",
        "FGCs held + family network meetings held cannot exceed meetings held.",
        "held",
        ("fgc_held", "fnm_held"),
        "FGCs + FNMs held is more than meetings held",
    ),
    ReconciliationCheck(
        "AGG004",
        "error",
        "at_most",
        "Offered at or before the letter before proceedings cannot exceed offered.",
        "offered",
        ("offered_at_or_before_lbp",),
        "offered at or before the letter is more than offered",
    ),
    ReconciliationCheck(
        "AGG005",
        "error",
        "at_most",
        "FGDM meetings facilitated in pre-proceedings cannot exceed meetings held.",
        "held",
        ("fgdm_facilitated",),
        "FGDM facilitated is more than meetings held",
    ),
    ReconciliationCheck(
        "AGG006",
        "error",
        "at_most",
        "Plans agreed cannot exceed meetings held.",
        "held",
        ("plans_agreed",),
        "plans agreed is more than meetings held",
    ),
    ReconciliationCheck(
        "AGG007",
        "error",
        "topic_total",
        "The rows of a breakdown must add up to its Total row (use 'Not recorded' for the rest).",
    ),
    ReconciliationCheck(
        "AGG008",
        "error",
        "cell",
        "A count must be a whole number, 0 or more; a median a number of days, 0 or more.",
    ),
    ReconciliationCheck(
        "AGG009",
        "query",
        "cell",
        "Blank count cells were read as 0: enter 0 where there were none.",
    ),
    ReconciliationCheck(
        "AGG010",
        "error",
        "cell",
        "The workbook is not an FGC aggregate template for this council and period, or its "
        "layout was changed.",
    ),
)
CHECKS_BY_CODE: dict[str, ReconciliationCheck] = {c.code: c for c in CHECKS}
