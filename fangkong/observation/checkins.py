"""Recording a check-in (R3–R5): the busiest write of the app, so its three statements
(lock the period with its rule set, insert the reading, update the line-list columns)
are SQL prepared once per database vendor, with the models' own field adapters and
converters; the rare branches (duplicates, referrals, late readings) use the ORM."""

import datetime as dt
import uuid
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core import clock, facts, prepared, readings
from fangkong.core.access import invalid
from fangkong.observation import links, rules
from fangkong.observation.choices import ReporterKind, Status, TaskStatus
from fangkong.observation.models import (
    AlertTask,
    CheckIn,
    ObservationPeriod,
    ObservationRules,
    Referral,
)

CLOSED_MESSAGE: dict[str, Any] = {
    Status.RELEASED: gettext_lazy("this observation has ended: the person was released"),
    Status.TRANSFERRED_OUT: gettext_lazy(
        "this observation has ended: the person was transferred out"
    ),
    Status.LOST: gettext_lazy("this observation is closed"),
}
# In the model's field order: Model.from_db maps a partial row by that order.
PERIOD_COLUMNS = [
    f.attname
    for f in ObservationPeriod._meta.concrete_fields
    if f.attname
    in {
        "id",
        "status",
        "link_version",
        "planned_end",
        "start_date",
        "path",
        "last_checkin_at",
        "rules_id",
        "person_id",  # for the facts registry: read with the lock, not by a second query
    }
]
INSERT_COLUMNS = [
    "period_id",
    "client_id",
    "taken_at",
    "local_date",
    "window",
    "on_time",
    "temperature",
    "symptoms",
    "other_symptom",
    "febrile",
    "symptomatic",
    "reporter_kind",
    "reported_by_id",
    "received_at",
    "path",
]
_prepared: dict[str, dict[str, Any]] = {}


def _fields(model: Any, names: list[str]) -> list[Any]:
    by_attname = {f.attname: f for f in model._meta.concrete_fields}
    return [by_attname[n] for n in names]


def _converters(model: Any, names: list[str]) -> list[tuple[Any, list[Any]]]:
    out = []
    for f in _fields(model, names):
        col = f.get_col(model._meta.db_table)
        out.append((col, connection.ops.get_db_converters(col) + f.get_db_converters(connection)))
    return out


def _statements() -> dict[str, Any]:
    """SQL and converters, built once per database vendor."""
    vendor = connection.vendor
    if vendor not in _prepared:
        q = connection.ops.quote_name
        rules_columns = [f.attname for f in ObservationRules._meta.concrete_fields]
        period_t, rules_t = ObservationPeriod._meta.db_table, ObservationRules._meta.db_table
        checkin_t = CheckIn._meta.db_table
        select = (
            "SELECT "
            + ", ".join(f"p.{q(c)}" for c in PERIOD_COLUMNS)
            + ", "
            + ", ".join(f"r.{q(c)}" for c in rules_columns)
            + f" FROM {q(period_t)} p INNER JOIN {q(rules_t)} r ON r.id = p.rules_id"
            + " WHERE p.id = %s"
        )
        if connection.features.has_select_for_update_of:
            select += " FOR UPDATE OF p"
        insert = (
            f"INSERT INTO {q(checkin_t)} ({', '.join(q(c) for c in INSERT_COLUMNS)}) "
            f"VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))}) "
            "ON CONFLICT (period_id, client_id) DO NOTHING RETURNING id"
        )
        _prepared[vendor] = {
            "select": select,
            "insert": insert,
            "period_conv": _converters(ObservationPeriod, PERIOD_COLUMNS),
            "rules_columns": rules_columns,
            "rules_conv": _converters(ObservationRules, rules_columns),
            "insert_fields": _fields(CheckIn, INSERT_COLUMNS),
            "period_fields": {f.attname: f for f in ObservationPeriod._meta.concrete_fields},
            "update_table": q(period_t),
        }
    return _prepared[vendor]


def _convert(values: Any, converters: list[tuple[Any, list[Any]]]) -> list[Any]:
    out = []
    for value, (col, convs) in zip(values, converters, strict=True):
        for conv in convs:
            value = conv(value, col, connection)
        out.append(value)
    return out


def _lock(pk: int) -> tuple[ObservationPeriod, ObservationRules] | None:
    """The period (locked until the end of the transaction) and its rule set."""
    s = _statements()
    rows = prepared.execute(s["select"], [pk])
    if not rows:
        return None
    row = rows[0]
    n = len(PERIOD_COLUMNS)
    period = ObservationPeriod.from_db(
        connection.alias, PERIOD_COLUMNS, _convert(row[:n], s["period_conv"])
    )
    rule_set = ObservationRules.from_db(
        connection.alias, s["rules_columns"], _convert(row[n:], s["rules_conv"])
    )
    return period, rule_set


def _taken_at(value: Any, start_date: dt.date) -> dt.datetime:
    now = clock.now()
    if value is None or value == "":
        return now
    try:
        value = readings.moment(value)
    except readings.NotANumber:
        raise invalid("taken_at", _("not a date and time (ISO 8601)")) from None
    if value > now + dt.timedelta(minutes=10):
        raise invalid("taken_at", _("the reading cannot be in the future"))
    if timezone.localdate(value) < start_date:
        raise invalid("taken_at", _("the reading is before the observation started"))
    return value


def _within_link_limit(
    period_id: int, cid: uuid.UUID, day: dt.date, window: str, r: ObservationRules
) -> None:
    """At most `link_readings_per_window` readings per window through a person's link
    (a resend of a stored reading is not a new one)."""
    stored = CheckIn.objects.filter(period_id=period_id, local_date=day, window=window)
    if stored.filter(client_id=cid).exists():
        return
    if stored.filter(reported_by__isnull=True).count() >= r.link_readings_per_window:
        raise invalid(
            "temperature",
            _("Enough readings in this check-in window; the next window opens later."),
        )


def check_in(  # noqa: C901, PLR0915
    period: ObservationPeriod | int,
    *,
    client_id: Any,
    temperature: Any,
    symptoms: Any = (),
    reporter_kind: str = ReporterKind.SELF,
    user: Any = None,
    taken_at: Any = None,
    other_symptom: str = "",
    link: tuple[int, dt.date] | None = None,
) -> tuple[CheckIn, bool]:
    """Store one reading; (check-in, created). The same client id twice is stored once.
    Fever or a referral symptom creates a referral to a fever clinic; the period stays
    open. `link` (version, expiry) checks a person's signed link on the locked row."""
    try:
        cid = readings.client_id(client_id)
    except readings.NotANumber:
        raise invalid("client_id", _("the client id must be a UUID")) from None
    if reporter_kind not in ReporterKind.values:
        raise invalid("reporter_kind", _("must be one of %s") % ", ".join(ReporterKind.values))
    reported_by = user if getattr(user, "pk", None) else None
    with transaction.atomic():
        found_row = _lock(period if isinstance(period, int) else period.pk)
        locked = found_row[0] if found_row else None
        if link is not None:
            links.check_link(locked, *link)
        if found_row is None or locked is None:
            raise invalid("period", _("no such observation"))
        r = found_row[1]
        if not locked.is_open:
            existing = CheckIn.objects.filter(period_id=locked.pk, client_id=cid).first()
            if existing is not None:  # a resend of a reading stored before the end
                existing._period_status = locked.status  # type: ignore[attr-defined]
                return existing, False
            raise invalid("period", str(CLOSED_MESSAGE.get(locked.status, _("closed"))))
        try:
            temp = rules.parse_temperature(temperature, r)
            found = rules.clean_symptoms(symptoms)
        except rules.InputError as exc:
            raise invalid(exc.field, str(exc)) from None
        when = _taken_at(taken_at, locked.start_date)
        # Placed by the local time of the city (Asia/Shanghai, settings.TIME_ZONE), never by
        # the zone a request or client happens to use.
        local = timezone.localtime(when, timezone.get_default_timezone())
        window, on_time = rules.window_of(local.time(), r)
        if link is not None:
            _within_link_limit(locked.pk, cid, local.date(), window, r)
        febrile = rules.is_febrile(temp, r)
        if febrile and "fever" not in found:
            found.insert(0, "fever")
        checkin = CheckIn(
            period_id=locked.pk,
            client_id=cid,
            taken_at=when,
            local_date=local.date(),
            window=window,
            on_time=on_time,
            temperature=temp,
            symptoms=found,
            other_symptom=(other_symptom or "")[:100],
            febrile=febrile,
            symptomatic=bool(found),
            reporter_kind=reporter_kind,
            reported_by=reported_by,
            received_at=clock.now(),
            path=locked.path,
        )
        s = _statements()
        params = [
            f.get_db_prep_save(getattr(checkin, f.attname), connection) for f in s["insert_fields"]
        ]
        found_id = prepared.execute(s["insert"], params)
        inserted = found_id[0] if found_id else None
        if inserted is None:  # the same client id again: the stored reading wins
            existing = CheckIn.objects.get(period_id=locked.pk, client_id=cid)
            existing._period_status = locked.status  # type: ignore[attr-defined]
            return existing, False
        checkin.pk = inserted[0]
        checkin._state.adding = False
        changes: dict[str, Any] = {}
        if locked.last_checkin_at is None or when >= locked.last_checkin_at:
            changes = {
                "last_checkin_at": when,
                "last_temperature": temp,
                "symptomatic": bool(found),
            }
        if rules.needs_referral(temp, found, r) and locked.status == Status.ACTIVE:
            Referral.objects.create(
                period_id=locked.pk,
                checkin=checkin,
                temperature=temp,
                symptoms=found,
                reason=_("check-in of %(day)s %(window)s: %(temp)s °C %(symptoms)s")
                % {
                    "day": local.date(),
                    "window": window,
                    "temp": temp,
                    "symptoms": ", ".join(found),
                },
                path=locked.path,
            )
            changes["status"] = Status.REFERRED.value
        if changes:
            fields = s["period_fields"]
            q = connection.ops.quote_name
            sets = ", ".join(f"{q(name)} = %s" for name in changes)
            values = [fields[k].get_db_prep_save(v, connection) for k, v in changes.items()]
            with connection.cursor() as cur:
                cur.execute(
                    f"UPDATE {s['update_table']} SET {sets} WHERE id = %s", [*values, locked.pk]
                )
        checkin._period_status = changes.get("status", locked.status)  # type: ignore[attr-defined]
        if not on_time:  # a late reading closes the missed-check-in task, if the sweep ran
            AlertTask.objects.filter(
                period_id=locked.pk, local_date=local.date(), window=window, status=TaskStatus.OPEN
            ).update(status=TaskStatus.DONE, done_at=clock.now(), note="late check-in received")
        # The raw-SQL fast path tells the facts registry like every other writer does.
        facts.changed(facts.CHECKIN, [locked.person_id], period=locked.pk)
    return checkin, True
