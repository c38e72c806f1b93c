"""The hand-over to contact tracing.

A contact-tracing app does not exist yet. Confirming a candidate stores the decision and
calls `on_confirmed`, which sends `exposure_confirmed`; the tracing app, when it comes,
connects a receiver that creates the close contact through its own action:

    exposure_confirmed.connect(create_contact_from_companion)

The receiver runs inside the confirming transaction, so a failure undoes the decision.
"""

from typing import Any

from django.dispatch import Signal

exposure_confirmed = Signal()  # kwargs: candidate, user


def on_confirmed(candidate: Any, user: Any) -> list[tuple[Any, Any]]:
    """Tell whoever listens that an investigator confirmed this candidate exposure."""
    return exposure_confirmed.send(sender=type(candidate), candidate=candidate, user=user)
