"""Writes of the risk-area list: add a designation, end one, import a file as announced.
Each designation is checked against the code reference and the other designations of
the same area (periods of one area never overlap); a file is taken row by row, refused
rows are reported with their reason and nothing of them is stored."""

import datetime as dt
import re
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from fangkong.core.access import account_of, actor, invalid, require
from fangkong.riskareas import rules
from fangkong.riskareas.models import RiskArea

HEADERS: dict[str, tuple[str, ...]] = {
    "code": ("区划代码", "行政区划代码", "地区代码", "代码", "code"),
    "name": ("地区名称", "地区", "名称", "风险地区", "name"),
    "risk": ("风险等级", "等级", "风险级别", "risk"),
    "starts_on": ("开始日期", "起始日期", "认定日期", "生效日期", "starts_on"),
    "ends_on": ("结束日期", "解除日期", "终止日期", "ends_on"),
    "source": ("来源", "依据", "发布机构", "信息来源", "source"),
}
RISK_WORDS = {
    "high": "high",
    "高": "high",
    "高风险": "high",
    "高风险地区": "high",
    "medium": "medium",
    "中": "medium",
    "中风险": "medium",
    "中风险地区": "medium",
}
_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?(?:[ T].*)?$")


def parse_day(value: Any) -> dt.date | None:
    """2020-01-23, 2020/1/23, 2020.1.23, 2020年1月23日, 20200123, a date; None if empty."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    if not text:
        return None
    if len(text) == 8 and text.isdigit():
        text = f"{text[:4]}-{text[4:6]}-{text[6:]}"
    m = _DATE.match(text)
    if m is None:
        raise ValueError(text)
    return dt.date(int(m[1]), int(m[2]), int(m[3]))


@dataclass
class Clean:
    code: str
    name: str
    level: str
    risk: str
    starts_on: dt.date
    ends_on: dt.date | None
    source: str


def clean(data: dict[str, Any], default_source: str = "") -> Clean:
    """Validate one designation; ValidationError naming every bad field."""
    errors: dict[str, list[str]] = {}
    code = rules.canonical(str(data.get("code") or ""))
    found = rules.lookup(code) if code else None
    if not code:
        errors["code"] = [_("this field is required")]
    elif found is None:
        errors["code"] = [_("unknown division code “%s”") % code]
    risk = RISK_WORDS.get(str(data.get("risk") or "").strip().lower(), "")
    if not risk:
        errors["risk"] = [_("say 高 (high) or 中 (medium)")]
    days: dict[str, dt.date | None] = {}
    for name in ("starts_on", "ends_on"):
        try:
            days[name] = parse_day(data.get(name))
        except ValueError:
            errors[name] = [_("not a date (YYYY-MM-DD)")]
    if "starts_on" not in errors and days.get("starts_on") is None:
        errors["starts_on"] = [_("this field is required")]
    start, end = days.get("starts_on"), days.get("ends_on")
    if start and end and end < start:
        errors["ends_on"] = [_("ends before it starts")]
    source = str(data.get("source") or "").strip() or default_source.strip()
    if not source:
        errors["source"] = [_("name the announcement this designation comes from")]
    elif len(source) > 300:
        errors["source"] = [_("at most %d characters") % 300]
    if errors:
        raise ValidationError(errors)
    assert found is not None and start is not None
    return Clean(code, rules.name_of(code), found[0], risk, start, end, source)


def _overlapping(c: Clean, exclude_pk: int | None = None):  # type: ignore[no-untyped-def]
    qs = RiskArea.objects.select_for_update().filter(code=c.code)
    if c.ends_on is not None:
        qs = qs.filter(starts_on__lte=c.ends_on)
    qs = qs.filter(Q(ends_on__isnull=True) | Q(ends_on__gte=c.starts_on))
    if exclude_pk is not None:
        qs = qs.exclude(pk=exclude_pk)
    return qs.first()


def _store(user: Any, c: Clean) -> RiskArea:
    other = _overlapping(c)
    if other is not None:
        raise invalid(
            "starts_on",
            _("overlaps the designation of %(name)s from %(start)s to %(end)s")
            % {
                "name": other.name,
                "start": other.starts_on,
                "end": other.ends_on or _("now"),
            },
        )
    with actor(user):
        return RiskArea.objects.create(**asdict(c), created_by=account_of(user))


@transaction.atomic
def add_area(user: Any, data: dict[str, Any]) -> RiskArea:
    require(
        user, "add", "riskareas.riskarea", message=_("only headquarters keep the risk-area list")
    )
    return _store(user, clean(data))


@transaction.atomic
def end_area(user: Any, area: RiskArea, ends_on: Any) -> RiskArea:
    """Lift a designation on a day (the last day it is in force)."""
    require(
        user, "change", "riskareas.riskarea", message=_("only headquarters keep the risk-area list")
    )
    try:
        day = parse_day(ends_on)
    except ValueError:
        day = None
    if day is None:
        raise invalid("ends_on", _("not a date (YYYY-MM-DD)"))
    if day < area.starts_on:
        raise invalid("ends_on", _("ends before it starts"))
    c = Clean(area.code, area.name, area.level, area.risk, area.starts_on, day, area.source)
    other = _overlapping(c, exclude_pk=area.pk)
    if other is not None:
        raise invalid("ends_on", _("overlaps another designation of this area"))
    with actor(user):
        area.ends_on = day
        area.save(update_fields=["ends_on"])
    return area


@dataclass
class Report:
    added: list[RiskArea] = field(default_factory=list)
    refused: list[tuple[int, str]] = field(default_factory=list)  # (line, reason)


def _reason(exc: ValidationError) -> str:
    labels = {
        "code": _("division code"),
        "risk": _("risk"),
        "starts_on": _("in force from"),
        "ends_on": _("in force until"),
        "source": _("source"),
    }
    if hasattr(exc, "error_dict"):
        return "；".join(
            f"{labels.get(k, k)}：{' '.join(m for e in v for m in e.messages)}"
            for k, v in exc.error_dict.items()
        )
    return " ".join(exc.messages)


def import_rows(user: Any, headers: list[str], rows: Any, default_source: str = "") -> Report:
    """Row by row: a good row is stored, a bad one refused with its line and reason."""
    require(
        user, "add", "riskareas.riskarea", message=_("only headquarters keep the risk-area list")
    )
    from fangkong.screening.reading import FileError

    index = {h.strip(): i for i, h in enumerate(headers) if h and h.strip()}
    cols: dict[str, int] = {}
    for name, names in HEADERS.items():
        for header in names:
            if header in index:
                cols[name] = index[header]
                break
    missing = [HEADERS[n][0] for n in ("code", "risk", "starts_on") if n not in cols]
    if missing:
        raise FileError(_("The file has no column named: %s") % "、".join(missing))
    report = Report()
    for line, row in enumerate(rows, start=2):
        if not any(str(c).strip() for c in row):
            continue
        data = {n: (row[i] if i < len(row) else "") for n, i in cols.items()}
        try:
            with transaction.atomic():
                report.added.append(_store(user, clean(data, default_source)))
        except ValidationError as exc:
            report.refused.append((line, _reason(exc)))
    return report


def import_file(user: Any, upload: Any, default_source: str = "") -> Report:
    """An uploaded CSV (UTF-8 or GBK) or XLSX; read through a temporary file removed after."""
    from fangkong.screening.reading import open_table

    with tempfile.TemporaryDirectory(prefix="fk-risk-") as tmp:
        path = Path(tmp) / "upload"
        with path.open("wb") as fh:
            for chunk in upload.chunks() if hasattr(upload, "chunks") else [upload.read()]:
                fh.write(chunk)
        table = open_table(path)
        with transaction.atomic():
            return import_rows(user, table.headers, table.rows, default_source)
