import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.geo.loaders import load_divisions, read_csv


class Command(BaseCommand):
    help = "Load a division file (level,code,name,parent_code) into the jurisdiction tree."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        started = time.monotonic()
        report = load_divisions(read_csv(path))
        for lineno, reason in report.rejected:
            self.stderr.write(f"{path}:{lineno}: {reason}")
        self.stdout.write(f"{path.name}: {report} in {time.monotonic() - started:.1f} s")
