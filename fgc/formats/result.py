"""What a reader hands back: the text table plus what it learnt about the file."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import polars as pl

# Hidden column holding each data row's row number in the original file as Excel numbers it
# (header = 1, first data row = 2). Blank rows are dropped, so validation needs this to point
# people at the right row.
ROW_COLUMN = "__row__"


@dataclass(frozen=True)
class ReadResult:
    frame: pl.DataFrame  # text columns (standard names where matched) plus ROW_COLUMN (Int64)
    unknown_columns: list[str]  # headers that matched no standard field, as written in the file
    source: str  # file name, for messages
    sheet: str | None = None  # the worksheet read (XLSX only)
    kind: Literal["csv", "xlsx"] = "csv"
    encoding: str | None = None  # "utf-8" or "cp1252" for CSV
    renamed: dict[str, str] = field(default_factory=dict)  # original header -> standard field

    @property
    def data_columns(self) -> list[str]:
        """The table's columns without the hidden row-number column."""
        return [c for c in self.frame.columns if c != ROW_COLUMN]
