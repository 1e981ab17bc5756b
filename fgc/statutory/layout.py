"""The SSDA903 layouts and code lists, loaded once from ``data/ssda903.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


@dataclass(frozen=True)
class Layout:
    name: str
    title: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    dates: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return (*self.required, *self.optional)


@cache
def _data() -> dict[str, Any]:
    text = resources.files("fgc.statutory").joinpath("data/ssda903.toml").read_text("utf-8")
    return tomllib.loads(text)


def layout(name: str) -> Layout:
    """The layout of an SSDA903 file: ``episodes`` or ``header``."""
    f = _data()["files"][name]
    return Layout(name, f["title"], tuple(f["required"]), tuple(f["optional"]), tuple(f["dates"]))


def codes(column: str) -> dict[str, str]:
    """Code -> label for an SSDA903 column (LS, RNE, PLACE, SEX)."""
    raw = _data()["codes"][column]
    return {str(k): (v["label"] if isinstance(v, dict) else str(v)) for k, v in raw.items()}


PLACE_LIVING: dict[str, str] = {str(k): v["living"] for k, v in _data()["codes"]["PLACE"].items()}
CARE_ORDERS: tuple[str, ...] = tuple(_data()["care_orders"]["codes"])
