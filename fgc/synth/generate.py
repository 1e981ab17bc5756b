"""`generate`: synthetic child-level FGC data for any councils and financial years.

One ``random.Random`` per council-year, seeded from (seed, council, year), makes the output
deterministic and lets a council's rows be the same whether it is generated alone or with
all 153 others.
"""

from __future__ import annotations

import calendar
import math
import random
from collections.abc import Callable, Iterable, Sequence
from datetime import date, timedelta

import polars as pl

from fgc.engine.periods import Period, PeriodError
from fgc.standard import Standard, load_standard
from fgc.synth.councils import CouncilProfile, council_profiles, year_trend
from fgc.synth.families import (
    CHILD_COLUMNS,
    FAMILY_COLUMNS,
    Rows,
    Window,
    council_year,
    day_number,
)

DEFAULT_REFERENCE_DATE = date(2026, 11, 1)
DEFAULT_YEARS: tuple[str, ...] = ("2021-22", "2022-23", "2023-24", "2024-25", "2025-26")

Progress = Callable[[int, int], None]


class SynthError(ValueError):
    """Bad arguments to the generator (unknown council, bad year); the message says which."""


def parse_las(las: Sequence[str] | str) -> list[CouncilProfile]:
    """``"all"``, ``"805,806"`` or a list of DfE codes → council profiles, in code order."""
    profiles = council_profiles()
    if isinstance(las, str):
        if las.strip().lower() == "all":
            return list(profiles.values())
        las = las.split(",")
    codes = [str(code).strip() for code in las if str(code).strip()]
    if not codes:
        raise SynthError("No local authority codes given: use 'all' or codes like 805,806.")
    unknown = [c for c in codes if c not in profiles]
    if unknown:
        raise SynthError(
            f"Unknown local authority code(s): {', '.join(unknown)}. Use current DfE 3-digit "
            "codes such as 805 (Hartlepool), or 'all'."
        )
    return [profiles[c] for c in sorted(set(codes))]


def parse_years(years: Iterable[str] | str, reference_date: date) -> list[Period]:
    """Financial years like ``2024-25`` (comma-separated or a list), each starting on or
    before the reference date."""
    if isinstance(years, str):
        years = years.split(",")
    periods: list[Period] = []
    for text in years:
        if not text.strip():
            continue
        try:
            period = Period.parse(text)
        except PeriodError as exc:
            raise SynthError(str(exc)) from None
        if period.quarter is not None:
            raise SynthError(f"{text.strip()!r} is a quarter: give whole financial years.")
        if period.start > reference_date:
            raise SynthError(
                f"{period.label} starts after the reference date {reference_date.isoformat()}; "
                "data cannot be generated for the future."
            )
        periods.append(period)
    if not periods:
        raise SynthError("No financial years given: use years like 2024-25,2025-26.")
    return sorted(set(periods), key=lambda p: p.start_year)


def _add_months(d: date, months: int) -> date:
    # Same as polars `offset_by("Nmo")`: the day is clamped to the end of a shorter month.
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def _last_anchor_known(reference_date: date, months: int) -> int:
    """The last anchor day whose ``months`` outcome has passed by the reference date."""
    day = reference_date - timedelta(days=31 * months)
    while _add_months(day + timedelta(days=1), months) <= reference_date:
        day += timedelta(days=1)
    return day_number(day)


def _text_frame(
    columns: tuple[str, ...], rows: list[tuple[object, ...]], std: Standard
) -> pl.DataFrame:
    """Rows → a text frame: day numbers become ISO dates, integers become digits."""
    values = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    series = []
    for name, col in zip(columns, values, strict=True):
        kind = std.field(name).type
        if kind == "date":
            s = pl.Series(name, col, dtype=pl.Int32).cast(pl.Date).cast(pl.Utf8)
        elif kind == "integer":
            s = pl.Series(name, col, dtype=pl.Int64).cast(pl.Utf8)
        else:
            s = pl.Series(name, col, dtype=pl.Utf8)
        series.append(s)
    return pl.DataFrame(series)


def _check_columns(std: Standard) -> None:
    levels = {f.name: f.level for f in std.fields}
    made = {**dict.fromkeys(FAMILY_COLUMNS, "family"), **dict.fromkeys(CHILD_COLUMNS, "child")}
    if made != levels:
        raise RuntimeError(
            "fgc.synth is out of step with the standard: fields "
            f"{sorted(set(made.items()) ^ set(levels.items()))} differ"
        )


def generate(
    las: Sequence[str] | str = "all",
    years: Sequence[str] | str = DEFAULT_YEARS,
    seed: int = 7,
    messy: float = 0.0,
    *,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    scale: float = 1.0,
    kinds: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> pl.DataFrame:
    """Synthetic child-level rows: one per child per episode, all text, standard columns.

    ``years`` are financial years; an episode belongs to the year its offer (for PLO, its
    letter before proceedings) falls in, and nothing after the end of the last year (or the
    reference date, if earlier) has happened yet. Outcomes are filled when 6 / 12 months
    have passed by ``reference_date``. ``scale`` multiplies every council's volume (for
    load tests). ``messy`` is the share of rows given a realistic mistake; ``kinds``
    restricts which (see ``messy_kinds``).
    """
    from fgc.synth.messy import inject

    if not 0.0 <= messy <= 1.0:
        raise SynthError(f"--messy must be a rate from 0 to 1, not {messy}.")
    if scale <= 0:
        raise SynthError(f"--scale must be positive, not {scale}.")
    std = load_standard()
    _check_columns(std)
    profiles = parse_las(las)
    periods = parse_years(years, reference_date)
    end = min(reference_date, max(p.end for p in periods))
    cut6 = _last_anchor_known(reference_date, 6)
    cut12 = _last_anchor_known(reference_date, 12)

    rows = Rows()
    total = len(profiles) * len(periods)
    windows = []
    for period in periods:
        last = min(period.end, reference_date)
        window = Window(
            first=day_number(period.start),
            last=day_number(last),
            snapshot=day_number(end),
            reference=day_number(reference_date),
            cut6=cut6,
            cut12=cut12,
        )
        share = ((last - period.start).days + 1) / ((period.end - period.start).days + 1)
        windows.append((period, window, year_trend(period.start_year) * share * scale))
    # Council by council, so each council's episodes sit together in the output.
    for done, (profile, (period, window, trend)) in enumerate(
        ((p, w) for p in profiles for w in windows), start=1
    ):
        rng = random.Random(f"{seed}:{profile.la.old_la_code}:{period.start_year}")
        expected = profile.families_2025 * trend
        n = max(0, round(rng.gauss(expected, math.sqrt(expected))))
        council_year(rows, profile, period.start_year, n, window, rng)
        if progress is not None:
            progress(done, total)

    families = _text_frame(FAMILY_COLUMNS, rows.families, std)
    children = _text_frame(CHILD_COLUMNS, rows.children, std)
    frame = pl.concat(
        [families[pl.Series(rows.child_family, dtype=pl.UInt32)], children], how="horizontal"
    ).select(std.field_names)
    if messy > 0:
        frame = inject(frame, messy, random.Random(f"{seed}:messy"), kinds, reference_date)
    return frame
