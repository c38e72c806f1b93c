"""What the clinical app adds to shared pages (jurisdiction-browser column, home cards,
demo step, audit registration) and its own hook for contact tracing.

Contact tracing does not exist yet: when it does, it calls
`register_exposure_consumer(fn)`; `fn(investigation, exposures)` is then called when a
case investigation is completed, and the exposures it accepts are marked consumed.
Until then the exposures are recorded and listed on the investigation page."""

from collections.abc import Callable
from typing import Any

from django.utils.translation import gettext_lazy as _

_exposure_consumers: list[Callable[[Any, list[Any]], None]] = []


def register_exposure_consumer(fn: Callable[[Any, list[Any]], None]) -> None:
    if fn not in _exposure_consumers:
        _exposure_consumers.append(fn)


def exposure_consumers() -> list[Callable[[Any, list[Any]], None]]:
    return list(_exposure_consumers)


# The direct report of a case (R9) is its national report card, kept by the exchange app
# (which depends on clinical, not the other way). The demo's doctors report their cases
# at the moment the story needs through the reporter that app registers here; with none
# registered the demo's report clocks stay open.
_demo_reporters: list[Callable[[Any, Any], None]] = []


def register_demo_reporter(fn: Callable[[Any, Any], None]) -> None:
    """`fn(user, case)` reports the case's current class the way the app does."""
    if fn not in _demo_reporters:
        _demo_reporters.append(fn)


def demo_reporters() -> list[Callable[[Any, Any], None]]:
    return list(_demo_reporters)


def _in_care(user: Any) -> int:
    from fangkong.clinical.models import Case

    return Case.objects.restrict(user, "view").active().count()


def register_hooks() -> None:
    from fangkong.clinical.models import Case
    from fangkong.core import home
    from fangkong.geo import counters

    counters.register_rows(
        "clinical", _("Patients in care"), lambda user: Case.objects.restrict(user, "view").active()
    )

    home.register(
        home.Card(
            _("Clinical pathway"),
            "clinical:board",
            "clinical.case",
            "view",
            _("Fever clinics, patients, reporting clocks, transfers and free beds"),
            _in_care,
        )
    )
