"""API shapes of supervision. Inputs are bounded (lengths, choices) so bad input is a
422 naming the field, never a 500."""

import datetime as dt
from typing import Any, Literal

from ninja import Field, Schema

TopicName = Literal[
    "screening",
    "observation",
    "checkpoints",
    "supplies",
    "clinical",
    "public_information",
    "mobilisation",
]
Code = Field(..., min_length=1, max_length=40)


class SupervisionChecklistOut(Schema):
    topic: str
    items: list[str]
    active: bool


class SupervisionChecklistIn(Schema):
    items: list[str] = Field(..., max_length=200)
    active: bool = True


class SupervisionDecisionOut(Schema):
    code: str
    name: str
    active: bool


class SupervisionTeamIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    leader_id: int
    member_ids: list[int] = Field(default=[], max_length=50)


class TeamOut(Schema):
    id: int
    name: str
    leader_id: int
    member_ids: list[int]

    @staticmethod
    def resolve_member_ids(obj: Any) -> list[int]:
        return [m.pk for m in obj.members.all()]


class SupervisionPlanIn(Schema):
    node_code: str = Code
    title: str = Field(..., min_length=1, max_length=120)
    starts_on: dt.date
    ends_on: dt.date
    topics: list[TopicName] = Field(..., min_length=1, max_length=7)


class PlanOut(Schema):
    id: int
    node_code: str = Field(..., alias="node.code")
    title: str
    starts_on: dt.date
    ends_on: dt.date
    topics: list[str]
    teams: list[TeamOut]


class InspectionIn(Schema):
    team_id: int
    node_code: str = Code
    kind: Literal["open", "unannounced"]
    planned_on: dt.date
    topics: list[TopicName] = Field(..., min_length=1, max_length=7)
    subject_id: int | None = None


class InspectionOut(Schema):
    id: int
    team_id: int
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    kind: str
    status: str
    topics: list[str]
    planned_on: dt.date
    leader_id: int
    subject_id: int | None
    summary: str
    recorded_at: dt.datetime | None


class SupervisionResultIn(Schema):
    topic: TopicName
    item_no: int = Field(..., ge=0, le=200)
    outcome: Literal["pass", "fail", "na"]
    note: str = Field(default="", max_length=300)


class ResultsIn(Schema):
    results: list[SupervisionResultIn] = Field(..., max_length=500)


class ResultOut(Schema):
    topic: str
    item_no: int
    item_text: str
    outcome: str
    note: str


class SupervisionPhotoOut(Schema):
    id: int
    width: int
    height: int
    size: int


class FindingIn(Schema):
    description: str = Field(..., min_length=1, max_length=4000)
    topic: TopicName | Literal[""] = ""
    severity: Literal["minor", "serious"] = "minor"
    cadre_id: int | None = None


class FindingOut(Schema):
    id: int
    inspection_id: int
    topic: str
    description: str
    severity: str
    cadre_id: int | None
    photos: list[SupervisionPhotoOut]


class InspectionDetail(InspectionOut):
    results: list[ResultOut]
    findings: list[FindingOut]

    @staticmethod
    def resolve_findings(obj: Any) -> list:
        """The findings share the inspection's path and visibility."""
        return list(obj.findings.prefetch_related("photos"))


class RecordIn(Schema):
    summary: str = Field(default="", max_length=4000)


class RectificationIn(Schema):
    owner_node_code: str = Code
    owner_user_id: int | None = None
    requirement: str = Field(..., min_length=1, max_length=4000)
    deadline: dt.date | None = None


class RectificationOut(Schema):
    id: int
    finding_id: int
    owner_node_code: str = Field(..., alias="owner_node.code")
    owner_user_id: int | None
    requirement: str
    deadline: dt.date
    status: str
    state: str
    reply: str
    verification_note: str
    rejections: int
    escalated_to_code: str

    @staticmethod
    def resolve_state(obj: Any) -> str:
        return getattr(obj, "state", obj.status)

    @staticmethod
    def resolve_escalated_to_code(obj: Any) -> str:
        parts = [p for p in obj.escalate_path.split("/") if p]
        return parts[-1] if parts else ""


class ReplyIn(Schema):
    reply: str = Field(..., min_length=1, max_length=4000)


class SupervisionVerifyIn(Schema):
    accepted: bool
    note: str = Field(default="", max_length=300)


class CommendationIn(Schema):
    member_id: int | None = None
    organisation_id: int | None = None
    title: str = Field(..., min_length=1, max_length=120)
    reason: str = Field(..., min_length=1, max_length=4000)
    decided_by: Literal[
        "party_committee", "organisation_department", "headquarters", "discipline_inspection"
    ]
    decided_on: dt.date


class CommendationOut(Schema):
    id: int
    member_id: int | None
    organisation_id: int | None
    recipient: str
    title: str
    reason: str
    decided_by: str
    decided_on: dt.date

    @staticmethod
    def resolve_recipient(obj: Any) -> str:
        return str(obj.recipient)


class CaseIn(Schema):
    finding_id: int | None = None
    member_id: int
    decision: str = Field(..., min_length=1, max_length=30)
    decided_by: Literal["discipline_inspection", "organisation_department"]
    decided_on: dt.date
    summary: str = Field(default="", max_length=4000)


class SupervisionCaseOut(Schema):
    id: int
    finding_id: int
    member_id: int
    member_name: str = Field(..., alias="member.name")
    decision: str = Field(..., alias="decision.code")
    decision_name: str = Field(..., alias="decision.name")
    decided_by: str
    decided_on: dt.date
    summary: str


class SupervisionShiftOut(Schema):
    post: str
    node_code: str
    starts_at: dt.datetime
    ends_at: dt.datetime


class CadreRecordOut(Schema):
    member_id: int
    name: str
    cadre_rank: str
    counts: dict[str, int]  # every part's total (accountability only for those who see it)
    shifts: list[SupervisionShiftOut]
    rectifications: list[RectificationOut]
    inspections_led: list[InspectionOut]
    inspections_as_subject: list[InspectionOut]
    commendations: list[CommendationOut]
    accountability: list[SupervisionCaseOut] | None


class FigureRow(Schema):
    code: str
    name: str
    inspections_open: int
    inspections_unannounced: int
    findings: int
    rectifications_open: int
    rectifications_overdue: int
    rectifications_closed: int
