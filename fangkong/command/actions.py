"""Every write of command: one function per verb, validated, in one transaction, audited
(django-auditlog records the changes, attributed to the acting account)."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.command import rules
from fangkong.command.choices import RECIPIENT_LEVELS, Direction, ResponseGrade, Schedule
from fangkong.command.models import (
    Decision,
    Directive,
    DirectiveReceipt,
    Indicator,
    IndicatorValue,
    MeasureList,
    MeasureStatus,
    Meeting,
    ReportTemplate,
    ResponseLevel,
    Submission,
    Target,
    TaskForce,
)
from fangkong.core import clock
from fangkong.core.access import account_of, actor, invalid, require, written
from fangkong.geo.choices import LEVEL_ORDER
from fangkong.geo.models import Division

# ------------------------------------------------------------------ response level (R18)


def level_on(day: dt.date) -> ResponseLevel | None:
    return ResponseLevel.objects.filter(effective_from__lte=day).order_by("-effective_from").first()


@transaction.atomic
def set_response_level(
    user: Any, effective_from: dt.date, grade: str, note: str = ""
) -> ResponseLevel:
    require(
        user, "change", ResponseLevel, message=_("only headquarters may set the response level")
    )
    if grade not in ResponseGrade.values:
        raise invalid("grade", _("unknown response level %(grade)s") % {"grade": grade})
    with actor(user):
        level, _created = ResponseLevel.objects.update_or_create(
            effective_from=effective_from,
            defaults={"grade": grade, "note": note, "created_by": account_of(user)},
        )
    return level


# ------------------------------------------------------------------ targets and measures


@transaction.atomic
def create_target(
    user: Any,
    node: Division,
    name: str,
    owner: Any,
    indicators: Sequence[dict],
    description: str = "",
) -> Target:
    require(user, "add", "command.target", node=node)
    written("name", name, _("a target needs a name"))
    if not indicators:
        raise invalid("indicators", _("a target needs at least one indicator"))
    with actor(user):
        target = Target.objects.create(
            node=node, name=name.strip(), description=description, owner=owner
        )
        for i, spec in enumerate(indicators):
            try:
                goal = Decimal(str(spec.get("goal")))
            except InvalidOperation:
                raise invalid(
                    "indicators", _("indicator %(n)d: the goal is not a number") % {"n": i + 1}
                ) from None
            direction = spec.get("direction") or Direction.AT_LEAST
            if direction not in Direction.values or not str(spec.get("name", "")).strip():
                raise invalid(
                    "indicators", _("indicator %(n)d needs a name and a direction") % {"n": i + 1}
                )
            Indicator.objects.create(
                target=target,
                name=spec["name"].strip(),
                unit=spec.get("unit", ""),
                goal=goal,
                direction=direction,
                path=target.path,
            )
    return target


@transaction.atomic
def record_indicator(user: Any, indicator: Indicator, day: dt.date, value: Any) -> IndicatorValue:
    require(user, "change", "command.target", node=indicator.target.node)
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise invalid("value", _("the value is not a number")) from None
    if day > clock.today():
        raise invalid("day", _("a value cannot be recorded for a future day"))
    with actor(user):
        row, _created = IndicatorValue.objects.update_or_create(
            indicator=indicator,
            day=day,
            defaults={
                "value": number,
                "recorded_by": user,
                "recorded_at": clock.now(),
                "path": indicator.path,
            },
        )
    return row


@transaction.atomic
def create_measure_list(user: Any, name: str, level: str, items: Sequence[str]) -> MeasureList:
    require(user, "add", MeasureList)
    clean = [str(i).strip() for i in items if str(i).strip()]
    written("name", name, _("a checklist needs a name"))
    if not clean:
        raise invalid("items", _("a checklist needs at least one measure"))
    if level not in LEVEL_ORDER:
        raise invalid("level", _("unknown level %(level)s") % {"level": level})
    with actor(user):
        checklist, _created = MeasureList.objects.update_or_create(
            name=name.strip(), defaults={"level": level, "items": clean}
        )
    return checklist


@transaction.atomic
def mark_measure(
    user: Any, checklist: MeasureList, node: Division, item: int, done: bool, note: str = ""
) -> MeasureStatus:
    require(user, "change", "command.measurestatus", node=node)
    if node.level != checklist.level:
        raise invalid(
            "node",
            _("this checklist is kept by nodes of level %(level)s") % {"level": checklist.level},
        )
    if not 0 <= item < len(checklist.items):
        raise invalid("item", _("no measure number %(n)d in this checklist") % {"n": item + 1})
    with actor(user):
        status, _created = MeasureStatus.objects.update_or_create(
            checklist=checklist,
            node=node,
            item=item,
            defaults={"done": done, "note": note, "updated_by": user, "updated_at": clock.now()},
        )
    return status


# ------------------------------------------------------------------ task forces


@transaction.atomic
def create_task_force(
    user: Any, node: Division, name: str, leader: Any, members: Sequence[Any], responsibilities: str
) -> TaskForce:
    require(user, "add", "command.taskforce", node=node)
    written("name", name, _("a task force needs a name"))
    written(
        "responsibilities", responsibilities, _("write down what the task force is responsible for")
    )
    if TaskForce.objects.filter(node=node, name=name.strip()).exists():
        raise invalid("name", _("this headquarters already has a task force of that name"))
    for person in [leader, *members]:
        if person.node is None or not person.node.path.startswith(node.path):
            raise invalid(
                "members", _("%(user)s does not belong to this jurisdiction") % {"user": person}
            )
    with actor(user):
        tf = TaskForce.objects.create(
            node=node, name=name.strip(), leader=leader, responsibilities=responsibilities
        )
        tf.members.set(members)
    return tf


# ------------------------------------------------------------------ directives


def _recipients(node: Division, levels: Sequence[str], codes: Sequence[str]) -> list[Division]:
    bad = [lv for lv in levels if lv not in RECIPIENT_LEVELS]
    if bad:
        raise invalid(
            "levels", _("unknown recipient level: %(levels)s") % {"levels": ", ".join(bad)}
        )
    found: dict[int, Division] = {}
    if levels:
        for d in Division.objects.under(node).filter(level__in=levels).exclude(pk=node.pk):
            found[d.pk] = d
    if codes:
        chosen = {d.code: d for d in Division.objects.filter(code__in=codes)}
        missing = [c for c in codes if c not in chosen]
        if missing:
            raise invalid(
                "nodes", _("unknown jurisdiction code: %(codes)s") % {"codes": ", ".join(missing)}
            )
        outside = [
            c for c, d in chosen.items() if not d.path.startswith(node.path) or d.pk == node.pk
        ]
        if outside:
            raise invalid(
                "nodes",
                _("not below the issuing node: %(codes)s") % {"codes": ", ".join(sorted(outside))},
            )
        for d in chosen.values():
            found[d.pk] = d
    if not found:
        raise invalid(
            "recipients", _("a directive needs recipients: choose levels of the subtree or nodes")
        )
    return list(found.values())


@transaction.atomic
def issue_directive(
    user: Any,
    node: Division,
    *,
    title: str,
    text: str,
    deadline: dt.datetime,
    owner: Any,
    levels: Sequence[str] = (),
    node_codes: Sequence[str] = (),
    ack_required: bool = True,
    feedback_required: bool = False,
    attachment: Any = None,
    decision: Decision | None = None,
) -> Directive:
    """Issue a directive and create one receipt per recipient organisation in bulk."""
    require(user, "add", "command.directive", node=node)
    written("title", title, _("a directive needs a title"))
    written("text", text, _("a directive needs its text"))
    if timezone.is_naive(deadline):
        raise invalid("deadline", _("the deadline needs a time zone"))
    if deadline <= clock.now():
        raise invalid("deadline", _("the deadline must be in the future"))
    recipients = _recipients(node, list(levels), list(node_codes))
    with actor(user):
        directive = Directive(
            node=node,
            title=title.strip(),
            text=text,
            deadline=deadline,
            owner=owner,
            levels=sorted(set(levels), key=LEVEL_ORDER.index),
            ack_required=ack_required,
            feedback_required=feedback_required,
            issued_by=user,
            issued_at=clock.now(),
            decision=decision,
        )
        if attachment is not None:
            directive.attachment = attachment
        directive.save()
        DirectiveReceipt.objects.bulk_create(
            DirectiveReceipt.place_all(
                DirectiveReceipt(directive=directive, node=d, level=d.level)
                for d in sorted(recipients, key=lambda d: d.path)
            ),
            batch_size=2000,
        )
    return directive


def mark_received(user: Any, receipts: Any) -> int:
    """Receipts of the user's own node are 'received' the first time its users open them."""
    own = getattr(user, "node", None)
    if own is None:
        return 0
    return receipts.filter(node=own, received_at__isnull=True).update(received_at=clock.now())


@transaction.atomic
def acknowledge(user: Any, receipt: DirectiveReceipt) -> DirectiveReceipt:
    require(user, "change", "command.directivereceipt", node=receipt.node)
    if receipt.acknowledged_at:
        raise invalid("receipt", _("already acknowledged"))
    now = clock.now()
    with actor(user):
        receipt.received_at = receipt.received_at or now
        receipt.acknowledged_at = now
        receipt.acknowledged_by = account_of(user)
        receipt.save(update_fields=["received_at", "acknowledged_at", "acknowledged_by"])
    return receipt


@transaction.atomic
def report_back(user: Any, receipt: DirectiveReceipt, feedback: str) -> DirectiveReceipt:
    require(user, "change", "command.directivereceipt", node=receipt.node)
    written("feedback", feedback, _("write what was done"))
    now = clock.now()
    with actor(user):
        receipt.received_at = receipt.received_at or now
        receipt.acknowledged_at = receipt.acknowledged_at or now
        receipt.acknowledged_by = receipt.acknowledged_by or account_of(user)
        receipt.reported_at = now
        receipt.feedback = feedback.strip()
        receipt.save(
            update_fields=[
                "received_at",
                "acknowledged_at",
                "acknowledged_by",
                "reported_at",
                "feedback",
            ]
        )
    return receipt


def escalate_overdue(now: dt.datetime | None = None) -> int:
    """The sweep: every overdue receipt not yet escalated goes to its node's parent
    (one UPDATE; the receipt keeps when and to whom)."""
    from django.db.models import OuterRef, Subquery

    now = now or clock.now()
    pending = DirectiveReceipt.objects.overdue(now).filter(escalated_at__isnull=True)
    parent = Division.objects.filter(pk=OuterRef("node_id")).values("parent_id")[:1]
    return pending.update(escalated_at=now, escalated_to_id=Subquery(parent))


# ------------------------------------------------------------------ meetings and decisions


@transaction.atomic
def open_meeting(user: Any, node: Division, day: dt.date, title: str = "") -> Meeting:
    """The day's meeting: agenda from the hooks (the briefing), open decisions carried over."""
    from fangkong.command.hooks import agenda_items

    require(user, "add", "command.meeting", node=node)
    if Meeting.objects.filter(node=node, day=day).exists():
        raise invalid("day", _("this headquarters already has a meeting on %(day)s") % {"day": day})
    carried = list(Decision.objects.open().filter(meeting__node=node, meeting__day__lt=day))
    agenda = agenda_items(node, day)
    agenda += [
        _("Follow up: %(text)s (due %(deadline)s)") % {"text": str(d), "deadline": d.deadline}
        for d in carried
    ]
    with actor(user):
        meeting = Meeting.objects.create(
            node=node,
            day=day,
            title=title.strip() or _("Daily meeting"),
            agenda=agenda,
            chaired_by=user,
        )
        meeting.carried.set(carried)
    return meeting


@transaction.atomic
def record_decision(
    user: Any, meeting: Meeting, text: str, owner: Any, deadline: dt.date
) -> Decision:
    require(user, "add", "command.decision", node=meeting.node)
    written("text", text, _("write the decision"))
    if owner is None:
        raise invalid("owner", _("every decision needs an owner"))
    if owner.node is None or not owner.node.path.startswith(meeting.node.path):
        raise invalid("owner", _("the owner must belong to this jurisdiction"))
    if deadline < meeting.day:
        raise invalid("deadline", _("the deadline cannot be before the meeting"))
    with actor(user):
        return Decision.objects.create(
            meeting=meeting, text=text.strip(), owner=owner, deadline=deadline, path=meeting.path
        )


@transaction.atomic
def close_decision(user: Any, decision: Decision, outcome: str) -> Decision:
    require(user, "change", "command.decision", node=decision.meeting.node)
    if decision.status == "done":
        raise invalid("status", _("this decision is already done"))
    written("outcome", outcome, _("write what was done"))
    with actor(user):
        decision.status = "done"
        decision.done_at = clock.now()
        decision.outcome = outcome.strip()
        decision.save(update_fields=["status", "done_at", "outcome"])
    return decision


# ------------------------------------------------------------------ reports upward (C14)


@transaction.atomic
def create_report_template(
    user: Any,
    node: Division,
    *,
    name: str,
    level: str,
    deadline_time: dt.time,
    fields: Sequence[str],
    starts_on: dt.date,
    schedule: str = Schedule.DAILY,
    lock_after_hours: int = 24,
    ends_on: dt.date | None = None,
) -> ReportTemplate:
    require(user, "add", "command.reporttemplate", node=node)
    written("name", name, _("a report needs a name"))
    if level not in RECIPIENT_LEVELS or LEVEL_ORDER.index(level) <= LEVEL_ORDER.index(node.level):
        raise invalid("level", _("reports are expected from a level below the issuing node"))
    if schedule not in Schedule.values:
        raise invalid("schedule", _("unknown schedule"))
    clean = [str(f).strip() for f in fields if str(f).strip()]
    if not clean:
        raise invalid("fields", _("list at least one figure to report"))
    if ends_on and ends_on < starts_on:
        raise invalid("ends_on", _("the last period is before the first"))
    with actor(user):
        return ReportTemplate.objects.create(
            node=node,
            name=name.strip(),
            level=level,
            schedule=schedule,
            deadline_time=deadline_time,
            lock_after_hours=lock_after_hours,
            fields=clean,
            starts_on=starts_on,
            ends_on=ends_on,
            created_by=user,
        )


@transaction.atomic
def submit_report(
    user: Any, template: ReportTemplate, node: Division, period: dt.date, data: dict[str, Any]
) -> Submission:
    """Submit (or correct before the lock) one node's report for a period."""
    require(user, "add", "command.submission", node=node)
    if node.level != template.level or not node.path.startswith(template.path):
        raise invalid("node", _("this report is not expected from %(node)s") % {"node": node})
    if not rules.is_period(template.schedule, template.starts_on, template.ends_on, period):
        raise invalid(
            "period", _("%(day)s is not a reporting period of this report") % {"day": period}
        )
    now = clock.now()
    tz = timezone.get_current_timezone()
    lock = rules.lock_of(period, template.deadline_time, template.lock_after_hours, tz)
    if now > lock:
        raise invalid(
            "period",
            _("the report for %(day)s was locked at %(lock)s; it can no longer be submitted")
            % {"day": period, "lock": timezone.localtime(lock).strftime("%Y-%m-%d %H:%M")},
        )
    unknown = sorted(set(data) - set(template.fields))
    if unknown:
        raise invalid(
            "data", _("figures not in this report: %(names)s") % {"names": ", ".join(unknown)}
        )
    on_time = now <= rules.deadline_of(period, template.deadline_time, tz)
    earlier = Submission.objects.filter(template=template, node=node, period=period).first()
    if earlier is not None:  # a correction keeps the timeliness of the first submission
        on_time = earlier.on_time
    with actor(user):
        sub, _created = Submission.objects.update_or_create(
            template=template,
            node=node,
            period=period,
            defaults={
                "data": data,
                "completeness": rules.completeness(template.fields, data),
                "on_time": on_time,
                "submitted_at": now,
                "submitted_by": user,
            },
        )
    return sub
