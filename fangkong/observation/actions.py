"""Every write of the observation app: one function per verb, each in a transaction.

Views, the API, commands and the demo call these, so the same rules apply everywhere.
Bad input raises `ValidationError` naming the field.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, facts
from fangkong.core.access import account_of, actor, invalid, one_of, require, within, written
from fangkong.observation import rules
from fangkong.observation.checkins import check_in as check_in  # the busiest verb, own module
from fangkong.observation.choices import (
    PlaceKind,
    Reason,
    ReferralStatus,
    Status,
    TaskStatus,
)
from fangkong.observation.models import (
    AlertTask,
    CheckIn,
    ObservationPeriod,
    ObservationRules,
    Placement,
    QuarantineSite,
    Referral,
    Room,
)

# ---------------------------------------------------------------- rule sets


def rules_in_force(day: dt.date) -> ObservationRules:
    """The rule set in force on `day` (see DatedRuleSet.in_force); stored, since the
    facts it judges keep a reference to it."""
    return ObservationRules.in_force_stored(day)


RULE_FIELDS = (
    "days",
    "morning_start",
    "morning_end",
    "evening_start",
    "evening_end",
    "fever_threshold",
    "min_temperature",
    "max_temperature",
    "referral_symptoms",
    "negative_test_required",
    "note",
)
WINDOW_FIELDS = ("morning_start", "morning_end", "evening_start", "evening_end")


@transaction.atomic
def save_rules(user: Any, data: dict[str, Any]) -> ObservationRules:
    """Add a rule set from its effective date on. Sets already in force are history
    and are not rewritten; a later set replaces them from its own date."""
    require(
        user,
        "change",
        "observation.observationrules",
        message=_("only headquarters may change the observation rules"),
    )
    obj = ObservationRules.draft(data.get("effective_from"), amend_future=True)
    for name in WINDOW_FIELDS:
        value = data.get(name)
        if isinstance(value, dt.time) and value.tzinfo is not None:
            # The windows are local wall-clock times of the deployment; an offset would
            # make them incomparable with the stored ones.
            raise invalid(name, _("give a local time of day without a time zone"))
    for name in RULE_FIELDS:
        if data.get(name) is not None:
            setattr(obj, name, data[name])
    _check_ranges(obj)
    errors: dict[str, list[str]] = {}
    if not (obj.min_temperature < obj.fever_threshold < obj.max_temperature):
        errors["fever_threshold"] = [_("the fever threshold must lie inside the valid range")]
    try:
        obj.referral_symptoms = rules.clean_symptoms(obj.referral_symptoms)
    except rules.InputError as exc:
        errors[exc.field] = [str(exc)]
    if errors:
        raise ValidationError(errors)
    return obj.save_by(user)


def _check_ranges(obj: ObservationRules) -> None:
    """Each value of a rule set within its bounds, every field's refusal at once (the
    order of the temperatures is judged only once each lies in a body's range)."""
    errors: dict[str, list[str]] = {}
    if not 1 <= int(obj.days) <= 60:
        errors["days"] = [_("between 1 and 60 days")]
    if not (obj.morning_start < obj.morning_end <= obj.evening_start < obj.evening_end):
        errors["evening_start"] = [_("the windows must be in order: morning, then evening")]
    for name in ("min_temperature", "fever_threshold", "max_temperature"):
        if not Decimal("30") <= Decimal(getattr(obj, name)) <= Decimal("45"):
            errors[name] = [_("a body temperature between 30 and 45 °C")]
    if errors:
        raise ValidationError(errors)


# ---------------------------------------------------------------- sites and rooms


@transaction.atomic
def create_site(
    user: Any, *, name: str, address: str, node: Any, doctor: Any = None
) -> QuarantineSite:
    require(
        user,
        "add",
        "observation.quarantinesite",
        message=_("your role may not open quarantine sites"),
    )
    if not within(user, node):
        raise invalid("node", _("the site must lie in your jurisdiction"))
    written("name", name, _("this field is required"))
    with actor(user):
        site = QuarantineSite(name=name.strip(), address=address.strip(), node=node, doctor=doctor)
        site.save()
    return site


@transaction.atomic
def add_rooms(user: Any, site: QuarantineSite, numbers: list[str], capacity: int) -> list[Room]:
    require(
        user,
        "change",
        "observation.quarantinesite",
        message=_("your role may not change quarantine sites"),
    )
    if capacity < 1 or capacity > 20:
        raise invalid("capacity", _("a room holds between 1 and 20 persons"))
    taken = set(Room.objects.filter(site=site, number__in=numbers).values_list("number", flat=True))
    if taken:
        raise invalid("numbers", _("rooms already exist: %s") % ", ".join(sorted(taken)))
    rooms = Room.place_all(Room(site=site, number=n.strip(), capacity=capacity) for n in numbers)
    return Room.objects.bulk_create(rooms)


# ---------------------------------------------------------------- periods


def _default_grid_worker(node: Any) -> Any:
    from fangkong.accounts.models import User

    return User.objects.filter(node=node, role="grid_worker", is_active=True).order_by("pk").first()


@transaction.atomic
def start_period(
    user: Any,
    person: Any,
    *,
    reason: str,
    last_exposure: dt.date,
    start_date: dt.date | None = None,
    room: Room | None = None,
    site: QuarantineSite | None = None,
    grid_worker: Any = None,
    doctor: Any = None,
) -> ObservationPeriod:
    """Put a person under observation at home (or in a site room, or sent to a site
    whose staff assign the room: `send_to_site`). The planned end is derived by the rule
    set in force on the start date (R2)."""
    require(
        user,
        "add",
        "observation.observationperiod",
        message=_("your role may not start observations"),
    )
    one_of("reason", reason, Reason)
    start = start_date or clock.today()
    if last_exposure > start:
        raise invalid("last_exposure", _("the last exposure cannot be after the start"))
    if ObservationPeriod.objects.open().filter(person=person).exists():
        raise invalid("person", _("this person is already under observation"))
    rule_set = rules_in_force(start)
    end = rules.planned_end(last_exposure, rule_set)
    if end < start:
        raise invalid("last_exposure", _("the observation would already be over"))
    grid_worker = grid_worker or _default_grid_worker(person.node)
    period = ObservationPeriod(
        person=person,
        reason=reason,
        start_date=start,
        last_exposure=last_exposure,
        planned_end=end,
        rules=rule_set,
        grid=person.node,
        grid_worker=grid_worker,
        doctor=doctor,
        responsible=grid_worker or doctor,
        path=person.node.path,
        created_by=account_of(user),
    )
    with actor(user):
        period.save()
        Placement.objects.create(
            period=period, kind=PlaceKind.HOME, by=account_of(user), path=period.path
        )
    if room is not None:
        place(user, period, PlaceKind.SITE, room=room)
    elif site is not None:
        send_to_site(user, period, site)
    facts.changed(facts.OBSERVATION, [person.pk], period=period.pk)
    return period


@transaction.atomic
def send_to_site(user: Any, period: ObservationPeriod, site: QuarantineSite) -> ObservationPeriod:
    """The county or town sends a person under observation to a quarantine site, which
    receives them and assigns the room (待入住 on the site's day, `admit`)."""
    require(user, "change", period, message=_("your role may not send persons to a site"))
    require(user, "view", site, message=_("choose a quarantine site of your area"))
    if not period.is_open:
        raise invalid("period", _("this observation is closed"))
    if not site.active:
        raise invalid("site", _("this site is not in use"))
    if period.place_kind == PlaceKind.SITE and period.site_id == site.pk:
        raise invalid("site", _("the person is already at this site"))
    period.sent_to = site
    with actor(user):
        period.save(update_fields=["sent_to"])
    return period


@transaction.atomic
def admit(user: Any, period: ObservationPeriod, room: Room) -> Placement:
    """The site receives a person sent to it and gives them a room of the site."""
    require(user, "change", period, message=_("your role may not admit persons"))
    if period.sent_to_id is None:
        raise invalid("period", _("this person was not sent to a site"))
    if room.site_id != period.sent_to_id:
        raise invalid("room", _("choose a room of the site the person was sent to"))
    return place(user, period, PlaceKind.SITE, room=room)


@transaction.atomic
def record_exposure(user: Any, period: ObservationPeriod, day: dt.date) -> ObservationPeriod:
    """R2: a new exposure moves the planned end (never earlier)."""
    if not period.is_open:
        raise invalid("period", _("this observation is closed"))
    if day > clock.today():
        raise invalid("day", _("the exposure cannot be in the future"))
    new_last = rules.moved_exposure(period.last_exposure, day)
    if new_last != period.last_exposure:
        period.last_exposure = new_last
        period.planned_end = rules.planned_end(new_last, period.rules)
        with actor(user):
            period.save(update_fields=["last_exposure", "planned_end"])
        facts.changed(facts.OBSERVATION, [period.person_id], period=period.pk)
    return period


def _repath(period: ObservationPeriod) -> None:
    """Move the period's records into the scope of its new place."""
    for model in (CheckIn, AlertTask, Referral, Placement):
        model.objects.filter(period=period).exclude(path=period.path).update(path=period.path)


@transaction.atomic
def place(
    user: Any, period: ObservationPeriod, kind: str, *, room: Room | None = None, note: str = ""
) -> Placement:
    """Move a period home, to a site room, or to another room; capacity is respected
    and the previous placement is closed, so the history stays."""
    if not period.is_open:
        raise invalid("period", _("this observation is closed"))
    one_of("kind", kind, PlaceKind)
    now = clock.now()
    current = Placement.objects.filter(period=period, ended_at__isnull=True).first()
    if kind == PlaceKind.SITE:
        if room is None:
            raise invalid("room", _("choose a room of the site"))
        room = Room.objects.select_for_update().select_related("site").get(pk=room.pk)
        if current is not None and current.room_id == room.pk:
            raise invalid("room", _("the person is already in this room"))
        used = Placement.objects.filter(room=room, ended_at__isnull=True).count()
        if used >= room.capacity:
            raise invalid(
                "room",
                _("room %(room)s is full (capacity %(n)d)")
                % {"room": room.number, "n": room.capacity},
            )
        site = room.site
        period.place_kind, period.site, period.room = PlaceKind.SITE, site, room
        period.path = site.path
        period.responsible = site.doctor or period.doctor or period.grid_worker
        if period.sent_to_id == site.pk:
            period.sent_to = None  # received: no longer awaiting a room
    else:
        if current is not None and current.kind == PlaceKind.HOME:
            raise invalid("kind", _("the person is already at home"))
        room = None
        period.place_kind, period.site, period.room = PlaceKind.HOME, None, None
        period.path = period.grid.path
        period.responsible = period.grid_worker or period.doctor
    with actor(user):
        if current is not None:
            current.ended_at = now
            current.save(update_fields=["ended_at"])
        placement = Placement.objects.create(
            period=period,
            kind=kind,
            site=period.site,
            room=room,
            started_at=now,
            note=note[:200],
            by=account_of(user),
            path=period.path,
        )
        period.save(update_fields=["place_kind", "site", "room", "path", "responsible", "sent_to"])
    _repath(period)
    facts.changed(facts.OBSERVATION, [period.person_id], period=period.pk)
    return placement


def _close_placement(period: ObservationPeriod) -> None:
    Placement.objects.filter(period=period, ended_at__isnull=True).update(ended_at=clock.now())


@transaction.atomic
def end_period(user: Any, period: ObservationPeriod, status: str, note: str = "") -> None:
    """Transferred out (to another city or the clinical pathway) or lost to follow-up."""
    if status not in (Status.TRANSFERRED_OUT, Status.LOST):
        raise invalid("status", _("must be transferred_out or lost"))
    if not period.is_open:
        raise invalid("period", _("this observation is closed"))
    period.status, period.ended_at = status, clock.now()
    with actor(user):
        period.save(update_fields=["status", "ended_at"])
    _close_placement(period)
    AlertTask.objects.filter(period=period, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=clock.now(), note=note[:200] or status
    )
    facts.changed(facts.OBSERVATION, [period.person_id], period=period.pk)


# ---------------------------------------------------------------- check-ins


def sweep_missed(day: dt.date | None = None, window: str | None = None) -> int:
    """R3: one task per active period that has no check-in in the window that closed
    last (or the given one). One INSERT … SELECT, idempotent; returns tasks created."""
    r = rules_in_force(clock.today())
    if day is None or window is None:
        day, window = rules.due_window(timezone.localtime(clock.now()), r)
    close = timezone.make_aware(dt.datetime.combine(day, rules.window_close(day, window, r)))
    q = connection.ops.quote_name
    task, period, checkin = (m._meta.db_table for m in (AlertTask, ObservationPeriod, CheckIn))
    sql = f"""
        INSERT INTO {q(task)} (period_id, local_date, {q("window")}, assigned_to_id, status,
                                created_at, note, path)
        SELECT p.id, %s, %s, p.responsible_id, %s, %s, '', p.path
        FROM {q(period)} p
        WHERE p.status = %s AND p.start_date <= %s AND p.planned_end >= %s
          AND p.created_at < %s
          AND NOT EXISTS (SELECT 1 FROM {q(checkin)} c
                          WHERE c.period_id = p.id AND c.local_date = %s
                            AND c.{q("window")} = %s)
        ON CONFLICT (period_id, local_date, {q("window")}) DO NOTHING
    """
    ops = connection.ops
    d = ops.adapt_datefield_value(day)
    params: list[Any] = [
        d,
        window,
        TaskStatus.OPEN.value,
        ops.adapt_datetimefield_value(clock.now()),
        Status.ACTIVE.value,
        d,
        d,
        ops.adapt_datetimefield_value(close),
        d,
        window,
    ]
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, params)
        return max(cur.rowcount, 0)


@transaction.atomic
def complete_task(
    user: Any, task: AlertTask, note: str = "", at: dt.datetime | None = None
) -> AlertTask:
    """The follow-up of a missed check-in is done; `at` is when, for one recorded on a
    phone without a signal and sent later (the clock's now by default)."""
    if task.status == TaskStatus.DONE:
        raise invalid("task", _("this task is already done"))
    task.status, task.done_at, task.done_by, task.note = (
        TaskStatus.DONE,
        at or clock.now(),
        account_of(user),
        note[:200],
    )
    task.save(update_fields=["status", "done_at", "done_by", "note"])
    return task


# ---------------------------------------------------------------- referrals and release


@transaction.atomic
def resolve_referral(user: Any, referral: Referral, outcome: str, clinic: str = "") -> Referral:
    """The fever clinic's answer: excluded (back to observation) or admitted."""
    if outcome not in (ReferralStatus.EXCLUDED, ReferralStatus.ADMITTED):
        raise invalid("outcome", _("must be excluded or admitted"))
    if referral.status != ReferralStatus.PENDING:
        raise invalid("referral", _("this referral is already resolved"))
    referral.status, referral.resolved_at, referral.resolved_by = (
        outcome,
        clock.now(),
        account_of(user),
    )
    if clinic:
        referral.clinic = clinic[:100]
    with actor(user):
        referral.save(update_fields=["status", "resolved_at", "resolved_by", "clinic"])
        period = ObservationPeriod.objects.select_for_update().get(pk=referral.period_id)
        if outcome == ReferralStatus.ADMITTED:
            end_period(user, period, Status.TRANSFERRED_OUT, "admitted by the fever clinic")
        elif (
            period.status == Status.REFERRED
            and not period.referrals.filter(status=ReferralStatus.PENDING).exists()
        ):
            period.status, period.symptomatic = Status.ACTIVE, False
            period.save(update_fields=["status", "symptomatic"])
    facts.changed(facts.OBSERVATION, [period.person_id], period=period.pk)
    return referral


@transaction.atomic
def release(
    user: Any, period: ObservationPeriod, negative_test_on: dt.date | None = None
) -> ObservationPeriod:
    """R6: at the planned end, without symptoms (and with a negative test where the
    rule set requires one), the person is released and gets a certificate code."""
    require(
        user,
        "release",
        "observation.observationperiod",
        message=_("your role may not release persons from observation"),
    )
    period = (
        ObservationPeriod.objects.select_for_update(of=("self",))
        .select_related("rules")
        .get(pk=period.pk)
    )
    test = negative_test_on or period.negative_test_on
    refusal = rules.release_refusal(
        today=clock.today(),
        planned_end=period.planned_end,
        status=period.status,
        symptomatic=period.symptomatic,
        negative_test_on=test,
        r=period.rules,
    )
    if refusal:
        raise invalid("period", refusal)
    period.status, period.ended_at, period.negative_test_on = Status.RELEASED, clock.now(), test
    period.certificate_code = period.new_certificate_code()
    with actor(user):
        period.save(update_fields=["status", "ended_at", "negative_test_on", "certificate_code"])
    _close_placement(period)
    AlertTask.objects.filter(period=period, status=TaskStatus.OPEN).update(
        status=TaskStatus.DONE, done_at=clock.now(), note="released"
    )
    facts.changed(facts.OBSERVATION, [period.person_id], period=period.pk)
    return period


# ---------------------------------------------------------------- check-in links


@transaction.atomic
def revoke_link(user: Any, period: ObservationPeriod) -> ObservationPeriod:
    """Every link issued so far stops working; a new one can be issued."""
    period.link_version += 1
    period.link_revoked_at = clock.now()
    with actor(user):
        period.save(update_fields=["link_version", "link_revoked_at"])
    return period
