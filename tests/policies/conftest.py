import io
import re

import pypdf
import pytest


def pdf_bytes(pages: int = 1, password: str | None = None, owner: str | None = None) -> bytes:
    """A real PDF of `pages` blank A4 pages, encrypted with `password` if given (or only
    with an `owner` password, which restricts but opens without one)."""
    writer = pypdf.PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password or owner:
        writer.encrypt(user_password=password or "", owner_password=owner)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


PDF = pdf_bytes()


@pytest.fixture
def link_in():
    """The first address under the site's root in an email's text that contains `part`."""

    def find(message, part: str) -> str:
        for url in re.findall(r"https?://\S+", message.body):
            if part in url:
                return "/" + url.split("://", 1)[1].split("/", 1)[1]
        raise AssertionError(f"no link with {part!r} in {message.body}")

    return find
