"""Supervision's entries in the shared registries: home cards, the audit log's labels."""

from typing import Any

from django.utils.translation import gettext_lazy as _


def _escalated_count(user: Any) -> int | None:
    from fangkong.supervision import metrics

    return metrics.escalated_count(user)


def _open_tasks(user: Any) -> int | None:
    from fangkong.supervision import metrics

    return metrics.open_tasks_count(user)


def _topic_labels(values: list) -> str:
    from fangkong.supervision.choices import Topic

    return "、".join(str(Topic(v).label) if v in Topic.values else v for v in values)


def register_hooks() -> None:
    from fangkong.core import audit, home

    # an inspection's topics in the audit log by their names, not their stored values
    for model in ("supervision.inspectionplan", "supervision.inspection"):
        audit.register_list_labels(model, "topics", _topic_labels)

    home.register(
        home.Card(
            title=_("Supervision"),
            url_name="supervision:index",
            model_label="supervision.inspection",
            action="add",
            description=_("Overdue rectification escalated to your level"),
            count=_escalated_count,
        )
    )
    home.register(
        home.Card(
            title=_("Rectification"),
            url_name="supervision:tasks",
            model_label="supervision.rectification",
            action="change",
            description=_("Rectification tasks of your area still open"),
            count=_open_tasks,
        )
    )

    home.register(
        home.Card(
            title=_("Cadre records"),
            url_name="supervision:commendations",
            model_label="supervision.commendation",
            action="add",
            description=_("Commendations and accountability of cadres"),
        )
    )
