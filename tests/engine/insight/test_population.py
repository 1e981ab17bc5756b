import polars as pl
import pytest

from fgc.engine.insight.population import PopulationError, read_population, reference_population


def test_reference_population_names_its_source_and_sums_to_one():
    ref = reference_population()
    for topic in ("ethnicity_group", "age_band", "sex", "disability"):
        part = ref.filter(ref["breakdown_topic"] == topic)
        assert part["share"].sum() == pytest.approx(1.0)
    assert all("Children in need 2024" in s and "approximate" in s for s in ref["source"])


def test_council_upload_gives_shares(tmp_path):
    p = tmp_path / "pop.csv"
    p.write_text("la_code,breakdown_topic,breakdown,count\n805,sex,Male,30\n805,sex,Female,70\n")
    pop = read_population(p)
    assert dict(zip(pop["breakdown"], pop["share"], strict=True)) == {"Male": 0.3, "Female": 0.7}


def test_bad_upload_names_row_and_column(tmp_path):
    p = tmp_path / "pop.csv"
    p.write_text("la_code,breakdown_topic,breakdown,count\n805,sex,Martian,3\n")
    with pytest.raises(PopulationError, match=r"row 2, breakdown: 'Martian'"):
        read_population(p)


def test_census_fallback_gives_the_councils_own_ethnicity_shares():
    from fgc.engine.insight.population import fallback_population

    pop = fallback_population()
    eth = pop.filter((pop["la_code"] == "805") & (pop["breakdown_topic"] == "ethnicity_group"))
    # By hand from census2021_ethnicity_by_la.csv (Hartlepool, all usual residents)
    total = 89068 + 671 + 1383 + 445 + 771
    assert dict(zip(eth["breakdown"], eth["share"], strict=True)) == pytest.approx(
        {
            "White": 89068 / total,
            "Mixed": 671 / total,
            "Asian": 1383 / total,
            "Black": 445 / total,
            "Other": 771 / total,
        }
    )
    assert set(eth["source"]) == {"ONS Census 2021, all usual residents in Hartlepool (all ages)"}
    # age, sex, disability: no per-council published figure, so the national reference
    national = pop.filter(pop["la_code"].is_null())
    assert set(national["breakdown_topic"]) == {"age_band", "sex", "disability"}
    assert all("national" in s for s in national["source"])


def test_an_uploaded_topic_replaces_the_census_fallback_for_that_council():
    from fgc.engine.insight.equity import representation
    from fgc.engine.insight.population import fallback_population, population_from_counts

    upload = population_from_counts(
        pl.DataFrame(
            {
                "la_code": ["805", "805"],
                "breakdown_topic": ["ethnicity_group"] * 2,
                "breakdown": ["White", "Asian"],
                "count": [50, 50],
            }
        )
    )
    pop = pl.concat([upload, fallback_population()])
    offered = pl.DataFrame(
        {
            "geographic_level": ["Local authority"] * 2,
            "la_code": ["805"] * 2,
            "period": ["2025-26"] * 2,
            "breakdown_topic": ["ethnicity_group"] * 2,
            "breakdown": ["White", "Asian"],
            "numerator": [10, 10],
        }
    )
    rep = representation(offered, pop)
    assert rep.height == 2
    assert dict(zip(rep["breakdown"], rep["population_share"], strict=True)) == {
        "White": 50.0,
        "Asian": 50.0,
    }
    assert set(rep["population_source"]) == {"Council upload"}
