"""The notices API under /api/v1/notices/: the caller's own inbox (another account's
notice is a 404), read / unread, one-tap action, preferences; headquarters: the dated
notice rules, the schedule with its last runs, a directive's notice coverage."""

import datetime as dt
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import ConfigDict, create_model

from fangkong.core import listing as lists
from fangkong.core.access import record
from fangkong.core.querysets import is_system
from fangkong.core.schemas import RuleSetIn, RuleSetOut
from fangkong.notify import actions, coverage, schedule
from fangkong.notify.models import Notice, NoticeRules, ScheduledRun
from fangkong.notify.rules import DEFAULT_RULES

router = Router(tags=["notices"])

HQ = {"city_hq", "county_hq", "town_hq", "sysadmin"}


class NoticeOut(Schema):
    id: int
    kind: str
    title: str
    body: str
    link: str
    deadline: dt.datetime | None
    created_at: dt.datetime
    read_at: dt.datetime | None
    acted_at: dt.datetime | None
    actionable: bool

    @staticmethod
    def resolve_actionable(obj: Notice) -> bool:
        return obj.kind in actions.ACTS


class ReadIn(Schema):
    read: bool = True


class PreferenceIn(Schema):
    sms: bool | None = None
    email: bool | None = None
    quiet_start: str | None = Field(None, max_length=8)
    quiet_end: str | None = Field(None, max_length=8)
    phone: str | None = Field(None, max_length=20)


class PreferenceOut(Schema):
    sms: bool
    email: bool
    quiet_start: dt.time | None
    quiet_end: dt.time | None
    phone_masked: str


class NotifyRuleIn(Schema):
    """One kind's rule: only the settings given change the published default."""

    model_config = ConfigDict(extra="forbid")

    channels: list[Literal["inbox", "sms", "email"]] | None = Field(None, max_length=3)
    minutes: int | None = Field(None, ge=0, le=10080)
    after: int | None = Field(None, ge=0, le=10080)
    at: str | None = Field(None, pattern=r"^[0-2][0-9]:[0-5][0-9](:[0-5][0-9])?$")
    urgent: bool | None = None


# One optional rule per kind of notice (the kinds of notify.rules.DEFAULT_RULES), so the
# document names every kind and every setting a client may send.
NotifyRulesByKind = create_model(  # type: ignore[call-overload]
    "NotifyRulesByKind",
    __config__=ConfigDict(extra="forbid"),
    **{kind: (NotifyRuleIn | None, None) for kind in DEFAULT_RULES},
)


class NotifyRulesIn(RuleSetIn):
    rules: NotifyRulesByKind = Field(default_factory=NotifyRulesByKind)  # type: ignore[valid-type]
    max_attempts: int = Field(5, ge=1, le=20)
    retry_seconds: int = Field(60, ge=1, le=86400)


class NoticeRulesOut(RuleSetOut):
    id: int | None
    rules: dict[str, dict[str, Any]]
    max_attempts: int
    retry_seconds: int


class NotifyJobOut(Schema):
    name: str
    doc: str
    next_slot: dt.datetime | None
    last_slot: dt.datetime | None
    last_status: str
    last_result: str


def _hq(request: HttpRequest) -> None:
    user: Any = request.user
    if not (is_system(user) or user.role in HQ):
        raise PermissionDenied(_("only headquarters may do this"))


@lists.paged(router, "/", NoticeOut)
def list_notices(request: HttpRequest, unread: bool = False, before: int | None = None):  # type: ignore[no-untyped-def]
    """The caller's notices, newest first, paged (`page`) with `count` (of the unread
    ones with `unread=true`; older than a notice with `before`)."""
    qs = Notice.objects.for_user(request.user)
    if unread:
        qs = qs.unread()
    if before is not None:
        qs = qs.filter(pk__lt=before)
    return qs.order_by("-pk")


@router.get("/unread-count", response=dict[str, int])
def unread_count(request: HttpRequest):  # type: ignore[no-untyped-def]
    return {"unread": Notice.objects.for_user(request.user).unread().count()}


@router.post("/{int:pk}/read", response=NoticeOut)
def mark(request: HttpRequest, pk: int, data: ReadIn):  # type: ignore[no-untyped-def]
    n = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
    actions.mark_read(request.user, [n], data.read)
    n.refresh_from_db()
    return n


@router.post("/{int:pk}/act", response=NoticeOut)
def act(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    n = get_object_or_404(Notice.objects.for_user(request.user), pk=pk)
    return actions.act(request.user, n)


@router.get("/preferences", response=PreferenceOut)
def get_preferences(request: HttpRequest):  # type: ignore[no-untyped-def]
    from fangkong.notify.models import Preference

    return Preference.objects.filter(user=request.user).first() or Preference(user=request.user)  # type: ignore[misc]


@router.put("/preferences", response=PreferenceOut)
def put_preferences(request: HttpRequest, data: PreferenceIn):  # type: ignore[no-untyped-def]
    return actions.save_preferences(request.user, data.dict(exclude_none=True))


@router.get("/rules", response=list[NoticeRulesOut])
def list_rules(request: HttpRequest):  # type: ignore[no-untyped-def]
    _hq(request)
    stored = list(NoticeRules.objects.all())
    if not stored:
        stored = [NoticeRules.in_force()]
    return [
        {
            "id": r.pk,
            "effective_from": r.effective_from,
            "note": r.note,
            "rules": {k: r.rule(k) for k in DEFAULT_RULES},
            "max_attempts": r.max_attempts,
            "retry_seconds": r.retry_seconds,
        }
        for r in stored
    ]


@router.post("/rules", response={201: NoticeRulesOut})
def add_rules(request: HttpRequest, data: NotifyRulesIn):  # type: ignore[no-untyped-def]
    user: Any = request.user
    if not (is_system(user) or user.role in ("city_hq", "sysadmin")):
        raise PermissionDenied(_("only city headquarters may change the notice rules"))
    rules: Any = data.rules
    r = actions.add_rules(
        user,
        {
            "effective_from": data.effective_from,
            "note": data.note,
            "max_attempts": data.max_attempts,
            "retry_seconds": data.retry_seconds,
        },
        rules.model_dump(exclude_none=True),  # the kinds and settings given
    )
    return 201, {
        "id": r.pk,
        "effective_from": r.effective_from,
        "note": r.note,
        "rules": r.rules,
        "max_attempts": r.max_attempts,
        "retry_seconds": r.retry_seconds,
    }


@router.get("/schedule", response=list[NotifyJobOut])
def list_schedule(request: HttpRequest):  # type: ignore[no-untyped-def]
    _hq(request)
    from fangkong.core import clock

    now = clock.now()
    out = []
    for j in schedule.check_schedule():
        last = ScheduledRun.objects.filter(job=j.name).order_by("-slot").first()
        out.append(
            {
                "name": j.name,
                "doc": j.doc,
                "next_slot": j.next_after(now),
                "last_slot": last.slot if last else None,
                "last_status": last.status if last else "",
                "last_result": last.result if last else "",
            }
        )
    return out


@router.get("/directives/{int:pk}/coverage", response=dict[str, Any])
def directive_coverage(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    from fangkong.command.models import Directive

    d = record(request.user, Directive.objects, pk)
    c = coverage.directive(request.user, d)
    # The first page of what was not delivered, with `failed_count`; every one at
    # /directives/{pk}/undelivered (paged).
    c["failed"] = [_undelivered(f) for f in c["failed"][: lists.PER_PAGE]]
    return c


class UndeliveredOut(Schema):
    node: str | None
    channel: str
    status: str
    answer: str


def _undelivered(f: Any) -> dict[str, Any]:
    return {
        "node": f.notice.recipient_node.code if f.notice.recipient_node else None,
        "channel": f.channel,
        "status": f.status,
        "answer": f.answer,
    }


@lists.paged(router, "/directives/{int:pk}/undelivered", UndeliveredOut)
def directive_undelivered(request: HttpRequest, pk: int) -> Any:
    """Every delivery of a directive's notices that failed or was skipped; paged with `count`."""
    from fangkong.command.models import Directive

    d = record(request.user, Directive.objects, pk)
    return lists.Mapped(
        coverage.undelivered(coverage.directive_deliveries(request.user, d)), _undelivered
    )
