"""`fgc CMD` runs with an app holding only CMD: what a person sees is the whole app's."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from fgc.cli import _app_for, app

COMMANDS = [c.name for c in app.registered_commands]


def said(target, args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(target, args, terminal_width=100)
    return result.exit_code, result.output + (getattr(result, "stderr", "") or "")


def test_every_command_has_a_name_to_be_chosen_by() -> None:
    assert None not in COMMANDS and len(set(COMMANDS)) == len(COMMANDS) > 10


@pytest.mark.parametrize("name", COMMANDS)
def test_a_command_alone_shows_the_same_help_and_usage_errors(name: str) -> None:
    lean = _app_for(app, [name, "--help"])
    assert lean is not app and [c.name for c in lean.registered_commands] == [name]
    for args in ([name, "--help"], [name, "--no-such-option"]):
        assert said(lean, args) == said(app, args)


@pytest.mark.parametrize(
    "args", [[], ["--help"], ["valdate"], ["export", "cin"], ["casework", "export"], ["-x"]]
)
def test_help_groups_and_misspelt_commands_get_the_whole_app(args: list[str]) -> None:
    assert _app_for(app, args) is app
