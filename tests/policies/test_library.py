"""The policy library: submission with a PDF, review with its emails, resubmission
through the signed link, the public library and its downloads."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from alliance.roles import NETWORK_HOST, SECRETARIAT
from cities.models import Principle
from networks.policies import services
from networks.policies.models import Policy
from tests.factories import CityFactory, NetworkFactory
from tests.policies.conftest import PDF, pdf_bytes
from tests.policies.helpers import accepted, pdf, policy_data

pytestmark = pytest.mark.django_db


def submit(client, capture, url=None, **changes):
    with capture(execute=True):
        return client.post(url or reverse("policies:submit"), policy_data(**changes))


def test_it_stores_a_submitted_policy_with_its_pdf_under_a_random_name(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    response = submit(
        client,
        django_capture_on_commit_callbacks,
        url="/es/policies/submit/",
        pdf=pdf(name="../../etc/passwd.pdf"),
    )
    assert response.status_code == 302, response.context["form"].errors
    policy = Policy.objects.get()
    assert policy.status == "submitted" and policy.language == "es"
    assert policy.model_policy_values == ["open-data"] and policy.principles.count() == 2
    assert "passwd" not in policy.pdf.name and policy.pdf.name.endswith(".pdf")
    assert policy.pdf.read() == PDF
    (message,) = mailoutbox
    assert message.to == ["lucia@medellin.example.org"]
    # Nothing public before the secretariat accepts it.
    assert client.get(reverse("policies:library")).text.count(policy.title) == 0
    assert client.get(reverse("policies:detail", args=[policy.pk])).status_code == 404
    assert client.get(reverse("policies:download", args=[policy.pk])).status_code == 404


def test_a_pdf_with_only_an_owner_password_opens_and_is_accepted(
    client, django_capture_on_commit_callbacks
):
    restricted = pdf(pdf_bytes(owner="no-printing"))
    response = submit(client, django_capture_on_commit_callbacks, pdf=restricted)
    assert response.status_code == 302, response.context["form"].errors


@pytest.mark.parametrize(
    "content, message",
    [
        (b"<html><script>alert(1)</script></html>", "not a PDF"),
        (b"%PDF-1.4 but no trailer" + b"x" * 100, "not a PDF"),
        (b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024) + b"%%EOF", "larger than"),
        # The right first and last bytes around something else (a disguised file).
        (b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n", "can be opened"),
        (PDF[: len(PDF) // 2] + b"\n%%EOF\n", "can be opened"),  # cut short
        (pdf_bytes(password="secret"), "password"),
    ],
)
def test_it_refuses_what_is_not_a_pdf_and_keeps_what_was_typed(
    client, content, message, mailoutbox
):
    response = client.post(reverse("policies:submit"), policy_data(pdf=pdf(content)))
    assert response.status_code == 400
    assert message in str(response.context["form"].errors["pdf"])
    assert "Ley de datos abiertos" in response.text
    assert not Policy.objects.exists() and not mailoutbox


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"link": "", "pdf": None}, "__all__"),
        ({"link": "javascript:alert(1)"}, "link"),
        ({"summary": "x" * 2001}, "summary"),
        ({"title": "x" * 301}, "title"),
        ({"adopted_on": "2999-01-01"}, "adopted_on"),
        ({"city_name": "/cities/nowhere-xx/"}, "city_name"),
        ({"model_policies": ["pirate"]}, "model_policies"),
        ({"principles": ["99999999999999999999999"]}, "principles"),
        ({"policy_language": "klingon"}, "policy_language"),
        ({"consent": None}, "consent"),
    ],
)
def test_bad_fields_are_400_with_the_field_named(client, changes, field):
    response = client.post(reverse("policies:submit"), policy_data(**changes))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Policy.objects.exists()


def test_the_honeypot_and_the_rate_limits_refuse_without_storing(client, settings):
    assert client.post(reverse("policies:submit"), policy_data(fax_number="x")).status_code == 400
    settings.ACCOUNT_RATE_LIMITS = {
        **settings.ACCOUNT_RATE_LIMITS,
        "policy_submit_email": "1/h/key",
    }
    assert client.post(reverse("policies:submit"), policy_data()).status_code == 302
    assert client.post(reverse("policies:submit"), policy_data(title="Other")).status_code == 429
    assert Policy.objects.count() == 1
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "policy_submit": "1/h/ip"}
    from django.core.cache import cache

    cache.clear()
    assert client.post(reverse("policies:submit"), policy_data()).status_code == 302
    other = policy_data(submitter_email="b@example.org")
    assert client.post(reverse("policies:submit"), other).status_code == 429
    assert Policy.objects.count() == 2


def test_more_information_resubmission_and_acceptance_email_the_submitter_in_their_language(
    client, django_capture_on_commit_callbacks, mailoutbox, link_in, make_staff
):
    secretariat = make_staff(SECRETARIAT)
    submit(client, django_capture_on_commit_callbacks, url="/es/policies/submit/", pdf=pdf())
    policy = Policy.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_decide(policy=policy, status="under-review", by=secretariat)
        services.policy_decide(
            policy=policy, status="more-info", note="¿Cuándo entró en vigor?", by=secretariat
        )
    assert len(mailoutbox) == 2  # received, more information (not "under review")
    question = mailoutbox[1]
    assert "¿Cuándo entró en vigor?" in question.body
    url = link_in(question, "/policies/edit/")
    assert url.startswith("/es/policies/edit/")
    page = client.get(url)
    assert page.status_code == 200 and "¿Cuándo entró en vigor?" in page.text
    data = policy_data(summary="Desde 2021.", submitter_email=None, consent=None)
    assert client.post(url, data).status_code == 302
    policy.refresh_from_db()
    assert policy.status == "submitted" and policy.summary == "Desde 2021."
    assert policy.pdf  # kept without a new upload
    assert client.post(url, data).status_code == 409  # the link has done its work
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_decide(policy=policy, status="accepted", by=secretariat)
    assert policy.title in mailoutbox[-1].body and "/es/policies/" in mailoutbox[-1].body
    assert policy.history.filter(status="more-info").exists()
    # In the library, with its page and its PDF as a download.
    assert policy.title in client.get(reverse("policies:library")).text
    page = client.get(reverse("policies:detail", args=[policy.pk]))
    assert page.status_code == 200 and "lucia@" not in page.text
    download = client.get(reverse("policies:download", args=[policy.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith("attachment;")
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF


def test_a_link_from_an_earlier_round_of_questions_no_longer_edits(
    client, django_capture_on_commit_callbacks, mailoutbox, link_in, make_staff
):
    secretariat = make_staff(SECRETARIAT)
    submit(client, django_capture_on_commit_callbacks, pdf=pdf())
    policy = Policy.objects.get()

    def ask(question):
        with django_capture_on_commit_callbacks(execute=True):
            services.policy_decide(policy=policy, status="more-info", note=question, by=secretariat)
        return link_in(mailoutbox[-1], "/policies/edit/")

    first = ask("When was it adopted?")
    data = policy_data(summary="In 2021.", submitter_email=None, consent=None)
    assert client.post(first, data).status_code == 302
    policy.refresh_from_db()
    second = ask("Which city council voted it?")
    assert first != second
    # The first email's link was used up: it must not reopen the second round.
    used = client.get(first)
    assert used.status_code == 404 and "write to the secretariat" in used.text
    assert "Pledge again" not in used.text
    assert (
        client.post(
            first, policy_data(summary="Overwritten", submitter_email=None, consent=None)
        ).status_code
        == 404
    )
    page = client.get(second)
    assert page.status_code == 200 and "Which city council voted it?" in page.text
    policy.refresh_from_db()
    assert policy.summary == "In 2021." and policy.status == "more-info"


def test_declining_needs_a_reason_and_sends_it(
    make_staff, mailoutbox, django_capture_on_commit_callbacks
):
    from django.core.exceptions import PermissionDenied, ValidationError

    policy = accepted(status="submitted")
    secretariat = make_staff(SECRETARIAT)
    with pytest.raises(ValidationError):
        services.policy_decide(policy=policy, status="declined", by=secretariat)
    host = make_staff(NETWORK_HOST, hosts=[NetworkFactory()])
    with pytest.raises(PermissionDenied):
        services.policy_decide(policy=policy, status="accepted", by=host)
    with django_capture_on_commit_callbacks(execute=True):
        services.policy_decide(
            policy=policy, status="declined", note="Not adopted yet.", by=secretariat
        )
    assert "Not adopted yet." in mailoutbox[-1].body
    with pytest.raises(ValidationError):  # declined → more information is not a move
        services.policy_decide(policy=policy, status="more-info", note="?", by=secretariat)


def test_an_expired_or_forged_link_edits_nothing(client, make_staff):
    policy = accepted(status="more-info", decision_note="?")
    from networks.involvement import links
    from networks.policies.mail import edit_token

    token = edit_token(policy)
    assert client.get(reverse("policies:edit", args=[token + "x"])).status_code == 404
    other_purpose = links.make_token(links.PLEDGE_CONFIRM, policy.pk)
    assert client.get(reverse("policies:edit", args=[other_purpose])).status_code == 404
    with time_machine.travel(timezone.now() + timezone.timedelta(days=31)):
        assert client.get(reverse("policies:edit", args=[token])).status_code == 404
    # A link emailed before links carried their round still opens the first round.
    earlier_format = links.make_token(("policy-edit", 0), policy.pk)
    assert client.get(reverse("policies:edit", args=[earlier_format])).status_code == 200


def test_the_library_filters_and_searches_with_the_directorys_fold(client):
    transparency = Principle.objects.get(code="transparency-privacy")
    accepted(
        title="Łódź privacy impact rule",
        country="PL",
        kind="regulation",
        model_policies=",privacy-impact,",
        principles=[transparency],
        policy_language="pl",
    )
    accepted(title="Open data by default", country="ES", kind="law")
    accepted(title="Hidden draft", status="submitted")

    def titles(**params):
        response = client.get(reverse("policies:library"), params)
        assert response.status_code == 200
        return [
            t
            for t in ("Łódź privacy", "Open data by default", "Hidden draft")
            if t in response.text
        ]

    assert titles() == ["Łódź privacy", "Open data by default"]
    assert titles(q="LODZ") == ["Łódź privacy"]
    assert titles(principle="transparency-privacy") == ["Łódź privacy"]
    assert titles(model_policy="open-data") == ["Open data by default"]
    assert titles(country="ES", kind="law") == ["Open data by default"]
    assert titles(policy_language="pl") == ["Łódź privacy"]
    assert titles(q="hidden") == []
    for bad in ({"kind": "pirate"}, {"q": "x" * 101}, {"q": "a\x00b"}, {"principle": "x"}):
        assert client.get(reverse("policies:library"), bad).status_code == 400
    assert (
        client.get(reverse("policies:library"), {"page": "99999999999999999999"}).status_code == 200
    )
    assert client.get(reverse("policies:detail", args=[2**70])).status_code == 404
    assert client.get("/policies/99999999999999999999999/policy.pdf").status_code == 404


def test_a_citys_page_lists_the_policies_it_contributed(client):
    city = CityFactory(slug="bilbao-es", name="Bilbao")
    accepted(city=city, title="Bilbao open data")
    accepted(city=city, title="Bilbao draft", status="submitted")
    page = client.get(city.get_absolute_url()).text
    assert "Bilbao open data" in page and "Bilbao draft" not in page
