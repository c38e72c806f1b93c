"""The observation and screening fixtures, reused (the purge reads both apps' records)."""

from tests.observation.conftest import site_doctor, start, system_user  # noqa: F401
from tests.screening.conftest import make_task, system, upload_dir  # noqa: F401
