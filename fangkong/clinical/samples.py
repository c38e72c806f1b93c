"""Writes of samples and nucleic acid results (lab import is in `labimport.py`)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.clinical.actions.inputs import optional_time, parse_time
from fangkong.clinical.choices import Result, SampleType
from fangkong.clinical.models import Case, Sample
from fangkong.core.access import actor, invalid, one_of, require

# ---------------------------------------------------------------- samples


@transaction.atomic
def record_sample(
    user: Any,
    case: Case,
    *,
    code: str,
    sample_type: str,
    taken_at: Any = None,
    lab: str = "",
    sent_at: Any = None,
) -> Sample:
    require(user, "add", "clinical.sample", message=_("your role may not record samples"))
    code = (code or "").strip().upper()
    if not code or len(code) > 40:
        raise invalid("code", _("give the sample code (at most 40 characters)"))
    if Sample.objects.filter(code=code).exists():
        raise invalid("code", _("sample %s is already recorded") % code)
    one_of("sample_type", sample_type, SampleType)
    taken = parse_time(taken_at, "taken_at")
    sent = optional_time(sent_at, "sent_at")
    if sent is not None and taken is not None and sent < taken:
        raise invalid("sent_at", _("a sample is sent after it is taken"))
    with actor(user):
        return Sample.objects.create(
            code=code,
            case=case,
            sample_type=sample_type,
            taken_at=taken,
            taken_by=user,
            lab=(lab or "").strip()[:100],
            sent_at=sent,
            path=case.path,
        )


def _ct(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        ct = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise invalid(field, _("a Ct value is a number")) from None
    if not ct.is_finite() or not Decimal("0") < ct <= Decimal("50"):
        raise invalid(field, _("a Ct value lies between 0 and 50"))
    return ct.quantize(Decimal("0.1"))


def _result(value: Any) -> str:
    v = str(value or "").strip().lower()
    aliases = {"阳性": "positive", "阴性": "negative", "pos": "positive", "neg": "negative"}
    v = aliases.get(v, v)
    if v not in Result.values:
        raise invalid("result", _("the result is positive or negative"))
    return v


@transaction.atomic
def record_result(
    user: Any,
    sample: Sample,
    result: Any,
    *,
    ct_orf1ab: Any = None,
    ct_n: Any = None,
    result_at: Any = None,
) -> Sample:
    """A nucleic acid result. A positive one on a suspected case makes R7 propose
    confirmation (the doctor confirms on the case page)."""
    require(user, "change", "clinical.sample", message=_("your role may not record results"))
    sample = Sample.objects.select_for_update().get(pk=sample.pk)
    if sample.result:
        raise invalid("result", _("sample %s already has a result") % sample.code)
    value = _result(result)
    when = parse_time(result_at, "result_at")
    if when < sample.taken_at:
        raise invalid("result_at", _("the result cannot precede the sample"))
    sample.result, sample.result_at, sample.result_by = value, when, user
    sample.ct_orf1ab, sample.ct_n = _ct(ct_orf1ab, "ct_orf1ab"), _ct(ct_n, "ct_n")
    with actor(user):
        sample.save()
    return sample
