"""Writes of the self-service code: an application (申领, or 代领 by a family member) with
its declaration, an appeal (申诉), and staff's decision on it. Each in one transaction."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import clock, crypto, language
from fangkong.core.access import NotAllowed, actor, invalid
from fangkong.geo.models import Division
from fangkong.healthcode import actions as code_actions
from fangkong.healthcode import facts as code_facts
from fangkong.healthcode.actions import SYMPTOMS
from fangkong.healthcode.models import CodeOverride, HealthCode
from fangkong.healthcode.rules import Facts
from fangkong.people import identity
from fangkong.people import rules as id_rules
from fangkong.people.actions import set_protected
from fangkong.people.models import Person
from fangkong.selfservice import explain
from fangkong.selfservice.choices import AppealStatus, Relation
from fangkong.selfservice.facts import stored_only
from fangkong.selfservice.models import Appeal, Declaration, SelfServiceRules

CONSENT_VERSION = "2020-02"
PHONE_FIELD = "selfservice.declaration.phone"


def rules_on(day: dt.date | None = None) -> SelfServiceRules:
    return SelfServiceRules.in_force(day or clock.today())


@dataclass
class Outcome:
    person: Person
    declaration: Declaration
    colour: str
    reasons: list[str]
    advice: list[str]
    green_on: dt.date | None


def _date(value: Any, field: str, errors: dict[str, list[str]]) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        errors[field] = [_("not a date (YYYY-MM-DD)")]
        return None


@dataclass
class _Form:
    """One application being cleaned: the raw data, the day and its rules, what is kept
    so far (`out`) and the errors by field."""

    data: dict[str, Any]
    today: dt.date
    rules: Any
    out: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)


def _who(f: _Form) -> None:
    """Who applies (the person, or a family member for them) and the names."""
    data, out, errors = f.data, f.out, f.errors
    relation = data.get("relation") or Relation.SELF
    if relation not in Relation.values:
        errors["relation"] = [_("choose who is applying")]
    out["relation"] = relation
    name = str(data.get("name") or "").strip()
    if not name:
        errors["name"] = [_("this field is required")]
    elif len(name) > 50:
        errors["name"] = [_("at most %d characters") % 50]
    out["name"] = name
    applicant = str(data.get("applicant_name") or "").strip()[:50]
    if relation != Relation.SELF and not applicant:
        errors["applicant_name"] = [_("give your own name as the family member applying")]
    out["applicant_name"] = applicant if relation != Relation.SELF else name


def _resident_id(f: _Form) -> None:
    """The resident ID; a family member applies only for the old or the young."""
    r, today = f.rules, f.today
    try:
        rid = f.out["rid"] = identity.parse_resident_id(
            str(f.data.get("id_number") or ""), today=today
        )
    except identity.IdentityError as exc:
        f.errors["id_number"] = [str(exc)]
        return
    if f.out["relation"] != Relation.SELF:
        age = (today - rid.birth_date).days // 365.25
        if not (age >= r.proxy_elderly_from or age < r.proxy_children_under):
            f.errors["relation"] = [
                _(
                    "a family member may apply only for a person aged %(old)s or more or "
                    "a child under %(young)s; a person of %(age)d applies themselves"
                )
                % {"old": r.proxy_elderly_from, "young": r.proxy_children_under, "age": age}
            ]


def _phone_and_place(f: _Form) -> None:
    try:
        f.out["phone"] = identity.parse_mobile(str(f.data.get("phone") or ""))
    except identity.IdentityError as exc:
        f.errors["phone"] = [str(exc)]
    code = str(f.data.get("node_code") or "").strip()[:24]
    node = (
        Division.objects.filter(code=code, level__in=["village", "grid"]).first() if code else None
    )
    if node is None:
        f.errors["node_code"] = [_("choose your community or village")]
    f.out["node"] = node
    f.out["address"] = str(f.data.get("address") or "").strip()[:200]


def _stay(f: _Form, i: int, stay: dict, earliest: dt.date) -> dict | None:
    """One declared stay elsewhere, kept when it lies in the period asked about."""
    from fangkong.riskareas import rules as area_rules

    scode = area_rules.canonical(str(stay.get("code") or ""))
    if not scode and not stay.get("left_on"):
        return None
    if area_rules.lookup(scode) is None:
        f.errors[f"stays.{i}.code"] = [_("unknown place code “%s”") % scode]
        return None
    left = _date(stay.get("left_on"), f"stays.{i}.left_on", f.errors)
    if left is None:
        f.errors.setdefault(f"stays.{i}.left_on", [_("give the day you left")])
        return None
    if left > f.today:
        f.errors[f"stays.{i}.left_on"] = [_("the day cannot be in the future")]
        return None
    if left < earliest:
        return None  # outside the period asked about
    return {"code": scode, "name": area_rules.name_of(scode), "left_on": left.isoformat()}


def _stays(f: _Form) -> None:
    earliest = f.today - dt.timedelta(days=f.rules.stay_days)
    stays = (_stay(f, i, dict(s or {}), earliest) for i, s in enumerate(f.data.get("stays") or []))
    f.out["stays"] = [s for s in stays if s is not None]


def _health(f: _Form) -> None:
    """Symptoms, contact with a case, and the consent to the notice."""
    data, out, errors = f.data, f.out, f.errors
    symptoms = [s for s in (data.get("symptoms") or []) if s]
    unknown = [s for s in symptoms if s not in SYMPTOMS]
    if unknown:
        errors["symptoms"] = [_("unknown symptom: %s") % ", ".join(unknown)]
    out["symptoms"] = symptoms
    out["case_contact"] = bool(data.get("case_contact"))
    out["case_contact_on"] = _date(data.get("case_contact_on"), "case_contact_on", errors)
    if out["case_contact_on"] and out["case_contact_on"] > f.today:
        errors["case_contact_on"] = [_("the day cannot be in the future")]
    if not data.get("consent"):
        errors["consent"] = [_("read and accept the notice to continue")]


# The steps of cleaning an application, in order (the proxy rule reads the relation).
CLEAN_STEPS = (_who, _resident_id, _phone_and_place, _stays, _health)


def clean(data: dict[str, Any]) -> dict[str, Any]:
    """Every field but the phone code; ValidationError naming every bad field."""
    today = clock.today()
    f = _Form(data, today, rules_on(today))
    for step in CLEAN_STEPS:
        step(f)
    if f.errors:
        raise ValidationError(f.errors)
    return f.out


def _contradictions(stored: Facts, c: dict[str, Any], person: Person, new: bool) -> list[str]:
    """Where the declaration says less than, or other than, what is stored."""
    out = []
    if not c["case_contact"] and stored.close_contact_on:
        out.append(
            _("declared no contact with cases; recorded as a close contact (last exposure %s)")
            % stored.close_contact_on
        )
    elif not c["case_contact"] and stored.possible_contact_on:
        out.append(
            _("declared no contact with cases; recorded as a possible contact on %s")
            % stored.possible_contact_on
        )
    arrival = stored.high_risk_arrival or stored.medium_risk_arrival
    if not c["stays"] and arrival:
        out.append(
            _("declared no stay elsewhere; recorded arrival from a risk area on %s") % arrival
        )
    if not c["symptoms"] and stored.abnormal_on:
        out.append(_("declared no symptoms; fever or symptoms reported on %s") % stored.abnormal_on)
    if stored.case_in_care:
        out.append(_("recorded as a case under treatment"))
    if stored.under_observation:
        out.append(_("recorded as under medical observation"))
    if not new and person.node_id != c["node"].pk:
        out.append(
            _("declared living in %(declared)s; the registry has %(stored)s")
            % {"declared": c["node"].name, "stored": person.node.name}
        )
    if not new and person.name != c["name"]:
        out.append(_("declared the name %s; the registry has another") % c["name"])
    return out


def apply(data: dict[str, Any], code: str) -> Outcome:
    """A self-service application: validate, check the SMS code of the applicant's phone,
    match the person by the resident ID's blind index (or register them at the chosen
    community), keep the declaration and derive the colour."""
    from fangkong.core.otp_codes import verify as check_code

    c = clean(data)
    phone = check_code(c["phone"], str(code or ""))
    return declare_verified(c, phone)


def declare_verified(c: dict[str, Any], phone: str) -> Outcome:
    """The application `c` (as `clean` gives it) once `phone` is verified: the person
    matched or registered, the declaration kept with its contradictions, the colour
    derived. `apply` calls it after the SMS code; the demo's declarations directly."""
    with transaction.atomic():
        rid = c["rid"]
        today = clock.today()
        person = Person.objects.active().with_resident_id(rid.number).select_for_update().first()
        new = person is None
        if person is None:
            person = Person(
                name=c["name"],
                name_initials=id_rules.pinyin_initials(c["name"]),
                birth_date=rid.birth_date,
                sex=rid.sex,
                address=c["address"],
                node=c["node"],
                path=c["node"].path,
            )
            set_protected(person, "id_number", rid.number)
            if c["relation"] == Relation.SELF:
                set_protected(person, "phone", phone)
            person.save()
        with stored_only():
            stored = code_facts.facts_for([person.pk], today)[person.pk]
        with language.stored():  # read later by officials, in their language
            contradictions = _contradictions(stored, c, person, new)
        declaration = Declaration(
            person=person,
            relation=c["relation"],
            applicant_name=c["applicant_name"],
            phone_enc=crypto.encrypt(phone, PHONE_FIELD),
            phone_index=crypto.blind_index(phone, "person.phone"),
            phone_masked=id_rules.mask_phone(phone),
            stays=c["stays"],
            symptoms=c["symptoms"],
            case_contact=c["case_contact"],
            case_contact_on=c["case_contact_on"],
            address=c["address"],
            node=c["node"],
            consent=CONSENT_VERSION,
            day=today,
            declared_at=clock.now(),
            colour="",
            contradictions=contradictions,
            new_person=new,
            path=person.path,
        )
        declaration.save()
        code_actions.recompute_persons([person.pk], today)
        return _outcome(person, declaration)


def explain_person(person: Person) -> tuple[str, list[str], list[str], dt.date | None]:
    today = clock.today()
    r = code_actions.rules_in_force(today)
    f = code_facts.facts_for([person.pk], today)[person.pk]
    code = HealthCode.objects.filter(person_id=person.pk).first()
    colour = code.colour if code else code_actions.recompute_person(person.pk)
    reasons = code.reasons if code else []
    green = None if colour == "green" else explain.green_on(f, r, today)
    return colour, reasons, explain.advice(f, colour, r, today), green


def _outcome(person: Person, declaration: Declaration) -> Outcome:
    colour, reasons, advice, green = explain_person(person)
    declaration.colour, declaration.reasons, declaration.green_on = colour, reasons, green
    declaration.save(update_fields=["colour", "reasons", "green_on"])
    return Outcome(person, declaration, colour, reasons, advice, green)


def latest_proxy(person_id: int) -> Declaration | None:
    """The latest application made for the person by a family member, if the latest
    application was one (the relation shown on the code)."""
    last = Declaration.objects.filter(person_id=person_id).order_by("-declared_at", "-pk").first()
    return last if last is not None and last.is_proxy else None


# ---------------------------------------------------------------- appeals


def _escalate_path(path: str) -> str:
    """The level above the person's community: the town (or the county for a town)."""
    codes = [c for c in path.split("/") if c]
    keep = 3 if len(codes) > 3 else max(len(codes) - 1, 1)
    return "/".join(codes[:keep]) + "/"


@transaction.atomic
def file_appeal(person: Person, reason: str) -> Appeal:
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise invalid("reason", _("say why the colour is wrong (at least 5 characters)"))
    if len(reason) > 1000:
        raise invalid("reason", _("at most %d characters") % 1000)
    if Appeal.objects.filter(person=person, status=AppealStatus.PENDING).exists():
        raise invalid("reason", _("an appeal of yours is already awaiting review"))
    now = clock.now()
    r = rules_on(clock.today())
    return Appeal.objects.create(
        person=person,
        number=crypto.reference("A"),
        reason=reason,
        colour_before=code_actions.colour_of(person.pk),
        filed_at=now,
        due_at=now + dt.timedelta(hours=r.appeal_hours),
        path=person.path,
        escalate_path=_escalate_path(person.path),
    )


@transaction.atomic
def decide_appeal(
    user: Any, appeal: Appeal, *, upheld: bool, reason: str, colour: str = ""
) -> Appeal:
    """Staff decide: upheld sets the reviewed colour (kept in the code's history with the
    decision as its reason), rejected keeps it; both keep the decision and its reason."""
    from fangkong.core.querysets import can_access

    if not user.may("selfservice.appeal", "decide") or not can_access(user, appeal, "decide"):
        raise NotAllowed(_("your role may not decide appeals here"))
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status != AppealStatus.PENDING:
        raise invalid("status", _("this appeal was already decided"))
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise invalid("reason", _("write the reason (at least 5 characters)"))
    if upheld and colour not in ("green", "yellow", "red"):
        raise invalid("colour", _("choose the colour after review"))
    if upheld and colour == appeal.colour_before:
        raise invalid("colour", _("an upheld appeal changes the colour"))
    with actor(user):
        if upheld:
            CodeOverride.objects.filter(person_id=appeal.person_id, active=True).update(
                active=False
            )
            appeal.override = CodeOverride.objects.create(
                person_id=appeal.person_id,
                colour=colour,
                reason=(_("appeal %(n)s upheld: %(r)s") % {"n": appeal.number, "r": reason})[:300],
                by=user,
                at=clock.now(),
                path=appeal.path,
            )
        appeal.status = AppealStatus.UPHELD if upheld else AppealStatus.REJECTED
        appeal.decided_by = user
        appeal.decided_at = clock.now()
        appeal.decision_reason = reason
        appeal.save()
    code_actions.recompute_persons([appeal.person_id])
    appeal.colour_after = code_actions.colour_of(appeal.person_id)
    appeal.save(update_fields=["colour_after"])
    return appeal
