"""Cells read the same whatever the admin's language (django-import-export widgets):
dates as ISO 8601 (YYYY-MM-DD) only, numbers with a decimal point and no grouping.
Each refusal raises ValueError with a sentence a secretariat can act on; the import
shows it beside the row."""

import re
from decimal import Decimal

from django.utils.translation import gettext as _
from import_export import widgets

DATE_FORMAT = "%Y-%m-%d"
DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class IsoDateWidget(widgets.DateWidget):
    """Dates as YYYY-MM-DD (or a date cell of a workbook), never a guessed order."""

    def __init__(self, **kwargs):
        super().__init__(format=DATE_FORMAT, **kwargs)

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value.strip() if isinstance(value, str) else value, row)
        except ValueError:
            raise ValueError(
                _("“%(value)s” is not a date written YYYY-MM-DD, e.g. 2024-03-21.")
                % {"value": value}
            ) from None


class IsoDateTimeWidget(widgets.DateTimeWidget):
    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


_PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_PLAIN_INTEGER = re.compile(r"[+-]?\d+")


class PlainDecimalWidget(widgets.DecimalWidget):
    """A decimal point and no grouping, whatever the admin's language.

    The library parses with the active language's separators, so "4,711" was 4.711 for
    a Spanish-speaking admin and refused for an English-speaking one.
    """

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.strip():
            if not _PLAIN_NUMBER.fullmatch(value.strip()):
                raise ValueError(
                    _("“%(value)s” is not a number written with a decimal point, e.g. 4.711.")
                    % {"value": value}
                )
            return Decimal(value.strip())
        return super().clean(value, row, **kwargs)


class PlainIntegerWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, str) and value.strip():
            if not _PLAIN_INTEGER.fullmatch(value.strip()):
                raise ValueError(
                    _("“%(value)s” is not a whole number written without separators, e.g. 2500000.")
                    % {"value": value}
                )
            return int(value.strip())
        return super().clean(value, row, **kwargs)
