"""The clinical API under /api/v1/clinical/: the same actions as the pages.
A record outside the caller's area is a 404; a role that may not act is a 403."""

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from fangkong.clinical import boards, care, investigation, labimport, samples
from fangkong.clinical.actions import cases as cases_actions
from fangkong.clinical.actions import rulesets, visits
from fangkong.clinical.models import (
    Case,
    ClinicalRules,
    ClinicVisit,
    Cluster,
    ExpertTeam,
    Facility,
    Sample,
    Transfer,
    Ward,
)
from fangkong.core import listing as lists
from fangkong.core.access import record, require

router = Router(tags=["clinical"])


class ClinicalVisitOut(Schema):
    id: int
    facility_id: int
    person_id: int
    person_name: str = Field(..., alias="person.name")
    arrived_at: dt.datetime
    first_doctor_id: int
    responsible_doctor_id: int
    temperature: float | None
    symptoms: list[str]
    epi_items: list[str]
    imaging_pneumonia: bool
    blood_typical: bool
    disposition: str
    r7: dict

    @staticmethod
    def resolve_r7(obj: ClinicVisit, context: Any) -> dict:
        # One read of the rule sets per request, however many visits the page lists.
        request = context["request"]
        if not hasattr(request, "clinical_rules_by_day"):
            request.clinical_rules_by_day = ClinicalRules.in_force_by_day()
        return rulesets.visit_r7(obj, request.clinical_rules_by_day).as_dict()


class ClinicalVisitIn(Schema):
    facility_id: int
    person_id: int | None = None
    id_number: str = ""
    name: str = ""
    node_code: str = ""
    first_doctor_id: int | None = None
    observation_referral_id: int | None = None
    screening_task_id: int | None = None
    temperature: str | None = None
    symptoms: list[str] = []
    epi_items: list[str] = []
    imaging_pneumonia: bool = False
    blood_typical: bool = False


class FindingsIn(Schema):
    temperature: str | None = None
    symptoms: list[str] | None = None
    epi_items: list[str] | None = None
    imaging_pneumonia: bool | None = None
    blood_typical: bool | None = None


class HandOverIn(Schema):
    to_doctor_id: int
    reason: str


class DisposeIn(Schema):
    disposition: str
    note: str = ""
    diagnosed_at: dt.datetime | None = None


class ClinicalCaseOut(Schema):
    id: int
    number: str
    person_name: str = Field(..., alias="person.name")
    facility_id: int
    status: str
    severity: str
    outcome: str
    diagnosed_at: dt.datetime
    confirmed_at: dt.datetime | None
    admitted_at: dt.datetime | None
    clocks: list[dict]
    expert_team_id: int | None
    setting: str
    onset_date: dt.date | None
    source: str
    source_note: str
    imported: bool

    @staticmethod
    def resolve_clocks(obj: Case) -> list[dict]:
        from fangkong.core import clock

        return boards.clocks(obj, clock.now())


class ClassifyIn(Schema):
    status: str
    severity: str = ""
    reason: str = ""
    diagnosed_at: dt.datetime | None = None


class SampleIn(Schema):
    code: str
    sample_type: str
    taken_at: dt.datetime | None = None
    lab: str = ""


class SampleOut(Schema):
    id: int
    code: str
    case_id: int
    sample_type: str
    taken_at: dt.datetime
    result: str
    ct_orf1ab: float | None
    ct_n: float | None


class ClinicalResultIn(Schema):
    result: str
    ct_orf1ab: str | None = None
    ct_n: str | None = None
    result_at: dt.datetime | None = None


class ClinicalTransferIn(Schema):
    to_facility_id: int
    bed_kind: str
    reason: str = ""


class TransferOut(Schema):
    id: int
    case_id: int
    to_facility_id: int
    status: str
    bed_id: int | None
    arrived_at: dt.datetime | None


class BedIn(Schema):
    ward_id: int


class DepartIn(Schema):
    vehicle: str


class DailyIn(Schema):
    day: dt.date | None = None
    max_temperature: str
    severity: str = ""
    symptoms_improved: bool = False
    imaging_improved: bool = False
    note: str = ""


class DischargeIn(Schema):
    override_reason: str = ""


class DeathIn(Schema):
    cause: str


class TextIn(Schema):
    text: str


class ClinicalExposureIn(Schema):
    name: str
    relation: str = ""
    setting: str = ""
    last_contact: dt.date
    note: str = ""


class OnsetSourceIn(Schema):
    """Symptom onset (null: unknown or no symptoms) and infection source: local,
    outside_province, other_city or unknown; origin only for imported cases."""

    onset_date: dt.date | None = None
    source: str
    source_note: str = ""


class ClinicalTeamIn(Schema):
    team_id: int


# ---------------------------------------------------------------- boards, facilities


@router.get("/board")
def board(request: HttpRequest) -> dict:
    require(request.user, "view", "clinical.case")
    b = boards.board(request.user)
    return {
        "by_status": b["by_status"],
        "overdue": {k: v.count() for k, v in b["overdue"].items()},
        "beds": b["beds"],
        "awaiting_admission": b["awaiting_admission"],
        "needing_experts": b["needing_experts"],
        "admission": b["admission"],
    }


@router.get("/facilities")
def facilities(request: HttpRequest) -> list[dict]:
    require(request.user, "view", "clinical.facility")
    return [
        {
            "id": r["facility"].pk,
            "name": r["facility"].name,
            "kind": r["facility"].kind,
            "node": r["facility"].node.code,
            "beds": r["beds"],
        }
        for r in boards.facilities(request.user)["rows"]
    ]


# ---------------------------------------------------------------- visits


NO_REFERRAL = gettext_lazy("no such pending referral in your area")
NO_SCREENING = gettext_lazy("no such pending screening referral in your area")


def _pending(find: Any, request: HttpRequest, pk: Any, refusal: Any) -> Any:
    """The pending referral `find` answers for `pk` in the caller's area (None without
    a `pk`); a `pk` it does not answer for is refused."""
    if pk is None:
        return None
    found = find(request.user, str(pk))
    if found is None:
        raise PermissionDenied(str(refusal))
    return found


@router.post("/visits", response={201: ClinicalVisitOut})
def create_visit(request: HttpRequest, body: ClinicalVisitIn):  # type: ignore[no-untyped-def]
    facility = record(request.user, Facility.objects, body.facility_id)
    person = None
    if body.person_id is not None:
        from fangkong.people.models import Person

        person = record(request.user, Person.objects, body.person_id)
    referral, task = (
        _pending(boards.pending_referral, request, body.observation_referral_id, NO_REFERRAL),
        _pending(boards.pending_screening, request, body.screening_task_id, NO_SCREENING),
    )
    person = referral.period.person if referral is not None else person
    person = task.subject.person if task is not None else person
    doctor = None
    if body.first_doctor_id is not None:
        from fangkong.accounts.models import User

        doctor = get_object_or_404(User.objects.filter(role="medical"), pk=body.first_doctor_id)
    visit = visits.register_visit(
        request.user,
        facility,
        person=person,
        id_number=body.id_number,
        person_data={"name": body.name, "node_code": body.node_code},
        first_doctor=doctor,
        observation_referral=referral,
        screening_task=task,
        temperature=body.temperature,
        symptoms=body.symptoms,
        epi_items=body.epi_items,
        imaging_pneumonia=body.imaging_pneumonia,
        blood_typical=body.blood_typical,
    )
    return Status(201, visit)


@lists.paged(router, "/visits", ClinicalVisitOut)
def list_visits(request: HttpRequest, open: bool = True):  # type: ignore[no-untyped-def]
    """Fever-clinic visits, paged (`page`, `page_size`) with `count`."""
    qs = ClinicVisit.objects.restrict(request.user, "view").select_related("person")
    return qs.open() if open else qs


@router.get("/visits/{pk}", response=ClinicalVisitOut)
def get_visit(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return record(request.user, ClinicVisit.objects, pk)


@router.post("/visits/{pk}/findings", response=ClinicalVisitOut)
def visit_findings(request: HttpRequest, pk: int, body: FindingsIn):  # type: ignore[no-untyped-def]
    return visits.record_findings(
        request.user, record(request.user, ClinicVisit.objects, pk), body.dict(exclude_none=True)
    )


@router.post("/visits/{pk}/handover", response=ClinicalVisitOut)
def visit_handover(request: HttpRequest, pk: int, body: HandOverIn):  # type: ignore[no-untyped-def]
    from fangkong.accounts.models import User

    visit = record(request.user, ClinicVisit.objects, pk)
    to = User.objects.filter(pk=body.to_doctor_id).first()
    visits.hand_over(request.user, visit, to, body.reason)
    visit.refresh_from_db()
    return visit


@router.post("/visits/{pk}/dispose", response=ClinicalVisitOut)
def visit_dispose(request: HttpRequest, pk: int, body: DisposeIn):  # type: ignore[no-untyped-def]
    return visits.dispose(
        request.user, record(request.user, ClinicVisit.objects, pk), **body.dict()
    )


# ---------------------------------------------------------------- cases


@lists.paged(router, "/cases", ClinicalCaseOut)
def list_cases(request: HttpRequest, overdue: str = ""):  # type: ignore[no-untyped-def]
    from fangkong.core import clock

    qs = Case.objects.restrict(request.user, "view").select_related("person")
    if overdue == "report":
        qs = qs.report_overdue(clock.now())
    elif overdue == "investigation":
        qs = qs.investigation_overdue(clock.now())
    elif overdue == "emergency":
        qs = qs.emergency_overdue(clock.now())
    else:
        qs = qs.active()
    return qs


@router.get("/cases/{pk}", response=ClinicalCaseOut)
def get_case(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return record(request.user, Case.objects, pk)


@router.get("/cases/{pk}/proposal")
def case_proposal(request: HttpRequest, pk: int) -> dict:
    case = record(request.user, Case.objects, pk)
    r8 = (
        care.discharge_check(case).as_dict()
        if case.status in ("confirmed", "asymptomatic")
        else None
    )
    return {"r7": cases_actions.proposal(case).as_dict(), "r8": r8}


@router.get("/cases/{pk}/history")
def case_history(request: HttpRequest, pk: int) -> list[dict]:
    case = record(request.user, Case.objects, pk)
    return [
        {
            "from": c.from_status,
            "to": c.to_status,
            "severity": c.severity,
            "outcome": c.outcome,
            "by": c.by_id,
            "at": c.at,
            "diagnosed_at": c.diagnosed_at,
            "reason": c.reason,
            "override": c.override,
            "criteria": c.criteria,
        }
        for c in case.changes.all()
    ]


@router.post("/cases/{pk}/classify", response=ClinicalCaseOut)
def case_classify(request: HttpRequest, pk: int, body: ClassifyIn):  # type: ignore[no-untyped-def]
    d = body.dict()
    return cases_actions.classify(
        request.user, record(request.user, Case.objects, pk), d.pop("status"), **d
    )


@router.post("/cases/{pk}/emergency-report", response=ClinicalCaseOut)
def case_emergency(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return cases_actions.mark_emergency_reported(
        request.user, record(request.user, Case.objects, pk)
    )


@router.post("/cases/{pk}/samples", response={201: SampleOut})
def case_sample(request: HttpRequest, pk: int, body: SampleIn):  # type: ignore[no-untyped-def]
    return Status(
        201,
        samples.record_sample(request.user, record(request.user, Case.objects, pk), **body.dict()),
    )


@router.post("/samples/{pk}/result", response=SampleOut)
def sample_result(request: HttpRequest, pk: int, body: ClinicalResultIn):  # type: ignore[no-untyped-def]
    sample = record(request.user, Sample.objects, pk, "change")
    return samples.record_result(request.user, sample, **body.dict())


@router.post("/lab-results")
def lab_results(request: HttpRequest, file: File[UploadedFile]) -> dict:
    require(request.user, "change", "clinical.sample")
    allowed = Sample.objects.restrict(request.user, "change")
    n = labimport.import_results(request.user, allowed, file.name or "", file.read())
    return {"recorded": n}


@router.post("/cases/{pk}/transfers", response={201: TransferOut})
def case_transfer(request: HttpRequest, pk: int, body: ClinicalTransferIn):  # type: ignore[no-untyped-def]
    case = record(request.user, Case.objects, pk)
    hospital = get_object_or_404(boards.hospitals(request.user), pk=body.to_facility_id)
    return Status(
        201,
        care.request_transfer(
            request.user, case, hospital, bed_kind=body.bed_kind, reason=body.reason
        ),
    )


def _transfer(request: HttpRequest, pk: int) -> Transfer:
    return record(request.user, Transfer.objects, pk, "change")


@router.post("/transfers/{pk}/bed", response=TransferOut)
def transfer_bed(request: HttpRequest, pk: int, body: BedIn):  # type: ignore[no-untyped-def]
    transfer = _transfer(request, pk)
    ward = record(request.user, Ward.objects, body.ward_id)
    return care.assign_bed(request.user, transfer, ward)


@router.post("/transfers/{pk}/depart", response=TransferOut)
def transfer_depart(request: HttpRequest, pk: int, body: DepartIn):  # type: ignore[no-untyped-def]
    return care.depart(request.user, _transfer(request, pk), vehicle=body.vehicle)


@router.post("/transfers/{pk}/arrive", response=TransferOut)
def transfer_arrive(request: HttpRequest, pk: int):  # type: ignore[no-untyped-def]
    return care.arrive(request.user, _transfer(request, pk))


@router.post("/cases/{pk}/daily")
def case_daily(request: HttpRequest, pk: int, body: DailyIn) -> dict:
    d = care.record_daily(request.user, record(request.user, Case.objects, pk), body.dict())
    return {"day": d.day, "max_temperature": float(d.max_temperature), "severity": d.severity}


@router.post("/cases/{pk}/experts", response=ClinicalCaseOut)
def case_experts(request: HttpRequest, pk: int, body: ClinicalTeamIn):  # type: ignore[no-untyped-def]
    team = record(request.user, ExpertTeam.objects, body.team_id)
    return care.assign_experts(request.user, record(request.user, Case.objects, pk), team)


@router.post("/cases/{pk}/discharge", response=ClinicalCaseOut)
def case_discharge(request: HttpRequest, pk: int, body: DischargeIn):  # type: ignore[no-untyped-def]
    return care.discharge(
        request.user, record(request.user, Case.objects, pk), override_reason=body.override_reason
    )


@router.post("/cases/{pk}/death", response=ClinicalCaseOut)
def case_death(request: HttpRequest, pk: int, body: DeathIn):  # type: ignore[no-untyped-def]
    return care.record_death(request.user, record(request.user, Case.objects, pk), cause=body.cause)


@router.post("/cases/{pk}/setting", response=ClinicalCaseOut)
def case_setting(request: HttpRequest, pk: int, body: TextIn):  # type: ignore[no-untyped-def]
    return investigation.set_setting(
        request.user, record(request.user, Case.objects, pk), body.text
    )


@router.post("/cases/{pk}/onset-source", response=ClinicalCaseOut)
def case_onset_source(request: HttpRequest, pk: int, body: OnsetSourceIn):  # type: ignore[no-untyped-def]
    return investigation.set_onset_source(
        request.user, record(request.user, Case.objects, pk), **body.dict()
    )


@router.get("/cases/{pk}/exposures")
def case_exposures(request: HttpRequest, pk: int) -> list[dict]:
    case = record(request.user, Case.objects, pk)
    inv = getattr(case, "investigation", None)
    if inv is None:
        return []
    return [
        {
            "id": e.pk,
            "name": e.name,
            "relation": e.relation,
            "setting": e.setting,
            "last_contact": e.last_contact,
            "consumed_at": e.consumed_at,
        }
        for e in inv.exposures.all()
    ]


@router.post("/cases/{pk}/exposures", response={201: dict})
def case_add_exposure(request: HttpRequest, pk: int, body: ClinicalExposureIn):  # type: ignore[no-untyped-def]
    case = record(request.user, Case.objects, pk)
    e = investigation.add_exposure(request.user, case.investigation, body.dict())
    return Status(201, {"id": e.pk, "name": e.name})


@router.post("/cases/{pk}/investigation/complete")
def case_investigated(request: HttpRequest, pk: int, body: TextIn) -> dict:
    case = record(request.user, Case.objects, pk)
    inv = investigation.complete_investigation(request.user, case.investigation, body.text)
    return {"completed_at": inv.completed_at}


class ClusterOut(Schema):
    id: int
    setting: str
    detected_at: dt.datetime
    threshold: int
    emergency_due: dt.datetime
    reported_at: dt.datetime | None
    cases: list[int]

    @staticmethod
    def resolve_cases(obj: Cluster) -> list[int]:
        return [case.pk for case in obj.cases.all()]


@lists.paged(router, "/clusters", ClusterOut)
def list_clusters(request: HttpRequest) -> Any:
    """Clusters, paged (`page`, `page_size`) with `count`."""
    require(request.user, "view", "clinical.cluster")
    return Cluster.objects.restrict(request.user, "view").prefetch_related("cases")


@router.post("/clusters/{pk}/report")
def cluster_report(request: HttpRequest, pk: int) -> dict:
    cluster = record(request.user, Cluster.objects, pk, "report")
    cases_actions.report_cluster(request.user, cluster)
    return {"reported_at": cluster.reported_at}


__all__ = ["router"]
