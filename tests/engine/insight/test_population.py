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
