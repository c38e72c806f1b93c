"""Writes to the person registry. Views, API and importers call these; each validates,
writes in one transaction and leaves an audit trail."""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fangkong.core import audit, clock, crypto
from fangkong.core.access import account_of, invalid, require
from fangkong.core.querysets import can_access
from fangkong.geo.models import Division
from fangkong.people import identity, rules
from fangkong.people.choices import PROTECTED_FIELDS, DocumentType, Sex
from fangkong.people.models import Household, Person

EDITABLE = (
    "name",
    "sex",
    "birth_date",
    "id_number",
    "doc_type",
    "doc_number",
    "phone",
    "address",
    "node_code",
    "household_number",
    "registered_residence",
    "occupation",
    "workplace",
    "tags",
)


class DuplicatePerson(ValidationError):
    """The resident ID already belongs to a person in the registry."""

    def __init__(self, existing: Person):
        self.existing = existing
        super().__init__({"id_number": [_("this resident ID is already registered")]})


def id_elsewhere_message() -> str:
    return _("a person with this resident ID exists elsewhere; ask the town")


def similar_elsewhere_message() -> str:
    return _("a person with the same name and phone exists elsewhere; ask the town")


def within_reach(user: Any, persons: list[Person]) -> tuple[list[Person], bool]:
    """Existence checks answer within the caller's jurisdiction only: the persons the
    caller may view, and whether others exist beyond (to be told without ids)."""
    mine = [p for p in persons if can_access(user, p, "view")]
    return mine, len(mine) < len(persons)


class StaleEdit(ValidationError):
    def __init__(self) -> None:
        super().__init__(
            {"version": [_("someone else changed this record; reload and apply your edit again")]}
        )


@dataclass
class Cleaned:
    values: dict[str, Any] = field(default_factory=dict)
    id_number: str | None = None
    phone: str | None = None
    doc_number: str | None = None
    node: Division | None = None


@dataclass
class _Cleaning:
    """One registry input being cleaned: the raw data, what is kept so far, the errors."""

    user: Any
    data: dict[str, Any]
    partial: bool
    out: Cleaned = field(default_factory=Cleaned)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def refuse(self, name: str, message: str) -> None:
        self.errors[name] = [message]


TEXT_LIMITS = (
    ("address", 200),
    ("registered_residence", 200),
    ("occupation", 60),
    ("workplace", 120),
)


def _text(c: _Cleaning, name: str, limit: int, required: bool = False) -> None:
    if name not in c.data:
        if required and not c.partial:
            c.refuse(name, _("this field is required"))
        return
    value = (c.data.get(name) or "").strip()
    if required and not value:
        c.refuse(name, _("this field is required"))
    elif len(value) > limit:
        c.refuse(name, _("at most %d characters") % limit)
    else:
        c.out.values[name] = identity.normalise_name(value) if name == "name" else value


def _texts(c: _Cleaning) -> None:
    _text(c, "name", 50, required=True)
    for name, limit in TEXT_LIMITS:
        _text(c, name, limit)


def _tags(c: _Cleaning) -> None:
    if "tags" in c.data:
        raw = c.data.get("tags") or ""
        items = raw if isinstance(raw, list) else str(raw).replace("，", ",").split(",")
        c.out.values["tags"] = ",".join(dict.fromkeys(t.strip() for t in items if t.strip()))


def _sex(c: _Cleaning) -> None:
    if "sex" in c.data and c.data["sex"]:
        if c.data["sex"] not in Sex.values:
            c.refuse("sex", _("must be one of %s") % ", ".join(Sex.values))
        else:
            c.out.values["sex"] = c.data["sex"]


def _birth_date(c: _Cleaning) -> None:
    bd = c.data.get("birth_date")
    if not bd:
        return
    if isinstance(bd, str):
        try:
            bd = dt.date.fromisoformat(bd)
        except ValueError:
            c.refuse("birth_date", _("not a date (YYYY-MM-DD)"))
            return
    if bd > clock.today() or bd.year < 1880:
        c.refuse("birth_date", _("the birth date is impossible"))
    else:
        c.out.values["birth_date"] = bd


def _identity(c: _Cleaning) -> None:
    """The resident ID and phone, parsed once (people/identity.py); the ID gives the birth
    date and sex."""
    v = c.out.values
    ident = identity.parse(
        id_number=c.data.get("id_number") or "",
        phone=c.data.get("phone") or "",
        today=clock.today(),
    )
    for name, reason in ident.errors:
        c.refuse(name, reason)
    if ident.resident_id is not None:
        c.out.id_number = ident.id_number
        if v.get("birth_date") and v["birth_date"] != ident.birth_date:
            c.refuse("birth_date", _("does not match the birth date in the resident ID"))
        v["birth_date"] = ident.birth_date
        v["sex"] = ident.sex
    if ident.phone:
        c.out.phone = ident.phone


def _document(c: _Cleaning) -> None:
    if "doc_type" not in c.data:
        return
    doc_type = c.data.get("doc_type") or ""
    if doc_type not in DocumentType.values:
        c.refuse("doc_type", _("unknown document type"))
        return
    c.out.values["doc_type"] = doc_type
    number = (c.data.get("doc_number") or "").strip().upper()
    if doc_type and not number:
        c.refuse("doc_number", _("give the document number"))
    elif number and not doc_type:
        c.refuse("doc_type", _("say which document the number belongs to"))
    elif number and not (4 <= len(number) <= 30 and number.isalnum()):
        c.refuse("doc_number", _("4 to 30 letters or digits"))
    elif number:
        c.out.doc_number = number


def _node(c: _Cleaning) -> None:
    if not (c.data.get("node_code") or not c.partial):
        return
    code = (c.data.get("node_code") or "").strip()
    node = Division.objects.restrict(c.user, "view").filter(code=code).first() if code else None
    if node is None:
        c.refuse(
            "node_code",
            _("unknown jurisdiction code “%s” (or outside your area)") % code
            if code
            else _("this field is required"),
        )
    elif node.level not in rules.HOME_LEVELS:
        c.refuse("node_code", _("choose a village/community or a grid"))
    else:
        c.out.node = node


# The steps of cleaning a registry input, one per field or group of fields, in order (the
# resident ID is checked against a birth date already read).
CLEAN_STEPS = (_texts, _tags, _sex, _birth_date, _identity, _document, _node)


def _clean(user: Any, data: dict[str, Any], partial: bool = False) -> Cleaned:
    """Validate raw input; raise ValidationError naming every bad field."""
    c = _Cleaning(user, data, partial)
    for step in CLEAN_STEPS:
        step(c)
    if c.errors:
        raise ValidationError(c.errors)
    return c.out


def _apply(person: Person, cleaned: Cleaned, data: dict[str, Any]) -> None:
    for key, value in cleaned.values.items():
        setattr(person, key, value)
    if "name" in cleaned.values:
        person.name_initials = rules.pinyin_initials(person.name)
    if cleaned.node is not None:
        person.node = cleaned.node
        person.path = cleaned.node.path
    if cleaned.id_number:
        set_protected(person, "id_number", cleaned.id_number)
    elif "id_number" in data and not data["id_number"]:
        clear_protected(person, "id_number")
    if cleaned.phone:
        set_protected(person, "phone", cleaned.phone)
    elif "phone" in data and not data["phone"]:
        clear_protected(person, "phone")
    if cleaned.doc_number:
        set_protected(person, "doc_number", cleaned.doc_number)
    elif "doc_type" in data and not data.get("doc_type"):
        clear_protected(person, "doc_number")


MASKERS = {"id_number": rules.mask_id, "phone": rules.mask_phone, "doc_number": rules.mask_document}
MASKED_COLUMN = {"id_number": "id_masked", "phone": "phone_masked", "doc_number": "doc_masked"}


def set_protected(person: Person, name: str, value: str) -> None:
    setattr(person, f"{name}_enc", crypto.encrypt(value, f"person.{name}"))
    setattr(person, f"{name}_index", crypto.blind_index(value, f"person.{name}"))
    setattr(person, MASKED_COLUMN[name], MASKERS[name](value))


def clear_protected(person: Person, name: str) -> None:
    setattr(person, f"{name}_enc", None)
    setattr(person, f"{name}_index", None)
    setattr(person, MASKED_COLUMN[name], "")


def _check_duplicate_id(number: str | None, exclude_pk: int | None = None) -> None:
    if not number:
        return
    existing = Person.objects.active().with_resident_id(number).exclude(pk=exclude_pk).first()
    if existing is not None:
        raise DuplicatePerson(existing)


def _household(user: Any, person: Person, data: dict[str, Any]) -> None:
    number = (data.get("household_number") or "").strip()
    if not number:
        return
    household, _created = Household.objects.get_or_create(
        number=number, node=person.node, defaults={"address": person.address or number}
    )
    person.household = household


def similar_by_name_and_phone(name: str, phone: str | None, exclude_pk: int | None = None):
    if not phone:
        return Person.objects.none()
    return Person.objects.active().with_phone(phone).filter(name=name).exclude(pk=exclude_pk)


@transaction.atomic
def register_person(
    user: Any, data: dict[str, Any], confirm_similar: bool = False
) -> tuple[Person, list[Person]]:
    """Create a person. Same ID → DuplicatePerson; same name + phone → returned as
    `similar` without saving unless `confirm_similar`."""
    cleaned = _clean(user, data)
    _check_duplicate_id(cleaned.id_number)
    similar = list(similar_by_name_and_phone(cleaned.values["name"], cleaned.phone)[:5])
    if similar and not confirm_similar:
        return Person(name=cleaned.values["name"]), similar
    person = Person(created_by=account_of(user))
    _apply(person, cleaned, data)
    _household(user, person, data)
    person.save()
    return person, similar


@transaction.atomic
def update_person(user: Any, person: Person, data: dict[str, Any], version: int | None) -> Person:
    cleaned = _clean(user, data, partial=True)
    _check_duplicate_id(cleaned.id_number, exclude_pk=person.pk)
    fresh = Person.objects.select_for_update().get(pk=person.pk)
    if version is not None and fresh.version != version:
        raise StaleEdit()
    _apply(fresh, cleaned, data)
    _household(user, fresh, data)
    fresh.version += 1
    fresh.save()
    return fresh


def reveal(user: Any, person: Person, field_name: str, request: Any = None) -> str:
    """The full value of a protected field, for a user allowed to reveal; audited."""
    if field_name not in PROTECTED_FIELDS:
        raise ValueError(field_name)
    require(user, "reveal", person, message=_("you may not see the full value"))
    audit.record_access(user, person, f"reveal:{field_name}", request)
    return person.reveal(field_name)


def may_call(user: Any, person: Person) -> bool:
    """Whether a call button is shown: the person has a phone and `user` may reveal it
    (the reveal itself, `reveal(user, person, "phone")`, is audited when it is used)."""
    return bool(person.phone_masked) and can_access(user, person, "reveal")


def record_view(user: Any, person: Person, request: Any = None) -> None:
    audit.record_access(user, person, "view", request)


MERGE_FILLABLE = (
    "sex",
    "birth_date",
    "address",
    "registered_residence",
    "occupation",
    "workplace",
    "household",
    "doc_type",
)


@transaction.atomic
def merge_persons(user: Any, survivor: Person, absorbed: Person) -> Person:
    """Combine two records of one person. The survivor keeps its values and takes the
    absorbed record's where its own are empty; the absorbed record stays, marked as
    merged, with its history, and its relations point to the survivor."""
    if survivor.pk == absorbed.pk:
        raise invalid("absorbed", _("a record cannot be merged into itself"))
    if absorbed.merged_into_id or survivor.merged_into_id:
        raise invalid("absorbed", _("a merged record cannot be merged again"))
    for p in (survivor, absorbed):
        require(user, "merge", p, message=_("you may not merge these records"))
    if (
        survivor.id_number_index
        and absorbed.id_number_index
        and survivor.id_number_index != absorbed.id_number_index
    ):
        raise invalid("absorbed", _("the two records carry different resident IDs"))
    survivor = Person.objects.select_for_update().get(pk=survivor.pk)
    absorbed = Person.objects.select_for_update().get(pk=absorbed.pk)
    for name in MERGE_FILLABLE:
        if not getattr(survivor, name) and getattr(absorbed, name):
            setattr(survivor, name, getattr(absorbed, name))
    for name in PROTECTED_FIELDS:
        if not getattr(survivor, f"{name}_enc") and getattr(absorbed, f"{name}_enc"):
            for suffix in ("_enc", "_index"):
                setattr(survivor, name + suffix, getattr(absorbed, name + suffix))
            col = MASKED_COLUMN[name]
            setattr(survivor, col, getattr(absorbed, col))
    survivor.tags = ",".join(dict.fromkeys(survivor.tag_list + absorbed.tag_list))
    absorbed.merged_into = survivor
    absorbed.version += 1
    absorbed.save()
    survivor.version += 1
    survivor.save()
    Person.objects.filter(merged_into=absorbed).update(merged_into=survivor)
    from fangkong.people import signals

    signals.person_merged.send(sender=Person, survivor=survivor, absorbed=absorbed, user=user)
    return survivor
