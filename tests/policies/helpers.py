"""Rows and form data shared by the policy tests."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from cities.models import Principle
from networks.policies.models import Policy
from tests.policies.conftest import PDF


def pdf(content: bytes = PDF, name: str = "policy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def policy_data(**changes):
    data = {
        "title": "Ley de datos abiertos de Medellín",
        "kind": "law",
        "adopter": "Alcaldía de Medellín",
        "country": "CO",
        "city_name": "",
        "principles": [str(pk) for pk in Principle.objects.values_list("pk", flat=True)[:2]],
        "model_policies": ["open-data"],
        "summary": "Every data set of the city is published under an open licence.",
        "adopted_on": "2021-03-04",
        "policy_language": "es",
        "link": "https://medellin.example.org/ley",
        "submitter_name": "Lucía Pérez",
        "submitter_email": "lucia@medellin.example.org",
        "consent": "on",
        "fax_number": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def accepted(**fields) -> Policy:
    values = {
        "title": "Open data by default",
        "kind": "regulation",
        "adopter": "City of Bilbao",
        "country": "ES",
        "summary": "Open by default.",
        "adopted_on": datetime.date(2020, 5, 1),
        "policy_language": "es",
        "link": "https://bilbao.example.org/open",
        "submitter_name": "Ane",
        "submitter_email": "ane@bilbao.example.org",
        "status": Policy.Status.ACCEPTED,
        "model_policies": ",open-data,",
    }
    values.update(fields)
    principles = values.pop("principles", None)
    policy = Policy.objects.create(**values)
    if principles:
        policy.principles.set(principles)
    return policy
