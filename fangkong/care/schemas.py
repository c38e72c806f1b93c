"""Schemas of the care API: lengths and choices are validated here, so bad input is a
422 naming the field, never a server error."""

import datetime as dt
from typing import Any, Literal

from django.urls import reverse
from ninja import Field, Schema

from fangkong.core.schemas import RuleSetIn, RuleSetOut

Code = Field(min_length=1, max_length=24, pattern=r"^[0-9A-Za-z]+$")


class CategoryOut(Schema):
    code: str
    name: str


class DifficultyIn(Schema):
    reporter_name: str = Field(min_length=1, max_length=50)
    phone: str = Field(min_length=1, max_length=20)
    relation: Literal["self", "family"] = "self"
    category: str = Field(min_length=1, max_length=30)
    description: str = Field(min_length=1, max_length=1000)
    node_code: str | None = Field(
        default=None, min_length=1, max_length=24, pattern=r"^[0-9A-Za-z]+$"
    )


class OpenDifficultyIn(DifficultyIn):
    code: str = Field(min_length=1, max_length=6)


class DifficultyOut(Schema):
    id: int
    category: str = Field(..., alias="category.code")
    category_name: str = Field(..., alias="category.name")
    description: str
    relation: str
    reporter_name: str
    phone_masked: str
    member_id: int | None
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    owner_id: int | None
    deadline: dt.datetime
    status: str
    state: str
    escalated_to: str | None
    created_at: dt.datetime
    taken_at: dt.datetime | None
    solved_at: dt.datetime | None
    solution: str
    rating: int | None

    @staticmethod
    def resolve_escalated_to(obj: Any) -> str | None:
        return obj.escalated_to.code if obj.escalated_to else None


class MyDifficultyOut(Schema):
    id: int
    category_name: str = Field(..., alias="category.name")
    description: str
    node_name: str = Field(..., alias="node.name")
    state: str
    deadline: dt.datetime
    created_at: dt.datetime
    solution: str
    rating: int | None


class CareVerifyIn(Schema):
    phone: str = Field(min_length=1, max_length=20)
    code: str = Field(min_length=1, max_length=6)


class MineOut(Schema):
    token: str
    items: list[MyDifficultyOut]
    count: int = 0


class RateIn(Schema):
    token: str = Field(min_length=1, max_length=200)
    rating: int = Field(ge=1, le=5)
    comment: str = Field(default="", max_length=200)


class OwnerIn(Schema):
    owner_id: int = Field(ge=1, le=2**31 - 1)


class SolveIn(Schema):
    solution: str = Field(min_length=1, max_length=2000)


class CareLevelOut(Schema):
    code: str
    name: str
    open: int
    overdue: int
    solved: int


class DeedIn(Schema):
    node_code: str = Code
    title: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=5000)
    hero_name: str = Field(min_length=1, max_length=100)
    member_id: int | None = Field(default=None, ge=1, le=2**31 - 1)
    organisation_id: int | None = Field(default=None, ge=1, le=2**31 - 1)


class DeedEditIn(Schema):
    title: str = Field(min_length=1, max_length=100)
    text: str = Field(min_length=1, max_length=5000)
    hero_name: str = Field(min_length=1, max_length=100)


class CareReviewIn(Schema):
    decision: Literal["publish", "return", "reject"]
    reason: str = Field(default="", max_length=1000)


class CommendIn(Schema):
    title: str = Field(min_length=1, max_length=100)
    reason: str = Field(min_length=1, max_length=1000)
    decided_by: str = Field(min_length=1, max_length=40)
    decided_on: dt.date


class CarePhotoOut(Schema):
    id: int
    content_type: str
    size: int
    width: int
    height: int


class DeedOut(Schema):
    id: int
    title: str
    text: str
    hero_name: str
    member_id: int | None
    organisation_id: int | None
    node_code: str = Field(..., alias="node.code")
    node_name: str = Field(..., alias="node.name")
    status: str
    review_reason: str
    published_at: dt.datetime | None
    commendation_id: int | None
    photos: list[CarePhotoOut]

    @staticmethod
    def resolve_photos(obj: Any) -> list[Any]:
        return list(obj.photos.all())


class PublicDeedOut(Schema):
    id: int
    title: str
    text: str
    hero_name: str
    node_name: str = Field(..., alias="node.name")
    published_at: dt.datetime
    photo_urls: list[str]

    @staticmethod
    def resolve_photo_urls(obj: Any) -> list[str]:
        return [reverse("care_public:photo", args=[obj.pk, p.pk]) for p in obj.photos.all()]


class CareRulesIn(RuleSetIn):
    solve_days: int = Field(ge=1, le=60)
    photo_max_kb: int = Field(ge=50, le=20480)
    photos_per_deed: int = Field(ge=1, le=20)
    reports_per_hour: int = Field(ge=1, le=1000)


class CareRulesOut(RuleSetOut):
    solve_days: int
    photo_max_kb: int
    photos_per_deed: int
    reports_per_hour: int


class CategoryIn(Schema):
    code: str = Field(min_length=1, max_length=30, pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1, max_length=40)
    active: bool = True


class CategoryFullOut(Schema):
    code: str
    name: str
    active: bool
