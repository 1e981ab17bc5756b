"""A council's SSDA903 upload in casework: read, link and fill every child's outcomes.

    FGC_VAR_DIR=/tmp/bench-outcomes uv run python benchmarks/casework_outcomes_bench.py [--years 3]

Builds a throwaway SQLite database under FGC_VAR_DIR, imports a large council's synthetic
episodes (Birmingham, 330) with the casework importer, writes SSDA903 and CIN census files
for the same children (``fgc.synth.statutory``) and times ``upload_statutory`` twice: the
first fill, then a re-upload (every child's outcomes compared with what is held).
"""

from __future__ import annotations

import argparse
import os
import time
from datetime import date


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--years", type=int, default=3)
    ap.add_argument("--code", default="330")
    args = ap.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fgc.config.settings.dev")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from fgc.accounts.models import Council
    from fgc.accounts.services import load_councils
    from fgc.casework import importer
    from fgc.casework.models import Child, Episode
    from fgc.casework.statutory_upload import UploadedFile, upload_statutory
    from fgc.synth import generate
    from fgc.synth.statutory import statutory_files

    if not Council.objects.exists():
        load_councils()
    council = Council.objects.get(old_la_code=args.code)
    years = [f"{y}-{(y + 1) % 100:02d}" for y in range(2025 - args.years + 1, 2026)]
    as_at = date(2026, 11, 1)
    frame = generate([args.code], years, seed=1, reference_date=as_at)
    if not Episode.objects.filter(council=council).exists():
        t = time.perf_counter()
        importer.import_frame(None, council, importer.Mapped(frame))
        print(f"imported {frame.height:,} rows: {time.perf_counter() - t:.1f} s")
    files = statutory_files(frame, seed=1, as_at=as_at)
    children = Child.objects.filter(episode__council=council).count()
    print(f"{children:,} casework children; {files.episodes.height:,} SSDA903 episodes")
    upload = {
        "ssda903": [UploadedFile("903.csv", files.episodes.write_csv().encode())],
        "header": [UploadedFile("header.csv", files.header.write_csv().encode())],
        "cin": [UploadedFile("cin.xml", x) for x in files.census.values()],
    }
    for label in ("first upload", "re-upload"):
        t = time.perf_counter()
        result = upload_statutory(None, council, as_at=as_at, **upload)
        took = time.perf_counter() - t
        print(f"{label}: {result.derived:,} children derived in {took:.2f} s")


if __name__ == "__main__":
    main()
