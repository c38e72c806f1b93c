"""Logs never carry a resident ID or a phone number (issue #16, item 3).

Every log record's message is rendered and scrubbed as it is made (`install`, called
from CoreConfig.ready, wraps the record factory), so application logs, Django's request
and server logs and gunicorn's access log of a worker all pass through one filter;
`ScrubFilter` does the same for a handler configured on its own, and `GunicornLogger`
(`make run`: --logger-class) scrubs gunicorn's own access and error logs.

An ID-shaped value keeps its region prefix and last 4 characters, a phone its first 3 and
last 4 digits — the masks of people/rules.py (core does not import the domain apps).
"""

import logging
import re
from typing import Any

# An 18-character resident ID (separators allowed), a mainland mobile number with an
# optional +86 and separators, a query-string-encoded space (%20, +) counting as one.
_SEP = r"(?:[\s\-.]|%20|\+)?"
ID_SHAPED = re.compile(
    r"(?<![0-9A-Za-z])(\d{6})(?:" + _SEP + r"\d){8}" + _SEP + r"(\d{3}[\dXx])(?![0-9A-Za-z])"
)
PHONE_SHAPED = re.compile(
    r"(?<![0-9])(?:(?:\+|%2B)?86"
    + _SEP
    + r")?(1[3-9]\d)"
    + _SEP
    + r"\d{4}"
    + _SEP
    + r"(\d{4})(?![0-9])"
)


def scrub(text: str) -> str:
    text = ID_SHAPED.sub(lambda m: m.group(1) + "********" + m.group(2), text)
    return PHONE_SHAPED.sub(lambda m: m.group(1) + "****" + m.group(2), text)


def scrub_record(record: logging.LogRecord) -> logging.LogRecord:
    try:
        message = record.getMessage()
    except Exception:  # a broken format string is logged as it is
        return record
    clean = scrub(message)
    if clean != message or record.args:
        record.msg, record.args = clean, None
    return record


class ScrubFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        scrub_record(record)
        return True


_installed = False


def install() -> None:
    """Scrub every record at creation, whatever logger or handler it goes to."""
    global _installed
    if _installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        return scrub_record(previous(*args, **kwargs))

    logging.setLogRecordFactory(factory)
    _installed = True


try:
    from gunicorn.glogging import Logger as _GunicornLogger
except ImportError:  # pragma: no cover - gunicorn is a runtime dependency
    _GunicornLogger = object  # type: ignore[assignment,misc]


class GunicornLogger(_GunicornLogger):  # type: ignore[misc,valid-type]
    """gunicorn's logger with the scrub filter on its access and error logs."""

    def setup(self, cfg: Any) -> None:
        super().setup(cfg)
        for log in (self.error_log, self.access_log):
            log.addFilter(ScrubFilter())
