"""The configurable encodings of the CIN pre-proceedings block (not yet specified by the DfE).

Defaults live in ``encodings.toml`` beside this module; a council can pass its own file.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from fgc.formats.errors import FormatError


@dataclass(frozen=True)
class CinConfig:
    true: str
    false: str
    accept_true: frozenset[str]
    accept_false: frozenset[str]
    pp_outcome_codes: tuple[str, ...]
    pp_outcome_labels: dict[str, str]
    court_application_codes: frozenset[str]

    def encode(self, value: bool) -> str:
        return self.true if value else self.false

    def decode(self, text: str | None) -> bool | None:
        """The census text as a boolean; None when blank or not a recognised encoding."""
        if text is None:
            return None
        t = text.strip().lower()
        if t in self.accept_true:
            return True
        if t in self.accept_false:
            return False
        return None


def _build(raw: dict[str, Any], name: str) -> CinConfig:
    try:
        b = raw["booleans"]
        pp = raw["pp_outcome"]
        true, false = str(b["true"]), str(b["false"])
        accept_true = frozenset(str(v).lower() for v in b.get("accept_true", [])) | {true.lower()}
        accept_false = frozenset(str(v).lower() for v in b.get("accept_false", [])) | {
            false.lower()
        }
        codes = tuple(str(c) for c in pp["codes"])
        court = frozenset(str(c) for c in pp.get("court_application", []))
        labels = {str(k): str(v) for k, v in pp.get("labels", {}).items()}
    except (KeyError, TypeError) as exc:
        raise FormatError(f"{name}: missing or malformed setting {exc} in the CIN config.") from exc
    if true.lower() == false.lower() or accept_true & accept_false:
        raise FormatError(f"{name}: the true and false encodings overlap.")
    if unknown := court - set(codes):
        raise FormatError(f"{name}: court_application names unknown codes {sorted(unknown)}.")
    return CinConfig(true, false, accept_true, accept_false, codes, labels, court)


def _merge(base: dict[str, Any], override: dict[str, Any]) -> dict[str, Any]:
    """A council's file only needs the settings it changes; the rest keep their defaults."""
    out = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            out[key] = _merge(base[key], value)
        else:
            out[key] = value
    return out


def load_cin_config(path: str | Path | None = None) -> CinConfig:
    """The defaults, or a council's own TOML file with the same tables."""
    text = resources.files("fgc.returns.cin").joinpath("encodings.toml").read_text("utf-8")
    defaults = tomllib.loads(text)
    if path is None:
        return _build(defaults, "encodings.toml")
    try:
        raw = _merge(defaults, tomllib.loads(Path(path).read_text("utf-8")))
    except OSError as exc:
        raise FormatError(f"{path}: cannot read the CIN config ({exc.strerror}).") from exc
    except tomllib.TOMLDecodeError as exc:
        raise FormatError(f"{path}: not valid TOML ({exc}).") from exc
    return _build(raw, Path(path).name)
