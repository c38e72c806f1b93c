from pathlib import Path

from django.core.management.base import CommandError

from fangkong.geo.management.files import FileCommand
from fangkong.geo.models import Division
from fangkong.screening import reading
from fangkong.screening.residents import load_residents


class Command(FileCommand):
    help = (
        "Register a list of residents (CSV in UTF-8 or GBK, or XLSX; headers such as 姓名, "
        "身份证号, 手机号, 现住址, 性别, 出生日期, 户籍地, 职业, 工作单位), each placed by its "
        "address inside the area of --under; every refused row is reported as "
        "file:row: column: reason, by the file's own headers."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        super().add_arguments(parser)
        parser.add_argument(
            "--under",
            required=True,
            help="the division code of the area the list covers (a county, town or village)",
        )
        parser.add_argument("--workers", type=int, default=None, help="worker processes")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.options = options
        super().handle(*args, **options)

    def load(self, path: Path) -> None:
        code = self.options["under"]
        under = Division.objects.filter(code=code).first()
        if under is None:
            raise CommandError(f"--under: no division has the code {code}")
        try:
            loaded = load_residents(path, under, workers=self.options["workers"])
        except reading.FileError as exc:
            raise CommandError(f"{path}: {exc}") from None
        for column in loaded.unused_columns:
            self.stderr.write(f"{path}: column “{column}” not used")
        for number, column, reason in loaded.refusals:
            self.stderr.write(f"{path}:{number}: {column}: {reason}")
        self.stdout.write(f"{path.name}: {loaded}")
