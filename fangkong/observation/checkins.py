"""Recording a check-in (R3–R5): the busiest write of the app. Its statements are SQL
prepared once per database vendor, with the models' own field adapters and converters:
lock the period with its rule set; insert the reading (with the count of link readings
already in its window), update the line-list columns and close a late window's task —
on PostgreSQL one statement (data-modifying WITH), elsewhere one each. The health code
follows through the facts registry, in the same transaction: a normal reading is judged
on the code's stored basis (usually one more statement, see healthcode.actions), a fever
or symptom reads every fact again. The rare branches (duplicates, referrals) use the ORM.
"""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from fangkong.core import clock, facts, prepared, readings
from fangkong.core.access import account_of, invalid, one_of
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


def _statements() -> dict[str, Any]:
    """SQL and converters, built once per database vendor."""
    vendor = connection.vendor
    if vendor not in _prepared:
        q = connection.ops.quote_name
        rules_columns = [f.attname for f in ObservationRules._meta.concrete_fields]
        period_t, rules_t = ObservationPeriod._meta.db_table, ObservationRules._meta.db_table
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
        _prepared[vendor] = {
            "select": select,
            "period_conv": prepared.converters(ObservationPeriod, PERIOD_COLUMNS),
            "rules_columns": rules_columns,
            "rules_conv": prepared.converters(ObservationRules, rules_columns),
            "insert_fields": prepared.fields(CheckIn, INSERT_COLUMNS),
            "period_fields": {f.attname: f for f in ObservationPeriod._meta.concrete_fields},
            "update_table": q(period_t),
        }
    return _prepared[vendor]


def _lock(pk: int) -> tuple[ObservationPeriod, ObservationRules] | None:
    """The period (locked until the end of the transaction) and its rule set."""
    s = _statements()
    rows = prepared.execute(s["select"], [pk])
    if not rows:
        return None
    row = rows[0]
    n = len(PERIOD_COLUMNS)
    period = ObservationPeriod.from_db(
        connection.alias, PERIOD_COLUMNS, prepared.convert(row[:n], s["period_conv"])
    )
    rule_set = ObservationRules.from_db(
        connection.alias, s["rules_columns"], prepared.convert(row[n:], s["rules_conv"])
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


LATE_NOTE = "late check-in received"
_writes: dict[tuple[str, bool, bool, bool], str] = {}


def _write_sql(count: bool, update: bool, close: bool) -> str:
    """The insert of a reading, RETURNING its id (none for a stored client id) and, with
    `count`, the link readings already stored in its window; on PostgreSQL with the
    update of the line-list columns (`update`) and the closing of the window's open task
    (`close`, a late reading) in the same statement, each only when the row went in."""
    key = (connection.vendor, count, update, close)
    if key not in _writes:
        q = connection.ops.quote_name
        checkin_t = q(CheckIn._meta.db_table)
        returning = "id"
        if count:
            returning += (
                f", (SELECT COUNT(*) FROM {checkin_t} c WHERE c.period_id = %s"  # noqa: S608
                f" AND c.local_date = %s AND c.{q('window')} = %s"
                " AND c.reported_by_id IS NULL AND c.client_id <> %s)"
            )
        insert = (
            f"INSERT INTO {checkin_t} ({', '.join(q(c) for c in INSERT_COLUMNS)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(INSERT_COLUMNS))}) "
            f"ON CONFLICT (period_id, client_id) DO NOTHING RETURNING {returning}"
        )
        if connection.vendor != "postgresql" or not (update or close):
            _writes[key] = insert
        else:
            parts = [f"WITH ins AS ({insert})"]
            if update:
                parts.append(f"upd AS ({_update_sql()} AND EXISTS (SELECT 1 FROM ins))")
            if close:
                parts.append(f"done AS ({_close_sql()} AND EXISTS (SELECT 1 FROM ins))")
            _writes[key] = ", ".join(parts) + " SELECT * FROM ins"
    return _writes[key]


def _update_sql() -> str:
    q = connection.ops.quote_name
    sets = ", ".join(f"{q(c)} = %s" for c in ("last_checkin_at", "last_temperature", "symptomatic"))
    return f"UPDATE {q(ObservationPeriod._meta.db_table)} SET {sets} WHERE id = %s"  # noqa: S608


def _close_sql() -> str:
    q = connection.ops.quote_name
    return (
        f"UPDATE {q(AlertTask._meta.db_table)} SET status = %s, done_at = %s, note = %s "  # noqa: S608
        f"WHERE period_id = %s AND local_date = %s AND {q('window')} = %s AND status = %s"
    )


def _write(checkin: CheckIn, count: bool, update: bool, close: bool) -> tuple[int, int] | None:
    """Store the reading (and its consequences, see _write_sql): (id, link readings
    before it in the window), or None when its client id was stored already."""
    s = _statements()
    params = [
        f.get_db_prep_save(getattr(checkin, f.attname), connection) for f in s["insert_fields"]
    ]
    day, window, pk = checkin.local_date, checkin.window, checkin.period_id
    if count:
        cid = CheckIn._meta.get_field("client_id").get_db_prep_save(checkin.client_id, connection)
        params += [pk, day, window, cid]
    fields = s["period_fields"]
    update_params = [
        fields[name].get_db_prep_save(getattr(checkin, source), connection)
        for name, source in (
            ("last_checkin_at", "taken_at"),
            ("last_temperature", "temperature"),
            ("symptomatic", "symptomatic"),
        )
    ] + [pk]
    close_params = [TaskStatus.DONE.value, clock.now(), LATE_NOTE, pk, day, window]
    close_params.append(TaskStatus.OPEN.value)
    together = connection.vendor == "postgresql"
    if together:
        params += (update_params if update else []) + (close_params if close else [])
    rows = prepared.execute(_write_sql(count, update, close), params)
    if not rows:
        return None
    if not together and update:
        prepared.execute(_update_sql(), update_params)
    if not together and close:
        AlertTask.objects.filter(
            period_id=pk, local_date=day, window=window, status=TaskStatus.OPEN
        ).update(status=TaskStatus.DONE, done_at=close_params[1], note=LATE_NOTE)
    return rows[0][0], (rows[0][1] if count else 0)


def _reading(
    locked: ObservationPeriod,
    r: Any,
    cid: Any,
    *,
    temperature: Any,
    symptoms: Any,
    taken_at: Any,
    other_symptom: str,
    reporter_kind: str,
    reported_by: Any,
) -> CheckIn:
    """The reading as it will be stored (not yet written): the temperature and symptoms
    checked against the rules `r` in force, placed in its window by the city's time."""
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
    febrile = rules.is_febrile(temp, r)
    if febrile and "fever" not in found:
        found.insert(0, "fever")
    return CheckIn(
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


def _stored(locked: ObservationPeriod, cid: Any) -> CheckIn | None:
    """The reading already stored under this client id, told its period's status."""
    existing = CheckIn.objects.filter(period_id=locked.pk, client_id=cid).first()
    if existing is not None:
        existing._period_status = locked.status  # type: ignore[attr-defined]
    return existing


def _refer_if_needed(locked: ObservationPeriod, checkin: CheckIn, r: Any) -> str:
    """R5: fever or a referral symptom of an active period refers the person to a fever
    clinic; the period's status after the reading."""
    if not (
        rules.needs_referral(checkin.temperature, checkin.symptoms, r)
        and locked.status == Status.ACTIVE
    ):
        return locked.status
    Referral.objects.create(
        period_id=locked.pk,
        checkin=checkin,
        temperature=checkin.temperature,
        symptoms=checkin.symptoms,
        reason=_("check-in of %(day)s %(window)s: %(temp)s °C %(symptoms)s")
        % {
            "day": checkin.local_date,
            "window": checkin.window,
            "temp": checkin.temperature,
            "symptoms": ", ".join(checkin.symptoms),
        },
        path=locked.path,
    )
    ObservationPeriod.objects.filter(pk=locked.pk).update(status=Status.REFERRED.value)
    return Status.REFERRED.value


def check_in(
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
    cid = readings.client_id_field(client_id)
    one_of("reporter_kind", reporter_kind, ReporterKind)
    reported_by = account_of(user)
    with transaction.atomic():
        found_row = _lock(period if isinstance(period, int) else period.pk)
        locked = found_row[0] if found_row else None
        if link is not None:
            links.check_link(locked, *link)
        if found_row is None or locked is None:
            raise invalid("period", _("no such observation"))
        r = found_row[1]
        if not locked.is_open:
            existing = _stored(locked, cid)
            if existing is not None:  # a resend of a reading stored before the end
                return existing, False
            raise invalid("period", str(CLOSED_MESSAGE.get(locked.status, _("closed"))))
        checkin = _reading(
            locked,
            r,
            cid,
            temperature=temperature,
            symptoms=symptoms,
            taken_at=taken_at,
            other_symptom=other_symptom,
            reporter_kind=reporter_kind,
            reported_by=reported_by,
        )
        # the line-list columns follow the latest reading; a late one closes the
        # missed-check-in task of its window, if the sweep ran
        update = locked.last_checkin_at is None or checkin.taken_at >= locked.last_checkin_at
        written = _write(checkin, link is not None, update, not checkin.on_time)
        if written is None:  # the same client id again: the stored reading wins
            existing = _stored(locked, cid)
            assert existing is not None
            return existing, False
        if link is not None and written[1] >= r.link_readings_per_window:
            # undone with the transaction (a resend of a stored reading is not new)
            raise invalid(
                "temperature",
                _("Enough readings in this check-in window; the next window opens later."),
            )
        checkin.pk = written[0]
        checkin._state.adding = False
        status = _refer_if_needed(locked, checkin, r)
        checkin._period_status = status  # type: ignore[attr-defined]
        # The raw-SQL fast path tells the facts registry like every other writer does.
        # A normal reading of today that changed no status is routine (core.facts).
        abnormal = checkin.symptomatic
        facts.changed(
            facts.CHECKIN,
            [locked.person_id],
            period=locked.pk,
            day=checkin.local_date.isoformat(),
            abnormal=abnormal,
            routine=not abnormal
            and status == locked.status
            and checkin.local_date == clock.today(),
        )
    return checkin, True
