"""The briefing API under /api/v1/briefing/: stored briefings, computing one, rule sets."""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status
from pydantic import field_validator

from fangkong.briefing import actions, sections
from fangkong.briefing.models import Briefing, BriefingRules, RiskRules
from fangkong.core import listing as lists
from fangkong.core.access import division, require
from fangkong.core.schemas import RuleSetIn, RuleSetOut
from fangkong.geo.models import Division

router = Router(tags=["briefing"])


class BriefingOut(Schema):
    node_code: str = Field(..., alias="node.code")
    day: dt.date
    status: str
    cutoff_at: dt.datetime
    computed_at: dt.datetime | None
    data: dict[str, Any]
    response_level_label: str = Field(
        "", description="the response level in force (data.response_level) in words"
    )

    @staticmethod
    def resolve_response_level_label(obj: Briefing) -> str:
        return sections.label("response_level", (obj.data or {}).get("response_level"))


class BriefingListOut(Schema):
    node_code: str = Field(..., alias="node.code")
    day: dt.date
    status: str
    computed_at: dt.datetime | None


class BriefingJobOut(Schema):
    job_id: int
    status: str


class BriefingRulesIn(RuleSetIn):
    cutoff: dt.time = dt.time(8, 0)
    history_days: int = 60
    rt_window: int = 7
    si_mean: Decimal = Decimal("6.3")
    si_sd: Decimal = Decimal("4.2")
    si_source: str = Field("", max_length=200)
    growth_days: int = 14
    forecast_days: int = 14
    rt_min_cases: int = Field(12, ge=1, le=1000)
    rt_max_width: Decimal = Field(Decimal("2.00"), gt=0, le=50)

    @field_validator("cutoff")
    @classmethod
    def local_time_of_day(cls, value: dt.time) -> dt.time:
        if value.tzinfo is not None:
            raise ValueError("a local time of day, without a time zone")
        return value


class BriefingRulesOut(BriefingRulesIn):
    pass


def _node(request: HttpRequest, code: str) -> Division:
    require(request.user, "view", "briefing.briefing", message="your role may not read briefings")
    return division(request.user, code)


@lists.paged(router, "/briefings", BriefingListOut)
def list_briefings(request: HttpRequest, node: str = "", since: dt.date | None = None):  # type: ignore[no-untyped-def]
    qs = Briefing.objects.restrict(request.user).select_related("node")
    if node:
        qs = qs.filter(node=_node(request, node))
    if since:
        qs = qs.filter(day__gte=since)
    return qs


@router.get("/briefings/{code}/{day}", response=BriefingOut)
def get_briefing(request: HttpRequest, code: str, day: dt.date):  # type: ignore[no-untyped-def]
    """The stored briefing (no computation: instant)."""
    node = _node(request, code)
    return get_object_or_404(
        Briefing.objects.restrict(request.user).select_related("node"), node=node, day=day
    )


@router.post("/briefings/{code}/{day}/compute", response={202: BriefingJobOut})
def compute(request: HttpRequest, code: str, day: dt.date):  # type: ignore[no-untyped-def]
    """Queue the computation in the background; poll the job, then GET the briefing."""
    job = actions.request_briefing(request.user, _node(request, code), day)
    job.refresh_from_db()
    return Status(202, {"job_id": job.pk, "status": job.status})


@lists.paged(router, "/rules", BriefingRulesOut)
def list_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every dated rule set, newest first; paged with `count`."""
    require(
        request.user, "view", "briefing.briefingrules", message="your role may not read the rules"
    )
    return BriefingRules.objects.order_by("-effective_from", "-pk")


@router.post("/rules", response={201: BriefingRulesOut})
def save_rules(request: HttpRequest, body: BriefingRulesIn):  # type: ignore[no-untyped-def]
    return Status(201, actions.save_rules(request.user, body.dict()))


class RiskRulesIn(RuleSetIn):
    """R16 (five-colour map) rule set from a date; omitted settings keep their default."""

    weight_cumulative: Decimal | None = Field(None, ge=0, le=1)
    weight_local_share: Decimal | None = Field(None, ge=0, le=1)
    weight_clusters: Decimal | None = Field(None, ge=0, le=1)
    cumulative_full: int | None = Field(None, ge=1, le=10000)
    clusters_full: int | None = Field(None, ge=1, le=100)
    cut_yellow: Decimal | None = Field(None, ge=0, le=1)
    cut_orange: Decimal | None = Field(None, ge=0, le=1)
    cut_red: Decimal | None = Field(None, ge=0, le=1)
    ease_one_days: int | None = Field(None, ge=0, le=60)
    ease_two_days: int | None = Field(None, ge=0, le=60)
    count_days: int | None = Field(None, ge=0, le=60)
    medium_max: int | None = Field(None, ge=0, le=4)
    high_min: int | None = Field(None, ge=0, le=4)


class RiskRulesOut(RuleSetOut):
    weight_cumulative: Decimal
    weight_local_share: Decimal
    weight_clusters: Decimal
    cumulative_full: int
    clusters_full: int
    cut_yellow: Decimal
    cut_orange: Decimal
    cut_red: Decimal
    ease_one_days: int
    ease_two_days: int
    count_days: int
    medium_max: int
    high_min: int


@lists.paged(router, "/risk-rules", RiskRulesOut)
def list_risk_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    """Every dated R16 rule set, newest first; paged with `count`."""
    require(request.user, "view", "briefing.riskrules", message="your role may not read the rules")
    return RiskRules.objects.order_by("-effective_from", "-pk")


@router.post("/risk-rules", response={201: RiskRulesOut})
def save_risk_rules(request: HttpRequest, body: RiskRulesIn):  # type: ignore[no-untyped-def]
    """Headquarters saves an R16 rule set; refused (422, naming the field) when it would
    rate a high-risk county below a medium-risk one."""
    return Status(201, actions.save_risk_rules(request.user, body.dict()))
