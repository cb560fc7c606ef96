"""One cell of a CSV or XLSX export, safe to open: `spreadsheet_cell()`.

Apart from alliance.spreadsheets (which it is part of, and which re-exports it) so that
pages writing a CSV themselves (the directory's export) do not load tablib,
django-import-export and openpyxl: every process that loads the URLconf (a worker
rendering an email's {% url %}) would otherwise carry them, about 10 MB.
"""

import datetime
import re
from decimal import Decimal

from django.utils import timezone

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Word's manual line break (vertical tab) and page break (form feed) become line breaks;
# the other C0 controls (openpyxl's ILLEGAL_CHARACTERS) and DEL are dropped.
_BREAKS = re.compile(r"[\x0b\x0c]")
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")
_NATIVE = (bool, int, float, Decimal, datetime.date, datetime.time)


def spreadsheet_cell(value):
    """`value` as a spreadsheet may show it without running it or refusing it.

    Numbers, dates and booleans stay as they are (a negative number is not a formula);
    aware datetimes become the portal's local time without a zone (XLSX has none);
    None becomes ""; anything else becomes text, cleaned and neutralised.
    """
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, _NATIVE):
        return value
    text = _SURROGATES.sub("\N{REPLACEMENT CHARACTER}", str(value))
    text = _CONTROLS.sub("", _BREAKS.sub("\n", text))
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text
