"""Reporting periods: financial years (``2025-26``) and their quarters (``2025-26-Q2``)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_YEAR = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-(\d{2})-Q([1-4])$")


class PeriodError(ValueError):
    """A period string that is not a financial year or quarter."""


@dataclass(frozen=True)
class Period:
    start_year: int
    quarter: int | None = None  # 1 = April–June … 4 = January–March

    @classmethod
    def parse(cls, text: str) -> Period:
        text = text.strip()
        m = _QUARTER.match(text) or _YEAR.match(text)
        if not m:
            raise PeriodError(
                f"{text!r} is not a period: use a financial year like 2025-26 "
                "or a quarter like 2025-26-Q2"
            )
        start = int(m.group(1))
        if int(m.group(2)) != (start + 1) % 100:
            raise PeriodError(
                f"{text!r} is not a financial year: the second part must be the year after "
                f"{start} (expected {start}-{(start + 1) % 100:02d})"
            )
        quarter = int(m.group(3)) if m.re is _QUARTER else None
        return cls(start, quarter)

    @property
    def year_label(self) -> str:
        return f"{self.start_year}-{(self.start_year + 1) % 100:02d}"

    @property
    def label(self) -> str:
        return self.year_label if self.quarter is None else f"{self.year_label}-Q{self.quarter}"

    def __str__(self) -> str:
        return self.label

    @property
    def start(self) -> date:
        if self.quarter is None:
            return date(self.start_year, 4, 1)
        month = 4 + 3 * (self.quarter - 1)
        year = self.start_year + (month > 12)
        return date(year, (month - 1) % 12 + 1, 1)

    @property
    def end(self) -> date:
        """Last day of the period (inclusive)."""
        if self.quarter is None:
            return date(self.start_year + 1, 3, 31)
        ends = {1: (6, 30), 2: (9, 30), 3: (12, 31), 4: (3, 31)}
        month, day = ends[self.quarter]
        year = self.start_year + (self.quarter == 4)
        return date(year, month, day)

    @property
    def time_period(self) -> str:
        """EES ``time_period``: ``202526`` for a year, ``202526`` for its quarters too."""
        return f"{self.start_year}{(self.start_year + 1) % 100:02d}"

    @property
    def time_identifier(self) -> str:
        """EES ``time_identifier``."""
        if self.quarter is None:
            return "Financial year"
        return f"Financial year Q{self.quarter}"

    def quarters(self) -> list[Period]:
        if self.quarter is not None:
            return [self]
        return [Period(self.start_year, q) for q in range(1, 5)]

    def contains(self, d: date) -> bool:
        return self.start <= d <= self.end
