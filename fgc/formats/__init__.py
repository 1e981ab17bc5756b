"""Readers and writers for the files councils exchange: CSV and XLSX (never Django).

Public API::

    read_table(path, *, sheet=None, standard=None) -> ReadResult
    read_table_bytes(data, filename, *, sheet=None, standard=None) -> ReadResult
    FormatError, ROW_COLUMN
    escape_formula(value) -> str
    write_csv(frame, path, *, bom=False); write_xlsx(sheets, path, *, formats=None)
"""

from fgc.formats.errors import FormatError
from fgc.formats.escape import escape_formula
from fgc.formats.headers import match_header, normalise_header
from fgc.formats.reader import read_table, read_table_bytes
from fgc.formats.result import ROW_COLUMN, ReadResult
from fgc.formats.writers import safe_sheet_name, write_csv, write_xlsx

__all__ = [
    "ROW_COLUMN",
    "FormatError",
    "ReadResult",
    "escape_formula",
    "match_header",
    "normalise_header",
    "read_table",
    "read_table_bytes",
    "safe_sheet_name",
    "write_csv",
    "write_xlsx",
]
