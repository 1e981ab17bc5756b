"""`fgc demo` secrets file handling (the server itself is exercised by the browser tests)."""

from __future__ import annotations

import os

from fgc.cli import web_cmd


def test_demo_secrets_are_generated_once_and_loaded(tmp_path, monkeypatch, capsys):
    env_file = tmp_path / ".env.demo"
    monkeypatch.setattr(web_cmd, "DEMO_ENV", env_file)
    for name in web_cmd.DEMO_SECRETS:
        monkeypatch.setenv(name, "")  # recorded, so restored after the test
        monkeypatch.delenv(name)
    web_cmd.ensure_demo_secrets()
    assert "Generated new secrets" in capsys.readouterr().out
    values = web_cmd.read_env_file(env_file)
    assert set(values) == set(web_cmd.DEMO_SECRETS)
    assert all(len(v) >= 48 for v in values.values())
    assert os.environ["FGC_PSEUDONYM_KEY"] == values["FGC_PSEUDONYM_KEY"]
    web_cmd.ensure_demo_secrets()
    assert "Using the secrets" in capsys.readouterr().out
    assert web_cmd.read_env_file(env_file) == values


def test_server_command_runs_gunicorn_with_the_processes_and_threads_asked_for():
    command = web_cmd.server_command("127.0.0.1", 8123, 3, threads=2)
    assert command[1:4] == ["-m", "gunicorn", "fgc.config.wsgi:application"]
    assert {"--bind=127.0.0.1:8123", "--workers=3", "--threads=2"} <= set(command)
    default = web_cmd.server_command("127.0.0.1", 8123, 2)
    assert f"--threads={web_cmd.WEB_THREADS}" in default
