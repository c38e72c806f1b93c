from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "fangkong.public"
    label = "public"
    verbose_name = _("Public side")

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from fangkong.core import demo_steps, home
        from fangkong.public import models as m
        from fangkong.public import permissions  # noqa: F401
        from fangkong.public.demo import demo_step

        for model in (m.Bulletin, m.Article, m.Rumour, m.WorkApplication, m.SchoolPlan):
            auditlog.register(model, exclude_fields=["path"])
        auditlog.register(m.Question, exclude_fields=["path", "phone_enc", "phone_index"])
        auditlog.register(m.Gathering, exclude_fields=["path", "phone_enc"])
        auditlog.register(m.PublicRules)
        from fangkong.core import audit
        from fangkong.public.choices import SchoolCheck

        # a school's checklist in the audit log by the checks' names
        audit.register_list_labels(
            "public.schoolplan",
            "checklist",
            lambda done: "、".join(
                str(SchoolCheck(v).label) if v in SchoolCheck.values else v for v in done
            ),
        )

        def open_questions(user):  # type: ignore[no-untyped-def]
            return m.Question.objects.restrict(user).open().count()

        def queue(user):  # type: ignore[no-untyped-def]
            return m.WorkApplication.objects.restrict(user).queue().count()

        home.register(
            home.Card(
                _("Bulletins"),
                "public:bulletins",
                "public.bulletin",
                "view",
                _("Daily bulletins: draft, review, publish"),
            )
        )
        home.register(
            home.Card(
                _("Public questions"),
                "public:questions",
                "public.question",
                "view",
                _("Open questions from the public"),
                open_questions,
            )
        )
        home.register(
            home.Card(
                _("Return to work"),
                "public:applications",
                "public.workapplication",
                "view",
                _("Applications waiting for a decision"),
                queue,
            )
        )
        home.register(
            home.Card(
                _("Rumours"),
                "public:rumours",
                "public.rumour",
                "view",
                _("Reported rumours and clarifications"),
            )
        )
        home.register(
            home.Card(
                _("Gatherings"),
                "public:gatherings",
                "public.gathering",
                "view",
                _("Weddings, funerals and banquets under the ban"),
            )
        )
        home.register(
            home.Card(
                _("Return to school"),
                "public:schools",
                "public.schoolplan",
                "view",
                _("School return plans"),
            )
        )
        demo_steps.register("public", demo_step)
