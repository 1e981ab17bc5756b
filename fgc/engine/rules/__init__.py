"""Validation rules, declared once: used by ``fgc.engine.validate``, the casework forms and the
generated ``docs/rules.md``.

Public API::

    from fgc.engine.rules import RULES, Rule, rules_for_field, validate_record
"""

from fgc.engine.rules.catalogue import rules_markdown
from fgc.engine.rules.model import Rule, RuleContext, Severity
from fgc.engine.rules.record import validate_record
from fgc.engine.rules.registry import RULES, rule, rules_for_field

__all__ = [
    "RULES",
    "Rule",
    "RuleContext",
    "Severity",
    "rule",
    "rules_for_field",
    "rules_markdown",
    "validate_record",
]
