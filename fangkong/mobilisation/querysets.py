"""Scoped reads of the mobilisation app."""

from fangkong.core import crypto
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.people import identity


class OrganisationQuerySet(RestrictedQuerySet):
    pass


class UnitQuerySet(RestrictedQuerySet):
    pass


class MemberQuerySet(RestrictedQuerySet):
    def with_phone(self, phone: str) -> "MemberQuerySet":
        return self.filter(phone_index=phone_index(phone))

    def search(self, q: str) -> "MemberQuerySet":
        q = q.strip()
        if not q:
            return self
        if identity.MOBILE.match(identity.normalise_phone(q)):
            return self.with_phone(q)
        return self.filter(name__contains=q)


class RegistrationQuerySet(RestrictedQuerySet):
    def active(self) -> "RegistrationQuerySet":
        from fangkong.mobilisation.choices import ACTIVE_REGISTRATION

        return self.filter(status__in=ACTIVE_REGISTRATION)


class PostQuerySet(RestrictedQuerySet):
    pass


class ShiftQuerySet(RestrictedQuerySet):
    pass


class AssignmentQuerySet(RestrictedQuerySet):
    pass


class PpeIssueQuerySet(RestrictedQuerySet):
    pass


def phone_index(phone: str) -> str:
    return crypto.blind_index(identity.normalise_phone(phone), "member.phone")
