"""The one error the readers and writers raise for a file people can fix."""

from __future__ import annotations


class FormatError(Exception):
    """A file that cannot be read as a table, with a message written for the person who sent it.

    The message names the file and says what to do; callers print it as it is (no traceback).
    """

    exit_code = 2

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class NotTextError(FormatError):
    """The bytes are not text in an encoding we accept (binary, UTF-16, another code page)."""
