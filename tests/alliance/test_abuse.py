"""What an attacker tries first: guessing passwords, open redirects, stolen sessions."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
LOGIN_LIMIT = 30  # allauth's "login" limit per minute and address


def guess(client, email="target@example.org", **headers):
    return client.post(reverse("account_login"), {"login": email, "password": "guess"}, **headers)


def test_log_in_attempts_get_429_after_the_limit_and_work_again_after_the_window(client):
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, tzinfo=datetime.UTC), tick=False):
        # Different addresses each time: the per-address limit must not be what stops them.
        statuses = [guess(client, email=f"p{n}@example.org").status_code for n in range(40)]
        assert statuses[:LOGIN_LIMIT] == [200] * LOGIN_LIMIT
        assert statuses[LOGIN_LIMIT:] == [429] * (40 - LOGIN_LIMIT)
    with time_machine.travel(datetime.datetime(2026, 3, 1, 12, 1, 1, tzinfo=datetime.UTC)):
        assert guess(client).status_code == 200


def test_a_spoofed_forwarded_for_header_does_not_reset_the_limit(client):
    for n in range(LOGIN_LIMIT):
        guess(client, email=f"p{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    assert guess(client, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429


def test_behind_a_proxy_only_the_address_it_appended_counts(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    for n in range(LOGIN_LIMIT):
        # The client makes up the first entry; the proxy appends what it saw.
        guess(client, email=f"p{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7")
    assert guess(client, HTTP_X_FORWARDED_FOR="10.9.9.9, 203.0.113.7").status_code == 429
    assert guess(client, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 200


def test_too_high_a_proxy_count_limits_by_the_connecting_address_instead_of_failing(
    client, settings, caplog
):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2  # but only one proxy appends
    for n in range(LOGIN_LIMIT):
        response = guess(client, email=f"p{n}@example.org", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
        assert response.status_code == 200
    assert guess(client, HTTP_X_FORWARDED_FOR="10.9.9.9").status_code == 429
    assert "DJANGO_TRUSTED_PROXY_COUNT" in caplog.text


def test_admin_log_in_goes_through_the_sites_rate_limited_log_in(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    response = client.post(reverse("admin:login"), {"username": staff.email, "password": PASSWORD})
    # The admin's own form is never processed, so it cannot be used to guess passwords.
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session
    for n in range(LOGIN_LIMIT):
        guess(client, email=f"p{n}@example.org")
    assert client.get(reverse("admin:index")).status_code == 302
    login = client.post(
        response["Location"], {"login": staff.email, "password": PASSWORD}, follow=False
    )
    assert login.status_code == 429


def test_admin_log_in_brings_staff_back_to_the_admin(client, verified_user):
    from tests.factories import totp_code, with_totp

    verified_user.is_staff = verified_user.is_superuser = True
    verified_user.save()
    with_totp(verified_user)
    start = client.get(reverse("admin:index"), follow=True)
    login_url = start.redirect_chain[-1][0]
    assert login_url.startswith(reverse("account_login"))
    response = client.post(login_url, {"login": verified_user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    response = client.post(
        reverse("mfa_authenticate"), {"code": totp_code(verified_user.totp_secret)}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("admin:index")
    assert response.status_code == 200


@pytest.mark.parametrize(
    "target", ["//evil.example/", "https://evil.example/", "javascript:alert(1)", "/\\evil.example"]
)
def test_log_in_refuses_to_redirect_off_site(client, verified_user, target):
    response = client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": PASSWORD, "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:list")


@pytest.mark.parametrize("target", ["//evil.example/", "javascript:alert(1)"])
def test_log_out_refuses_to_redirect_off_site(client, verified_user, target):
    client.force_login(verified_user)
    response = client.post(reverse("account_logout"), {"next": target})
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("target", ["//evil.example/", "javascript:alert(1)"])
def test_language_switch_refuses_to_redirect_off_site(client, target):
    response = client.post(reverse("set_language"), {"language": "es", "next": target})
    assert response.status_code == 302
    assert "evil" not in response["Location"] and "javascript" not in response["Location"]


def test_a_wrong_host_header_gets_400(client):
    assert client.get("/", HTTP_HOST="evil.example").status_code == 400


def test_log_in_gives_a_new_session_key(client, verified_user):
    session = client.session  # an anonymous session, as a visitor who filled in a form
    session["probe"] = 1
    session.save()
    before = client.cookies["sessionid"].value
    client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})
    after = client.cookies["sessionid"].value
    assert after != before
    assert client.session["_auth_user_id"] == str(verified_user.pk)


def test_an_old_session_cookie_is_worthless_after_log_out(client, verified_user):
    client.post(reverse("account_login"), {"login": verified_user.email, "password": PASSWORD})
    stolen = client.cookies["sessionid"].value
    assert client.get(reverse("applications:list")).status_code == 200
    client.post(reverse("account_logout"))
    client.cookies["sessionid"] = stolen
    response = client.get(reverse("applications:list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_the_demo_secretariat_account_signs_in_and_is_asked_for_a_second_factor(client):
    import re
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("ensure_demo_admin", stdout=out)
    password = re.search(r"password: (\S+)", out.getvalue()).group(1)
    login = reverse("account_login") + "?next=" + reverse("admin:index")
    response = client.post(login, {"login": "secretariat@example.org", "password": password})
    assert response["Location"] == reverse("admin:index")
    # Staff open the admin only with an authenticator app: the demo account sets one up.
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def test_staff_with_an_authenticator_need_their_code_for_the_admin(client, verified_user):
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    verified_user.is_staff = verified_user.is_superuser = True
    verified_user.save()
    TOTP.activate(verified_user, generate_totp_secret())
    login = reverse("account_login") + "?next=" + reverse("admin:index")
    response = client.post(login, {"login": verified_user.email, "password": PASSWORD})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get(reverse("admin:index")).status_code == 302  # not in yet
