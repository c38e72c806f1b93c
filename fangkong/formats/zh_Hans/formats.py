"""Chinese formats with ISO values first in inputs.

Django renders a date field's value with the first input format of the language; its
zh_Hans default "2016/09/05" is refused by <input type="date"> (which takes only
ISO 8601), so required dates looked unset. Display formats stay Chinese (2020年1月23日)."""

from django.conf.locale.zh_Hans.formats import (  # noqa: F401 - re-exported formats
    DATE_FORMAT,
    DATETIME_FORMAT,
    DECIMAL_SEPARATOR,
    FIRST_DAY_OF_WEEK,
    MONTH_DAY_FORMAT,
    NUMBER_GROUPING,
    SHORT_DATE_FORMAT,
    SHORT_DATETIME_FORMAT,
    THOUSAND_SEPARATOR,
    TIME_FORMAT,
    TIME_INPUT_FORMATS,
    YEAR_MONTH_FORMAT,
)
from django.conf.locale.zh_Hans.formats import DATE_INPUT_FORMATS as _DATE
from django.conf.locale.zh_Hans.formats import DATETIME_INPUT_FORMATS as _DATETIME

DATE_INPUT_FORMATS = ["%Y-%m-%d", *(f for f in _DATE if f != "%Y-%m-%d")]
# A space between date and time is valid for <input type="datetime-local"> and reads well.
DATETIME_INPUT_FORMATS = ["%Y-%m-%d %H:%M", *(f for f in _DATETIME if f != "%Y-%m-%d %H:%M")]
