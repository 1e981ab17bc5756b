"""Realistic synthetic child-level FGC data for any of the 153 councils.

Public API::

    from fgc.synth import generate, messy_kinds
"""

from fgc.synth.generate import DEFAULT_REFERENCE_DATE, DEFAULT_YEARS, SynthError, generate
from fgc.synth.messy import MessyKind, messy_kinds

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "DEFAULT_YEARS",
    "MessyKind",
    "SynthError",
    "generate",
    "messy_kinds",
]
