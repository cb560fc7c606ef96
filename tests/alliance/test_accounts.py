"""Accounts by email (django-allauth), as our settings configure them."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from alliance.models import OutboundEmail, User
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email="ana@pasto.gov.co"):
    return client.post(
        reverse("account_signup"),
        {
            "email": email,
            "password1": "a-long pass phrase 42",
            "password2": "a-long pass phrase 42",
        },
    )


def test_sign_up_requires_email_verification_before_sign_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_up(client)
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="ana@pasto.gov.co")
    assert not EmailAddress.objects.get(user=user).verified
    # The verification mail went through the outbox, once.
    assert OutboundEmail.objects.filter(to=user.email).count() == 1
    assert len(mailoutbox) == 1
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", mailoutbox[0].body).group(0)

    client.logout()
    login = client.post(
        reverse("account_login"), {"login": user.email, "password": "a-long pass phrase 42"}
    )
    assert login["Location"] == reverse("account_email_verification_sent")

    confirm_path = link.split("testserver", 1)[-1]
    assert client.get(confirm_path).status_code == 200
    client.post(confirm_path)
    assert EmailAddress.objects.get(user=user).verified


def test_password_reset_looks_the_same_for_known_and_unknown_addresses(client, mailoutbox):
    UserFactory(email="known@example.org")
    known = client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]


def test_sign_up_with_a_taken_address_does_not_reveal_it(client):
    UserFactory(email="taken@example.org")
    response = sign_up(client, email="taken@example.org")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact="taken@example.org").count() == 1


def test_login_is_refused_after_repeated_failures_even_with_the_right_password(client):
    UserFactory(email="target@example.org")
    for _ in range(5):
        wrong = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong"}
        )
        assert wrong.status_code == 200
    right = client.post(
        reverse("account_login"),
        {"login": "target@example.org", "password": "correct horse battery staple"},
    )
    assert "Too many failed login attempts" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_every_user_can_turn_on_an_authenticator_app(client, verified_user):
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import (
        format_hotp_value,
        hotp_value,
        yield_hotp_counters_from_time,
    )

    client.force_login(verified_user)
    # Turning on a second factor asks for the password again first.
    assert client.get(reverse("mfa_activate_totp")).status_code == 302
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    code = format_hotp_value(hotp_value(secret, next(yield_hotp_counters_from_time())))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=verified_user, type="totp").exists()
