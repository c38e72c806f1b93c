import time
from pathlib import Path

from fangkong.geo.loaders import load_divisions, read_csv
from fangkong.geo.management.files import FileCommand


class Command(FileCommand):
    help = "Load a division file (level,code,name,parent_code) into the jurisdiction tree."

    def load(self, path: Path) -> None:
        started = time.monotonic()
        report = load_divisions(read_csv(path))
        self.rejected(path, report.rejected)
        self.stdout.write(f"{path.name}: {report} in {time.monotonic() - started:.1f} s")
