"""Writes of the health code: recomputation (per person and the daily batch), daily
check-ins, arrivals, headquarters overrides, verification at gates and venues."""

import datetime as dt
from typing import Any

from django.db import connection, transaction
from django.utils.translation import gettext as _

from fangkong.core import clock, language, prepared, readings
from fangkong.core import facts as core_facts
from fangkong.core.access import actor, invalid, one_of, require
from fangkong.core.querysets import scope_prefix
from fangkong.healthcode import facts, rules, tokens
from fangkong.healthcode.choices import Colour, RiskLevel
from fangkong.healthcode.models import (
    Arrival,
    CodeChange,
    CodeOverride,
    CodeRules,
    DailyCheckIn,
    HealthCode,
)

CHUNK = 2000
SYMPTOMS = ("fever", "cough", "shortness_of_breath", "sore_throat", "fatigue", "diarrhoea")


def rules_in_force(day: dt.date) -> CodeRules:
    """R11/R12 in force on `day`; the published defaults on a new deployment."""
    return CodeRules.in_force(day)


def _paths(person_ids: list[int]) -> dict[int, str]:
    from fangkong.people.models import Person

    qs = Person.objects.filter(**facts._of("pk", person_ids))
    return dict(qs.values_list("pk", "path"))


def recompute_persons(person_ids: list[int], today: dt.date | None = None) -> dict[str, int]:
    """Derive and store the colour of these persons; a change is kept in the history."""
    day = today or clock.today()
    # every rule set in one query (a handful of rows): the one in force today, as
    # DatedRuleSet.in_force chooses it, and those that governed earlier fact days
    every = list(CodeRules.objects.order_by("effective_from"))
    stored = [x for x in every if x.effective_from <= day]
    if not stored:  # before the first set took effect: the first set judges (in_force)
        stored = every[:1]
    r = stored[-1] if stored else CodeRules(effective_from=day)

    def rules_on(fact_day: dt.date) -> CodeRules:
        return rules.governing(stored, fact_day, r)

    changed = 0
    now = clock.now()
    for start in range(0, len(person_ids), CHUNK):
        ids = person_ids[start : start + CHUNK]
        found = facts.facts_for(ids, day)
        paths = _paths(ids)
        codes = HealthCode.objects.filter(**facts._of("person_id", ids))
        current = {c.person_id: c for c in codes}
        new_codes, updates, day_only, history = [], [], [], []
        for pid in ids:
            if pid not in paths:
                continue
            with language.stored():  # the reasons are read later, by officials
                colour, reasons = rules.derive(found[pid], r, day, rules_on)
            basis = rules.basis_of(found[pid], r, day, rules_on)
            code = current.get(pid)
            overridden = found[pid].override is not None
            if code is None:
                new_codes.append(
                    HealthCode(
                        person_id=pid,
                        colour=colour,
                        reasons=reasons,
                        since=day,
                        overridden=overridden,
                        path=paths[pid],
                        basis=basis,
                        basis_on=day,
                    )
                )
                history.append(
                    CodeChange(
                        person_id=pid,
                        from_colour="",
                        to_colour=colour,
                        reasons=reasons,
                        at=now,
                        path=paths[pid],
                    )
                )
                continue
            if code.colour != colour:
                history.append(
                    CodeChange(
                        person_id=pid,
                        from_colour=code.colour,
                        to_colour=colour,
                        reasons=reasons,
                        at=now,
                        path=paths[pid],
                    )
                )
                code.since = day
            if (code.colour, code.reasons, code.overridden, code.path, code.basis) != (
                colour,
                reasons,
                overridden,
                paths[pid],
                basis,
            ):
                code.colour, code.reasons = colour, reasons
                code.overridden, code.path = overridden, paths[pid]
                code.basis, code.basis_on = basis, day
                updates.append(code)
            elif code.basis_on != day:  # the same basis, derived again today
                day_only.append(code.pk)
        with transaction.atomic():
            HealthCode.objects.bulk_create(new_codes, ignore_conflicts=True)
            HealthCode.objects.bulk_update(
                updates,
                ["colour", "reasons", "since", "overridden", "path", "basis", "basis_on"],
                batch_size=1000,
            )
            if day_only:  # one set-based statement (the nightly batch: most codes)
                HealthCode.objects.filter(**facts._of("pk", day_only)).update(basis_on=day)
            CodeChange.objects.bulk_create(history, batch_size=1000)
        changed += len(history)
    return {"persons": len(person_ids), "changes": changed}


def recompute_person(person_id: int) -> str:
    recompute_persons([person_id])
    return colour_of(person_id)


def on_fact(fact: str, person_ids: list[int], detail: dict[str, Any]) -> None:
    """The health code's consumer of `core.facts`: recompute these persons' colours at
    once, in the writer's transaction (the code a gate reads next is already right).
    A normal check-in of one person is judged on the code's stored basis when it can be
    (`_normal_checkin`); a change of colour clears the writer's `routine` mark, so the
    background consumers hear of it."""
    if not person_ids:
        return
    if (
        fact == core_facts.CHECKIN
        and len(person_ids) == 1
        and detail.get("abnormal") is False
        and detail.get("day")
        and _normal_checkin(person_ids[0], dt.date.fromisoformat(detail["day"]))
    ):
        return
    if recompute_persons(list(person_ids))["changes"]:
        detail["routine"] = False


_CODE_COLUMNS = ["id", "colour", "reasons", "basis", "basis_on"]
_code_sql: dict[str, tuple[str, str, list[Any]]] = {}


def _code_statements() -> tuple[str, str, list[Any]]:
    """The read and the update of one code by the check-in path, built once per vendor."""
    vendor = connection.vendor
    if vendor not in _code_sql:
        q = connection.ops.quote_name
        table = q(HealthCode._meta.db_table)
        read = (
            f"SELECT {', '.join(q(c) for c in _CODE_COLUMNS)} FROM {table} "  # noqa: S608
            f"WHERE {q('person_id')} = %s"
        )
        write = f"UPDATE {table} SET {q('reasons')} = %s, {q('basis')} = %s WHERE id = %s"  # noqa: S608
        _code_sql[vendor] = (read, write, prepared.converters(HealthCode, _CODE_COLUMNS))
    return _code_sql[vendor]


def _normal_checkin(person_id: int, day: dt.date) -> bool:
    """A normal reading of `day`, judged on the stored basis: the colour and reasons
    derived again from it with the new day in the run of normal check-ins (R12). True
    when that settled it (nothing changed, or only the reasons and the basis, written in
    one statement); False when the facts must be read again: no basis of today, a day
    the basis cannot place, or a new colour (a completed streak: the full path records
    the change)."""
    today = clock.today()
    read, write, converters = _code_statements()
    rows = prepared.execute(read, [person_id])
    if not rows:
        return False
    pk, colour, reasons, basis, basis_on = prepared.convert(rows[0], converters)
    if basis is None or basis_on != today:
        return False
    after = rules.with_normal_checkin(basis, day, today)
    if after is None:
        return False
    with language.stored():
        new_colour, new_reasons = rules.derive_from_basis(after, today)
    if new_colour != colour:
        return False
    if (new_reasons, after) != (reasons, basis):
        field = HealthCode._meta.get_field("basis")
        prepared.execute(
            write,
            [
                field.get_db_prep_save(new_reasons, connection),
                field.get_db_prep_save(after, connection),
                pk,
            ],
        )
    return True


def colour_of(person_id: int) -> str:
    code = HealthCode.objects.filter(person_id=person_id).values_list("colour", flat=True).first()
    return code if code is not None else recompute_person(person_id)


def _green_for_everyone_else(day: dt.date) -> int:
    """One set-based statement: persons who have no code yet get green (no facts)."""
    from fangkong.people.models import Person

    person = Person._meta.db_table
    code = HealthCode._meta.db_table
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {code} (person_id, colour, reasons, since, overridden, path) "  # noqa: S608
            f"SELECT p.id, 'green', '[]', %s, %s, p.path FROM {person} p "
            f"WHERE p.merged_into_id IS NULL AND NOT EXISTS "
            f"(SELECT 1 FROM {code} h WHERE h.person_id = p.id)",
            [day, False],
        )
        return cur.rowcount or 0


def recompute_all(day: dt.date | None = None, job: Any = None) -> dict[str, int]:
    """The daily batch: persons with facts through the rules (in chunks), everyone else
    green in one set-based insert. Feasible for millions because facts are rare."""
    day = day or clock.today()
    with_facts = sorted(facts.persons_with_facts(day))
    if job is not None:
        job.advance(0, len(with_facts) + 1)
    result = {"with_facts": len(with_facts), "changes": 0}
    for start in range(0, len(with_facts), CHUNK * 5):
        part = with_facts[start : start + CHUNK * 5]
        result["changes"] += recompute_persons(part, day)["changes"]
        if job is not None:
            job.advance(start + len(part))
    result["new_green"] = _green_for_everyone_else(day)
    if job is not None:
        job.finish(result)
    return result


# ---------------------------------------------------------------- facts entered here


@transaction.atomic
def daily_checkin(
    person: Any, *, client_id: Any, temperature: Any, symptoms: Any = ()
) -> tuple[DailyCheckIn, bool]:
    """The resident's daily report; abnormal (fever or symptoms) restarts the count (R12)."""
    cid = readings.client_id_field(client_id)
    existing = DailyCheckIn.objects.filter(client_id=cid).first()
    if existing is not None:
        return existing, False
    temp = readings.reported_temperature(temperature)
    found = [s for s in (symptoms or []) if s]
    unknown = [s for s in found if s not in SYMPTOMS]
    if unknown:
        raise invalid("symptoms", _("unknown symptom: %s") % ", ".join(unknown))
    day = clock.today()
    r = rules_in_force(day)
    checkin = DailyCheckIn.objects.create(
        person=person,
        day=day,
        client_id=cid,
        temperature=temp,
        symptoms=found,
        abnormal=temp >= r.fever_threshold or bool(found),
        at=clock.now(),
        path=person.path,
    )
    abnormal = checkin.abnormal
    core_facts.changed(
        core_facts.CHECKIN,
        [person.pk],
        day=day.isoformat(),
        abnormal=abnormal,
        routine=not abnormal,
    )
    return checkin, True


@transaction.atomic
def record_arrival(
    user: Any, person: Any, *, origin: str, risk_level: str = "", arrived_on: dt.date
) -> Arrival:
    require(user, "add", "healthcode.arrival", message=_("your role may not record arrivals"))
    if not risk_level and arrived_on <= clock.today():
        # No level given: the risk-area list in force on the arrival day decides (#19).
        from fangkong.riskareas.rules import required_level_for_text

        risk_level = required_level_for_text(origin, arrived_on)
    one_of("risk_level", risk_level, RiskLevel)
    if arrived_on > clock.today():
        raise invalid("arrived_on", _("the arrival cannot be in the future"))
    if not (origin or "").strip():
        raise invalid("origin", _("this field is required"))
    arrival = Arrival.objects.create(
        person=person,
        origin=origin.strip()[:100],
        risk_level=risk_level,
        arrived_on=arrived_on,
        path=person.path,
    )
    core_facts.changed(core_facts.ARRIVAL, [person.pk])
    return arrival


@transaction.atomic
def override_colour(
    user: Any, person: Any, *, colour: str, reason: str, until: dt.date | None = None
) -> CodeOverride:
    """Headquarters sets a colour by hand, only with a written reason (audited)."""
    require(
        user,
        "add",
        "healthcode.codeoverride",
        message=_("only headquarters may override a health code"),
    )
    one_of("colour", colour, Colour)
    if len((reason or "").strip()) < 10:
        raise invalid("reason", _("write the reason (at least 10 characters)"))
    CodeOverride.objects.filter(person=person, active=True).update(active=False)
    with actor(user):
        found = CodeOverride.objects.create(
            person=person,
            colour=colour,
            reason=reason.strip()[:300],
            until=until,
            by=user,
            at=clock.now(),
            path=person.path,
        )
    core_facts.changed(core_facts.OVERRIDE, [person.pk])
    return found


@transaction.atomic
def end_override(user: Any, override: CodeOverride) -> None:
    require(
        user,
        "add",
        "healthcode.codeoverride",
        message=_("only headquarters may override a health code"),
    )
    with actor(user):
        override.active = False
        override.save(update_fields=["active"])
    core_facts.changed(core_facts.OVERRIDE, [override.person_id])


def verify(token: str) -> tuple[int, str]:
    """(person id, colour) of a scanned QR token (one query, see verify_named); CodeError
    when forged or expired."""
    pid, colour, _name = verify_named(token)
    return pid, colour


def verify_at_sql() -> str:
    """verify_at's one statement (parameters: person id, venue code, the LIKE pattern of
    the caller's area): the venue's name, the person's colour and name."""
    from fangkong.people.models import Person
    from fangkong.tracing.models import Venue

    return (
        f"SELECT v.name, h.colour, p.name FROM {Venue._meta.db_table} v "  # noqa: S608
        f"LEFT JOIN {HealthCode._meta.db_table} h ON h.person_id = %s "
        f"LEFT JOIN {Person._meta.db_table} p ON p.id = h.person_id "
        f"WHERE v.code = %s AND {prepared.starts_with('v.' + Venue.scope_path)}"
    )


def verify_named_sql() -> str:
    """verify_named's one statement (parameter: person id): the colour and the name."""
    from fangkong.people.models import Person

    return (
        f"SELECT h.colour, p.name FROM {HealthCode._meta.db_table} h "  # noqa: S608
        f"JOIN {Person._meta.db_table} p ON p.id = h.person_id WHERE h.person_id = %s"
    )


def verify_at(user: Any, venue_code: str, token: str) -> tuple[str, int, str, str] | None:
    """A gate's check of a scanned QR token at a venue (issue #21: one prepared statement
    on the usual path): (venue name, person id, colour, name); None when the venue is
    unknown or outside `user`'s area (`Venue.objects.restrict(user, "view")`), which is
    answered before the token's own problems; CodeError when forged or expired. The
    signature is checked before any query; the code's life is `qr_seconds` of the rule
    set in force (kept per process, DatedRuleSet.in_force)."""
    from fangkong.tracing import venues
    from fangkong.tracing.models import Venue

    prefix = scope_prefix(user, Venue, "view")
    if prefix is None:
        return None
    try:
        payload = tokens.read_qr_payload(token)
    except tokens.CodeError:
        if venues.venue_for(user, venue_code) is None:
            return None
        raise
    found = prepared.execute(
        verify_at_sql(), [payload["p"], venue_code, prepared.like_prefix(prefix)]
    )
    if not found:
        return None
    venue, colour, name = found[0]
    if colour is None:  # no code derived yet: derived now (verify_named's slow path)
        return (venue, *verify_named(token))
    tokens.check_age(payload, CodeRules.in_force(clock.today()).qr_seconds)
    return venue, payload["p"], colour, name


def verify_named(token: str) -> tuple[int, str, str]:
    """(person id, colour, name) of a scanned QR token in one prepared statement (the
    gate shows the masked name); the life of a code is `qr_seconds` of the rule set in
    force (kept per process). CodeError when forged or expired. The signature is checked
    before any query."""
    from fangkong.people.models import Person

    day = clock.today()
    payload = tokens.read_qr_payload(token)  # forged: refused here, without a query
    pid = payload["p"]
    found = prepared.execute(verify_named_sql(), [pid])
    if found:
        tokens.check_age(payload, CodeRules.in_force(day).qr_seconds)
        return pid, found[0][0], found[0][1]
    tokens.read_qr(token, rules_in_force(day).qr_seconds)
    name = Person.objects.filter(pk=pid).values_list("name", flat=True).first() or ""
    return pid, recompute_person(pid), name
