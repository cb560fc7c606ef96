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


def test_the_schema_documents_the_conditional_answers(client):
    # Found by an attack on #18: 304 and 412 were sent but not in the schema.
    schema = client.get(reverse("api:openapi-json")).json()
    for methods in schema["paths"].values():
        for operation in methods.values():
            assert {"304", "412"} <= set(operation["responses"]), operation["operationId"]
            problem = operation["responses"]["412"]["content"]["application/problem+json"]
            assert problem["schema"] == {"$ref": "#/components/schemas/Problem"}
    first = client.get(reverse("api:cities"))
    assert client.get(reverse("api:cities"), HTTP_IF_MATCH='"other"').status_code == 412
    assert client.get(reverse("api:cities"), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


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
