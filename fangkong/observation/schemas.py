"""API shapes of the observation app."""

import datetime as dt
import uuid
from decimal import Decimal
from typing import Literal

from ninja import Schema


class ObservationRulesOut(Schema):
    id: int
    effective_from: dt.date
    days: int
    morning_start: dt.time
    morning_end: dt.time
    evening_start: dt.time
    evening_end: dt.time
    fever_threshold: Decimal
    min_temperature: Decimal
    max_temperature: Decimal
    referral_symptoms: list[str]
    negative_test_required: bool
    note: str


class ObservationRulesIn(Schema):
    effective_from: dt.date
    days: int | None = None
    morning_start: dt.time | None = None
    morning_end: dt.time | None = None
    evening_start: dt.time | None = None
    evening_end: dt.time | None = None
    fever_threshold: Decimal | None = None
    min_temperature: Decimal | None = None
    max_temperature: Decimal | None = None
    referral_symptoms: list[str] | None = None
    negative_test_required: bool | None = None
    note: str | None = None


class RoomOut(Schema):
    id: int
    number: str
    capacity: int
    free: int | None = None  # beds left (with `free=true`)


class SiteOut(Schema):
    id: int
    name: str
    address: str
    node_code: str
    doctor_id: int | None
    capacity: int | None = None
    occupied: int | None = None
    free_rooms: int | None = None
    room_count: int | None = None

    @staticmethod
    def resolve_node_code(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.node.code


class SiteIn(Schema):
    name: str
    address: str
    node_code: str
    doctor_id: int | None = None


class RoomsIn(Schema):
    numbers: list[str]
    capacity: int = 1


class PeriodOut(Schema):
    id: int
    person_id: int
    person_name: str
    id_masked: str
    phone_masked: str
    reason: str
    start_date: dt.date
    last_exposure: dt.date
    planned_end: dt.date
    rules_effective_from: dt.date
    status: str
    place_kind: str
    site_id: int | None
    room_id: int | None
    sent_to_id: int | None = None  # sent to this site, awaiting a room there
    grid_code: str
    grid_worker_id: int | None
    responsible_id: int | None
    last_checkin_at: dt.datetime | None
    last_temperature: Decimal | None
    symptomatic: bool
    certificate_code: str | None

    @staticmethod
    def resolve_person_name(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.person.name

    @staticmethod
    def resolve_id_masked(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.person.id_masked

    @staticmethod
    def resolve_phone_masked(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.person.phone_masked

    @staticmethod
    def resolve_rules_effective_from(obj) -> dt.date:  # type: ignore[no-untyped-def]
        return obj.rules.effective_from

    @staticmethod
    def resolve_grid_code(obj) -> str:  # type: ignore[no-untyped-def]
        return obj.grid.code


class PeriodPage(Schema):
    items: list[PeriodOut]
    next_after: int | None
    has_more: bool


class PeriodIn(Schema):
    person_id: int
    reason: str
    last_exposure: dt.date
    start_date: dt.date | None = None
    room_id: int | None = None
    site_id: int | None = None  # sent to this site, which assigns the room


class SendIn(Schema):
    site_id: int


class AdmitIn(Schema):
    room_id: int


class ObservationExposureIn(Schema):
    day: dt.date


class PlacementIn(Schema):
    kind: str
    room_id: int | None = None
    note: str = ""


class PlacementOut(Schema):
    id: int
    kind: str
    site_id: int | None
    room_id: int | None
    started_at: dt.datetime
    ended_at: dt.datetime | None
    note: str


class CheckInIn(Schema):
    client_id: uuid.UUID
    temperature: str | float
    symptoms: list[str] = []
    other_symptom: str = ""
    reporter_kind: str | None = None
    taken_at: dt.datetime | None = None


class CheckInOut(Schema):
    id: int
    period_id: int
    client_id: uuid.UUID
    taken_at: dt.datetime
    local_date: dt.date
    window: str
    on_time: bool
    temperature: Decimal
    symptoms: list[str]
    febrile: bool
    symptomatic: bool
    reporter_kind: str
    period_status: str = ""

    @staticmethod
    def resolve_period_status(obj) -> str:  # type: ignore[no-untyped-def]
        return getattr(obj, "_period_status", "")


class ReleaseIn(Schema):
    negative_test_on: dt.date | None = None


class ObservationEndIn(Schema):
    status: str
    note: str = ""


class LinkOut(Schema):
    url: str
    token: str
    qr_svg: str


class ObservationTaskOut(Schema):
    id: int
    period_id: int
    local_date: dt.date
    window: str
    assigned_to_id: int | None
    status: str
    note: str


class TaskDoneIn(Schema):
    note: str = ""


class ReferralOut(Schema):
    id: int
    period_id: int
    temperature: Decimal | None
    symptoms: list[str]
    reason: str
    clinic: str
    status: str
    created_at: dt.datetime


class ResolveIn(Schema):
    outcome: str
    clinic: str = ""


class SweepIn(Schema):
    day: dt.date | None = None
    window: Literal["morning", "evening"] | None = None


class ObservationSweepOut(Schema):
    created: int


class ObservationVerifyOut(Schema):
    valid: bool
    name: str = ""
    id_masked: str = ""
    start_date: dt.date | None = None
    planned_end: dt.date | None = None
    released_at: dt.datetime | None = None
