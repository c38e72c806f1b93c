"""Every write of supervision: one function per verb, validated, in one transaction,
audited (django-auditlog records the changes, attributed to the acting account)."""

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock
from fangkong.core.access import NotAllowed, actor, invalid, require, written
from fangkong.core.querysets import can_access, is_system
from fangkong.geo.models import Division
from fangkong.supervision import choices, photos, rules
from fangkong.supervision.models import (
    AccountabilityCase,
    AccountabilityDecision,
    Checklist,
    CheckResult,
    Commendation,
    EvidencePhoto,
    Finding,
    Inspection,
    InspectionPlan,
    InspectionTeam,
    Rectification,
    SupervisionRuleSet,
)

TEAM_ROLES = {"discipline", "city_hq", "county_hq", "town_hq"}


def _topics(topics: Iterable[str]) -> list[str]:
    out = list(dict.fromkeys(topics))
    bad = [t for t in out if t not in choices.Topic.values]
    if bad or not out:
        raise invalid("topics", _("Choose one or more topics from the list."))
    return out


def on_team(user: Any, inspection: Inspection) -> bool:
    """The user leads the inspection or its team, or is a member of the team."""
    if is_system(user):
        return True
    team = inspection.team
    return user.pk in (inspection.leader_id, team.leader_id) or (
        team.members.filter(pk=user.pk).exists()
    )


def _need_team(user: Any, inspection: Inspection) -> None:
    if not on_team(user, inspection):
        raise NotAllowed(_("Only the inspecting team may do this."))


def _team_user(user: Any, field: str) -> None:
    if user.role not in TEAM_ROLES:
        raise invalid(field, _("Team members are discipline inspection or headquarters staff."))


# ------------------------------------------------------------------ configuration


@transaction.atomic
def save_checklist(user: Any, topic: str, items: list[str], active: bool = True) -> Checklist:
    require(user, "change", Checklist)
    if topic not in choices.Topic.values:
        raise invalid("topic", _("Unknown topic."))
    try:
        cleaned = rules.clean_items(items)
    except ValueError as exc:
        raise invalid("items", str(exc)) from None
    with actor(user):
        cl, _created = Checklist.objects.update_or_create(
            topic=topic, defaults={"items": cleaned, "active": active, "updated_at": clock.now()}
        )
    return cl


def rules_on(day: dt.date | None = None) -> SupervisionRuleSet:
    return SupervisionRuleSet.in_force(day or clock.today())


# ------------------------------------------------------------------ plans and teams


@transaction.atomic
def create_plan(
    user: Any, node: Division, *, title: str, starts_on: dt.date, ends_on: dt.date, topics: list
) -> InspectionPlan:
    require(user, "add", InspectionPlan, node=node)
    written("title", title, _("A plan needs a title."))
    if ends_on < starts_on:
        raise invalid("ends_on", _("The plan ends before it starts."))
    with actor(user):
        return InspectionPlan.objects.create(
            node=node,
            title=title.strip(),
            starts_on=starts_on,
            ends_on=ends_on,
            topics=_topics(topics),
            created_by=user,
        )


@transaction.atomic
def add_team(
    user: Any, plan: InspectionPlan, *, name: str, leader: Any, members: Iterable[Any] = ()
) -> InspectionTeam:
    require(user, "add", InspectionTeam, node=plan.node)
    written("name", name, _("A team needs a name."))
    if InspectionTeam.objects.filter(plan=plan, name=name.strip()).exists():
        raise invalid("name", _("This plan already has a team of that name."))
    members = list(members)
    _team_user(leader, "leader")
    for m in members:
        _team_user(m, "members")
    with actor(user):
        team = InspectionTeam.objects.create(plan=plan, name=name.strip(), leader=leader)
        team.members.set(members)
    return team


@transaction.atomic
def schedule_inspection(
    user: Any,
    team: InspectionTeam,
    node: Division,
    *,
    kind: str,
    planned_on: dt.date,
    topics: list,
    subject: Any = None,
) -> Inspection:
    """An inspection of `node` by `team`; the node lies under the plan's node."""
    require(user, "add", Inspection, node=node)
    if not node.path.startswith(team.plan.path):
        raise invalid("node", _("The inspected node lies outside the plan's area."))
    if kind not in choices.InspectionKind.values:
        raise invalid("kind", _("Choose open or unannounced."))
    plan = team.plan
    if not plan.starts_on <= planned_on <= plan.ends_on:
        raise invalid("planned_on", _("The day lies outside the plan's period."))
    if subject is not None and not subject.path.startswith(team.plan.path):
        raise invalid("subject", _("The cadre lies outside the plan's area."))
    with actor(user):
        return Inspection.objects.create(
            team=team,
            node=node,
            kind=kind,
            planned_on=planned_on,
            topics=_topics(topics),
            leader=team.leader,
            subject=subject,
        )


def checklist_items(inspection: Inspection) -> list[tuple[str, list[str]]]:
    """(topic, items) of the inspection's topics, in their configured order."""
    lists = {c.topic: c.items for c in Checklist.objects.filter(topic__in=inspection.topics)}
    return [(t, lists.get(t, [])) for t in inspection.topics]


# ------------------------------------------------------------------ recording


def _open_for_recording(user: Any, inspection: Inspection) -> None:
    require(user, "change", Inspection)
    _need_team(user, inspection)


@transaction.atomic
def record_results(
    user: Any, inspection: Inspection, results: Iterable[tuple[str, int, str, str]]
) -> int:
    """Save (topic, item number, outcome, note) answers; answers may be changed until
    and after the inspection is recorded, by the team only."""
    _open_for_recording(user, inspection)
    items = dict(checklist_items(inspection))
    n = 0
    with actor(user):
        for topic, item_no, outcome, note in results:
            if topic not in items:
                raise invalid("topic", _("This topic is not on the inspection."))
            if not 0 <= item_no < len(items[topic]):
                raise invalid("item_no", _("No such check item."))
            if outcome not in choices.Outcome.values:
                raise invalid("outcome", _("Choose pass, fail or not applicable."))
            if len(note) > 300:
                raise invalid("note", _("The note is longer than 300 characters."))
            CheckResult.objects.update_or_create(
                inspection=inspection,
                topic=topic,
                item_no=item_no,
                defaults={
                    "item_text": items[topic][item_no][:200],
                    "outcome": outcome,
                    "note": note.strip(),
                },
            )
            n += 1
    return n


@transaction.atomic
def add_finding(
    user: Any,
    inspection: Inspection,
    *,
    description: str,
    topic: str = "",
    severity: str = choices.Severity.MINOR,
    cadre: Any = None,
) -> Finding:
    _open_for_recording(user, inspection)
    written("description", description, _("Describe what was found."))
    if topic and topic not in inspection.topics:
        raise invalid("topic", _("This topic is not on the inspection."))
    if severity not in choices.Severity.values:
        raise invalid("severity", _("Unknown severity."))
    if cadre is not None and not can_access(user, cadre, "view"):
        raise invalid("cadre", _("No such cadre in your area."))
    with actor(user):
        return Finding.objects.create(
            inspection=inspection,
            topic=topic,
            description=description.strip(),
            severity=severity,
            cadre=cadre,
            created_by=user,
        )


@transaction.atomic
def add_photo(user: Any, finding: Finding, upload: Any) -> EvidencePhoto:
    _open_for_recording(user, finding.inspection)
    encoded = photos.reencode(upload)
    with actor(user):
        photo = EvidencePhoto(
            finding=finding,
            width=encoded.width,
            height=encoded.height,
            size=encoded.size,
            uploaded_by=user,
        )
        photo.image.save(encoded.file.name or "photo.jpg", encoded.file, save=False)
        photo.save()
    return photo


@transaction.atomic
def record_inspection(user: Any, inspection: Inspection, summary: str = "") -> Inspection:
    """Finish the inspection: from now on an unannounced one is visible to the node."""
    _open_for_recording(user, inspection)
    if inspection.status == choices.InspectionStatus.RECORDED:
        raise invalid("status", _("The inspection is already recorded."))
    inspection.status = choices.InspectionStatus.RECORDED
    inspection.recorded_at = clock.now()
    inspection.recorded_by = user
    inspection.summary = summary.strip()
    with actor(user):
        inspection.save(update_fields=["status", "recorded_at", "recorded_by", "summary"])
    return inspection


# ------------------------------------------------------------------ rectification


@transaction.atomic
def assign_rectification(
    user: Any,
    finding: Finding,
    *,
    owner_node: Division,
    requirement: str,
    deadline: dt.date | None = None,
    owner_user: Any = None,
) -> Rectification:
    require(user, "add", Rectification, node=owner_node)
    inspection = finding.inspection
    _need_team(user, inspection)
    if inspection.recorded_at is None:
        raise invalid("finding", _("Record the inspection before assigning rectification."))
    if not (
        owner_node.path.startswith(inspection.path) or inspection.path.startswith(owner_node.path)
    ):
        raise invalid("owner_node", _("The owner must be the inspected node, above or below it."))
    if owner_user is not None and (
        owner_user.node_id is None or not owner_user.node.path.startswith(owner_node.path)
    ):
        raise invalid("owner_user", _("The person must belong to the owner node."))
    written("requirement", requirement, _("Say what must be rectified."))
    today = clock.today()
    deadline = deadline or today + dt.timedelta(days=rules_on(today).rectification_days)
    if deadline < today:
        raise invalid("deadline", _("The deadline lies in the past."))
    with actor(user):
        return Rectification.objects.create(
            finding=finding,
            owner_node=owner_node,
            owner_user=owner_user,
            escalate_path=rules.escalation_path(owner_node.path),
            requirement=requirement.strip(),
            deadline=deadline,
            created_by=user,
        )


@transaction.atomic
def reply_rectification(user: Any, task: Rectification, reply: str) -> Rectification:
    """The owner's account of what was done; the inspector verifies it next."""
    require(user, "change", task, message=_("Only the owner may reply."))
    if task.status != choices.RectificationStatus.OPEN:
        raise invalid("status", _("This task is not waiting for a reply."))
    written("reply", reply, _("Say what was done."))
    task.reply = reply.strip()
    task.replied_at = clock.now()
    task.replied_by = user
    task.status = choices.RectificationStatus.REPLIED
    with actor(user):
        task.save(update_fields=["reply", "replied_at", "replied_by", "status"])
    return task


@transaction.atomic
def verify_rectification(
    user: Any, task: Rectification, *, accepted: bool, note: str = ""
) -> Rectification:
    """The inspector checks the rectification on the spot: accepted, or sent back."""
    require(user, "verify", Rectification)
    _need_team(user, task.finding.inspection)
    if task.status != choices.RectificationStatus.REPLIED:
        raise invalid("status", _("Only a replied task can be verified."))
    if len(note) > 300:
        raise invalid("note", _("The note is longer than 300 characters."))
    task.verification_note = note.strip()
    if accepted:
        task.status = choices.RectificationStatus.VERIFIED
        task.verified_at = clock.now()
        task.verified_by = user
    else:
        written("note", note, _("Say why the reply is sent back."))
        task.status = choices.RectificationStatus.OPEN
        task.rejections += 1
    with actor(user):
        task.save(
            update_fields=[
                "status",
                "verification_note",
                "verified_at",
                "verified_by",
                "rejections",
            ]
        )
    return task


@transaction.atomic
def close_rectification(user: Any, task: Rectification) -> Rectification:
    require(user, "verify", Rectification)
    _need_team(user, task.finding.inspection)
    if task.status == choices.RectificationStatus.CLOSED:
        raise invalid("status", _("The task is already closed."))
    if not rules.may_close(task.status):
        raise invalid(
            "status",
            _("A rectification task is closed only after the inspector has verified it."),
        )
    task.status = choices.RectificationStatus.CLOSED
    task.closed_at = clock.now()
    task.closed_by = user
    with actor(user):
        task.save(update_fields=["status", "closed_at", "closed_by"])
    return task


# ------------------------------------------------------------------ cadre records


def _text(field: str, value: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise invalid(field, _("This field is required."))
    if len(value) > limit:
        raise invalid(field, _("At most %(n)d characters.") % {"n": limit})
    return value


@transaction.atomic
def commend(
    user: Any,
    *,
    member: Any = None,
    organisation: Any = None,
    title: str,
    reason: str,
    decided_by: str,
    decided_on: dt.date,
) -> Commendation:
    """Commend a member or a Party organisation (one of the two) in the user's area."""
    require(user, "add", Commendation)
    if (member is None) == (organisation is None):
        raise invalid("member", _("Commend either a member or a Party organisation."))
    recipient = member if member is not None else organisation
    if not can_access(user, recipient, "view") and not is_system(user):
        raise NotAllowed(_("This member or organisation is outside your area."))
    if decided_by not in choices.CommendingBody.values:
        raise invalid("decided_by", _("Unknown deciding body."))
    if decided_on > clock.today():
        raise invalid("decided_on", _("The decision date lies in the future."))
    with actor(user):
        return Commendation.objects.create(
            member=member,
            organisation=organisation,
            title=_text("title", title, 120),
            reason=_text("reason", reason, 4000),
            decided_by=decided_by,
            decided_on=decided_on,
            created_by=user,
        )


@transaction.atomic
def open_case(
    user: Any,
    *,
    finding: Finding | None,
    member: Any,
    decision: AccountabilityDecision | None,
    decided_by: str,
    decided_on: dt.date,
    summary: str = "",
) -> AccountabilityCase:
    """An accountability case; it must rest on a recorded finding in the user's area."""
    require(user, "add", AccountabilityCase)
    if finding is None:
        raise invalid(
            "finding", _("An accountability case must rest on a finding of an inspection.")
        )
    require(user, "add", node=finding.path, message=_("This finding is outside your area."))
    if finding.inspection.recorded_at is None:
        raise invalid("finding", _("The inspection of this finding is not recorded yet."))
    if member is None:
        raise invalid("member", _("Name the cadre held accountable."))
    if decision is None or not decision.active:
        raise invalid("decision", _("Choose a decision from the list."))
    if decided_by not in choices.DecidingBody.values:
        raise invalid("decided_by", _("Unknown deciding body."))
    if decided_on > clock.today():
        raise invalid("decided_on", _("The decision date lies in the future."))
    if len(summary) > 4000:
        raise invalid("summary", _("At most %(n)d characters.") % {"n": 4000})
    with actor(user):
        return AccountabilityCase.objects.create(
            finding=finding,
            member=member,
            decision=decision,
            decided_by=decided_by,
            decided_on=decided_on,
            summary=summary.strip(),
            created_by=user,
        )
