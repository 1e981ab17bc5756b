"""The temporary Arrow IPC files stream mode spills to: findings, the columns the cross-row
rules check, and the final findings in order, all in one temporary folder."""

from __future__ import annotations

from pathlib import Path

import polars as pl


class Spill:
    """Frames written to and read back from files in ``folder`` (deleted with the folder)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def write(self, frame: pl.DataFrame, name: str) -> Path:
        # lz4: fast enough not to show beside the checks, and findings compress well.
        path = self.folder / f"{name}.arrow"
        frame.write_ipc(path, compression="lz4")
        return path

    @staticmethod
    def read(path: Path) -> pl.DataFrame:
        return pl.read_ipc(path)

    @staticmethod
    def scan(paths: list[Path]) -> pl.LazyFrame:
        return pl.scan_ipc(paths)
