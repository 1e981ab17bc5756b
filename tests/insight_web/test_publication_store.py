"""A saved release reads back as the same release: files, tables and every table spec,
medians included (a reloaded release that lost its medians would let a page show a median
the release hides)."""

from __future__ import annotations

from polars.testing import assert_frame_equal

from fgc.engine.coerce import type_frame
from fgc.engine.insight import compute_measures
from fgc.engine.insight.published import hidden_counts, release_for
from fgc.insight_web.publication_store import load_publication, save_publication
from fgc.standard import local_authorities
from fgc.synth import generate

PERIOD = "2025-26"


def test_a_saved_release_reads_back_whole(tmp_path):
    councils = [la.old_la_code for la in local_authorities()][:12]
    result = compute_measures(type_frame(generate(councils, [PERIOD], seed=5)), None)
    pub = release_for(result, PERIOD)
    save_publication(pub, tmp_path)
    back = load_publication(tmp_path)
    assert back is not None
    assert back.files == pub.files
    assert hidden_counts(back) == hidden_counts(pub)
    with_medians = [s for s in pub.suppression.specs.values() if s.medians]
    assert with_medians, "the timeliness table carries medians"
    assert pub.suppression.specs["fgc_offer_rates"].per_10k, "the rates table has rates per 10,000"
    for name, spec in pub.suppression.specs.items():
        got = back.suppression.specs[name]
        assert (got.filters, got.counts, got.rates, got.labels) == (
            spec.filters,
            spec.counts,
            spec.rates,
            spec.labels,
        )
        assert (got.medians, got.public, got.per_10k) == (spec.medians, spec.public, spec.per_10k)
        assert_frame_equal(got.frame, spec.frame)
        if spec.area_medians is None:
            assert got.area_medians is None
        else:
            assert got.area_medians is not None
            assert_frame_equal(got.area_medians, spec.area_medians)
    for name, table in pub.suppression.tables.items():
        assert_frame_equal(back.suppression.tables[name], table)
