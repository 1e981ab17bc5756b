"""Explanations for the queries synthetic data raises (``explanations.toml``, by rule code).

Plain data for the demo: the hub applies them when ``FGC_SYNTHETIC_EXPLANATIONS`` is on.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources


@cache
def synthetic_explanations() -> dict[str, str]:
    """Rule code -> explanation text."""
    text = resources.files("fgc.synth").joinpath("explanations.toml").read_text("utf-8")
    return {code: str(entry["text"]) for code, entry in tomllib.loads(text).items()}
