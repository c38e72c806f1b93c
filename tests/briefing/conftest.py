"""Fixtures for briefing tests: a replayable clock; the confirmed cases placed by hand
(`add_case`), their clinic and the PDF's fonts are tests/conftest.py's."""

import datetime as dt

from tests.kit import TZ, at  # noqa: F401  (their tests import them from here)

DAY0 = dt.date(2020, 2, 10)
