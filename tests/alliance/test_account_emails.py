"""allauth's emails go out in the portal's words, name and templates, in the reader's language."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from alliance.accounts import ACCOUNT_EMAIL_TEMPLATES
from alliance.models import OutboundEmail
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PORTAL = "G20 Global Smart Cities Alliance"


def _only_email(to):
    emails = list(OutboundEmail.objects.filter(to=to))
    assert len(emails) == 1, emails
    return emails[0]


def _assert_portal_email(email, *, link_fragment):
    for body in (email.body_text, email.body_html):
        assert "Hello from" not in body
        assert "Thank you for using" not in body
        assert " on ." not in body
        assert PORTAL in body or "G20" in body
        assert link_fragment in body
    # The HTML body extends the portal's one email base (its header and footer).
    assert 'class="header"' in email.body_html
    assert 'class="footer"' in email.body_html
    assert "<html" in email.body_html


def _sign_up(client, email, language=None):
    with translation.override(language or "en"):
        url = reverse("account_signup")
    return client.post(
        url,
        {
            "email": email,
            "password1": "a-long pass phrase 42",
            "password2": "a-long pass phrase 42",
        },
    )


def test_it_sends_the_sign_up_verification_in_the_portals_words(client):
    _sign_up(client, "ana@pasto.gov.co")
    email = _only_email("ana@pasto.gov.co")
    assert email.template == "account-confirm-email"
    assert "Confirm your email address" in email.subject
    _assert_portal_email(email, link_fragment="/accounts/confirm-email/")
    assert "Thank you for signing up to the portal of the G20 Global Smart Cities Alliance" in (
        email.body_text
    )


def test_it_sends_the_verification_in_the_language_the_account_was_made_in(client):
    _sign_up(client, "lucia@cordoba.gob.ar", language="es")
    email = _only_email("lucia@cordoba.gob.ar")
    assert "Confirme su dirección de correo" in email.subject
    assert "Confirme su dirección de correo" in email.body_html
    assert "Alianza Global de Ciudades Inteligentes del G20" in email.body_text
    assert "confirm-email/" in email.body_text


def test_it_sends_the_password_reset_in_the_users_saved_language(client):
    UserFactory(email="kenji@kaga.lg.jp", language="ja")
    client.post(reverse("account_reset_password"), {"email": "kenji@kaga.lg.jp"})
    email = _only_email("kenji@kaga.lg.jp")
    assert email.template == "account-password-reset"
    assert "新しいパスワード" in email.subject
    _assert_portal_email(email, link_fragment="/accounts/password/reset/key/")
    assert "G20グローバル・スマートシティ・アライアンス" in email.body_text


def test_it_sends_the_english_password_reset_with_the_link(client):
    UserFactory(email="known@example.org")
    client.post(reverse("account_reset_password"), {"email": "known@example.org"})
    email = _only_email("known@example.org")
    assert email.subject == "Choose a new password for the Alliance portal"
    _assert_portal_email(email, link_fragment="/accounts/password/reset/key/")


def test_it_tells_an_unknown_address_that_no_account_uses_it(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    email = _only_email("nobody@example.org")
    assert email.template == "account-unknown"
    assert "nobody@example.org" in email.body_text
    _assert_portal_email(email, link_fragment="/accounts/signup/")


def test_it_tells_someone_signing_up_again_that_the_account_exists(client):
    UserFactory(email="taken@example.org")
    _sign_up(client, "taken@example.org")
    email = _only_email("taken@example.org")
    assert email.template == "account-already-exists"
    assert email.subject == "You already have an account on the Alliance portal"
    _assert_portal_email(email, link_fragment="/accounts/password/reset/")


def test_it_sends_the_confirmation_of_an_added_address_in_the_portals_words(client):
    user = UserFactory(email="first@example.org", language="pt-br")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    client.post(reverse("account_email"), {"action_add": "", "email": "second@example.org"})
    email = _only_email("second@example.org")
    assert email.template == "account-confirm-email"
    assert "Confirme seu endereço de e-mail" in email.subject
    assert "foi adicionado a uma conta" in email.body_text
    _assert_portal_email(email, link_fragment="/confirm-email/")


def test_every_email_our_allauth_settings_send_has_all_three_portal_templates():
    from django.template.loader import get_template

    for template in set(ACCOUNT_EMAIL_TEMPLATES.values()):
        for part in ("subject.txt", "body.txt", "body.html"):
            get_template(f"emails/{template}-{part}")
