from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fangkong.geo.loaders import import_grids, read_csv


class Command(BaseCommand):
    help = "Import grids (CSV: village_code,grid_code,name,households)."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        report = import_grids(read_csv(path))
        for lineno, reason in report.rejected:
            self.stderr.write(f"{path}:{lineno}: {reason}")
        self.stdout.write(f"{path.name}: {report}")
