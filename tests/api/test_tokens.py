"""API tokens: made on the account page, shown once, stored hashed, used, revoked."""

import hashlib
import re

import pytest
from django.urls import reverse

from alliance.api.models import ApiToken
from alliance.models import PartnerPerson
from tests.api.conftest import bearer, make_token
from tests.factories import CityOfficialFactory, PartnerFactory, UserFactory, with_totp

pytestmark = pytest.mark.django_db

TOKENS = reverse("api_tokens")
MEETINGS = reverse("api:meetings")
SECRET = re.compile(r"<code class=\"break\">(gsca_[A-Za-z0-9_-]+)</code>")


@pytest.fixture
def partner(db):
    return PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user


def make_on_page(client, user, name="My script"):
    client.force_login(user)
    response = client.post(TOKENS, {"name": name})
    assert response.status_code == 200, response.content[:500]
    return SECRET.search(response.content.decode()).group(1)


def test_it_shows_a_new_token_once_and_keeps_only_its_hash(client, partner):
    secret = make_on_page(client, partner)
    token = ApiToken.objects.get(user=partner)
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in str(ApiToken.objects.filter(pk=token.pk).values().get())
    page = client.get(TOKENS).content.decode()
    assert "My script" in page and token.prefix in page
    assert secret not in page  # never shown again


def test_a_city_official_may_make_a_token(client):
    official = CityOfficialFactory().user
    assert make_on_page(client, official).startswith("gsca_")


@pytest.mark.parametrize("kind", ["plain", "staff"])
def test_people_who_are_neither_partner_nor_official_may_not(client, kind):
    user = UserFactory() if kind == "plain" else with_totp(UserFactory(is_staff=True))
    client.force_login(user)
    assert "Tokens are for partner people" in client.get(TOKENS).content.decode()
    assert client.post(TOKENS, {"name": "x"}).status_code == 403
    assert not ApiToken.objects.exists()


def test_a_token_needs_a_name(client, partner):
    client.force_login(partner)
    response = client.post(TOKENS, {"name": "  "})
    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_the_page_needs_a_sign_in(client):
    assert client.get(TOKENS).status_code == 302


def test_a_token_reads_and_its_use_is_shown(client, partner):
    secret = make_on_page(client, partner)
    client.logout()
    assert client.get(MEETINGS, **bearer(secret)).status_code == 200
    token = ApiToken.objects.get()
    assert token.last_used_at is not None
    client.force_login(partner)
    assert "Never" not in client.get(TOKENS).content.decode()


def test_a_revoked_token_is_refused(client, partner):
    secret = make_on_page(client, partner)
    token = ApiToken.objects.get()
    response = client.post(reverse("api_token_revoke", args=[token.pk]))
    assert response.status_code == 302
    client.logout()
    refused = client.get(MEETINGS, **bearer(secret))
    assert refused.status_code == 401
    assert refused["Content-Type"] == "application/problem+json"
    assert refused["WWW-Authenticate"].startswith("Bearer")
    # Public routes refuse it too rather than answer as anonymous.
    assert client.get(reverse("api:cities"), **bearer(secret)).status_code == 401


def test_nobody_revokes_another_persons_token(client, partner):
    secret = make_token(partner)
    token = ApiToken.objects.get()
    other = PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user
    client.force_login(other)
    assert client.post(reverse("api_token_revoke", args=[token.pk])).status_code == 404
    client.logout()
    assert client.get(MEETINGS, **bearer(secret)).status_code == 200


def test_an_unknown_or_malformed_token_is_refused(client):
    for header in ["Bearer gsca_nothing", "Bearer ", "Basic abc", "Bearer \u00e9t\u00e9"]:
        response = client.get(reverse("api:cities"), HTTP_AUTHORIZATION=header)
        assert response.status_code == 401, header


def test_a_token_of_a_deactivated_account_is_refused(client, partner):
    secret = make_token(partner)
    partner.is_active = False
    partner.save()
    assert client.get(MEETINGS, **bearer(secret)).status_code == 401


def test_the_secretariat_revokes_any_token_in_the_admin(client, partner):
    from django.contrib.auth.models import Group

    from alliance import roles

    secret = make_token(partner)
    staff = with_totp(UserFactory(is_staff=True))
    staff.groups.add(Group.objects.get(name=roles.SECRETARIAT))
    client.force_login(staff)
    changelist = reverse("admin:api_apitoken_changelist")
    assert client.get(changelist).status_code == 200
    token = ApiToken.objects.get()
    response = client.post(
        changelist, {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_by == staff
    assert client.get(MEETINGS, **bearer(secret)).status_code == 401
