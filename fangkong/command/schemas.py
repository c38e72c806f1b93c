"""API shapes of the command app."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import StringConstraints


class CommandLevelOut(Schema):
    effective_from: dt.date
    grade: str
    note: str


class LevelIn(Schema):
    effective_from: dt.date
    grade: str
    note: str = ""


class IndicatorIn(Schema):
    name: str
    unit: str = ""
    goal: Decimal
    direction: str = "at_least"


class IndicatorOut(Schema):
    id: int
    name: str
    unit: str
    goal: Decimal
    direction: str


class TargetIn(Schema):
    node_code: str
    name: str
    description: str = ""
    indicators: list[IndicatorIn]


class TargetOut(Schema):
    id: int
    name: str
    description: str
    node_code: str = Field(..., alias="node.code")
    owner_id: int
    indicators: list[IndicatorOut]


class ValueIn(Schema):
    day: dt.date
    value: Decimal


class ValueOut(Schema):
    indicator_id: int
    day: dt.date
    value: Decimal


class CommandChecklistIn(Schema):
    name: str
    level: str
    items: list[str]


class CommandChecklistOut(Schema):
    id: int
    name: str
    level: str
    items: list[str]


class MarkIn(Schema):
    node_code: str
    item: int
    done: bool
    note: str = ""


class TaskForceIn(Schema):
    node_code: str
    name: str
    leader_id: int
    member_ids: list[int] = []
    responsibilities: str


class TaskForceOut(Schema):
    id: int
    name: str
    node_code: str = Field(..., alias="node.code")
    leader_id: int
    member_ids: list[int]
    responsibilities: str

    @staticmethod
    def resolve_member_ids(obj: Any) -> list[int]:
        return [m.pk for m in obj.members.all()]


class DirectiveIn(Schema):
    node_code: str
    title: str
    text: str
    deadline: dt.datetime
    levels: list[str] = []
    node_codes: list[str] = []
    ack_required: bool = True
    feedback_required: bool = False


class DirectiveOut(Schema):
    id: int
    title: str
    text: str
    node_code: str = Field(..., alias="node.code")
    deadline: dt.datetime
    levels: list[str]
    ack_required: bool
    feedback_required: bool
    issued_at: dt.datetime
    owner_id: int
    has_attachment: bool

    @staticmethod
    def resolve_has_attachment(obj: Any) -> bool:
        return bool(obj.attachment)


class CoverageOut(Schema):
    total: int
    received: int
    acknowledged: int
    reported: int
    received_rate: float | None
    acknowledged_rate: float | None
    reported_rate: float | None


class BranchCoverageOut(CoverageOut):
    node_code: str
    node_name: str


class DirectiveCoverageOut(Schema):
    total: CoverageOut
    by_level: dict[str, CoverageOut]
    by_node: list[BranchCoverageOut]


class ReceiptOut(Schema):
    id: int
    directive_id: int
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    level: str
    received_at: dt.datetime | None
    acknowledged_at: dt.datetime | None
    reported_at: dt.datetime | None
    feedback: str
    escalated_at: dt.datetime | None
    escalated_to_code: str | None

    @staticmethod
    def resolve_escalated_to_code(obj: Any) -> str | None:
        return obj.escalated_to.code if obj.escalated_to_id else None


class FeedbackIn(Schema):
    feedback: str


class CommandSweepOut(Schema):
    escalated: int


class MeetingIn(Schema):
    node_code: str
    day: dt.date
    title: str = ""


class CommandDecisionOut(Schema):
    id: int
    meeting_id: int
    text: str
    owner_id: int
    deadline: dt.date
    status: str
    outcome: str


class MeetingOut(Schema):
    id: int
    node_code: str = Field(..., alias="node.code")
    day: dt.date
    title: str
    agenda: list[str]
    decisions: list[CommandDecisionOut]
    carried: list[CommandDecisionOut]


class CommandDecisionIn(Schema):
    text: str
    owner_id: int
    deadline: dt.date


class CloseIn(Schema):
    outcome: str


class TemplateIn(Schema):
    node_code: str
    name: str
    level: str
    schedule: str = "daily"
    deadline_time: dt.time
    lock_after_hours: int = 24
    fields: list[str]
    starts_on: dt.date
    ends_on: dt.date | None = None


class TemplateOut(Schema):
    id: int
    name: str
    node_code: str = Field(..., alias="node.code")
    level: str
    schedule: str
    deadline_time: dt.time
    lock_after_hours: int
    fields: list[str]
    starts_on: dt.date
    ends_on: dt.date | None


# A report's figures by the names of the template's fields (ReportTemplate.fields): a
# number, a short text as the page's form takes it, or empty.
FigureName = Annotated[str, StringConstraints(min_length=1, max_length=100)]
FigureValue = int | float | Annotated[str, StringConstraints(max_length=200)] | None


class SubmissionIn(Schema):
    node_code: str
    period: dt.date
    data: dict[FigureName, FigureValue] = Field(default_factory=dict, max_length=200)


class SubmissionOut(Schema):
    id: int
    template_id: int
    node_code: str = Field(..., alias="node.code")
    period: dt.date
    data: dict[str, Any]
    completeness: float
    on_time: bool
    submitted_at: dt.datetime


class RateOut(Schema):
    expected: int
    actual: int
    on_time: int
    late: int
    missing: int
    reporting_rate: float | None
    timeliness_rate: float | None
    completeness: float | None


class NodeRateOut(RateOut):
    node_code: str
    node_name: str


class RatesOut(Schema):
    periods: list[dt.date]
    total: RateOut
    by_branch: list[NodeRateOut]
    by_node: list[NodeRateOut]
