"""Spreadsheets in and out, one set of rules for every import and export of the portal.

Out: `spreadsheet_cell()` makes any value safe in a CSV or XLSX cell: text that a
spreadsheet would run as a formula (OWASP "CSV injection": a leading = + - @, tab or
carriage return) gets a leading apostrophe, and characters pasted from a word processor
that XLSX refuses (NUL and the other C0 controls, lone surrogates) are replaced. CSV
files start with a UTF-8 byte order mark so that Excel reads "’" and "é" as such.

In: `SafeCSV` decodes the upload itself (UTF-8 with or without BOM, UTF-16 with BOM)
and finds the separator (comma, semicolon, tab) with csv.Sniffer; lines may end in CRLF,
LF or CR, and a header matches its column whatever its case or surrounding spaces
(`import_headers`, for workbooks too); what it cannot read
raises `SpreadsheetError` with a sentence a secretariat can act on. Dates are read as
ISO 8601 (YYYY-MM-DD) only, whatever the server's DATE_INPUT_FORMATS: "01/03/2024" is
never guessed as 3 January or 1 March (`IsoDateWidget`).
"""

import csv
import io
import re
import zipfile

import tablib
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources, widgets
from import_export.formats.base_formats import CSV, XLSX

from alliance.spreadsheet_cells import spreadsheet_cell
from alliance.spreadsheet_widgets import (
    IsoDateTimeWidget,
    IsoDateWidget,
    PlainDecimalWidget,
    PlainIntegerWidget,
)

SEPARATORS = ",;\t"
SNIFF_SAMPLE = 64 * 1024  # characters

FORMAT_HELP = gettext_lazy(
    "CSV files may be separated by commas, semicolons or tabs (the separator is found "
    "automatically) and saved as UTF-8 or UTF-16 (in Excel: “CSV UTF-8”). Dates are read "
    "as YYYY-MM-DD only, e.g. 2024-03-21, so that 01/03/2024 is never taken for the "
    "wrong month; numbers are written with a decimal point and no thousands separator "
    "(4.711, 2500000). In an Excel workbook, date and number cells are read as they are."
)


class SpreadsheetError(ValueError):
    """A file the portal cannot read; the message says why and what to do."""


def safe_dataset(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` with every cell (headers included) through spreadsheet_cell."""
    safe = tablib.Dataset(headers=[spreadsheet_cell(h) for h in dataset.headers or []])
    safe.title = dataset.title
    for row in dataset:
        safe.append([spreadsheet_cell(cell) for cell in row])
    return safe


def decode_upload(data: bytes) -> str:
    """The text of an uploaded CSV file; SpreadsheetError when it is not Unicode text."""
    if isinstance(data, str):
        return data
    encoding = "utf-16" if data.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8-sig"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise SpreadsheetError(
            _(
                "The file is not saved as UTF-8 text: line %(line)s has a character in "
                "another encoding (such as Windows “ANSI” or Latin-1), which would turn "
                "accented letters into garbage. In Excel use “Save as” › “CSV UTF-8”; in "
                "LibreOffice choose the character set “Unicode (UTF-8)”. Then upload it "
                "again."
            )
            % {"line": line}
        ) from None
    if "\x00" in text and text.count("\x00") < len(text) // 4:
        raise SpreadsheetError(
            _(
                "Line %(line)s of the file holds a NUL character, which no spreadsheet "
                "writes in text: the file may be damaged or not a CSV file. Save it again "
                "from the spreadsheet as “CSV UTF-8” and upload it."
            )
            % {"line": text[: text.index("\x00")].count("\n") + 1}
        )
    if "\x00" in text:
        # Every other byte NUL: UTF-16 without the byte order mark that tells its order.
        raise SpreadsheetError(
            _(
                "The file looks like UTF-16 text saved without its byte order mark, which "
                "the portal cannot read safely. Save it again as “CSV UTF-8” and upload it."
            )
        )
    return text


def sniff_separator(text: str) -> str:
    """The separator of a CSV text: comma, semicolon or tab.

    csv.Sniffer on the first SNIFF_SAMPLE characters, restricted to those three; when
    it cannot tell (one column, one line), the one the header line uses most; a comma
    when the header holds none.
    """
    # The Sniffer splits lines on "\n" only; Excel for Mac's "CSV (Macintosh)" ends them
    # with "\r".
    sample = re.sub(r"\r\n?", "\n", text[:SNIFF_SAMPLE])
    try:
        return csv.Sniffer().sniff(sample, delimiters=SEPARATORS).delimiter
    except csv.Error:
        header = sample.splitlines()[0] if sample else ""
        best = max(SEPARATORS, key=header.count)
        return best if header.count(best) else ","


def read_csv(text: str) -> tablib.Dataset:
    """The rows of a CSV text (first line the headers) as a Dataset.

    Lines may end in CRLF, LF or a lone CR (Excel for Mac); a row shorter than the
    header is padded, empty cells beyond the header's width (a trailing separator) are
    dropped. Raises SpreadsheetError, naming the line, for a row with more values than
    the header, a cell longer than the csv module's limit (far beyond Excel's 32,767
    characters) or quoting the csv module cannot read.
    """
    # newline="": the reader sees every line ending as written, in quoted cells too.
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_separator(text))
    dataset = tablib.Dataset()
    try:
        for row in reader:
            if dataset.headers is None:
                dataset.headers = row
                continue
            if not row:
                continue
            width = len(dataset.headers)
            if len(row) > width and any(cell.strip() for cell in row[width:]):
                raise SpreadsheetError(
                    _(
                        "Line %(line)s has %(count)s values but the header line names "
                        "only %(width)s columns. Check the separators and quotation "
                        "marks on that line."
                    )
                    % {"line": reader.line_num, "count": len(row), "width": width}
                )
            dataset.append((row + [""] * width)[:width])
    except csv.Error as error:
        raise csv_error(error, reader.line_num) from None
    return dataset


def csv_error(error: csv.Error, line: int) -> SpreadsheetError:
    """The SpreadsheetError to raise for what the csv module refused on `line` (1-based),
    in words a secretariat can act on."""
    if "field larger than field limit" in str(error):
        message = _(
            "Line %(line)s holds a cell far longer than a spreadsheet cell can be "
            "(Excel's limit is 32,767 characters): the file may be damaged or a "
            "quotation mark may be missing. Check that line and upload the file again."
        )
    else:
        message = _(
            "Line %(line)s cannot be read as CSV: a quotation mark may be missing or "
            "misplaced. Check that line and upload the file again."
        )
    return SpreadsheetError(message % {"line": line})


def import_headers(headers, column_names) -> list:
    """`headers` as the columns they were meant to name.

    A header typed " Slug " or "COUNTRY", or carrying a byte order mark or a no-break
    space from a word processor, names the column `column_names` spells "slug" or
    "country"; headers that name no column are only stripped.
    """
    by_key = {str(name).casefold(): name for name in column_names}
    named = []
    for header in headers:
        if not isinstance(header, str):
            named.append(header)
            continue
        stripped = header.replace("\N{ZERO WIDTH NO-BREAK SPACE}", "").strip()
        named.append(by_key.get(stripped.casefold(), stripped))
    return named


class SafeCSV(CSV):
    """CSV that reads Excel's regional variants and writes cells a spreadsheet won't run."""

    def is_binary(self):
        # The admin then hands create_dataset the bytes, and decode_upload explains
        # an encoding problem instead of the admin's bare UnicodeDecodeError.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return read_csv(decode_upload(in_stream))

    def export_data(self, dataset, **kwargs):
        return "\N{BYTE ORDER MARK}" + safe_dataset(dataset).export("csv", **kwargs)


class SafeXLSX(XLSX):
    def create_dataset(self, in_stream):
        try:
            return super().create_dataset(in_stream)
        except (zipfile.BadZipFile, KeyError, OSError):
            raise SpreadsheetError(
                _(
                    "This file is not an Excel workbook (.xlsx). If it is a CSV file, "
                    "choose the format “csv”; an old .xls workbook must first be saved "
                    "as .xlsx."
                )
            ) from None

    def export_data(self, dataset, **kwargs):
        return super().export_data(safe_dataset(dataset), **kwargs)


SPREADSHEETS = [SafeCSV, SafeXLSX]


class SpreadsheetResource(resources.ModelResource):
    """Every resource of the portal: dates ISO 8601 and numbers with a decimal point,
    in and out, whatever the language the admin is shown in."""

    WIDGETS_MAP = {
        **resources.ModelResource.WIDGETS_MAP,
        "DateField": IsoDateWidget,
        "DateTimeField": IsoDateTimeWidget,
        "DecimalField": PlainDecimalWidget,
        **{
            name: PlainIntegerWidget
            for name, widget in resources.ModelResource.WIDGETS_MAP.items()
            if widget is widgets.IntegerWidget
        },
    }

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if dataset.headers:
            columns = [field.column_name for field in self.get_import_fields()]
            dataset.headers = import_headers(dataset.headers, columns)
