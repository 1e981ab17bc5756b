"""``manage.py fgc_statutory_outcomes --council 805 --ssda903 F [F …] [--header F] [--cin F]
[--as-at YYYY-MM-DD] --user NAME``: the web upload's work, for a monthly job from the case
system. The same checks apply: a bad file changes nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from fgc.casework.statutory_upload import UploadedFile, upload_statutory
from fgc.formats.errors import FormatError


def _files(paths: list[str] | None) -> list[UploadedFile]:
    out = []
    for p in paths or []:
        try:
            out.append(UploadedFile(Path(p).name, Path(p).read_bytes()))
        except OSError as exc:
            raise CommandError(f"{p}: cannot read the file ({exc.strerror or exc})") from None
    return out


class Command(BaseCommand):
    help = (
        "Derive every FGC child's outcomes in casework from the council's SSDA903 (and CIN "
        "census) files, as the Outcomes page does."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--council", required=True, help="The council's DfE code, e.g. 805.")
        parser.add_argument("--ssda903", nargs="+", required=True, help="SSDA903 episodes files.")
        parser.add_argument("--header", nargs="*", help="SSDA903 header files.")
        parser.add_argument("--cin", nargs="*", help="CIN census XML files.")
        parser.add_argument("--as-at", default="", help="Complete to (YYYY-MM-DD; default today).")
        parser.add_argument(
            "--user", required=True, help="The council user the upload is recorded as."
        )

    def handle(self, *args: Any, **o: Any) -> None:
        from fgc.accounts.models import Council, User
        from fgc.casework.services import MANAGER_ROLES

        council = Council.objects.filter(old_la_code=o["council"]).first()
        if council is None:
            raise CommandError(f"No council with code {o['council']!r}.")
        user = User.objects.filter(username=o["user"], councils=council).first()
        if user is None or user.role not in MANAGER_ROLES:
            raise CommandError(
                f"{o['user']!r} is not a data officer or service manager of {council.name}."
            )
        try:
            as_at = date.fromisoformat(o["as_at"]) if o["as_at"] else None
        except ValueError:
            raise CommandError(f"--as-at {o['as_at']!r} is not a date (YYYY-MM-DD).") from None
        try:
            result = upload_statutory(
                user,
                council,
                ssda903=_files(o["ssda903"]),
                header=_files(o["header"]),
                cin=_files(o["cin"]),
                as_at=as_at,
            )
        except FormatError as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(result.upload.report)
        self.stdout.write(
            f"Outcomes derived for {result.derived:,} children from {result.upload.source}; "
            f"{result.disagreements:,} keyed values differ (see /casework/outcomes/)."
        )
