"""How big each council's FGC service is, and the postcode districts its families live in.

Sizes are deterministic (a hash of the council code, its kind and region), so every run of the
generator gives a council the same volume whatever the seed: benchmarking screens then show a
stable picture, and the seed only changes which families appear.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass
from functools import cache

from fgc.standard import LocalAuthority, current_authorities

# Families offered an FGC (or referred) in a year, nationally, in 2025-26 — the middle of the
# 20,000–45,000 range the national study reports.
NATIONAL_FAMILIES_2025 = 33_000
# The busiest council reports about 750 families a year.
LARGEST_COUNCIL = 750

# ONS code prefix → relative size: shire counties are large, London boroughs small.
_KIND_WEIGHT = {"E10": 3.0, "E08": 1.4, "E06": 0.9, "E09": 0.75}
# The City of London and the Isles of Scilly have a handful of children's cases a year.
_TINY = {"201", "420"}

# Outward-code areas by region (ONS region code), for plausible postcode districts.
_REGION_AREAS: dict[str, tuple[str, ...]] = {
    "E12000001": ("TS", "NE", "DH", "SR", "DL"),
    "E12000002": ("M", "L", "WA", "BL", "OL", "PR", "BB", "CH", "CW", "SK", "WN", "LA", "CA", "FY"),
    "E12000003": ("LS", "BD", "S", "HU", "HD", "HX", "WF", "DN", "YO", "HG"),
    "E12000004": ("NG", "DE", "LE", "LN", "NN", "PE"),
    "E12000005": ("B", "CV", "WV", "WS", "DY", "ST", "TF", "WR", "HR"),
    "E12000006": ("CB", "CO", "IP", "NR", "CM", "SS", "LU", "SG", "AL"),
    "E12000007": ("E", "N", "SE", "SW", "W", "NW", "CR", "BR", "HA", "UB", "EN", "IG", "RM"),
    "E12000008": ("RG", "OX", "GU", "ME", "CT", "TN", "BN", "PO", "SO", "MK", "HP", "SL", "RH"),
    "E12000009": ("BS", "BA", "EX", "PL", "TR", "TA", "GL", "SN", "BH", "DT", "SP"),
}


def _stable_rng(label: str) -> random.Random:
    # A string seed is hashed with SHA-512 by `random`, so this is stable across runs and
    # platforms (unlike hash(), which is salted per process).
    digest = hashlib.sha256(label.encode()).hexdigest()
    return random.Random(digest)


@dataclass(frozen=True)
class CouncilProfile:
    la: LocalAuthority
    families_2025: float  # expected families a year in 2025-26
    districts: tuple[str, ...]  # postcode districts (outward codes) the council's families live in
    london: bool


def _raw_weight(la: LocalAuthority) -> float:
    if la.old_la_code in _TINY:
        return 0.02
    r = _stable_rng(f"size-{la.old_la_code}")
    kind = _KIND_WEIGHT.get(la.new_la_code[:3], 1.0)
    # Population size and how much a council uses FGCs both vary; both roughly lognormal.
    return kind * r.lognormvariate(0.0, 0.45) * r.lognormvariate(0.0, 0.3)


def _districts(la: LocalAuthority) -> tuple[str, ...]:
    r = _stable_rng(f"postcode-{la.old_la_code}")
    areas = _REGION_AREAS.get(la.region_code, ("XX",))
    area = r.choice(areas)
    first = r.randint(1, 20)
    return tuple(f"{area}{n}" for n in range(first, first + r.randint(4, 12)))


@cache
def council_profiles() -> dict[str, CouncilProfile]:
    """Every current council's profile, keyed by DfE code."""
    las = current_authorities()
    weights = {la.old_la_code: _raw_weight(la) for la in las}
    total = sum(weights.values())
    profiles = {}
    for la in las:
        expected = min(LARGEST_COUNCIL, NATIONAL_FAMILIES_2025 * weights[la.old_la_code] / total)
        profiles[la.old_la_code] = CouncilProfile(
            la=la,
            families_2025=max(expected, 1.0),
            districts=_districts(la),
            london=la.region_code == "E12000007",
        )
    return profiles


def year_trend(start_year: int) -> float:
    """Relative volume by financial year: slow growth, then a step when s.31ZA takes effect."""
    base = 1.04 ** (start_year - 2025)
    return base * (1.25 if start_year >= 2026 else 1.0)
