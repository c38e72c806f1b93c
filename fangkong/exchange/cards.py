"""The national infectious-disease report card (中华人民共和国传染病报告卡), one per case.

The fields and code lists are those of the card as published (2019 revision, see
docs/report-card.md); COVID-19 added the clinical severity and reports asymptomatic
infections as 阳性检测. A card's fields are derived from the case at export; an export
with the patient's identity stores a version when the fields changed since the last
one: the initial report (初次报告), a revision (订正报告) or, for a case excluded, a
deletion (删除). The acknowledgement of a version by the direct-reporting system closes
the case's 2-hour report clock (R9)."""

import csv
import datetime as dt
import hashlib
import io
import json
from typing import Any
from xml.etree import ElementTree as ET

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import NotAllowed, invalid, require
from fangkong.core.querysets import allows
from fangkong.exchange.choices import CardKind
from fangkong.exchange.models import CardVersion, ReportCard

LAYOUT = "fangkong.reportcard/1"
DISEASE = "新型冠状病毒肺炎"

# (key, CSV header as on the card, XML element)
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("card_no", "卡片编号", "CardNo"),
    ("report_type", "报卡类别", "ReportType"),
    ("version", "版本", "Version"),
    ("name", "患者姓名", "PatientName"),
    ("parent_name", "患儿家长姓名", "ParentName"),
    ("id_number", "有效证件号", "IdNumber"),
    ("sex", "性别", "Sex"),
    ("birth_date", "出生日期", "BirthDate"),
    ("age", "实足年龄", "Age"),
    ("age_unit", "年龄单位", "AgeUnit"),
    ("workplace", "工作单位(学校)", "WorkUnit"),
    ("phone", "联系电话", "Phone"),
    ("belonging", "病人属于", "PatientBelonging"),
    ("address", "现住址(详填)", "Address"),
    ("address_code", "现住址国标编码", "AddressCode"),
    ("county_code", "现住址县区编码", "CountyCode"),
    ("occupation", "人群分类", "Occupation"),
    ("classification", "病例分类", "CaseClassification"),
    ("severity", "临床严重程度", "ClinicalSeverity"),
    ("onset_date", "发病日期", "OnsetDate"),
    ("diagnosed_at", "诊断时间", "DiagnosisTime"),
    ("death_date", "死亡日期", "DeathDate"),
    ("disease", "疾病名称", "Disease"),
    ("revised_disease", "订正病名", "RevisedDisease"),
    ("withdrawal_reason", "退卡原因", "WithdrawalReason"),
    ("reporting_unit", "报告单位", "ReportingUnit"),
    ("doctor", "报告医生", "ReportingDoctor"),
    ("fill_date", "填卡日期", "FillDate"),
    ("deleted", "删除标识", "Deleted"),
    ("remark", "备注", "Remark"),
)
KEYS = tuple(k for k, _h, _x in FIELDS)
# Fields that belong to the version, not to the patient's record (left out of the digest).
VERSION_KEYS = ("card_no", "report_type", "version", "fill_date", "deleted", "withdrawal_reason")
PERSONAL = ("name", "id_number", "phone", "address", "parent_name", "workplace")

# 人群分类 as printed on the card, in its order.
OCCUPATIONS = (
    "幼托儿童",
    "散居儿童",
    "学生(大中小学)",
    "教师",
    "保育员及保姆",
    "餐饮食品业",
    "商业服务",
    "医务人员",
    "工人",
    "民工",
    "农民",
    "牧民",
    "渔(船)民",
    "干部职员",
    "离退人员",
    "家务及待业",
    "其他",
    "不详",
)
# Words residents and clerks write, mapped to the card's class (first match wins).
OCCUPATION_WORDS: tuple[tuple[tuple[str, ...], str], ...] = (
    (("幼儿园", "幼托", "托儿所"), "幼托儿童"),
    (("散居",), "散居儿童"),
    (("学生", "大学生", "中学生", "小学生"), "学生(大中小学)"),
    (("教师", "老师"), "教师"),
    (("保姆", "保育", "月嫂"), "保育员及保姆"),
    (("餐饮", "厨师", "食品"), "餐饮食品业"),
    (("医生", "护士", "医务", "医师", "药师"), "医务人员"),
    (("民工", "务工", "外来工"), "民工"),
    (("工人", "职工"), "工人"),
    (("农民", "务农"), "农民"),
    (("牧民",), "牧民"),
    (("渔民", "船民"), "渔(船)民"),
    (("退休", "离休", "离退"), "离退人员"),
    (("干部", "职员", "公务员", "文员", "会计"), "干部职员"),
    (("商业", "服务", "销售", "营业员", "个体", "快递", "司机"), "商业服务"),
    (("家务", "待业", "无业", "失业"), "家务及待业"),
)
CLASSIFICATION = {
    "suspected": "疑似病例",
    "confirmed": "确诊病例",
    "asymptomatic": "阳性检测",
}
SEVERITY = {"mild": "轻型", "moderate": "普通型", "severe": "重型", "critical": "危重型"}
SEX = {"M": "男", "F": "女"}


def occupation_class(text: str) -> str:
    text = (text or "").strip()
    if not text:
        return "不详"
    if text in OCCUPATIONS:
        return text
    for words, label in OCCUPATION_WORDS:
        if any(w in text for w in words):
            return label
    return f"其他({text[:20]})"


def belonging(reporting_code: str, address_code: str, doc_type: str) -> str:
    """病人属于: where the patient lives, seen from the reporting unit's county."""
    if doc_type in ("hk_macau", "taiwan"):
        return "港澳台"
    if doc_type in ("passport", "foreign_resident"):
        return "外籍"
    if address_code[:6] == reporting_code[:6]:
        return "本县区"
    if address_code[:4] == reporting_code[:4]:
        return "本市其他县区"
    if address_code[:2] == reporting_code[:2]:
        return "本省其它地市"
    return "外省"


def _address_code(path: str) -> str:
    """The 12-digit statistical address code (village level) of a registry path."""
    codes = [p for p in path.split("/") if p and p.isdigit()]
    if not codes:
        return ""
    return codes[-1][:12].ljust(12, "0")


def _age(birth: dt.date | None, on: dt.date) -> tuple[str, str]:
    if birth is None:
        return "", ""
    years = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
    if years >= 1:
        return str(years), "岁"
    months = (on.year - birth.year) * 12 + on.month - birth.month - (on.day < birth.day)
    if months >= 1:
        return str(months), "月"
    return str((on - birth).days), "天"


def _local(value: dt.datetime) -> dt.datetime:
    return timezone.localtime(value)


def current_fields(case: Any) -> dict[str, str]:
    """The card's patient and diagnosis fields, derived from the case now."""
    person = case.person
    changes = list(case.changes.select_related("by").order_by("at", "pk"))
    reportable = [c for c in changes if c.to_status in CLASSIFICATION]
    latest = reportable[-1] if reportable else None
    diagnosed = latest.diagnosed_at if latest else case.diagnosed_at
    address_code = _address_code(person.path)
    birth = person.birth_date
    age, unit = _age(birth, _local(diagnosed).date())
    status = case.status if case.status in CLASSIFICATION else (latest.to_status if latest else "")
    onset = case.onset_date
    if status == "asymptomatic" and onset is None:
        positive = case.samples.filter(result="positive").order_by("taken_at").first()
        onset = _local(positive.taken_at).date() if positive else _local(diagnosed).date()
    died = case.outcome == "died" and case.outcome_at
    return {
        "name": person.name,
        "parent_name": "",
        "id_number": person.reveal("id_number") or person.reveal("doc_number"),
        "sex": SEX.get(person.sex, ""),
        "birth_date": birth.isoformat() if birth else "",
        "age": age,
        "age_unit": unit,
        "workplace": person.workplace,
        "phone": person.reveal("phone"),
        "belonging": belonging(case.facility.node.code, address_code, person.doc_type),
        "address": person.address,
        "address_code": address_code,
        "county_code": address_code[:6],
        "occupation": occupation_class(person.occupation),
        "classification": CLASSIFICATION.get(status, ""),
        "severity": SEVERITY.get(case.severity, "") if status == "confirmed" else "",
        "onset_date": onset.isoformat() if onset else "",
        "diagnosed_at": f"{_local(diagnosed):%Y-%m-%d %H}",
        "death_date": f"{_local(case.outcome_at):%Y-%m-%d}" if died else "",
        "disease": DISEASE,
        "revised_disease": "",
        "reporting_unit": case.facility.name,
        "doctor": str(latest.by) if latest else "",
        "remark": case.number,
    }


def digest(fields: dict[str, str]) -> str:
    core = {k: v for k, v in fields.items() if k not in VERSION_KEYS}
    return hashlib.sha256(json.dumps(core, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def version_fields(version: CardVersion) -> dict[str, str]:
    return json.loads(crypto.decrypt(bytes(version.fields_enc), "exchange.card"))


def mask(fields: dict[str, str]) -> dict[str, str]:
    from fangkong.people import rules as people_rules

    out = dict(fields)
    out["name"] = (
        (fields["name"][:1] + "*" * max(len(fields["name"]) - 1, 1)) if fields["name"] else ""
    )
    out["id_number"] = people_rules.mask_id(fields["id_number"]) if fields["id_number"] else ""
    out["phone"] = people_rules.mask_phone(fields["phone"]) if fields["phone"] else ""
    out["address"] = out["address"][:6] + "…" if out["address"] else ""
    out["workplace"] = ""
    return out


# --- which cases, and their next version ---------------------------------------------


def cases_for(user: Any):  # type: ignore[no-untyped-def]
    """Cases in the user's scope that have (or had) a reportable class."""
    from fangkong.clinical.models import Case

    return (
        Case.objects.restrict(user)
        .filter(changes__to_status__in=list(CLASSIFICATION))
        .distinct()
        .select_related("person", "facility__node")
        .order_by("diagnosed_at", "pk")
    )


def pending(card: ReportCard | None, case: Any) -> tuple[str, dict[str, str]] | None:
    """(kind, fields) of the version an export would create now, or None."""
    fields = current_fields(case)
    last = card.versions.order_by("-seq").first() if card else None
    if case.status == "excluded":
        if last is None or last.kind == CardKind.DELETION:
            return None
        fields = {**version_fields(last), "withdrawal_reason": "排除病例", "deleted": "是"}
        return CardKind.DELETION, fields
    if last is None:
        return CardKind.INITIAL, fields
    if last.digest != digest(fields):
        return CardKind.REVISION, fields
    return None


def _new_card(case: Any) -> ReportCard:
    year = _local(case.diagnosed_at).year
    card = ReportCard.objects.create(number=f"tmp-{case.pk}", case=case, path=case.path)
    card.number = f"{case.facility.node.code[:6]}{year}{card.pk:06d}"
    card.save(update_fields=["number"])
    return card


def _store(card: ReportCard, kind: str, fields: dict[str, str], user: Any) -> CardVersion:
    seq = (card.versions.order_by("-seq").values_list("seq", flat=True).first() or 0) + 1
    now = clock.now()
    full = {
        **{k: "" for k in KEYS},
        **fields,
        "card_no": card.number,
        "report_type": "初次报告" if kind == CardKind.INITIAL else "订正报告",
        "version": str(seq),
        "fill_date": f"{_local(now):%Y-%m-%d}",
        "deleted": "是" if kind == CardKind.DELETION else "否",
    }
    if kind != CardKind.DELETION:
        full["withdrawal_reason"] = ""
    return CardVersion.objects.create(
        card=card,
        seq=seq,
        kind=kind,
        status=card.case.status,
        digest=digest(full),
        fields_enc=crypto.encrypt(json.dumps(full, ensure_ascii=False), "exchange.card"),
        exported_at=now,
        exported_by=user,
    )


def export(
    user: Any, fmt: str, case_id: int | None = None, request: Any = None
) -> tuple[bytes, int]:
    """The cards to send as CSV or XML.

    A role allowed to see identities (`reveal`) exports the versions not yet acknowledged,
    creating the versions the cases now need; with `case_id`, the whole history of that
    case's card. Other roles export the stored versions with identities masked. Every
    export is audited. Returns (content, number of rows)."""
    require(user, "export", ReportCard, message=_("your role may not export report cards"))
    if fmt not in ("csv", "xml"):
        raise invalid("format", _("csv or xml"))
    full = allows(user, ReportCard, "reveal")
    cases = cases_for(user)
    if case_id is not None:
        cases = cases.filter(pk=case_id)
        if not cases.exists():
            raise NotAllowed(_("this case is not in your area"))
    rows: list[dict[str, str]] = []
    with transaction.atomic():
        versions: list[CardVersion] = []
        for case in cases:
            card = ReportCard.objects.filter(case=case).first()
            if full:
                todo = pending(card, case)
                if todo is not None:
                    card = card or _new_card(case)
                    versions.append(_store(card, todo[0], todo[1], user))
            if card is None:
                continue
            stored = card.versions.order_by("seq")
            if case_id is None:
                stored = stored.filter(acknowledged_at__isnull=True) if full else stored
            versions.extend(v for v in stored if v not in versions)
        versions.sort(key=lambda v: (v.card_id, v.seq))
        for v in versions:
            fields = version_fields(v)
            rows.append(fields if full else mask(fields))
        audit.record_export(
            user,
            "exchange.reportcard",
            {"format": fmt, "case": case_id or "", "identities": "yes" if full else "masked"},
            len(rows),
            request,
        )
    return (to_csv(rows) if fmt == "csv" else to_xml(rows)), len(rows)


def to_csv(rows: list[dict[str, str]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([h for _k, h, _x in FIELDS])
    for row in rows:
        writer.writerow([row.get(k, "") for k in KEYS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xml(rows: list[dict[str, str]]) -> bytes:
    top = ET.Element("ReportCards", {"layout": LAYOUT, "count": str(len(rows))})
    for row in rows:
        card = ET.SubElement(top, "Card")
        for key, _h, tag in FIELDS:
            ET.SubElement(card, tag).text = row.get(key, "")
    ET.indent(top)
    return ET.tostring(top, encoding="utf-8", xml_declaration=True)


# --- acknowledgement -------------------------------------------------------------------


def acknowledge(
    user: Any, card_number: str, seq: int, national_id: str, at: dt.datetime | None = None
) -> CardVersion:
    """The direct-reporting system received the version (its card id, the time): the
    case's report clock closes, by this acknowledgement only."""
    from fangkong.clinical.models import Case

    national_id = (national_id or "").strip()
    if not national_id or len(national_id) > 40:
        raise invalid("national_id", _("give the card id of the national system"))
    version = (
        CardVersion.objects.select_related("card__case")
        .filter(card__number=card_number, seq=seq)
        .first()
    )
    if version is None:
        raise invalid(
            "card", _("no exported card %(n)s version %(s)s") % {"n": card_number, "s": seq}
        )
    require(
        user,
        "acknowledge",
        version.card,
        message=_("your role may not record acknowledgements here"),
    )
    when = at or clock.now()
    if when.tzinfo is None:
        raise invalid("acknowledged_at", _("the time zone is missing"))
    if when < version.exported_at:
        raise invalid("acknowledged_at", _("an acknowledgement follows the export"))
    if when > clock.now() + dt.timedelta(minutes=5):
        raise invalid("acknowledged_at", _("the time lies in the future"))
    if version.acknowledged_at is not None:
        raise invalid("card", _("this version is acknowledged already"))
    with transaction.atomic():
        version.acknowledged_at, version.national_id, version.acknowledged_by = (
            when,
            national_id,
            user,
        )
        version.save(update_fields=["acknowledged_at", "national_id", "acknowledged_by"])
        case = version.card.case
        if version.kind != CardKind.DELETION and version.status == case.status:
            Case.objects.filter(
                pk=case.pk, report_due__isnull=False, reported_at__isnull=True
            ).update(reported_at=when)
        audit.record_access(user, version.card, f"acknowledged:{seq}")
    return version


RECEIPT_HEADERS = {"卡片编号": "card", "版本": "seq", "报告卡ID": "national_id", "审核时间": "at"}


def import_receipt(user: Any, data: bytes) -> dict[str, Any]:
    """A receipt file (CSV: 卡片编号, 版本, 报告卡ID, 审核时间) row by row: each row
    acknowledged or rejected with its reason."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("gbk")
        except UnicodeDecodeError:
            raise invalid("file", _("not a CSV file in UTF-8 or GBK")) from None
    if "\x00" in text:
        raise invalid("file", _("not a CSV file in UTF-8 or GBK"))
    reader = csv.DictReader(io.StringIO(text))
    try:
        records = list(reader)
    except csv.Error as exc:
        raise invalid("file", str(exc)) from None
    missing = [h for h in RECEIPT_HEADERS if h not in (reader.fieldnames or [])]
    if missing:
        raise invalid("file", _("missing columns: %s") % ", ".join(missing))
    done, rejected = 0, []
    for n, raw in enumerate(records, start=2):
        row = {
            RECEIPT_HEADERS[k]: (v or "").strip() for k, v in raw.items() if k in RECEIPT_HEADERS
        }
        try:
            if not (row["seq"].isascii() and row["seq"].isdigit() and len(row["seq"]) < 4):
                raise invalid("版本", _("not a number"))
            at = None
            if row["at"]:
                try:
                    at = dt.datetime.fromisoformat(row["at"])
                except ValueError:
                    raise invalid("审核时间", _("not a date and time (ISO 8601)")) from None
                if at.tzinfo is None:
                    at = timezone.make_aware(at)
            acknowledge(user, row["card"], int(row["seq"]), row["national_id"], at)
            done += 1
        except (ValidationError, PermissionDenied) as exc:
            message = "; ".join(getattr(exc, "messages", [str(exc)]))
            rejected.append({"row": n, "reason": message})
    return {"acknowledged": done, "rejected": rejected}
