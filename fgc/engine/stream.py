"""Validate a CSV too large to hold in memory, a chunk at a time, with ``validate``'s findings.

Pass 0 scans the bytes (the streaming ceilings, the encoding, line lengths) so a file over
a ceiling is refused before anything is checked. Pass 1 reads the file a block of records at
a time exactly as ``read_table`` would (the same header mapping, blank rows, Excel row
numbers and error wording), runs every per-row check that needs no other row on each chunk
and spills its findings to a temporary Arrow IPC file. For the whole file it keeps only the
row number and u64 hashes the cross-row rules (FGC012, FGC013) screen on, and spills the few
columns those rules check. Pass 2 screens globally, gathers the suspect rows from the spill
and runs the exact cross-row checks on them. The findings are merged chunk by chunk into
``validate``'s order (row, code, field), so a report can be written without holding them all.
"""

from __future__ import annotations

import codecs
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import IO, Any

import numpy as np
import polars as pl

from fgc.engine.rules.episodes import CHILD, DUPLICATE, EPISODE, FAMILY_AGREES, _family_fields
from fgc.engine.rules.model import RuleContext
from fgc.engine.rules.registry import RULES, rule
from fgc.engine.validate import (
    FINDINGS_SCHEMA,
    ROW_COLUMN,
    ValidationReport,
    _checks,
    _header_findings,
    _prepare,
    _row_findings,
    _unknown_columns,
)
from fgc.formats.csv_reader import (
    _line_end,
    _looks_like_other_separator,
    _record_widths,
    parse_records,
    unreadable_csv,
)
from fgc.formats.encoding import _NOT_CONTROL, SAVE_AS_HINT, _decode_cp1252, _utf16_codec
from fgc.formats.errors import FormatError, NotTextError
from fgc.formats.headers import column_letter
from fgc.formats.limits import MIB, Limits, default_limits
from fgc.formats.sniff import sniff
from fgc.formats.table import _check_headerless, _drop_blank_rows, build_table
from fgc.standard import Standard, load_standard

DEFAULT_CHUNK_ROWS = 200_000
BLOCK_BYTES = 32 * MIB  # records are parsed this many bytes at a time
_HEAD = 64 * 1024
_QUOTE_SPAN = 64 * MIB  # an open quote running further than this is reported, not buffered
_UTF8_BOM = b"\xef\xbb\xbf"
_MAX_REPORTED = 3
_EXAMPLES_KEPT = 50  # example rows kept per rule for summaries
_SORT = ["row", "code", "field"]


# ---- the cross-row rules: what each keeps for the whole file --------------------------------


@dataclass(frozen=True)
class StreamKey:
    """How a screened rule is screened over the whole file: ``keys`` are small per-row
    columns kept for every row, ``suspect`` is the rule's screen written over those columns
    (the same expression as the rule's own screen), ``columns`` the text its exact checks read.
    """

    keys: Callable[[RuleContext], list[pl.Expr]]
    suspect: pl.Expr
    columns: Callable[[Standard], tuple[str, ...]]


def _dup_keys(ctx: RuleContext) -> list[pl.Expr]:
    key = ctx.text(EPISODE).hash(1) + ctx.text(CHILD).hash(2)  # as episodes._duplicate_screen
    both = ctx.present(EPISODE) & ctx.present(CHILD)
    return [key.alias("__k_dup"), both.alias("__k_dup_present")]


def _family_keys(ctx: RuleContext) -> list[pl.Expr]:
    fields = _family_fields(ctx.std)  # as episodes._family_screen
    h = pl.sum_horizontal([ctx.text(n).hash(seed) for seed, n in enumerate(fields, start=1)])
    return [h.alias("__k_fam"), ctx.present(EPISODE).alias("__k_ep_present")]


# Kept for every row whatever the rules: the episode's hash, by which suspect rows are split
# into buckets (and partitioned, as in episodes._family_screen).
_EP_KEY = "__k_ep"
_BUCKET_ROWS = 1_000_000  # suspect rows checked at once
_fam, _ep = pl.col("__k_fam"), pl.col(_EP_KEY)

STREAM_KEYS: dict[str, StreamKey] = {
    DUPLICATE.code: StreamKey(
        keys=_dup_keys,
        suspect=pl.col("__k_dup_present") & pl.col("__k_dup").is_duplicated(),
        columns=lambda std: (EPISODE, CHILD),
    ),
    FAMILY_AGREES.code: StreamKey(
        keys=_family_keys,
        suspect=pl.col("__k_ep_present") & (_fam.min().over(_ep) != _fam.max().over(_ep)),
        columns=lambda std: (EPISODE, CHILD, *_family_fields(std)),
    ),
}


# ---- pass 0: the bytes --------------------------------------------------------------------


@dataclass(frozen=True)
class _Scan:
    encoding: str  # "utf-8" or "cp1252", for the whole file, as read_table decides it
    lines: int


def _open_checked(path: Path, source: str, lim: Limits) -> int:
    try:
        if path.is_dir():
            raise FormatError(f"{path} is a folder, not a file.")
        size = path.stat().st_size
    except FileNotFoundError:
        raise FormatError(f"{path}: no such file.") from None
    except OSError as exc:
        raise FormatError(f"{path} could not be read: {exc.strerror}.") from None
    if size > lim.max_stream_bytes:
        raise FormatError(
            f"{source} is {size / MIB:,.0f} MB, over the streaming limit of "
            f"{lim.max_stream_bytes // MIB:,} MB (FGC_MAX_STREAM_BYTES); split the return into "
            f"smaller files (for example one per year)."
        )
    if size == 0:
        raise FormatError(f"{source}: the file is empty.")
    return size


def _check_kind(head: bytes, source: str) -> None:
    if sniff(head) != "text":
        raise FormatError(
            f"{source} is an Excel or other Office file, not a CSV; stream mode (--stream) "
            f"reads CSV files only: check it without --stream, or save it as CSV UTF-8."
        )
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] in (b"<?xml", b"<Mess"):
        raise FormatError(
            f"{source} is an XML file, not a table: a Children in Need census file is checked "
            f"by uploading it to the hub as a CIN census return. "
            f"For FGC records, save the spreadsheet as CSV UTF-8 or Excel Workbook (.xlsx)."
        )
    if _utf16_codec(head[: len(head) // 2 * 2]):
        raise FormatError(
            f"{source} is UTF-16 text (Excel's 'Unicode Text'); stream mode reads UTF-8 or "
            f"Windows-1252 CSV files only: {SAVE_AS_HINT}."
        )


def _scan(path: Path, source: str, lim: Limits) -> _Scan:
    """One pass over the bytes in C: line count (the row ceiling), binary data, line lengths,
    and whether the whole file is UTF-8 (else it is read as Windows-1252, as read_table does).
    """
    _open_checked(path, source, lim)
    window = lim.max_line_bytes
    # Whole windows per block, so the windows are the same as over the whole file.
    block = window * max(1, BLOCK_BYTES // window)
    utf8 = codecs.getincrementaldecoder("utf-8")()
    is_utf8, lines, first = True, 0, True
    with path.open("rb") as fh:
        while data := fh.read(block):
            if first:
                _check_kind(data[:_HEAD], source)
                _check_columns(data, source, lim)
                first = False
            if b"\x00" in data:
                raise NotTextError(
                    f"{source} is not a text file (it holds binary data); "
                    f"upload a CSV or an Excel workbook (.xlsx)."
                )
            if data.translate(None, _NOT_CONTROL):
                raise NotTextError(
                    f"{source} is not a CSV text file (it holds control characters); "
                    f"upload a CSV or an Excel workbook (.xlsx)."
                )
            _check_windows(data, window, lines, source)
            lines += data.count(b"\n")
            if lines > lim.max_stream_rows + 1:
                raise FormatError(
                    f"{source} has more than {lim.max_stream_rows:,} rows (over "
                    f"{lines:,} lines), over the streaming limit (FGC_MAX_STREAM_ROWS); split "
                    f"the return into smaller files (for example one per year)."
                )
            if is_utf8:
                try:
                    utf8.decode(data)
                except UnicodeDecodeError:
                    is_utf8 = False
    if is_utf8:
        try:
            utf8.decode(b"", final=True)
        except UnicodeDecodeError:
            is_utf8 = False
    return _Scan("utf-8" if is_utf8 else "cp1252", lines)


def _check_columns(data: bytes, source: str, lim: Limits) -> None:
    end = data.find(b"\n")
    columns = data[: end if end != -1 else len(data)].count(b",") + 1
    if columns > lim.max_columns:
        raise FormatError(
            f"{source}: the first row has {columns:,} columns, over the limit of "
            f"{lim.max_columns:,}; an FGC return has one column per field. Delete the "
            f"extra columns and save it again."
        )


def _check_windows(data: bytes, window: int, lines_before: int, source: str) -> None:
    # As csv_reader._check_line_lengths, with the line counted from the start of the file.
    for start in range(0, len(data), window):
        end = min(start + window, len(data))
        if end - start == window and data.find(b"\n", start, end) == -1:
            line = lines_before + data.count(b"\n", 0, start) + 1
            raise FormatError(
                f"{source}: line {line:,} is longer than {window // 1024:,} KB with no line "
                f"break; a row of an FGC return is a few hundred characters. Check the file "
                f"is the return saved as CSV, not one huge value or a file of another kind."
            )


# ---- pass 1: records, as read_table reads them ------------------------------------------


def _blocks(fh: IO[bytes], size: int, source: str) -> Iterator[bytes]:
    """The file's bytes in pieces of about ``size``, each ending at a line break outside
    quotes (an even number of quote marks so far), as csv_reader._record_widths_chunked cuts
    them, so a quoted value with line breaks is never split."""
    buf, eof = b"", False
    while True:
        while not eof and len(buf) < size:
            more = fh.read(size)
            eof = not more
            buf += more
        if not buf:
            return
        end = _cut(buf, size, eof)
        if end is None:
            if len(buf) > size + _QUOTE_SPAN:
                raise unreadable_csv(source)
            more = fh.read(size)
            eof = not more
            buf += more
            continue
        yield buf[:end]
        buf = buf[end:]


def _cut(buf: bytes, size: int, eof: bool) -> int | None:
    """Where to end the next block, or None if more bytes are needed to know."""
    end = _line_end(buf, min(size, len(buf)))
    quotes = buf.count(b'"', 0, end)
    while quotes % 2 and end < len(buf):
        nxt = _line_end(buf, end)
        quotes += buf.count(b'"', end, nxt)
        end = nxt
    if eof:
        return len(buf) if quotes % 2 else end
    if quotes % 2 or (end == len(buf) and not buf.endswith(b"\n")):
        return None
    return end


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

    def chunks(self, rows: int) -> Iterator[pl.DataFrame]:
        with self.path.open("rb") as fh:
            for i, raw in enumerate(_blocks(fh, self.block, self.source)):
                frame = self._frame(self._decode(raw, i == 0))
                for start in range(0, frame.height, rows):
                    yield frame.slice(start, rows)
        if self.expected is None:
            raise FormatError(f"{self.source}: the file is empty.")
        if self.uneven_count:
            self._raise_uneven()

    def _decode(self, raw: bytes, first: bool) -> bytes:
        if first:
            raw = raw.removeprefix(_UTF8_BOM)
        if self.scan.encoding == "utf-8":
            return raw
        return _decode_cp1252(raw, self.source).encode("utf-8")

    def _frame(self, body: bytes) -> pl.DataFrame:
        widths = _record_widths(body)
        before, self.records = self.records, self.records + len(widths)
        filled = (widths > 0).arg_true()
        if len(filled) == 0:
            return pl.DataFrame()
        start = int(filled[0])
        header_block = self.expected is None
        if header_block:
            self.expected = int(widths[start])
            self.header_row = before + start + 1
            if self.expected == 1 and _looks_like_other_separator(
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
            numbered = _drop_blank_rows(numbered, raw)
        for i, letter in self.columns.headerless:
            _check_headerless(numbered, raw[i], letter, self.columns.header_row, self.source)
        return pl.DataFrame(
            [
                numbered.get_column(ROW_COLUMN),
                *(numbered.get_column(raw[i]).alias(name) for i, name in self.columns.kept),
            ]
        )


# ---- the report ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Totals(ValidationReport):
    """A report with counts and a summary but no findings table, for the text writer."""

    entries: tuple[dict[str, Any], ...] = ()

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        return [{**e, "rows": e["rows"][:examples]} for e in self.entries]


@dataclass
class _Summary:
    """``ValidationReport.summary`` built up one sorted batch of findings at a time."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, batch: pl.DataFrame) -> None:
        if batch.is_empty():
            return
        grouped = batch.group_by("code", maintain_order=True).agg(
            pl.len().alias("count"),
            pl.col("severity").first(),
            pl.col("row").drop_nulls().unique(maintain_order=True).head(_EXAMPLES_KEPT),
            pl.col("field").drop_nulls().unique(maintain_order=True),
            pl.col("message").unique(maintain_order=True).head(2),
        )
        for g in grouped.iter_rows(named=True):
            e = self.entries.setdefault(
                g["code"],
                {"severity": g["severity"], "count": 0, "rows": [], "fields": [], "msgs": []},
            )
            e["count"] += g["count"]
            _extend(e["rows"], g["row"], _EXAMPLES_KEPT)
            _extend(e["fields"], g["field"], None)
            _extend(e["msgs"], g["message"], 2)

    def result(self) -> list[dict[str, Any]]:
        return [
            {
                "code": code,
                "severity": e["severity"],
                "message": e["msgs"][0] if len(e["msgs"]) == 1 else rule(code).message,
                "count": e["count"],
                "rows": list(e["rows"]),
                "fields": list(e["fields"]),
            }
            for code, e in sorted(self.entries.items())
        ]


def _extend(into: list[Any], values: list[Any], cap: int | None) -> None:
    for v in values:
        if cap is not None and len(into) >= cap:
            return
        if v not in into:
            into.append(v)


@dataclass
class StreamReport:
    """The outcome of ``validate_stream``: counts and summary in memory, the findings in
    temporary files read back a batch at a time (in ``validate``'s order). Close it (or use
    it as a context manager) to delete the files."""

    standard_version: str
    rows: int
    source: str | None
    reference_date: date | None
    error_count: int
    query_count: int
    _summary: list[dict[str, Any]]
    _parts: list[Path]
    _tmp: tempfile.TemporaryDirectory[str]

    @property
    def has_errors(self) -> bool:
        return self.error_count > 0

    def summary(self, examples: int = 5) -> list[dict[str, Any]]:
        return [{**s, "rows": s["rows"][:examples]} for s in self._summary]

    def batches(self) -> Iterator[pl.DataFrame]:
        """The findings, a chunk at a time, in order (row, code, field)."""
        for p in self._parts:
            yield pl.read_ipc(p)

    def findings(self) -> pl.DataFrame:
        """Every finding in one frame (for tests and small files: this holds them all)."""
        return pl.concat([pl.DataFrame(schema=FINDINGS_SCHEMA), *self.batches()])

    def totals(self) -> ValidationReport:
        """The counts and summary as a ValidationReport without findings (for text reports)."""
        return _Totals(
            standard_version=self.standard_version,
            rows=self.rows,
            findings=pl.DataFrame(schema=FINDINGS_SCHEMA),
            source=self.source,
            reference_date=self.reference_date,
            _counts={"error": self.error_count, "query": self.query_count},
            entries=tuple(self._summary),
        )

    def close(self) -> None:
        self._tmp.cleanup()

    def __enter__(self) -> StreamReport:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def validate_stream(
    path: str | Path,
    *,
    chunk_rows: int = DEFAULT_CHUNK_ROWS,
    reference_date: date | None = None,
    standard: Standard | None = None,
    limits: Limits | None = None,
    block_bytes: int = BLOCK_BYTES,
) -> StreamReport:
    """Validate a CSV file in chunks of ``chunk_rows`` rows; the findings are exactly those
    of ``validate(read_table(path).frame, ...)``. Any problem with the file is a FormatError
    (read_table's wording), raised before a report exists; no temporary file is left."""
    path = Path(path)
    std = standard or load_standard()
    ref = reference_date or date.today()
    lim = limits or default_limits()
    source = path.name
    scan = _scan(path, source, lim)
    tmp = tempfile.TemporaryDirectory(prefix="fgc-stream-")
    try:
        reader = _CsvChunks(path, scan, source, std, lim, max(1, block_bytes))
        return _run(reader, Path(tmp.name), tmp, std, ref, max(1, chunk_rows))
    except BaseException:
        tmp.cleanup()
        raise


def _run(
    reader: _CsvChunks,
    work: Path,
    tmp: tempfile.TemporaryDirectory[str],
    std: Standard,
    ref: date,
    chunk_rows: int,
) -> StreamReport:
    ctx = RuleContext(std=std, reference_date=ref)
    checks = _checks(ctx, RULES)
    plain = [c for c in checks if c.rule.screen is None]
    screened = [c for c in checks if c.rule.screen is not None]
    codes = sorted({c.rule.code for c in screened})
    missing = [c for c in codes if c not in STREAM_KEYS]
    if missing:  # a new cross-row rule: it needs its global key before it can be streamed
        raise RuntimeError(f"No streaming key for the screened rule(s) {', '.join(missing)}")
    keys = [
        ctx.text(EPISODE).hash(0).alias(_EP_KEY),
        *(e for code in codes for e in STREAM_KEYS[code].keys(ctx)),
    ]
    spilled = list(
        dict.fromkeys(
            n for code in codes for n in STREAM_KEYS[code].columns(std) if std.has_field(n)
        )
    )

    # Pass 1: per chunk, the checks that need no other row; keys and spill for the rest.
    plain_parts: list[Path] = []
    spill_parts: list[Path] = []
    first_rows: list[int] = []
    key_parts: list[pl.DataFrame] = []
    rows = 0
    for i, chunk in enumerate(reader.chunks(chunk_rows)):
        base = _prepare(chunk, std)
        part = work / f"plain-{i}.arrow"
        _row_findings(ctx, base, plain).write_ipc(part, compression="lz4")
        plain_parts.append(part)
        first_rows.append(int(base[ROW_COLUMN][0]))
        rows += chunk.height
        if screened:
            key_parts.append(base.select(ROW_COLUMN, *keys))
            spill = work / f"spill-{i}.arrow"
            base.select(ROW_COLUMN, *spilled).write_ipc(spill, compression="lz4")
            spill_parts.append(spill)
    assert reader.columns is not None

    # Pass 2: screen the whole file on its keys; the exact checks on the suspect rows only,
    # a bucket of episodes at a time (every cross-row rule compares rows within an episode),
    # so a file whose every row is suspect (a file pasted twice) still fits in memory.
    cross: dict[int, list[Path]] = {}
    if key_parts:
        all_keys = pl.concat(key_parts)
        key_parts.clear()
        suspect = all_keys.filter(
            pl.any_horizontal([STREAM_KEYS[c].suspect for c in codes])
        ).select(ROW_COLUMN, _EP_KEY)
        del all_keys
        buckets = -(-suspect.height // _BUCKET_ROWS)
        bounds = np.array(first_rows)
        for b in range(buckets):
            wanted = suspect.filter(pl.col(_EP_KEY) % buckets == b).get_column(ROW_COLUMN)
            gathered = (
                pl.scan_ipc(spill_parts)
                .filter(pl.col(ROW_COLUMN).is_in(wanted.implode()))
                .collect()
            )
            found = _row_findings(ctx, gathered, screened)
            del gathered
            chunk_of = np.searchsorted(bounds, found["row"].to_numpy(), side="right") - 1
            keyed = found.with_columns(pl.Series("__chunk", chunk_of))
            for (index,), part_frame in keyed.partition_by("__chunk", as_dict=True).items():
                p = work / f"cross-{b}-{index}.arrow"
                part_frame.drop("__chunk").write_ipc(p, compression="lz4")
                cross.setdefault(int(index), []).append(p)
    for p in spill_parts:
        p.unlink()

    # Merge: each chunk's findings with the cross-row findings of its rows, in order.
    frame_columns = pl.DataFrame(schema=dict.fromkeys(reader.columns.kept_names(), pl.Utf8))
    header = _header_findings(
        _unknown_columns(frame_columns, std, reader.columns.unknown), rows
    ).sort(_SORT, maintain_order=True)
    summary = _Summary()
    parts = [work / "final-header.arrow"]
    header.write_ipc(parts[0], compression="lz4")
    summary.add(header)
    for i, p in enumerate(plain_parts):
        found = pl.concat([pl.read_ipc(p), *(pl.read_ipc(c) for c in cross.get(i, ()))])
        for c in cross.pop(i, ()):
            c.unlink()
        found = found.sort(_SORT, maintain_order=True)
        final = work / f"final-{i}.arrow"
        found.write_ipc(final, compression="lz4")
        p.unlink()
        parts.append(final)
        summary.add(found)
    entries = summary.result()
    return StreamReport(
        standard_version=std.version,
        rows=rows,
        source=reader.source,
        reference_date=ref,
        error_count=sum(e["count"] for e in entries if e["severity"] == "error"),
        query_count=sum(e["count"] for e in entries if e["severity"] == "query"),
        _summary=entries,
        _parts=parts,
        _tmp=tmp,
    )
