"""Loading the jurisdiction tree: division files (level,code,name,parent_code) and grids."""

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.geo.choices import LEVEL_ORDER, Level
from fangkong.geo.models import Division

CODE_LENGTH = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWN: 9, Level.VILLAGE: 12}


@dataclass
class LoadReport:
    created: int = 0
    updated: int = 0
    rejected: list[tuple[int, str]] = field(default_factory=list)

    def __str__(self) -> str:
        return _("%(c)d created, %(u)d updated, %(r)d rejected") % {
            "c": self.created,
            "u": self.updated,
            "r": len(self.rejected),
        }


def read_csv(path: Path) -> list[dict[str, str]]:
    """Read a CSV in UTF-8 (with or without BOM) or GBK, as officials' files come."""
    raw = path.read_bytes()
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ValueError(_("The file is neither UTF-8 nor GBK text."))
    return [
        {(k or "").strip(): (v or "").strip() for k, v in row.items()}
        for row in csv.DictReader(io.StringIO(text))
    ]


def _upsert(nodes: list[Division], report: LoadReport) -> None:
    existing = {d.code: d for d in Division.objects.filter(code__in=[n.code for n in nodes])}
    new, changed = [], []
    for node in nodes:
        old = existing.get(node.code)
        if old is None:
            new.append(node)
        elif (old.name, old.level, old.parent_id, old.path, old.households) != (
            node.name,
            node.level,
            node.parent_id,
            node.path,
            node.households,
        ):
            node.pk = old.pk
            changed.append(node)
        else:
            node.pk = old.pk
    Division.objects.bulk_create(new, batch_size=2000)
    if changed:
        Division.objects.bulk_update(
            changed, ["name", "level", "parent", "path", "households"], batch_size=2000
        )
    report.created += len(new)
    report.updated += len(changed)


@transaction.atomic
def load_divisions(rows: Iterable[dict[str, str]]) -> LoadReport:
    """Upsert divisions level by level, so every parent exists before its children.

    A row whose parent is neither in the file nor in the database becomes a root
    (a city file's city, a province file's cities).
    """
    report = LoadReport()
    by_level: dict[str, list[tuple[int, dict[str, str]]]] = {lvl: [] for lvl in LEVEL_ORDER}
    for lineno, row in enumerate(rows, start=2):
        level, code, name = row.get("level", ""), row.get("code", ""), row.get("name", "")
        if level not in CODE_LENGTH:
            report.rejected.append((lineno, _("level: unknown level “%s”") % level))
        elif not code.isdigit() or len(code) != CODE_LENGTH[Level(level)]:
            report.rejected.append((lineno, _("code: “%s” is not a %s-level code") % (code, level)))
        elif not name:
            report.rejected.append((lineno, _("name: missing")))
        else:
            by_level[level].append((lineno, row))
    known = {d.code: d for d in Division.objects.all().only("id", "code", "path")}
    for level in LEVEL_ORDER:
        batch = []
        for lineno, row in by_level[level]:
            parent = known.get(row.get("parent_code", ""))
            if parent is None and level not in (Level.PROVINCE, Level.CITY):
                report.rejected.append(
                    (lineno, _("parent_code: unknown division “%s”") % row.get("parent_code"))
                )
                continue
            path = (parent.path if parent else "") + row["code"] + "/"
            node = Division(
                code=row["code"],
                name=row["name"],
                level=level,
                parent=parent,
                path=path,
            )
            batch.append(node)
        _upsert(batch, report)
        for node in batch:
            known[node.code] = node
    return report


GRID_CODE = re.compile(r"^G?(\d{1,3})$")


def grid_code(village_code: str, given: str) -> str | None:
    """Grids are numbered within their village: '3', '03' and 'G03' all mean G03."""
    m = GRID_CODE.match(given.upper())
    if not m:
        return None
    return f"{village_code}G{int(m.group(1)):02d}"


@transaction.atomic
def import_grids(rows: Iterable[dict[str, str]]) -> LoadReport:
    """Rows: village_code, grid_code, name, households."""
    report = LoadReport()
    rows = list(rows)
    villages = {
        d.code: d
        for d in Division.objects.filter(
            level=Level.VILLAGE, code__in={r.get("village_code", "") for r in rows}
        )
    }
    batch = []
    for lineno, row in enumerate(rows, start=2):
        village = villages.get(row.get("village_code", ""))
        code = grid_code(row.get("village_code", ""), row.get("grid_code", ""))
        households = row.get("households", "") or "0"
        if village is None:
            report.rejected.append(
                (lineno, _("village_code: unknown village “%s”") % row.get("village_code"))
            )
        elif code is None:
            report.rejected.append(
                (lineno, _("grid_code: “%s” is not a grid number") % row.get("grid_code"))
            )
        elif not row.get("name"):
            report.rejected.append((lineno, _("name: missing")))
        elif not households.isdigit():
            report.rejected.append((lineno, _("households: not a whole number")))
        else:
            batch.append(
                Division(
                    code=code,
                    name=row["name"],
                    level=Level.GRID,
                    parent=village,
                    path=f"{village.path}{code}/",
                    households=int(households),
                )
            )
    _upsert(batch, report)
    return report
