"""Where a policy's PDF is kept, and what counts as one.

The files live outside MEDIA_ROOT's public URL space (a sibling folder), so no web
server or DEBUG static route serves them: only the download view does, with
`Content-Disposition: attachment`, a fixed content type and `nosniff`.
"""

from pathlib import Path

import pypdf
from django import forms
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 10 * 1024 * 1024
# A PDF starts with "%PDF-" within its first bytes (ISO 32000-1 §7.5.2 lets a few bytes
# of junk precede it; readers look in the first 1024) and ends with "%%EOF" near its end.
HEADER_WINDOW = 1024
TRAILER_WINDOW = 2048


@deconstructible
class PolicyStorage(FileSystemStorage):
    """A FileSystemStorage at `<MEDIA_ROOT>/../policy-files`, read from the settings at
    each use (tests move MEDIA_ROOT), with no public base URL."""

    def __init__(self):
        super().__init__()

    @property
    def base_location(self):
        return str(Path(settings.MEDIA_ROOT).parent / "policy-files")

    @property
    def location(self):
        return str(Path(self.base_location).resolve())

    @property
    def base_url(self):
        return None


policy_storage = PolicyStorage()


def check_pdf(upload) -> None:
    """Refuse `upload` (an UploadedFile) unless it is a PDF of at most MAX_BYTES that
    opens without a password and has at least one page.

    Checks the size, the "%PDF-" header and the "%%EOF" trailer (cheap, first), then
    reads the document's structure with pypdf (its cross-reference table and page tree,
    not the pages' content); raises forms.ValidationError with a message for the sender.
    """
    if upload.size > MAX_BYTES:
        raise forms.ValidationError(
            _("The PDF is larger than %(mb)s MB.") % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    if upload.size < 16:
        raise forms.ValidationError(_("This file is not a PDF."))
    upload.seek(0)
    head = upload.read(HEADER_WINDOW)
    upload.seek(max(0, upload.size - TRAILER_WINDOW))
    tail = upload.read(TRAILER_WINDOW)
    upload.seek(0)
    if b"%PDF-" not in head or b"%%EOF" not in tail:
        raise forms.ValidationError(_("This file is not a PDF."))
    _check_structure(upload)


def _check_structure(upload) -> None:
    try:
        reader = pypdf.PdfReader(upload, strict=False)
        # Encrypted with an empty user password (an owner password restricting printing
        # or copying, common for official documents): every reader opens it.
        if reader.is_encrypted and not reader.decrypt(""):
            raise forms.ValidationError(
                _("This PDF is protected by a password: send one that opens without it.")
            )
        pages = len(reader.pages)
    except forms.ValidationError:
        raise
    except Exception:  # pypdf raises many kinds on a damaged file: all mean the same here
        raise forms.ValidationError(_("This file is not a PDF that can be opened.")) from None
    finally:
        upload.seek(0)
    if pages < 1:
        raise forms.ValidationError(_("This PDF has no pages."))
