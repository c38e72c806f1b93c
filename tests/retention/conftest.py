"""The observation and screening fixtures, reused (the purge reads both apps' records)."""

from tests.observation.conftest import site_doctor, start  # noqa: F401
from tests.screening.conftest import make_task, upload_dir  # noqa: F401
