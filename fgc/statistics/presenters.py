"""What release pages show: markdown rendered safely, tables as rows, version history."""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt
from markupsafe import Markup

from fgc.statistics import datasets
from fgc.statistics.models import ReleaseTable, ReleaseVersion

# CommonMark with raw HTML off: a methodology cannot inject markup; links are checked
# by markdown-it (no javascript: URLs).
_md = MarkdownIt("commonmark", {"html": False}).enable("table")
PREVIEW_ROWS = 20


def markdown(text: str) -> Markup:
    html = _md.render(text or "")
    # GOV.UK styles on the few elements markdown produces.
    for tag, cls in (
        ("<p>", '<p class="govuk-body">'),
        ("<ul>", '<ul class="govuk-list govuk-list--bullet">'),
        ("<ol>", '<ol class="govuk-list govuk-list--number">'),
        ("<h1>", '<h2 class="govuk-heading-m">'),
        ("</h1>", "</h2>"),
        ("<h2>", '<h3 class="govuk-heading-s">'),
        ("</h2>", "</h3>"),
        ("<a href=", '<a class="govuk-link" href='),
        ("<table>", '<table class="govuk-table">'),
    ):
        html = html.replace(tag, cls)
    return Markup(html)  # noqa: S704  (rendered by markdown-it with html off)


@dataclass(frozen=True)
class TableView:
    name: str
    footnotes: list[str]
    columns: tuple[str, ...]
    rows: list[list[str]]
    total_rows: int


def table_view(table: ReleaseTable) -> TableView:
    ds = datasets.load(table.csv_text, table.meta_text)
    shown = [[r[c] for c in ds.columns] for r in ds.rows[:PREVIEW_ROWS]]
    return TableView(table.name, list(table.footnotes), ds.columns, shown, len(ds.rows))


def history(versions: list[ReleaseVersion]) -> list[dict[str, object]]:
    """Newest first: number, state, when, and the revision note."""
    return [
        {
            "number": v.number,
            "published": v.published_at,
            "publish_at": v.publish_at,
            "note": v.revision_note or ("First published" if v.number == 1 else ""),
        }
        for v in sorted(versions, key=lambda v: -v.number)
    ]
