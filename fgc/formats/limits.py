"""Ceilings every input is checked against before it is read.

A hostile or broken file must be refused from what can be learnt cheaply (its size, the zip
directory of a workbook, the sheet's row count, the CSV's line count), never by reading it in
full and running out of memory. The defaults sit far above any real FGC return: a national
year is about 50,000 child rows, and ten years of history about a million.

Each limit can be set from the environment (``FGC_MAX_*``, see docs/settings.md); the web
service reads the same variables, so the CLI and the hub refuse the same files.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, fields

MIB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """The largest input the readers accept."""

    max_bytes: int = 500 * MIB  # the file as uploaded (a million-row return is ~230 MB)
    max_uncompressed_bytes: int = 2048 * MIB  # all members of an .xlsx package, unzipped
    max_compression_ratio: int = 100  # per .xlsx member larger than 1 MiB unzipped
    max_members: int = 1000  # files inside an .xlsx package
    max_rows: int = 2_000_000
    max_columns: int = 16_384  # Excel's own widest sheet
    max_cells: int = 150_000_000  # rows x columns
    max_cell_chars: int = 32_767  # Excel's own most per cell; no FGC value comes close
    max_line_bytes: int = MIB  # one CSV line; a real row is a few hundred bytes
    # `fgc validate --stream` reads a CSV in chunks, so its memory does not grow with the file:
    # these replace max_bytes, max_rows and max_cells there (10 years of a nation is ~1M rows).
    max_stream_bytes: int = 8 * 1024 * MIB
    max_stream_rows: int = 50_000_000

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Limits:
        """The defaults, overridden by ``FGC_MAX_<NAME>`` variables (e.g. FGC_MAX_ROWS)."""
        env = os.environ if environ is None else environ
        values: dict[str, int] = {}
        for f in fields(cls):
            key = f"FGC_{f.name.upper()}"
            if f.name == "max_bytes":
                # The upload limit is set in MB for people (FGC_MAX_UPLOAD_MB).
                mb = env.get("FGC_MAX_UPLOAD_MB")
                if mb and mb.strip().isdigit():
                    values[f.name] = int(mb) * MIB
                continue
            raw = env.get(key)
            if raw is not None and raw.strip().isdigit() and int(raw) > 0:
                values[f.name] = int(raw)
        return cls(**values)


def default_limits() -> Limits:
    """The limits in force: defaults overridden from the environment."""
    return Limits.from_env()
