"""A page's building blocks: a table (also its CSV) and a section of charts and tables."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field


@dataclass
class Table:
    key: str
    caption: str
    header: list[str]
    rows: list[list[str]]
    numeric_from: int = 1  # columns from this index are right-aligned numbers

    def csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        w.writerows(self.rows)
        return buf.getvalue()


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    charts: list[str] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    caveat: str = ""


def find_table(sections: Sequence[Section], key: str) -> Table | None:
    for s in sections:
        for t in s.tables:
            if t.key == key:
                return t
    return None
