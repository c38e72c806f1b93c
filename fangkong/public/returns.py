"""Writes of return to work (复工复产, R17), return to school and gatherings: one
function per verb, validated, in one transaction, audited."""

import secrets
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto
from fangkong.core.access import NotAllowed, actor, invalid, require, written
from fangkong.core.querysets import is_system
from fangkong.geo.models import Division
from fangkong.people import identity
from fangkong.people import rules as people_rules
from fangkong.public import rules
from fangkong.public.actions import rules_on
from fangkong.public.choices import GatheringKind, GatheringSource, Handling, SchoolCheck
from fangkong.public.models import (
    ApprovalBatch,
    Employee,
    Enterprise,
    Gathering,
    SchoolPlan,
    WorkApplication,
)


def _phone_fields(phone: str, field: str) -> dict:
    if not phone.strip():
        return {}
    try:
        value = identity.parse_mobile(phone)
    except identity.IdentityError as exc:
        raise invalid("phone", str(exc)) from exc
    return {
        "phone_enc": crypto.encrypt(value, field),
        "phone_masked": people_rules.mask_phone(value),
    }


# Return to work ----------------------------------------------------------------------


def apply_to_resume(
    user: Any,
    node: Division,
    company: str,
    credit_code: str,
    contact_name: str,
    contingency_plan: str,
    resume_date: Any,
    employees: list[dict],
) -> WorkApplication:
    """Register an enterprise's application with its contingency plan and employee list;
    each employee gets a declaration link. Size decides the approval level (R17)."""
    require(user, "add", WorkApplication, node=node)
    written("contingency_plan", contingency_plan, _("the contingency plan is required"))
    if not employees:
        raise invalid("employees", _("list the employees"))
    phones = {}
    for n, e in enumerate(employees):
        if not str(e.get("name", "")).strip():
            raise invalid("employees", _("every employee needs a name"))
        if e.get("phone"):
            try:
                phones[n] = identity.parse_mobile(e["phone"])
            except identity.IdentityError as exc:
                raise invalid("employees", f"{e['name']}: {exc}") from exc
    r = rules_on(clock.today())
    credit_code = credit_code.strip().upper()
    with transaction.atomic(), actor(user):
        app = WorkApplication.objects.create(
            node=node,
            company=company.strip(),
            credit_code=credit_code,
            contact_name=contact_name.strip(),
            contingency_plan=contingency_plan,
            resume_date=resume_date,
            essential=Enterprise.objects.filter(credit_code=credit_code).exists(),
            approval_level=rules.approval_level(len(employees), r.rtw_town_max, r.rtw_county_max),
            inspection_required=len(employees) >= r.rtw_inspection_from,
            created_by=user,
        )
        Employee.objects.bulk_create(
            [
                Employee(
                    application=app,
                    name=e["name"].strip(),
                    token=secrets.token_urlsafe(18),
                    phone_index=crypto.blind_index(phones[n], "person.phone")
                    if n in phones
                    else None,
                    **_phone_fields(phones.get(n, ""), "public.employee.phone"),
                )
                for n, e in enumerate(employees)
            ]
        )
    return app


def platform_colour(employee: Employee) -> str:
    """The employee's health code on the platform, matched by phone, where it exists."""
    from django.apps import apps

    if not employee.phone_index or not apps.is_installed("fangkong.healthcode"):
        return ""
    from fangkong.healthcode.models import HealthCode

    found = HealthCode.objects.filter(
        person__phone_index=employee.phone_index, person__merged_into__isnull=True
    ).values_list("colour", flat=True)
    return found.first() or ""


def declare_health(
    token: str,
    temperature: Any,
    symptoms: bool,
    from_key_area: bool,
    health_code: str = "",
) -> Employee:
    """An employee's health declaration from the phone form opened by their link."""
    employee = Employee.objects.select_related("application").filter(token=token).first()
    if employee is None or employee.application.status != "draft":
        raise invalid("token", _("this declaration link is not open"))
    with transaction.atomic():
        employee.temperature, employee.symptoms = temperature, symptoms
        employee.from_key_area = from_key_area
        employee.health_code = platform_colour(employee) or health_code
        employee.declared_at = clock.now()
        employee.save()
    return employee


def r17_check(app: WorkApplication) -> rules.R17Check:
    total = app.employees.count()
    declared = app.employees.filter(declared_at__isnull=False).count()
    return rules.r17_submission(
        total, declared, app.resume_date, clock.today(), rules_on(clock.today()).rtw_days_before
    )


def submit_application(user: Any, app: WorkApplication) -> WorkApplication:
    """R17: only when every employee has declared, ≥ N days before the resume date."""
    require(user, "add", WorkApplication, node=app.node)
    if app.status != "draft":
        raise invalid("status", _("already submitted"))
    check = r17_check(app)
    if not check.ok:
        raise invalid("resume_date", "; ".join(check.reasons))
    with transaction.atomic(), actor(user):
        app.status, app.submitted_at = "submitted", clock.now()
        app.save(update_fields=["status", "submitted_at"])
    return app


def record_inspection(user: Any, app: WorkApplication, passed: bool, note: str) -> WorkApplication:
    """The on-site inspection (现场核查) before approval, where required."""
    require(user, "inspect", WorkApplication, node=app.node)
    if app.status != "submitted":
        raise invalid("status", _("only a submitted application is inspected"))
    with transaction.atomic(), actor(user):
        app.inspected_at, app.inspection_note = clock.now(), note.strip()
        app.status = "inspected" if passed else "rejected"
        if not passed:
            app.decided_by, app.decided_at = user, clock.now()
            app.decision_note = note.strip()
        app.save()
    return app


def decide_application(user: Any, app: WorkApplication, approve: bool, note: str = "") -> Any:
    """Approval at the level set by size; inspection first where required."""
    require(user, "approve", WorkApplication, node=app.node)
    level = None if is_system(user) else user.node.level
    if not rules.may_approve_at(level, app.approval_level):
        raise NotAllowed(_("this application is approved at a higher level"))
    if app.status not in ("submitted", "inspected"):
        raise invalid("status", _("not waiting for a decision"))
    if approve and app.inspection_required and app.status != "inspected":
        raise invalid("status", _("an on-site inspection is required before approval"))
    with transaction.atomic(), actor(user):
        app.status = "approved" if approve else "rejected"
        app.decided_by, app.decided_at, app.decision_note = user, clock.now(), note.strip()
        app.save()
    return app


def publish_batch(user: Any, node: Division) -> ApprovalBatch:
    """Publish the approved applications under `node` not yet in a batch."""
    require(user, "approve", WorkApplication, node=node)
    with transaction.atomic(), actor(user):
        pending = (
            WorkApplication.objects.select_for_update()
            .under(node.path)
            .filter(status="approved", batch__isnull=True)
        )
        ids = list(pending.values_list("pk", flat=True))
        if not ids:
            raise invalid("batch", _("no approved applications waiting for publication"))
        last = ApprovalBatch.objects.filter(node=node).aggregate(n=Max("number"))["n"] or 0
        batch = ApprovalBatch.objects.create(node=node, number=last + 1, published_by=user)
        WorkApplication.objects.filter(pk__in=ids).update(batch=batch)
    return batch


# Return to school --------------------------------------------------------------------


def file_school_plan(user: Any, node: Division, **data: Any) -> SchoolPlan:
    require(user, "add", SchoolPlan, node=node)
    if not str(data.get("contingency_plan", "")).strip():
        raise invalid("contingency_plan", _("the contingency plan is required"))
    checklist = [c for c in data.pop("checklist", []) if c in SchoolCheck.values]
    if data.get("staff_declared", 0) > data.get("staff", 0):
        raise invalid("staff_declared", _("more declarations than staff"))
    with transaction.atomic(), actor(user):
        return SchoolPlan.objects.create(node=node, created_by=user, checklist=checklist, **data)


def decide_school_plan(user: Any, plan: SchoolPlan, approve: bool, note: str = "") -> SchoolPlan:
    """Approval needs the whole checklist and every staff member declared."""
    require(user, "approve", SchoolPlan, node=plan.node)
    if approve:
        missing = rules.school_ready(
            plan.checklist, list(SchoolCheck.values), plan.staff, plan.staff_declared
        )
        if missing:
            raise invalid("checklist", "; ".join(missing))
    with transaction.atomic(), actor(user):
        plan.status = "approved" if approve else "rejected"
        plan.decided_by, plan.decided_at, plan.decision_note = user, clock.now(), note.strip()
        plan.save()
    return plan


# Gatherings --------------------------------------------------------------------------


def report_gathering(user: Any | None, node: Division, **data: Any) -> Gathering:
    """A planned gathering reported by a family or venue (user None: the public page),
    or an unreported one found by inspection (staff, source 'inspection')."""
    if user is not None:
        require(user, "add", Gathering, node=node)
    elif data.get("source") != "reported":
        raise invalid("source", _("the public reports planned gatherings"))
    if data.get("kind") not in GatheringKind.values:
        raise invalid("kind", _("choose the kind of gathering"))
    if data.get("source") not in GatheringSource.values:
        raise invalid("source", _("choose the source"))
    if node.level not in ("village", "grid"):
        raise invalid("node_code", _("choose the community or village"))
    phone = data.pop("phone", "")
    with transaction.atomic(), actor(user):
        return Gathering.objects.create(
            node=node,
            under_ban=rules_on(data["planned_on"]).gathering_ban,
            **_phone_fields(phone, "public.gathering.phone"),
            **data,
        )


def handle_gathering(user: Any, g: Gathering, handling: str) -> Gathering:
    """The community records how it handled a gathering under the ban."""
    require(user, "change", Gathering, node=g.node)
    if handling not in Handling.values:
        raise invalid("handling", _("choose the handling"))
    with transaction.atomic(), actor(user):
        g.handling, g.handled_by, g.handled_at = handling, user, clock.now()
        g.save(update_fields=["handling", "handled_by", "handled_at"])
    return g


def follow_up_gathering(user: Any, g: Gathering, note: str) -> Gathering:
    require(user, "change", Gathering, node=g.node)
    if not g.handling:
        raise invalid("follow_up", _("record the handling first"))
    written("follow_up", note, _("write what the follow-up found"))
    with transaction.atomic(), actor(user):
        g.follow_up, g.followed_up_at = note.strip(), clock.now()
        g.save(update_fields=["follow_up", "followed_up_at"])
    return g
