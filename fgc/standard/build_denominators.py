"""Build the shipped denominators from DfE and ONS published statistics (run by hand).

    uv run python -m fgc.standard.build_denominators <git dir of
        dfe-analytical-services/CSC_outcomes_and_enablers> [commit]

Reads four files of that repository's ``data-raw/`` (Open Government Licence) with
``git show`` and writes, under ``fgc/standard/data/``:

* ``dfe_denominators_2025.csv``: per current council (``la_codes.csv``), children in need at
  31 March 2025 (DfE "Characteristics of children in need" 2025, table B1,
  ``At31_episodes``), children looked after at 31 March 2025 (DfE "Children looked after in
  England including adoptions" 2025) and children aged 0 to 17 (ONS mid-year estimates
  2024). A suppressed ``c`` (or a council missing from a file) stays empty: never guessed.
* ``census2021_ethnicity_by_la.csv``: ONS Census 2021 usual residents (all ages) by the
  standard's ethnic major groups, mapped with ``census2021_ethnicity_map.csv``.
* ``dfe_denominators_2025.meta.toml``: the releases, tables, years and the commit copied.
"""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

DATA = Path(__file__).parent / "data"
REPO = "dfe-analytical-services/CSC_outcomes_and_enablers"
B1 = "data-raw/b1_children_in_need_2013_to_2025.csv"
CLA = "data-raw/cla_number_and_rate_per_10k_children.csv"
POP = "data-raw/ons_mid-year_population_estimates_2012_to_2024.csv"
ETH = "data-raw/ons-ethnic-population-la.csv"
CLA_POPULATION = "Children looked after on 31 March each year"
POP_AGE = "Children aged 0 to 17 years"


def _rows(git_dir: str, commit: str, path: str) -> list[dict[str, str]]:
    text = subprocess.run(
        ["git", "-C", git_dir, "show", f"{commit}:{path}"],
        check=True,
        capture_output=True,
        text=True,
        encoding="utf-8-sig",
    ).stdout
    return list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))


def _count(value: str | None) -> str:
    """A published count, or '' when suppressed ('c'), not applicable or missing."""
    v = (value or "").strip()
    return v if v.isdigit() else ""


def _by_la(rows: list[dict[str, str]], year: str, value: str, **where: str) -> dict[str, str]:
    return {
        r["old_la_code"].strip(): _count(r[value])
        for r in rows
        if r["time_period"] == year
        and r["geographic_level"] == "Local authority"
        and all(r[k] == v for k, v in where.items())
    }


def build(git_dir: str, commit: str) -> dict[str, int]:
    councils = [
        r
        for r in csv.DictReader((DATA / "la_codes.csv").open(encoding="utf-8"))
        if r["current"] == "Y"
    ]
    cin = _by_la(_rows(git_dir, commit, B1), "2025", "At31_episodes")
    cla = _by_la(
        _rows(git_dir, commit, CLA), "2025", "children_count", population_type=CLA_POPULATION
    )
    pop = _by_la(_rows(git_dir, commit, POP), "2024", "population_estimate", age_group=POP_AGE)
    with (DATA / "dfe_denominators_2025.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(
            [
                "la_code",
                "la_name",
                "children_in_need_31_march",
                "children_looked_after_31_march",
                "population_0_17",
            ]
        )
        for c in councils:
            code = c["old_la_code"]
            w.writerow(
                [code, c["la_name"], cin.get(code, ""), cla.get(code, ""), pop.get(code, "")]
            )
    groups = {
        r["census_code"]: r["ethnicity_group"]
        for r in csv.DictReader((DATA / "census2021_ethnicity_map.csv").open(encoding="utf-8"))
    }
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in _rows(git_dir, commit, ETH):
        code = r["Ethnic group (20 categories) Code"]
        if code == "-8":  # "Does not apply": 0 for every area
            continue
        if code not in groups:
            raise SystemExit(f"{ETH}: Census category {code!r} is not in the mapping")
        counts[r["2023 Upper tier local authorities Code"]][groups[code]] += int(r["Observation"])
    order = ("White", "Mixed", "Asian", "Black", "Other")
    with (DATA / "census2021_ethnicity_by_la.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["la_code", "la_name", "ethnicity_group", "usual_residents"])
        for c in councils:
            for g in order if c["new_la_code"] in counts else ():
                w.writerow([c["old_la_code"], c["la_name"], g, counts[c["new_la_code"]][g]])
    (DATA / "dfe_denominators_2025.meta.toml").write_text(_META.format(commit=commit), "utf-8")
    return {
        "councils": len(councils),
        "children_in_need": sum(1 for c in councils if cin.get(c["old_la_code"])),
        "looked_after": sum(1 for c in councils if cla.get(c["old_la_code"])),
        "population": sum(1 for c in councils if pop.get(c["old_la_code"])),
        "census": sum(1 for c in councils if c["new_la_code"] in counts),
    }


_META = f"""# Sources of dfe_denominators_2025.csv and census2021_ethnicity_by_la.csv
# (built by fgc/standard/build_denominators.py; Open Government Licence v3.0).
# An empty cell is a figure the release suppresses ("c") or does not give: never estimated.
copied_from = "https://github.com/{REPO}"
commit = "{{commit}}"

[children_in_need_31_march]
release = "Characteristics of children in need, reporting year 2025 (DfE)"
table = "B1: children in need by local authority (At31_episodes: children in need at 31 March)"
year = "31 March 2025"
file = "{B1}"

[children_looked_after_31_march]
release = "Children looked after in England including adoptions, reporting year 2025 (DfE)"
table = "Number and rate per 10,000 children (population_type: {CLA_POPULATION})"
year = "31 March 2025"
file = "{CLA}"

[population_0_17]
release = "Mid-year population estimates, mid-2024 (ONS)"
table = "{POP_AGE}, by local authority"
year = "mid-2024"
file = "{POP}"

[ethnicity]
release = "Census 2021: ethnic group (20 categories), all usual residents (ONS)"
table = "By 2023 upper-tier local authority; DfE major groups by census2021_ethnicity_map.csv"
year = "21 March 2021"
file = "{ETH}"
caveat = "All ages, not children: a council's children are usually more ethnically diverse"
"""


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    print(build(sys.argv[1], sys.argv[2] if len(sys.argv) == 3 else "HEAD"))
