"""Searching by resident ID or phone without the number ever sitting in a URL.

The search box posts its text; an ID- or phone-shaped term becomes a signed, short-lived
search handle that carries only the term's blind index (keyed HMAC: not reversible without
the data key), so the address of the results page, the pager links, the export link, the
access log and the browser history hold no number. Names and initials stay in the query
string as before. The audit log stores the same blind index, never the term.
"""

from typing import Any

from django.core import signing

from fangkong.core import crypto
from fangkong.people import identity, rules

SALT = "fangkong.people.search"
MAX_AGE = 30 * 60  # seconds a handle stays valid
FIELDS = {"id": "person.id_number", "phone": "person.phone"}


def personal_kind(q: str) -> str | None:
    """'id' or 'phone' when the term is shaped like one (it must then never go in a URL)."""
    kind = rules.classify_query(q or "")
    return kind if kind in FIELDS else None


def term_index(q: str) -> tuple[str, str] | None:
    """(kind, blind index) of an ID- or phone-shaped term; None for anything else."""
    kind = personal_kind(q)
    if kind is None:
        return None
    value = identity.normalise_id(q) if kind == "id" else identity.normalise_phone(q.strip())
    return kind, crypto.blind_index(value, FIELDS[kind])


def make_handle(q: str) -> str | None:
    found = term_index(q)
    if found is None:
        return None
    return sign(found[0], found[1])


def sign(kind: str, index: str, salt: str = SALT) -> str:
    """A handle for a blind index (other registries, e.g. members, pass their own salt)."""
    return signing.dumps({"k": kind, "i": index}, salt=salt)


def read_handle(handle: str, salt: str = SALT) -> tuple[str, str] | None:
    """(kind, blind index) of a valid handle; None when forged, garbled or expired."""
    try:
        data = signing.loads(handle, salt=salt, max_age=MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a subclass
        return None
    if not isinstance(data, dict) or data.get("k") not in FIELDS:
        return None
    return str(data["k"]), str(data.get("i", ""))


def audit_filters(params: dict[str, Any]) -> dict[str, Any]:
    """The filters as the audit log keeps them: an ID or phone as its blind index."""
    out: dict[str, Any] = {}
    for key, value in params.items():
        if not value:
            continue
        if key == "s":
            found = read_handle(str(value))
            out["q_index"] = f"{found[0]}:{found[1]}" if found else "expired"
        elif key == "q" and (found := term_index(str(value))):
            out["q_index"] = f"{found[0]}:{found[1]}"
        else:
            out[key] = value
    return out
