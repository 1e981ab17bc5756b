"""The council dashboard, drawn once per set of figures and shared by every web process.

Building and rendering a council page's sections costs about 26 ms of CPU. Each web process
used to pay that for every council on its first view, so under load those first views were
the slow tail. The refresh job now draws every accepted council's default pages (its own
staff's view and national users' view, for the latest year and the council's own latest year)
into the insight cache beside the figures they show. A web process reads the file (well
under a millisecond) and keeps it in its memo. Pages with other options (another comparator,
a custom list) are drawn on their first view and stored the same way, so the next process
reads them too.

A stored page is keyed by the figures (the cache key), the viewer kind (own staff see
unsuppressed figures, so the two are never shared) and every option, and filed under a
fingerprint of the templates and presenters that drew it, so a new release never serves a
page drawn by the old one.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.template.loader import render_to_string

from fgc.accounts.models import Council
from fgc.engine.insight import InsightResult
from fgc.insight_web import presenters, services

log = logging.getLogger(__name__)

PAGES_DIR = "council-pages"
SECTIONS_TEMPLATE = "insight/_council_sections.html"
_HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Options:
    """Everything a council page's sections depend on besides the figures."""

    la_code: str
    period: str
    own: bool  # the viewer is the council's own staff: unsuppressed figures
    comparator: str = "neighbours"
    codes: tuple[str, ...] = ()

    def query(self) -> str:
        """The page's options as a query string (its CSV links carry it)."""
        pairs = [("period", self.period)] if self.period else []
        if self.comparator != "neighbours":
            pairs.append(("comparator", self.comparator))
        if self.codes:
            pairs.append(("codes", ",".join(self.codes)))
        return urlencode(pairs, safe=",")


@dataclass(frozen=True)
class CouncilPage:
    """What the council page's template needs besides the request: the drawn sections and
    the few facts the page around them shows."""

    la_code: str
    period: str
    own: bool
    comparator: str
    codes: tuple[str, ...]
    has_sections: bool
    has_figures: bool
    symbols_note: str
    sections_html: str


def context(snap: services.Snapshot, result: InsightResult, opts: Options) -> presenters.Context:
    return presenters.Context(
        result,
        services.published_all(snap, result),
        opts.la_code,
        opts.period,
        opts.own,
        opts.comparator,
        opts.codes,
    )


def build(
    snap: services.Snapshot, result: InsightResult, opts: Options
) -> tuple[presenters.Context, list[presenters.Section]]:
    ctx = context(snap, result, opts)
    return ctx, presenters.council_sections(ctx)


def draw(
    council: Council, ctx: presenters.Context, sections: list[presenters.Section], opts: Options
) -> CouncilPage:
    html = render_to_string(
        SECTIONS_TEMPLATE,
        {
            "council": council,
            "ctx": ctx,
            "sections": sections,
            "measure_groups": presenters.measure_groups(),
            "query": opts.query(),
        },
    )
    return CouncilPage(
        opts.la_code,
        opts.period,
        opts.own,
        opts.comparator,
        opts.codes,
        bool(sections),
        ctx.has_figures(),
        ctx.symbols_note,
        html,
    )


def page(
    snap: services.Snapshot,
    result: InsightResult,
    council: Council,
    opts: Options,
    sections: Callable[[], tuple[presenters.Context, list[presenters.Section]]],
) -> CouncilPage:
    """The stored page for these figures and options, else ``sections()`` drawn and stored."""
    path = _path(snap.key, opts)
    stored = _load(path, opts)
    if stored is not None:
        return stored
    ctx, built = sections()
    drawn = draw(council, ctx, built, opts)
    _save(path, drawn)
    return drawn


def draw_defaults(
    snap: services.Snapshot,
    result: InsightResult,
    progress: Callable[[int, str], None] | None = None,
) -> int:
    """Store every accepted council's default pages (the refresh job's last step).

    For each council with an accepted return: its own staff's and national users' view of the
    latest year and of the council's own latest year (what its page opens on). Pages already
    stored are left as they are. Returns how many were drawn.
    """
    if not result.periods:
        return 0
    latest = result.periods[-1]
    own_latest: dict[str, str] = {}
    for v in snap.versions:
        if v.period in result.periods:
            own_latest[v.la_code] = max(own_latest.get(v.la_code, v.period), v.period)
    councils = Council.objects.filter(old_la_code__in=own_latest).order_by("old_la_code")
    drawn = 0
    for i, council in enumerate(councils):
        if progress is not None and i % 20 == 0:
            progress(97, f"Drawing council pages ({i} of {len(own_latest)})")
        for period in sorted({latest, own_latest[council.old_la_code]}):
            for own in (True, False):
                opts = Options(council.old_la_code, period, own)
                path = _path(snap.key, opts)
                if _load(path, opts) is not None:
                    continue
                _save(path, draw(council, *build(snap, result, opts), opts))
                drawn += 1
    return drawn


@functools.cache
def fingerprint() -> str:
    """A digest of the templates and presenters that draw the page (a release changes it)."""
    digest = hashlib.sha256()
    sources = [Path(__file__), *sorted((_HERE / "presenters").glob("*.py"))]
    sources += sorted((_HERE / "jinja2" / "insight").glob("*.html"))
    for source in sources:
        digest.update(source.name.encode("utf-8"))
        digest.update(source.read_bytes())
    return digest.hexdigest()[:16]


def _path(key: str, opts: Options) -> Path:
    # Only the council code and period (both checked against the data) appear as text; the
    # options are hashed, so nothing from a request reaches the file name.
    options = hashlib.sha256(repr((opts.comparator, opts.codes)).encode("utf-8")).hexdigest()
    viewer = "own" if opts.own else "published"
    name = f"{opts.la_code}-{opts.period}-{viewer}-{options[:16]}.json"
    return services.cache_dir(key) / PAGES_DIR / fingerprint() / name


def _load(path: Path, opts: Options) -> CouncilPage | None:
    try:
        record: dict[str, Any] = json.loads(path.read_text("utf-8"))
        stored = CouncilPage(**{**record, "codes": tuple(record["codes"])})
    except FileNotFoundError:
        return None
    except (OSError, ValueError, TypeError, KeyError) as exc:
        log.warning("Council page %s unreadable (%s): drawing it again", path.name, exc)
        return None
    # The file name is a digest: check the page is the one asked for before serving it.
    wanted = (opts.la_code, opts.period, opts.own, opts.comparator, opts.codes)
    got = (stored.la_code, stored.period, stored.own, stored.comparator, stored.codes)
    return stored if got == wanted else None


def _save(path: Path, drawn: CouncilPage) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        services.write_text(path, json.dumps(asdict(drawn)))
    except OSError as exc:  # the page is still served; the next view draws it again
        log.warning("Council page %s not stored (%s)", path.name, exc)
