"""The list of rules as Markdown (``docs/rules.md`` is generated from this, and tested)."""

from __future__ import annotations

from fgc.engine.rules.registry import RULES
from fgc.standard import Standard, load_standard


def rules_markdown(standard: Standard | None = None) -> str:
    std = standard or load_standard()
    lines = [
        "# Validation rules",
        "",
        f"Generated from the rule declarations in `fgc/engine/rules/` for FGC standard "
        f"{std.version} by `fgc rules --write docs/rules.md`. Do not edit by hand.",
        "",
        "An **error** blocks a return; a **query** must be explained before sign-off. Each "
        "finding names the Excel row (the header is row 1), the field and the value.",
        "",
        "| code | severity | rule | fields |",
        "|---|---|---|---|",
    ]
    for r in RULES:
        fields = ", ".join(f"`{n}`" for n in r.fields_for(std)) or "(file columns)"
        lines.append(f"| {r.code} | {r.severity} | {r.message} | {fields} |")
    lines += ["", "## Messages by field", ""]
    for r in RULES:
        names = r.fields_for(std)
        if not names:
            continue
        lines.append(f"### {r.code}")
        lines.append("")
        for n in names:
            lines.append(f"- `{n}`: {r.detail_for(std, std.field(n))}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
