"""The documentation page: every operation, from the portal's own files, in every language."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_it_documents_every_operation_of_the_schema(client):
    schema = client.get(reverse("api:openapi-json")).json()
    page = client.get(reverse("api_docs")).content.decode()
    for route, methods in schema["paths"].items():
        for method in methods:
            assert f"{method.upper()} {route}" in page
    assert reverse("api:openapi-json") in page and reverse("api_tokens") in page


def test_it_loads_nothing_from_elsewhere_and_no_script(client):
    response = client.get(reverse("api_docs"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    page = response.content.decode()
    assert "<script" not in page and " style=" not in page
    assert not re.search(r'(src|href)="https?://(?!creativecommons\.org/)', page)


@pytest.mark.parametrize(
    ("prefix", "heading", "summary"),
    [("/es", "Operaciones", "Ciudades miembro"), ("/ja", "操作", "加盟都市")],
)
def test_it_is_translated(client, prefix, heading, summary):
    page = client.get(prefix + reverse("api_docs")).content.decode()
    assert heading in page and summary in page
