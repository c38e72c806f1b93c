"""The jurisdiction loaders' commands: each reads one file named on the command line and
reports every rejected row as `file:line: reason`."""

from collections.abc import Iterable
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError


class FileCommand(BaseCommand):
    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file", type=Path)

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        path: Path = options["file"]
        if not path.exists():
            raise CommandError(f"{path}: no such file")
        self.load(path)

    def load(self, path: Path) -> None:
        raise NotImplementedError

    def rejected(self, path: Path, rows: Iterable[tuple[int, str]]) -> None:
        for lineno, reason in rows:
            self.stderr.write(f"{path}:{lineno}: {reason}")
