"""Dates and times as GOV.UK style writes them: "3 March 2026", "3 March 2026 at 2:05pm".

Stored datetimes are UTC (USE_TZ); people read them in the service's time zone, so aware
values are converted with Django's ``localtime`` first. Registered as Jinja filters
``govuk_date`` and ``govuk_datetime`` so every page writes dates the same way.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value) if timezone.is_aware(value) else value


def govuk_date(value: dt.date | dt.datetime | None) -> str:
    """``3 March 2026`` (no leading zero); empty for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = _local(value)
    return f"{value.day} {value.strftime('%B %Y')}"


def govuk_time(value: dt.datetime, *, seconds: bool = False) -> str:
    """``2:05pm``, ``12pm`` for midday and ``12am`` for midnight (GOV.UK style)."""
    value = _local(value)
    hour = value.hour % 12 or 12
    suffix = "am" if value.hour < 12 else "pm"
    if seconds:
        return f"{hour}:{value.minute:02d}:{value.second:02d}{suffix}"
    if value.minute == 0:
        return f"{hour}{suffix}"
    return f"{hour}:{value.minute:02d}{suffix}"


def govuk_datetime(value: dt.datetime | None, *, seconds: bool = False) -> str:
    """``3 March 2026 at 2:05pm``; empty for None."""
    if value is None:
        return ""
    return f"{govuk_date(value)} at {govuk_time(value, seconds=seconds)}"
