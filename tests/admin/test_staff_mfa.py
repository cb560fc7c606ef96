import pytest
from django.urls import reverse
from django.utils import translation

from alliance.models import LoginFailure
from alliance.roles import SECRETARIAT
from tests.factories import UserFactory, with_totp

pytestmark = pytest.mark.django_db


def test_staff_without_authenticator_is_sent_to_set_one_up_first(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    response = client.get(reverse("admin:networks_membership_changelist") + "?status=active")
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    assert client.session["admin_after_mfa"] == "/admin/networks/membership/?status=active"


def test_after_set_up_the_recovery_codes_page_leads_back_to_the_admin(client, verified_user):
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
    from allauth.mfa.totp.internal.auth import yield_hotp_counters_from_time as counters

    verified_user.is_staff = True
    verified_user.save()
    client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": "correct horse battery staple"},
    )
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")
    # allauth asks for the password again before a second factor is added.
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})

    form = client.get(reverse("mfa_activate_totp")).context["form"]
    code = format_hotp_value(hotp_value(form.secret, next(counters())))
    done = client.post(reverse("mfa_activate_totp"), {"code": code}, follow=True)

    assert 'href="/admin/"' in done.content.decode()
    assert client.get(reverse("admin:index")).status_code == 200
    assert "admin_after_mfa" not in client.session


def test_staff_with_authenticator_opens_the_admin(client):
    client.force_login(with_totp(UserFactory(is_staff=True, is_superuser=True)))
    assert client.get(reverse("admin:index")).status_code == 200


def test_staff_without_authenticator_can_still_log_out(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.post(reverse("admin:logout"))
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_failed_admin_login_is_logged_without_the_password(client):
    # The admin signs in through the site's log-in (allauth's secure_admin_login).
    login = client.get(reverse("admin:login"), {"next": "/admin/"})
    assert login.status_code == 302
    client.post(login["Location"], {"login": "intruder@example.org", "password": "hunter2-secret"})
    failure = LoginFailure.objects.get()
    assert failure.identifier == "intruder@example.org"
    assert failure.path == reverse("account_login")
    assert "hunter2" not in str(list(LoginFailure.objects.values()))


def test_failed_site_login_is_logged(client, verified_user):
    client.post(reverse("account_login"), {"login": verified_user.email, "password": "wrong"})
    assert LoginFailure.objects.filter(identifier=verified_user.email).exists()


def test_failed_logins_are_for_superusers_only(client, staff_user, make_staff):
    LoginFailure.objects.create(identifier="intruder@example.org")
    url = reverse("admin:alliance_loginfailure_changelist")
    client.force_login(staff_user)
    assert "intruder@example.org" in client.get(url).content.decode()
    client.force_login(make_staff(SECRETARIAT))
    assert client.get(url).status_code == 403


def test_second_factor_is_asked_for_in_every_language_but_only_for_the_admin(client):
    client.force_login(UserFactory(is_staff=True))
    # The request switches the thread's language to Spanish; override() switches it back.
    with translation.override("en"):
        spanish = client.get("/es/admin/")
    assert spanish["Location"].endswith("/accounts/2fa/totp/activate/")
    assert client.get(reverse("home")).status_code == 200


def test_failed_logins_are_forgotten_after_the_retention_period(settings):
    import datetime

    from django.utils import timezone

    from alliance.tasks import prune_login_failures

    settings.LOGIN_FAILURE_RETENTION_DAYS = 90
    now = timezone.now()
    old = LoginFailure.objects.create(identifier="old@example.org")
    LoginFailure.objects.filter(pk=old.pk).update(at=now - datetime.timedelta(days=91))
    recent = LoginFailure.objects.create(identifier="recent@example.org")
    LoginFailure.objects.filter(pk=recent.pk).update(at=now - datetime.timedelta(days=89))
    prune_login_failures.delay()
    assert list(LoginFailure.objects.values_list("identifier", flat=True)) == ["recent@example.org"]
