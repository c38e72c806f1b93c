from pathlib import Path

from django.core.management.base import CommandError

from fangkong.geo.gridkeys import HEADERS, import_grid_keys, read_table
from fangkong.geo.loaders import import_grids
from fangkong.geo.management.files import FileCommand


class Command(FileCommand):
    help = (
        "Import grids (CSV: village_code,grid_code,name,households) or grids with their "
        "address keys (CSV/XLSX, Chinese headers such as 村社区代码, 网格, 类型, 名称, 起始号, "
        "截止号; UTF-8 or GBK)."
    )

    def load(self, path: Path) -> None:
        try:
            rows = read_table(path)
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from None
        headers = set(rows[0]) if rows else set()
        if headers & (set(HEADERS["kind"]) | set(HEADERS["text"])) - {"name"}:
            keys = import_grid_keys(rows)
            for column in keys.unused_columns:
                self.stderr.write(f"{path}: column “{column}” not used")
            self.rejected(path, keys.errors)
            self.stdout.write(f"{path.name}: {keys}")
            if keys.errors:
                raise CommandError(f"{path}: nothing imported")
            return
        report = import_grids(rows)
        self.rejected(path, report.rejected)
        self.stdout.write(f"{path.name}: {report}")
