from fangkong.core import crypto
from fangkong.core.querysets import RestrictedQuerySet
from fangkong.people import identity, rules


class HouseholdQuerySet(RestrictedQuerySet):
    pass


class PersonQuerySet(RestrictedQuerySet):
    def active(self) -> "PersonQuerySet":
        """Records not merged into another."""
        return self.filter(merged_into__isnull=True)

    def with_resident_id(self, number: str) -> "PersonQuerySet":
        return self.filter(
            id_number_index=crypto.blind_index(identity.normalise_id(number), "person.id_number")
        )

    def with_phone(self, phone: str) -> "PersonQuerySet":
        return self.filter(
            phone_index=crypto.blind_index(identity.normalise_phone(phone), "person.phone")
        )

    def search(self, q: str) -> "PersonQuerySet":
        q = q.strip()
        if not q:
            return self
        kind = rules.classify_query(q)
        if kind == "id":
            return self.with_resident_id(q)
        if kind == "phone":
            return self.with_phone(q)
        if kind == "initials":
            return self.filter(name_initials__startswith=q.lower())
        return self.filter(name__startswith=q) if len(q) == 1 else self.filter(name__contains=q)
