"""Per-council rate limits, counted in the database so they hold across worker processes.

A fixed window: one ``RateCounter`` row per council, bucket and window. A request is let in
by one conditional ``UPDATE ... SET count = count + 1 WHERE count < limit``; the database
applies it atomically, so two processes racing for the last place cannot both get it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

UNITS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}

# bucket -> the setting holding its rate
BUCKETS = {"upload": "FGC_UPLOAD_RATE", "api": "FGC_API_RATE"}


class RateLimited(ValueError):
    """Over the limit: ``retry_after`` seconds until the window turns over.

    A ValueError, like the hub's HubError, so callers that show those messages to the person
    (casework's "submit to the hub") show this one too; hub pages answer it with a 429.
    """

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int
    text: str


def parse_rate(text: str) -> Rate:
    """``"20/hour"`` -> Rate(20, 3600). Units: second, minute, hour, day."""
    count, _, unit = text.strip().partition("/")
    unit = unit.strip().lower().rstrip("s")
    if not count.strip().isdigit() or unit not in UNITS:
        raise ValueError(f"{text!r} is not a rate like 20/hour (units: {', '.join(UNITS)})")
    return Rate(int(count), UNITS[unit], text.strip())


def rate_for(bucket: str) -> Rate:
    return parse_rate(str(getattr(settings, BUCKETS[bucket])))


def _what(bucket: str, n: int) -> str:
    noun = "upload" if bucket == "upload" else "API request"
    return noun if n == 1 else noun + "s"


def take(bucket: str, council_ids: Iterable[int], *, now: float | None = None, n: int = 1) -> None:
    """Count ``n`` requests against each council; raise ``RateLimited`` (counting none) if
    any council has fewer than ``n`` places left in this window."""
    from fgc.hub.models import RateCounter

    rate = rate_for(bucket)
    now = time.time() if now is None else now
    start = int(now // rate.seconds) * rate.seconds
    retry_after = max(1, math.ceil(start + rate.seconds - now))
    ids = sorted(set(council_ids))  # a fixed order, so two requests never lock in a cycle
    with transaction.atomic():
        for council_id in ids:
            if not _count(RateCounter, council_id, bucket, start, rate.limit - n, n):
                # Raising inside the transaction undoes the counts already taken.
                raise RateLimited(
                    f"Your council has made {rate.limit:,} {_what(bucket, rate.limit)} in this "
                    f"{_window_name(rate.seconds)} (the limit is {rate.text}). "
                    f"Try again in {_wait(retry_after)}.",
                    retry_after,
                )


def _count(model: Any, council_id: int, bucket: str, start: int, most: int, n: int) -> bool:
    """Add ``n`` to this window's count if it is at most ``most``; False if it is not.

    The common case, a window already open, is the one conditional UPDATE. Only when it
    matches no row is the window's row created (and, by whoever creates it, the council's
    past windows swept, as they are never read again), then the UPDATE tried once more.
    """
    window = model.objects.filter(council_id=council_id, bucket=bucket, window_start=start)
    if window.filter(count__lte=most).update(count=F("count") + n):
        return True
    if _ensure_row(model, council_id, bucket, start):
        model.objects.filter(council_id=council_id, bucket=bucket, window_start__lt=start).delete()
    return bool(window.filter(count__lte=most).update(count=F("count") + n))


def _ensure_row(model: Any, council_id: int, bucket: str, start: int) -> bool:
    """Make sure the window's row exists; True if this call created it."""
    try:
        with transaction.atomic():
            _, created = model.objects.get_or_create(
                council_id=council_id, bucket=bucket, window_start=start
            )
            return bool(created)
    except IntegrityError:
        return False  # another process created it between our read and insert: it exists now


def _window_name(seconds: int) -> str:
    for name, length in UNITS.items():
        if length == seconds:
            return name
    return f"{seconds} seconds"


def _wait(seconds: int) -> str:
    if seconds >= 3600:
        hours = math.ceil(seconds / 3600)
        return f"{hours} hour{'s' if hours != 1 else ''}"
    if seconds >= 60:
        minutes = math.ceil(seconds / 60)
        return f"{minutes} minute{'s' if minutes != 1 else ''}"
    return f"{seconds} second{'s' if seconds != 1 else ''}"
