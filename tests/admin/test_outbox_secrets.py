"""The outbox in the admin shows no email's bodies to the secretariat or auditors.

A password-reset email carries a link that sets the account's password; a partner
invitation one that sets the partner's first password; a sign-up confirmation one
that confirms the address. Anyone who can read them can take the account: an auditor
(read-only) asked for a reset of a city official's password and read the link in
the outbox, then signed in as the official and edited the city.
"""

import re

import pytest
from django.urls import reverse

from alliance.models import OutboundEmail
from alliance.roles import AUDITOR, SECRETARIAT
from tests.factories import CityOfficialFactory, UserFactory

pytestmark = pytest.mark.django_db


def reset_email_for(client, user):
    from allauth.account.models import EmailAddress

    EmailAddress.objects.get_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    client.post(reverse("account_reset_password"), {"email": user.email})
    return OutboundEmail.objects.get(to=user.email)


@pytest.mark.parametrize("role", [AUDITOR, SECRETARIAT])
def test_staff_cannot_read_a_password_reset_link_in_the_outbox(client, make_staff, role):
    official = CityOfficialFactory()
    email = reset_email_for(client, official.user)
    link = re.search(r"/accounts/password/reset/key/\S+", email.body_text).group(0)

    client.force_login(make_staff(role))
    page = client.get(reverse("admin:alliance_outboundemail_change", args=[email.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert email.subject in html  # what was sent, to whom and how it went stay visible
    assert link.split("/key/")[1][:20] not in html


def test_operators_still_read_the_bodies(client):
    email = OutboundEmail.objects.create(
        template="test", to="a@example.org", subject="Hello", body_text="The body"
    )
    from tests.factories import with_totp

    client.force_login(with_totp(UserFactory(is_staff=True, is_superuser=True)))
    page = client.get(reverse("admin:alliance_outboundemail_change", args=[email.pk]))
    assert "The body" in page.content.decode()


@pytest.mark.parametrize("lookup", ["body_text__contains", "body_html__startswith", "body_text"])
def test_staff_cannot_search_the_bodies_through_the_list_filters(client, make_staff, lookup):
    """?body_text__contains=/key/1-a, then 1-b…: one character of the link at a time."""
    official = CityOfficialFactory()
    email = reset_email_for(client, official.user)
    key = re.search(r"/key/(\S+?)/", email.body_text or email.body_html).group(1)
    client.force_login(make_staff(AUDITOR))
    response = client.get(
        reverse("admin:alliance_outboundemail_changelist"), {lookup: f"/key/{key[:3]}"}
    )
    assert response.status_code == 400
