"""The hand-over to contact tracing.

Confirming a candidate stores the decision and calls `on_confirmed`, which sends
`exposure_confirmed`. Companions does not import tracing: the tracing app connects its
receiver (`fangkong.tracing.hooks.contact_from_companion`, which creates the close
contact through its own action when the case and the candidate are registered persons):

    exposure_confirmed.connect(contact_from_companion, dispatch_uid="tracing.companion")

The receiver runs inside the confirming transaction, so a failure undoes the decision.
"""

from typing import Any

from django.dispatch import Signal

exposure_confirmed = Signal()  # kwargs: candidate, user


def on_confirmed(candidate: Any, user: Any) -> list[tuple[Any, Any]]:
    """Tell whoever listens that an investigator confirmed this candidate exposure."""
    return exposure_confirmed.send(sender=type(candidate), candidate=candidate, user=user)
