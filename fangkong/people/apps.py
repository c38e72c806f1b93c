from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PeopleConfig(AppConfig):
    name = "fangkong.people"
    label = "people"
    verbose_name = _("Persons")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.people.models import Household, Person

        auditlog.register(
            Person,
            exclude_fields=[
                "id_number_enc",
                "id_number_index",
                "phone_enc",
                "phone_index",
                "doc_number_enc",
                "doc_number_index",
                "created_at",
                "updated_at",
                "version",
                "name_initials",
                "path",
            ],
        )
        auditlog.register(Household, exclude_fields=["created_at", "updated_at", "path"])

        from fangkong.core import demo_steps
        from fangkong.people.demo import persons

        demo_steps.register_ground("persons", persons, order=30)

        from django.utils.translation import gettext_lazy as _

        from fangkong.geo import counters

        counters.register_rows(
            "persons", _("Persons"), lambda user: Person.objects.restrict(user, "view").active()
        )

        from fangkong.core import audit, home
        from fangkong.people.pickers import person_field

        # whose records the audit page filters by (core names no domain app)
        audit.register_subject(audit.Subject("people.person", lambda: person_field(required=False)))

        home.register(
            home.Card(
                _("Persons"),
                "people:list",
                "people.person",
                "view",
                _("Find the persons of your area and open their records"),
                lambda user: Person.objects.restrict(user, "view").active().count(),
            )
        )
        home.register(
            home.Card(
                _("Jurisdictions"),
                "geo:browse",
                "geo.division",
                "view",
                _("Your area down to every grid"),
            )
        )
        home.register(
            home.Card(
                _("Audit log"),
                "audit",
                "auditlog.logentry",
                "view",
                _("Who saw or changed which record"),
            )
        )

        # its part of the daily briefing (core.sections; the briefing imports no app)
        from fangkong.core.sections import register_section
        from fangkong.people.briefing import section

        register_section("persons", section, 10, listed=False)
