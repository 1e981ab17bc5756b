"""The pages never undo the release: a count any release table hides (the compliance and
timeliness tables included) makes every page figure built on it ``c``."""

from __future__ import annotations

import polars as pl

from fgc.engine.coerce import type_frame
from fgc.engine.disclosure import DisclosureConfig, publish
from fgc.engine.insight import compute_measures
from fgc.engine.insight.published import LA, hidden_counts, published_values
from fgc.engine.insight.release import publication_tables
from fgc.engine.insight.release_tables import COMPLIANCE, TIMELINESS
from fgc.standard import local_authorities
from fgc.synth import generate

PERIOD = "2025-26"


def test_every_hidden_compliance_and_timeliness_count_hides_its_page_rate():
    # 40 councils: among them a secondary suppression (a count above 5 hidden so that a
    # smaller one cannot be worked out) in the compliance table.
    councils = [la.old_la_code for la in local_authorities()][:40]
    frame = type_frame(generate(councils, [PERIOD], seed=3))
    result = compute_measures(frame, None)
    pub = publish(publication_tables(result, PERIOD), PERIOD, DisclosureConfig())
    page = published_values(result, PERIOD, pub)
    shown = {
        (c, m): p
        for c, m, p in page.filter(pl.col("geographic_level") == LA)
        .select("la_code", "measure", "published")
        .iter_rows()
    }
    hidden = hidden_counts(pub)
    checked = secondary = 0
    true = {s.name: s.frame for s in publication_tables(result, PERIOD)}
    for name, columns in (
        ("fgc_pre_proceedings_compliance", COMPLIANCE),
        ("fgc_timeliness", TIMELINESS),
    ):
        table = pub.suppression.tables[name].filter(pl.col("geographic_level") == LA)
        for column, (measure, _part, _label) in columns.items():
            for code in table.filter(pl.col(column) == "c").get_column("la_code").to_list():
                # The release hides this council's count: the page's rate built on it is c.
                assert shown.get((str(code), measure)) == "c", (name, column, code, measure)
                assert any(c == str(code) for c, _ in hidden)
                checked += 1
                count = true[name].filter(pl.col("la_code") == code).item(0, column)
                secondary += count > DisclosureConfig().threshold
    assert checked and secondary, "the sample needs a secondary suppression in these tables"
