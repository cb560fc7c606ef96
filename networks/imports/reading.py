"""A spreadsheet read a row at a time, whatever its size (issue #19: bounded memory).

CSV (UTF-8 with or without BOM, UTF-16 with BOM; comma, semicolon or tab, found by
alliance.spreadsheets.sniff_separator) or an Excel workbook (.xlsx, its first sheet, read
by openpyxl in read-only mode: imported here only when a workbook comes, so a worker
does not load it at start). The format is told by the file's first bytes, not its
name. Whatever the file as a whole cannot be (not a spreadsheet, not Unicode, a NUL
byte, a line too long, headers that name no known column) raises SpreadsheetError with a
sentence the secretariat can act on.
"""

import contextlib
import csv
import io
import itertools
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from alliance.spreadsheets import (
    SNIFF_SAMPLE,
    SpreadsheetError,
    csv_error,
    import_headers,
    sniff_separator,
)

ZIP_MAGIC = b"PK\x03\x04"
# The longest line read (characters): rows are a dozen cells of at most 32,767
# characters (a spreadsheet cell's limit), so a longer line is no row of ours, and
# reading it whole (or the csv module splitting it into millions of cells) would hold
# gigabytes in the worker (found by an attack on issue #19's memory bound).
MAX_LINE_CHARS = 1_000_000

# Binary formats a secretariat might upload by mistake: refused by name.
_NOT_SHEETS = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")


def not_readable() -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "This file is neither a CSV file nor an Excel workbook (.xlsx). Save it from "
            "the spreadsheet as “CSV UTF-8” or as an .xlsx workbook and upload it again."
        )
    )


def rows(binary, columns, required) -> Iterator[tuple[int, dict]]:
    """(row number, {column: cell}) for each data row of the open `binary` file.

    The header line is matched to `columns` (alliance.spreadsheets.import_headers);
    SpreadsheetError when a `required` column is missing or a header names none of
    `columns`. Row numbers count the header as row 1, as a spreadsheet shows them.
    Empty rows are skipped. Cells are str, or what a workbook stores (int, float, date).
    """
    start = binary.read(4)
    binary.seek(0)
    if start.startswith(ZIP_MAGIC):
        lines = _workbook_lines(binary)
    elif start.startswith(_NOT_SHEETS):
        raise not_readable()
    else:
        lines = _csv_lines(binary)
    header = next(lines, None)
    if header is None or not any(cell not in (None, "") and str(cell).strip() for cell in header):
        raise SpreadsheetError(_("The file is empty: its first line must name the columns."))
    names = import_headers(["" if h is None else str(h) for h in header], columns)
    _check_headers(names, columns, required)
    for number, line in enumerate(lines, start=2):
        if not any(cell not in (None, "") for cell in line):
            continue
        if len(line) > len(names) and any(c not in (None, "") for c in line[len(names) :]):
            raise SpreadsheetError(
                _(
                    "Row %(row)s has %(count)s values but the header line names only "
                    "%(width)s columns. Check the separators and quotation marks on that row."
                )
                % {"row": number, "count": len(line), "width": len(names)}
            )
        yield (
            number,
            {
                name: line[i] if i < len(line) else ""
                for i, name in enumerate(names)
                if name in columns
            },
        )


def _check_headers(names, columns, required) -> None:
    unknown = [n for n in names if n and n not in columns]
    missing = [c for c in required if c not in names]
    doubled = sorted({n for n in names if n and names.count(n) > 1})
    if unknown or missing or doubled:
        raise SpreadsheetError(
            _(
                "The header line does not match: the first line must name the columns "
                "%(columns)s (%(required)s required). Unknown: %(unknown)s. Missing: "
                "%(missing)s. Named twice: %(doubled)s."
            )
            % {
                "columns": ", ".join(columns),
                "required": ", ".join(required),
                "unknown": ", ".join(unknown[:10]) or "—",
                "missing": ", ".join(missing) or "—",
                "doubled": ", ".join(doubled) or "—",
            }
        )


def _workbook_lines(binary) -> Iterator[tuple]:
    import openpyxl  # a workbook's reader, loaded only for a workbook

    try:
        book = openpyxl.load_workbook(binary, read_only=True, data_only=True)
        sheet = book.worksheets[0]
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, IndexError):
        raise not_readable() from None
    try:
        for line in sheet.iter_rows(values_only=True):
            yield tuple(line)
    finally:
        book.close()


def _text_lines(binary) -> Iterator[str]:
    """The file's lines (newline="": endings kept, \\r\\n, \\n or a lone \\r) as text;
    SpreadsheetError for bytes that are not Unicode text, or a NUL character (a damaged
    file, or not a CSV file)."""
    head = binary.read(2)
    binary.seek(0)
    encoding = "utf-16" if head in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
    text = io.TextIOWrapper(binary, encoding=encoding, newline="")
    number = 0
    try:
        while line := text.readline(MAX_LINE_CHARS + 1):
            number += 1
            if len(line) > MAX_LINE_CHARS:
                raise SpreadsheetError(
                    _(
                        "Line %(line)s of the file is longer than %(most)s characters, "
                        "more than any row of this import can hold: the file may be "
                        "damaged or not a CSV file."
                    )
                    % {"line": number, "most": f"{MAX_LINE_CHARS:,}"}
                )
            if "\x00" in line and line.count("\x00") >= len(line) // 3:
                raise SpreadsheetError(
                    _(
                        "The file looks like UTF-16 text saved without its byte order "
                        "mark, which the portal cannot read safely. Save it again as “CSV "
                        "UTF-8” and upload it."
                    )
                )
            if "\x00" in line:
                raise SpreadsheetError(
                    _(
                        "Line %(line)s of the file holds a NUL character, which no "
                        "spreadsheet writes in text: the file may be damaged or not a CSV "
                        "file. Save it again from the spreadsheet as “CSV UTF-8” and "
                        "upload it."
                    )
                    % {"line": number}
                )
            yield line
    except UnicodeError:
        raise SpreadsheetError(
            _(
                "The file is not saved as UTF-8 text: near line %(line)s it has a "
                "character in another encoding (such as Windows “ANSI” or Latin-1), or it "
                "is not a text file at all. In Excel use “Save as” › “CSV UTF-8”, then "
                "upload it again."
            )
            % {"line": number + 1}
        ) from None
    finally:
        with contextlib.suppress(ValueError):  # already closed by the caller
            text.detach()  # the caller closes the file, not this wrapper


def _csv_lines(binary) -> Iterator[list]:
    lines = _text_lines(binary)
    first = []
    size = 0
    for line in lines:  # enough text to find the separator
        first.append(line)
        size += len(line)
        if size >= SNIFF_SAMPLE:
            break
    reader = csv.reader(itertools.chain(first, lines), delimiter=sniff_separator("".join(first)))
    try:
        yield from reader
    except csv.Error as error:
        raise csv_error(error, reader.line_num) from None
