"""The data dictionary: generated from the declarations, committed copy kept in step."""

from __future__ import annotations

import json
import re
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from fgc.cli import app
from fgc.standard import load_standard
from fgc.standard.dictionary import (
    describe_condition,
    dictionary_data,
    dictionary_tables,
    render_markdown,
    row_schema,
)

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()


def test_committed_data_dictionary_is_current():
    committed = (ROOT / "docs" / "data-dictionary.md").read_text("utf-8")
    assert committed == render_markdown(load_standard()), (
        "docs/data-dictionary.md is stale: run "
        "`uv run fgc standard --format md --output docs/data-dictionary.md`"
    )


def test_markdown_lists_every_field_code_list_and_condition():
    std = load_standard()
    text = render_markdown(std)
    assert f"standard {std.version}" in text
    for f in std.fields:
        assert f"| `{f.name}` | {f.label} |" in text
    for name, cl in std.codelists.items():
        assert f"### {cl.title} (`{name}`)" in text
        if name != "la":
            assert all(f"| `{c.code}` |" in text for c in cl.codes)
    for name in std.conditions:
        assert f"| `{name}` |" in text
    assert "DfE list: use exactly as published." in text
    assert "| E12000007 | London | 33 |" in text


def test_conditions_in_words():
    std = load_standard()
    assert describe_condition(std, "always") == "every row"
    assert describe_condition(std, "responded") == "Response to offer is ACCEPTED or DECLINED"
    assert describe_condition(std, "not_unborn") == (
        "not (Date of birth is blank and Expected due date is recorded)"
    )


def test_json_is_complete_and_row_schema_matches_declarations():
    std = load_standard()
    data = dictionary_data(std)
    assert data["standard"]["version"] == std.version
    assert [f["name"] for f in data["fields"]] == list(std.field_names)
    assert data["codelists"]["sex"]["source"] == "DfE"
    assert data["local_authorities"]["current"] == 153
    schema = row_schema(std)
    assert set(schema["required"]) == {f.name for f in std.fields if f.required == "always"}
    sex = schema["properties"]["sex"]
    assert sex["enum"] == ["M", "F", "U"]
    disability = re.compile(schema["properties"]["disability"]["pattern"])
    assert disability.match("MOB;HAND") and not disability.match("MOB;;X")
    assert schema["properties"]["date_of_birth"]["x-required-when"].startswith("not (")
    assert schema["properties"]["family_attendees"]["type"] == "integer"


def test_tables_have_one_per_code_list_and_las():
    tables = dictionary_tables(load_standard())
    assert next(iter(tables)) == "Fields" and list(tables)[-1] == "LAs"
    assert len(tables["Fields"]) == len(load_standard().fields)
    assert {
        "code": "PLO",
        "label": "Pre-proceedings (Public Law Outline)",
        "group": "",
        "source": "FGC",
    } in tables["stage"]
    assert "la" not in tables


def test_cli_md_and_json_to_stdout():
    result = runner.invoke(app, ["standard", "--format", "md"])
    assert result.exit_code == 0
    assert result.stdout == render_markdown(load_standard())
    result = runner.invoke(app, ["standard", "--format", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["standard"]["version"] == "0.1"


def test_cli_xlsx_workbook(tmp_path: Path):
    out = tmp_path / "dictionary.xlsx"
    result = runner.invoke(app, ["standard", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    wb = openpyxl.load_workbook(out)
    std = load_standard()
    assert wb.sheetnames[0] == "Fields" and wb.sheetnames[-1] == "LAs"
    assert all(len(name) <= 31 for name in wb.sheetnames)
    assert len(wb.sheetnames) == len(std.codelists) + 1  # la code list is the LAs sheet
    fields = wb["Fields"]
    assert fields["A2"].value == std.fields[0].name
    assert fields.max_row == len(std.fields) + 1
    assert wb["LAs"].max_row > 153


def test_cli_errors_are_one_line_with_exit_code_2(tmp_path: Path):
    result = runner.invoke(app, ["standard", "--format", "xlsx"])
    assert result.exit_code == 2
    assert "needs --output" in result.output
    result = runner.invoke(app, ["standard", "--standard-version", "9.9"])
    assert result.exit_code == 2
    assert "Unknown standard version" in result.output
    result = runner.invoke(app, ["standard", "-f", "md", "-o", str(tmp_path / "missing" / "x.md")])
    assert result.exit_code == 2
    assert "cannot write" in result.output


def test_version_command_still_works():
    result = runner.invoke(app, ["version"])
    assert result.exit_code == 0
    assert "FGC standard 0.1" in result.stdout
