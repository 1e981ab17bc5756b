"""The full, ordered set of rules, and look-ups used by the engine, forms and docs."""

from __future__ import annotations

from fgc.engine.rules.columns import COLUMN_RULES
from fgc.engine.rules.dates import DATE_RULES
from fgc.engine.rules.duty import DUTY_RULES
from fgc.engine.rules.episodes import EPISODE_RULES
from fgc.engine.rules.generic import GENERIC_RULES
from fgc.engine.rules.model import Rule
from fgc.engine.rules.plausibility import PLAUSIBILITY_RULES
from fgc.standard import Standard, load_standard


def _collect() -> tuple[Rule, ...]:
    rules = (
        *GENERIC_RULES,
        *DATE_RULES,
        *EPISODE_RULES,
        *DUTY_RULES,
        *PLAUSIBILITY_RULES,
        *COLUMN_RULES,
    )
    codes = [r.code for r in rules]
    # Codes are published and quoted back by councils: they must be unique and stable.
    if len(set(codes)) != len(codes):
        raise RuntimeError(
            f"Duplicate rule codes: {sorted(c for c in codes if codes.count(c) > 1)}"
        )
    return tuple(sorted(rules, key=lambda r: r.code))


RULES: tuple[Rule, ...] = _collect()
_BY_CODE = {r.code: r for r in RULES}


def rule(code: str) -> Rule:
    """The rule with this code (KeyError if there is none)."""
    return _BY_CODE[code]


def rules_for_field(name: str, standard: Standard | None = None) -> tuple[Rule, ...]:
    """Every rule that can report a finding against the named field."""
    std = standard or load_standard()
    return tuple(r for r in RULES if name in r.fields_for(std))
