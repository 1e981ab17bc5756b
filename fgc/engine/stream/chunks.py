"""Pass 1's reader: the file's table in chunks of rows, exactly as ``read_table`` would
read those rows (the same header mapping, blank rows, Excel row numbers and error wording)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from fgc.engine.stream.blocks import _blocks
from fgc.engine.stream.scan import _HEAD, _Scan
from fgc.engine.stream.transcode import open_utf8
from fgc.engine.validate import ROW_COLUMN
from fgc.formats.csv_reader import looks_like_other_separator, parse_records, record_widths
from fgc.formats.encoding import decode_cp1252
from fgc.formats.errors import FormatError
from fgc.formats.headers import column_letter
from fgc.formats.limits import Limits
from fgc.formats.table import build_table, check_headerless, drop_blank_rows
from fgc.standard import Standard

_UTF8_BOM = b"\xef\xbb\xbf"
_MAX_REPORTED = 3


@dataclass
class _Columns:
    """What the header row says: which grid positions are kept, under what names."""

    header_row: int
    kept: list[tuple[int, str]]  # grid position -> column name
    headerless: list[tuple[int, str]]  # grid position -> letter, of columns with no header
    headers: list[str]
    unknown: list[str]

    def kept_names(self) -> list[str]:
        return [name for _, name in self.kept]


class _CsvChunks:
    """The file's table in chunks, each a frame as ``read_table(...).frame`` would hold those
    rows: ROW_COLUMN then the named columns, blank rows dropped."""

    def __init__(
        self, path: Path, scan: _Scan, source: str, std: Standard, lim: Limits, block: int
    ) -> None:
        self.path, self.scan, self.source, self.std = path, scan, source, std
        self.lim = lim
        self.block = block
        self.records = 0
        self.expected: int | None = None
        self.header_row = 1
        self.columns: _Columns | None = None
        self.uneven: list[tuple[int, int]] = []
        self.uneven_count = 0
        self.bytes_read = 0  # of the file on disk, for progress

    def chunks(self, rows: int) -> Iterator[pl.DataFrame]:
        fh, text = open_utf8(self.path, self.scan.encoding, self.source)
        with fh:
            for i, raw in enumerate(_blocks(text, self.block, self.source)):
                frame = self._frame(self._decode(raw, i == 0))
                self.bytes_read = fh.tell()
                for start in range(0, frame.height, rows):
                    yield frame.slice(start, rows)
        self.bytes_read = self.scan.size
        if self.expected is None:
            raise FormatError(f"{self.source}: the file is empty.")
        if self.uneven_count:
            self._raise_uneven()

    def _decode(self, raw: bytes, first: bool) -> bytes:
        if first:
            raw = raw.removeprefix(_UTF8_BOM)
        if self.scan.encoding != "cp1252":
            return raw  # UTF-8, or UTF-16 already read as UTF-8
        return decode_cp1252(raw, self.source).encode("utf-8")

    def _frame(self, body: bytes) -> pl.DataFrame:
        widths = record_widths(body)
        before, self.records = self.records, self.records + len(widths)
        filled = (widths > 0).arg_true()
        if len(filled) == 0:
            return pl.DataFrame()
        start = int(filled[0])
        header_block = self.expected is None
        if header_block:
            self.expected = int(widths[start])
            self.header_row = before + start + 1
            if self.expected == 1 and looks_like_other_separator(
                body[:_HEAD].decode("utf-8", "replace")
            ):
                raise FormatError(
                    f"{self.source} does not use commas between values (it looks like "
                    f'semicolons or tabs); save it from Excel as "CSV UTF-8 (Comma delimited) '
                    f'(*.csv)".'
                )
        self._count_uneven(widths, before)
        if self.uneven_count:
            return pl.DataFrame()  # only counting the uneven rows now, for the message
        grid = parse_records(body, start, len(widths) - start, self.source)
        first_row = before + start + 1
        if grid.width > self.lim.max_columns:
            raise FormatError(
                f"{self.source} has {grid.width:,} columns, over the limit of "
                f"{self.lim.max_columns:,}; an FGC return has one column per field. Delete the "
                f"extra columns and save again."
            )
        if header_block:
            self.columns = self._header(grid, first_row)
        assert self.columns is not None
        self._check_cells(grid, first_row)
        if header_block:
            grid, first_row = grid.slice(1), first_row + 1
        return self._table(grid, first_row)

    def _count_uneven(self, widths: pl.Series, before: int) -> None:
        uneven = (
            widths.to_frame()
            .with_row_index("row", offset=before + 1)
            .filter((pl.col("width") > 0) & (pl.col("width") != self.expected))
        )
        if uneven.height:
            room = _MAX_REPORTED - len(self.uneven)
            self.uneven += [(int(r), int(w)) for r, w in uneven.head(room).iter_rows()]
            self.uneven_count += uneven.height

    def _raise_uneven(self) -> None:
        # The wording of csv_reader._check_widths, over the whole file.
        shown = "; ".join(
            f"row {row} has {w} value{'s' if w != 1 else ''}" for row, w in self.uneven
        )
        extra = self.uneven_count - _MAX_REPORTED
        more = f" (and {extra} more rows)" if extra > 0 else ""
        raise FormatError(
            f"{self.source}: the header (row {self.header_row}) has {self.expected} columns but "
            f"{shown}{more}. Check for extra commas or missing cells in those rows."
        )

    def _header(self, grid: pl.DataFrame, header_row: int) -> _Columns:
        # build_table on the header row alone gives its errors and names, as read_table's.
        frame, unknown, _ = build_table(
            grid.head(1), where=self.source, standard=self.std, first_row=header_row
        )
        headers = [(v or "").strip() for v in grid.row(0)]
        positions = [i for i, h in enumerate(headers) if h]
        names = [c for c in frame.columns if c != ROW_COLUMN]
        assert len(positions) == len(names)
        return _Columns(
            header_row=header_row,
            kept=list(zip(positions, names, strict=True)),
            headerless=[(i, column_letter(i)) for i, h in enumerate(headers) if not h],
            headers=headers,
            unknown=unknown,
        )

    def _check_cells(self, grid: pl.DataFrame, first_row: int) -> None:
        """workbook_check's cell-length ceiling, naming the column by the file's header."""
        assert self.columns is not None
        most = self.lim.max_cell_chars
        widest = grid.select(pl.all().str.len_bytes().max()).row(0)
        for index, (column, size) in enumerate(zip(grid.columns, widest, strict=True)):
            if size is None or size <= most:
                continue
            chars = grid.get_column(column).str.len_chars()
            over = chars > most
            if not over.any():
                continue
            at = int(over.arg_true()[0])
            row = first_row + at
            header = self.columns.headers[index] if index < len(self.columns.headers) else ""
            name = header if header and row > self.columns.header_row else column_letter(index)
            raise FormatError(
                f"{self.source}, row {row:,}, column {name}: a value of "
                f"{int(chars[at]):,} characters, over the limit of {most:,} "
                f"(an FGC field holds a code, a date or a short note). Check the file is the "
                f"return, not text pasted into one cell."
            )

    def _table(self, grid: pl.DataFrame, first_row: int) -> pl.DataFrame:
        assert self.columns is not None
        raw = grid.columns
        numbered = grid.with_columns(
            pl.int_range(first_row, first_row + grid.height, dtype=pl.Int64).alias(ROW_COLUMN)
        )
        if raw:
            numbered = drop_blank_rows(numbered, raw)
        for i, letter in self.columns.headerless:
            check_headerless(numbered, raw[i], letter, self.columns.header_row, self.source)
        return pl.DataFrame(
            [
                numbered.get_column(ROW_COLUMN),
                *(numbered.get_column(raw[i]).alias(name) for i, name in self.columns.kept),
            ]
        )
