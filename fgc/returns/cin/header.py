"""The census header: which council sent it, and which year it covers.

The CIN census year runs from 1 April to the ``ReferenceDate`` (31 March) in the header's
``CollectionDetails``; ``Source/LEA`` is the council's three-digit code. Everything the
enricher writes must fall inside that year, and it writes only into its own council's file.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from fgc.engine.periods import Period
from fgc.formats.errors import FormatError
from fgc.returns.cin.reader import Node, parse_date


@dataclass(frozen=True)
class CensusHeader:
    reference_date: date
    lea: str | None

    @property
    def year_start(self) -> date:
        """1 April of the year before the reference date (the day after a year earlier)."""
        try:
            return self.reference_date.replace(year=self.reference_date.year - 1) + timedelta(1)
        except ValueError:  # 29 February
            return date(self.reference_date.year - 1, 3, 1)

    @property
    def year_end(self) -> date:
        return self.reference_date

    @property
    def label(self) -> str:
        """The census year as people say it, e.g. 2026-27."""
        start = self.year_start.year
        return f"{start}-{(start + 1) % 100:02d}"

    @property
    def span(self) -> str:
        first, last = self.year_start, self.year_end
        return f"{self.label} ({first.day} {first:%B %Y} to {last.day} {last:%B %Y})"

    @property
    def period(self) -> Period:
        """The census year as a financial-year period."""
        return Period(self.year_start.year)

    def contains(self, day: date) -> bool:
        return self.year_start <= day <= self.year_end


def census_header(node: Node | None, source: str) -> CensusHeader:
    """The header's reference date and council, or a FormatError saying what is missing."""
    if node is None:
        raise FormatError(
            f"{source}: the census has no <Header> before its children, so its year and council "
            f"cannot be checked. Export the census again from the case system."
        )
    raw = node.value("CollectionDetails/ReferenceDate")
    ref = parse_date(raw)
    if ref is None:
        raise FormatError(
            f"{source}: the header's CollectionDetails/ReferenceDate is "
            f"{'missing' if raw is None else repr(raw)}; expected the census date as "
            f"YYYY-MM-DD (31 March of the census year)."
        )
    lea = node.value("Source/LEA")
    return CensusHeader(reference_date=ref, lea=lea.strip() if lea else None)
