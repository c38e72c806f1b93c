"""Writes of contact tracing: index cases, contacts (R1), their confirmation into
observation or screening, transmissions; one function per verb."""

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.apps import apps
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto, facts
from fangkong.core.access import account_of, actor, invalid, one_of, require
from fangkong.core.querysets import system_actor
from fangkong.people.rules import mask_phone
from fangkong.tracing import rules
from fangkong.tracing.choices import Category, ContactStatus, Setting, TransportKind
from fangkong.tracing.models import Contact, IndexCase, TracingRules, TransmissionEdge


def rules_in_force(day: dt.date) -> TracingRules:
    """The rule set in force on `day` (see DatedRuleSet.in_force); stored, since the
    facts it judges keep a reference to it."""
    return TracingRules.in_force_stored(day)


def _date(data: dict, field: str, required: bool = True) -> dt.date | None:
    value = data.get(field)
    if value in (None, ""):
        if required:
            raise invalid(field, _("this field is required"))
        return None
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise invalid(field, _("not a date (YYYY-MM-DD)")) from None


def recompute_code(person_id: int | None) -> None:
    """A contact fact of this person changed: tell the facts registry (the health code
    and any other consumer follow)."""
    facts.changed(facts.CONTACT, [person_id])


# ---------------------------------------------------------------- index cases


@transaction.atomic
def open_index_case(user: Any, person: Any, data: dict[str, Any]) -> IndexCase:
    """Start tracing a case: its onset, specimen and isolation dates decide R1."""
    require(user, "add", "tracing.indexcase")
    onset = _date(data, "onset_date", required=False)
    specimen = _date(data, "specimen_date", required=False)
    isolated = _date(data, "isolated_on", required=False)
    asymptomatic = bool(data.get("asymptomatic"))
    if onset is None and specimen is None:
        raise invalid("onset_date", _("give the onset date, or the specimen date"))
    if onset and isolated and isolated < onset - dt.timedelta(days=30):
        raise invalid("isolated_on", _("the isolation is long before the onset"))
    setting = str(data.get("setting") or "")
    if setting:
        one_of("setting", setting, Setting)
    case_id = data.get("case_id")
    existing = IndexCase.objects.filter(person=person).first()
    index = existing or IndexCase(person=person)
    index.case_id = case_id or index.case_id
    index.label = str(data.get("label") or index.label or person.name)[:60]
    index.asymptomatic, index.onset_date = asymptomatic, onset
    index.specimen_date, index.isolated_on = specimen, isolated
    index.setting = setting or index.setting
    index.source = str(data.get("source") or index.source)[:140]
    index.path = person.path
    with actor(user):
        index.save()
    return index


def index_for_clinical_case(user: Any, case: Any, onset: dt.date | None = None) -> IndexCase:
    """The index case of a clinical case (opened once), its dates and infection source
    taken from the clinical record."""
    found = IndexCase.objects.filter(case_id=case.pk).first()
    if found is not None:
        return found
    source = " ".join(
        t
        for t in (
            case.get_source_display() if hasattr(case, "get_source_display") else "",
            getattr(case, "source_note", ""),
        )
        if t
    )
    sample = case.samples.order_by("taken_at").first() if hasattr(case, "samples") else None
    specimen = timezone.localdate(sample.taken_at) if sample else None
    isolated = case.admitted_at or case.diagnosed_at
    return open_index_case(
        user,
        case.person,
        {
            "case_id": case.pk,
            "label": f"{case.number} {case.person.name}",
            "asymptomatic": case.status == "asymptomatic",
            "onset_date": onset
            or getattr(case, "onset_date", None)
            or (None if case.status == "asymptomatic" else specimen),
            "specimen_date": specimen or timezone.localdate(case.diagnosed_at),
            "isolated_on": timezone.localdate(isolated) if isolated else None,
            "source": source,
        },
    )


def on_case_fact(fact: str, person_ids: list[int], detail: dict[str, Any]) -> None:
    """Tracing's consumer of `core.facts`: confirming a case (or classifying an
    asymptomatic infection) opens its index case, once, in the same transaction."""
    if detail.get("status") not in ("confirmed", "asymptomatic") or not detail.get("case"):
        return
    from fangkong.clinical.models import Case

    case = Case.objects.select_related("person").filter(pk=detail["case"]).first()
    if case is None:
        return

    index_for_clinical_case(system_actor(), case)


# ---------------------------------------------------------------- contacts


def _source(index: IndexCase | None) -> rules.Source | None:
    if index is None:
        return None
    return rules.Source(
        index.onset_date, index.specimen_date, index.asymptomatic, index.isolated_on
    )


def _proximity(data: dict) -> Decimal | None:
    value = data.get("proximity_m")
    if value in (None, ""):
        return None
    try:
        found = Decimal(str(value))
    except InvalidOperation:
        raise invalid("proximity_m", _("not a number")) from None
    if found < 0 or found > 1000:
        raise invalid("proximity_m", _("between 0 and 1000 m"))
    return found


@transaction.atomic
def add_contact(
    user: Any,
    index: IndexCase | None,
    data: dict[str, Any],
    *,
    source_contact: Contact | None = None,
) -> Contact:
    """Record a contact of an index case (or of a close contact: a secondary contact),
    classified close or general by R1 in force on the day of the assessment."""
    require(user, "add", "tracing.contact")
    if index is None and source_contact is None:
        raise invalid("index", _("a contact needs a case or a close contact as its source"))
    person = data.get("person")
    name = str(data.get("name") or (person.name if person else "")).strip()
    if not name:
        raise invalid("name", _("this field is required"))
    setting = str(data.get("setting") or "")
    one_of("setting", setting, Setting)
    kind = str(data.get("transport_kind") or "")
    if kind:
        one_of("transport_kind", kind, TransportKind)
    if setting == Setting.TRANSPORT and not str(data.get("transport_no") or "").strip():
        raise invalid("transport_no", _("give the train, flight or coach number"))
    first = _date(data, "first_exposure")
    last = _date(data, "last_exposure") if data.get("last_exposure") else first
    assert first is not None and last is not None
    exposure = rules.Exposure(first, last, setting, _proximity(data), bool(data.get("protected")))
    src = _source(index)
    try:
        rules.check_dates(exposure, src, clock.today())
    except rules.InputError as exc:
        raise invalid(exc.field, str(exc)) from None
    # R1 is the protocol in force when the contact is ASSESSED (today), not the one in
    # force on the exposure day: a 5th-edition assessment looks 2 days before onset.
    rule_set = rules_in_force(clock.today())
    category, reason = rules.classify(exposure, src if source_contact is None else None, rule_set)
    node = data.get("node") or (person.node if person else None)
    if node is None:
        node = (index.person if index else source_contact.person or source_contact).node  # type: ignore[union-attr]
    phone = "" if person else str(data.get("phone") or "").strip()
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 15):
        raise invalid("phone", _("not a phone number"))
    contact = Contact(
        index=index or (source_contact.index if source_contact else None),
        phone_enc=crypto.encrypt(phone, "tracing.contact.phone") if phone else None,
        phone_masked=mask_phone(phone) if phone else "",
        source_contact=source_contact,
        person=person,
        name=name[:50],
        address=str(data.get("address") or (person.address if person else ""))[:200],
        setting=setting,
        transport_kind=kind,
        transport_no=str(data.get("transport_no") or "")[:20],
        seat=str(data.get("seat") or "")[:12],
        first_exposure=first,
        last_exposure=last,
        proximity_m=exposure.proximity_m,
        protected=exposure.protected,
        category=category,
        reason=reason[:300],
        rules=rule_set,
        node=node,
        path=node.path,
        clinical_exposure_id=data.get("clinical_exposure_id"),
        companion_candidate_id=data.get("companion_candidate_id"),
        created_by=account_of(user),
    )
    with actor(user):
        contact.save()
    recompute_code(contact.person_id)
    return contact


@transaction.atomic
def confirm_contact(user: Any, contact: Contact) -> Contact:
    """Confirm a contact. A close contact starts an observation period (observation
    action) or, when only an address is known, a screening task (screening action)."""
    require(user, "change", "tracing.contact")
    contact = Contact.objects.select_for_update().get(pk=contact.pk)
    if contact.status != ContactStatus.PENDING:
        raise invalid("status", _("this contact is already %s") % contact.get_status_display())
    if contact.category == Category.CLOSE:
        if contact.person is not None:
            _start_observation(user, contact)
        elif contact.address:
            _screening_task(contact)
        else:
            raise invalid("address", _("a close contact needs a person or at least an address"))
    contact.status = ContactStatus.CONFIRMED
    contact.confirmed_at = clock.now()
    with actor(user):
        contact.save(
            update_fields=["status", "confirmed_at", "observation_period_id", "screening_row"]
        )
    recompute_code(contact.person_id)
    return contact


def _start_observation(user: Any, contact: Contact) -> None:
    if not apps.is_installed("fangkong.observation"):
        return
    from fangkong.observation.actions import record_exposure, start_period
    from fangkong.observation.models import ObservationPeriod

    open_period = ObservationPeriod.objects.open().filter(person=contact.person).first()  # type: ignore[attr-defined]
    if open_period is not None:  # already observed: the new exposure may move the end (R2)
        record_exposure(user, open_period, contact.last_exposure)
        contact.observation_period_id = open_period.pk
        return
    period = start_period(
        user, contact.person, reason="close_contact", last_exposure=contact.last_exposure
    )
    contact.observation_period_id = period.pk


def _screening_task(contact: Contact) -> None:
    if not apps.is_installed("fangkong.screening"):
        return
    from fangkong.screening.actions import declare

    source = contact.index.label if contact.index else contact.name
    phone = (
        crypto.decrypt(bytes(contact.phone_enc), "tracing.contact.phone")
        if contact.phone_enc
        else ""
    )
    outcome = declare(
        {
            "name": contact.name,
            "address": contact.address,
            "phone": phone,
            "origin": _("close contact of %s") % source,
        }
    )
    rejection = getattr(outcome, "rejection", None)
    if rejection is not None:  # the screening list refused the row: say why, confirm nothing
        raise invalid("phone", _("screening refused the hand-over: %s") % rejection.reason)
    row = getattr(outcome, "row", None)
    contact.screening_row = f"row:{row.pk}" if row is not None else "duplicate"


@transaction.atomic
def dismiss_contact(user: Any, contact: Contact, reason: str) -> Contact:
    require(user, "change", "tracing.contact")
    if not (reason or "").strip():
        raise invalid("reason", _("say why the contact is dismissed"))
    contact.status = ContactStatus.DISMISSED
    contact.reason = f"{contact.reason} · {reason.strip()}"[:300]
    with actor(user):
        contact.save(update_fields=["status", "reason"])
    recompute_code(contact.person_id)
    return contact


# ---------------------------------------------------------------- transmissions


@transaction.atomic
def record_transmission(
    user: Any,
    source: IndexCase,
    target: IndexCase,
    *,
    exposure_date: dt.date,
    setting: str,
    contact: Contact | None = None,
) -> TransmissionEdge:
    """Case → case: the source infected the target (through the contact, if traced)."""
    require(user, "add", "tracing.transmissionedge")
    if source.pk == target.pk:
        raise invalid("target", _("a case cannot infect itself"))
    one_of("setting", setting, Setting)
    if target.onset_date and exposure_date > target.onset_date:
        raise invalid("exposure_date", _("the exposure is after the onset of the infected case"))
    edge, _created = TransmissionEdge.objects.update_or_create(
        source=source,
        target=target,
        defaults={
            "exposure_date": exposure_date,
            "setting": setting,
            "contact": contact,
            "path": target.path,
        },
    )
    return edge


@transaction.atomic
def contact_became_case(user: Any, contact: Contact, data: dict[str, Any]) -> IndexCase:
    """A traced contact fell ill: a new index case and the edge case → contact → case."""
    if contact.index is None or contact.person is None:
        raise invalid("contact", _("only a registered contact of a case can become a case"))
    index = open_index_case(user, contact.person, data)
    index.source_contact = contact
    index.save(update_fields=["source_contact"])
    contact.status = ContactStatus.BECAME_CASE
    contact.save(update_fields=["status"])
    record_transmission(
        user,
        contact.index,
        index,
        exposure_date=contact.last_exposure,
        setting=contact.setting,
        contact=contact,
    )
    recompute_code(contact.person_id)
    return index
