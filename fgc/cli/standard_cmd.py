"""`fgc standard`: write the data dictionary generated from the standard."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("version")
    def version() -> None:
        """Print the FGC Data version and the standard version it validates against."""
        from fgc import __version__
        from fgc.standard import CURRENT_VERSION

        typer.echo(f"fgc-data {__version__}, FGC standard {CURRENT_VERSION}")
