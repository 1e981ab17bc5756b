"""Dates on pages: GOV.UK style, in the service's time zone."""

from __future__ import annotations

import datetime as dt

from fgc.web.dates import govuk_date, govuk_datetime, govuk_time

UTC = dt.UTC


def test_date_has_no_leading_zero_and_full_month():
    assert govuk_date(dt.date(2026, 3, 3)) == "3 March 2026"
    assert govuk_date(None) == ""


def test_aware_datetimes_are_shown_in_london_time(settings):
    settings.TIME_ZONE = "Europe/London"
    summer = dt.datetime(2026, 7, 1, 23, 30, tzinfo=UTC)  # BST: already 2 July locally
    assert govuk_datetime(summer) == "2 July 2026 at 12:30am"
    winter = dt.datetime(2026, 1, 5, 14, 5, 9, tzinfo=UTC)
    assert govuk_datetime(winter) == "5 January 2026 at 2:05pm"
    assert govuk_datetime(winter, seconds=True) == "5 January 2026 at 2:05:09pm"


def test_times_on_the_hour_and_midday():
    assert govuk_time(dt.datetime(2026, 1, 5, 12, 0)) == "12pm"
    assert govuk_time(dt.datetime(2026, 1, 5, 0, 0)) == "12am"
    assert govuk_time(dt.datetime(2026, 1, 5, 9, 7)) == "9:07am"


def test_templates_get_the_filters():
    from django.template import engines

    env = engines["jinja2"].env  # type: ignore[attr-defined]
    out = env.from_string("{{ d | govuk_date }}").render(d=dt.date(2026, 3, 3))
    assert out == "3 March 2026"
