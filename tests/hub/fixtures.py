"""Hub fixtures and helpers: a private data directory, inline jobs, synthetic files to upload.

Used by tests/hub (through conftest.py) and by tests/test_cross_council_matrix.py.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import polars as pl
import pytest

from fgc.synth import generate


@pytest.fixture(autouse=True, name="hub_settings")
def hub_settings_fixture(settings, tmp_path):
    settings.FGC_DATA_DIR = tmp_path / "data"
    settings.FGC_JOBS_INLINE = True
    settings.FGC_MAX_UPLOAD_MB = 5
    return settings


def frame_for(la_code: str, period: str = "2025-26", seed: int = 3) -> pl.DataFrame:
    return generate([la_code], [period], seed=seed)


def csv_bytes(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_csv(buf)
    return buf.getvalue()


def with_error(frame: pl.DataFrame) -> pl.DataFrame:
    """Break one required value (a date of referral that is not a date)."""
    return frame.with_columns(
        pl.when(pl.int_range(pl.len()) == 0)
        .then(pl.lit("not-a-date"))
        .otherwise(pl.col("date_of_birth"))
        .alias("date_of_birth")
    )


@pytest.fixture(name="upload_file")
def upload_file_fixture() -> Callable:
    """upload_file(user, council, data, period="2025-26", name="return.csv") -> version."""
    from fgc.hub import services

    def _upload(
        user,
        council,
        data: bytes,
        period: str = "2025-26",
        name: str = "return.csv",
        kind: str = "child_level",
    ):
        return services.upload(
            user,
            council=council,
            period=period,
            kind=kind,
            file=services.UploadedFile(name, len(data), [data]),
        )

    return _upload


def explain_all(user, version) -> None:
    from fgc.hub import services

    for code in services.unexplained_query_rules(version):
        services.add_explanation(user, version, code, f"Checked {code}: values are right")
