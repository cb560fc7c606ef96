import re

import pytest

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def link_in():
    """The first address under the site's root in an email's text that contains `part`."""

    def find(message, part: str) -> str:
        for url in re.findall(r"https?://\S+", message.body):
            if part in url:
                return "/" + url.split("://", 1)[1].split("/", 1)[1]
        raise AssertionError(f"no link with {part!r} in {message.body}")

    return find
