"""Job kinds and their handlers; apps register theirs in ``AppConfig.ready``.

The jobs app knows nothing of the apps that use it: a kind maps to a function that runs the
job and, optionally, one that cleans up when the job fails or its worker dies.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fgc.jobs.models import Job

ProgressFn = Callable[[int, str], None]
Handler = Callable[["Job", ProgressFn], None]
FailureHook = Callable[["Job", str], None]


@dataclass(frozen=True)
class JobKind:
    name: str
    run: Handler
    on_failure: FailureHook | None = None


_KINDS: dict[str, JobKind] = {}


def register(name: str, run: Handler, on_failure: FailureHook | None = None) -> None:
    _KINDS[name] = JobKind(name, run, on_failure)


def get(name: str) -> JobKind:
    try:
        return _KINDS[name]
    except KeyError:
        raise LookupError(f"No handler registered for job kind {name!r}") from None
