"""Schemas of the public-side API."""

import datetime as dt
from typing import Any

from ninja import Field, Schema


class FigureIn(Schema):
    code: str
    name: str = ""
    new: int = Field(ge=0, le=10_000_000)
    total: int = Field(ge=0, le=10_000_000)


class DraftIn(Schema):
    node_code: str
    day: dt.date
    figures: list[FigureIn] | None = None
    title: str = ""
    text: str = ""


class EditIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    text: str = Field(min_length=1)


class BulletinOut(Schema):
    id: int
    node_code: str = Field(..., alias="node.code")
    day: dt.date
    title: str
    text: str
    figures: list[dict]
    places: list[str]
    status: str
    published_at: dt.datetime | None


class PublishedOut(Schema):
    node_code: str
    node_name: str
    day: dt.date
    title: str
    text: str
    figures: list[dict]
    places: list[str]
    published_at: dt.datetime


class ArticleIn(Schema):
    title: str = Field(min_length=1, max_length=120)
    body: str = Field(min_length=1)


class ArticleOut(Schema):
    id: int
    title: str
    body: str


class RumourIn(Schema):
    text: str = Field(min_length=1)
    where_seen: str = ""


class ClarifyIn(Schema):
    clarification: str = ""
    sources: str = ""
    dismiss: bool = False


class RumourOut(Schema):
    id: int
    text: str
    source: str
    status: str
    clarification: str
    sources: str


class CodeIn(Schema):
    phone: str


class AskIn(Schema):
    node_code: str
    department: str
    text: str
    phone: str = ""
    code: str = ""


class AskedOut(Schema):
    ticket: str
    due_at: dt.datetime


class PublicAnswerIn(Schema):
    answer: str
    publish: bool = True


class QuestionOut(Schema):
    id: int
    ticket: str
    node_code: str = Field(..., alias="node.code")
    department: str
    text: str
    phone_masked: str
    due_at: dt.datetime
    escalated_to: str | None
    answer: str
    answered_at: dt.datetime | None
    satisfaction: int | None

    @staticmethod
    def resolve_escalated_to(obj: Any) -> str | None:
        return obj.escalated_to.code if obj.escalated_to else None


class PublicAnswerOut(Schema):
    question: str = Field(..., alias="text")
    answer: str
    node_name: str = Field(..., alias="node.name")
    answered_at: dt.datetime


class CountOut(Schema):
    count: int


class EmployeeIn(Schema):
    name: str = Field(min_length=1, max_length=40)
    phone: str = ""


class PublicApplicationIn(Schema):
    node_code: str
    company: str = Field(min_length=1, max_length=120)
    credit_code: str = Field(min_length=1, max_length=18)
    contact_name: str = Field(min_length=1, max_length=40)
    contingency_plan: str
    resume_date: dt.date
    employees: list[EmployeeIn] = Field(max_length=20_000)


class InspectIn(Schema):
    passed: bool
    note: str = Field(min_length=1, max_length=200)


class PublicDecideIn(Schema):
    approve: bool
    note: str = Field("", max_length=200)


class EmployeeOut(Schema):
    id: int
    name: str
    phone_masked: str
    declared: bool


class ApplicationOut(Schema):
    id: int
    company: str
    node_code: str
    status: str
    resume_date: dt.date
    essential: bool
    approval_level: str
    inspection_required: bool
    employees: int
    declared: int
    batch: int | None


class PublicBatchIn(Schema):
    node_code: str


class PublicBatchOut(Schema):
    id: int
    number: int
    companies: list[str]


class SchoolIn(Schema):
    node_code: str
    school: str = Field(min_length=1, max_length=120)
    return_date: dt.date
    classes: int = Field(ge=1, le=10_000)
    students: int = Field(ge=1, le=1_000_000)
    staff: int = Field(ge=1, le=100_000)
    staff_declared: int = Field(0, ge=0, le=100_000)
    students_declared: int = Field(0, ge=0, le=1_000_000)
    contingency_plan: str
    checklist: list[str] = []


class SchoolOut(Schema):
    id: int
    school: str
    status: str
    return_date: dt.date
    checklist: list[str]


class GatheringIn(Schema):
    node_code: str
    kind: str
    source: str
    planned_on: dt.date
    organiser: str = Field(min_length=1, max_length=40)
    phone: str = ""
    venue: str = Field(min_length=1, max_length=120)
    guests: int = Field(ge=1, le=1_000_000)


class HandleIn(Schema):
    handling: str


class FollowIn(Schema):
    follow_up: str


class GatheringOut(Schema):
    id: int
    kind: str
    source: str
    planned_on: dt.date
    node_code: str = Field(..., alias="node.code")
    under_ban: bool
    handling: str
    follow_up: str
