import re

import pytest
from django.urls import reverse

from alliance.models import PartnerPerson, User
from tests.factories import PartnerFactory

pytestmark = pytest.mark.django_db


def test_secretariat_invites_a_partner_person_who_sets_a_password_and_exports(
    client, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    partner = PartnerFactory(name="Arup")
    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:alliance_partnerperson_add"),
            {"partner": partner.pk, "email": "lee@arup.example", "first_name": "Lee"},
        )
    assert response.status_code == 302
    person = PartnerPerson.objects.get()
    assert person.partner == partner and person.invited_by == staff_user
    assert not person.user.has_usable_password()
    assert len(mailoutbox) == 1 and mailoutbox[0].to == ["lee@arup.example"]
    link = re.search(r"https?://\S+/accounts/password/reset/key/\S+/", mailoutbox[0].body)
    assert link, mailoutbox[0].body

    client.logout()
    path = link.group(0).split("testserver", 1)[-1]
    form = client.get(path, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else path,
        {"password1": "a-long pass phrase 42", "password2": "a-long pass phrase 42"},
    )
    assert done.status_code == 302
    assert User.objects.get(email="lee@arup.example").check_password("a-long pass phrase 42")

    assert client.login(email="lee@arup.example", password="a-long pass phrase 42")
    assert client.post(reverse("directory_export")).status_code == 200


def test_the_same_person_cannot_be_invited_twice(client, staff_user):
    partner = PartnerFactory()
    client.force_login(staff_user)
    url = reverse("admin:alliance_partnerperson_add")
    client.post(url, {"partner": partner.pk, "email": "lee@arup.example"})
    again = client.post(url, {"partner": partner.pk, "email": "LEE@arup.example"})
    assert again.status_code == 200
    assert PartnerPerson.objects.count() == 1


def test_an_invitation_takes_back_an_account_a_stranger_opened_with_the_address(
    client, staff_user, django_capture_on_commit_callbacks, mailoutbox
):
    """Anyone can sign up with lee@arup.example and leave it unverified; the invitation
    must not hand that stranger a partner's account (issue #15, section 3)."""
    from allauth.account.models import EmailAddress
    from django.test import Client

    from tests.factories import UserFactory, with_totp

    squatter = UserFactory(email="lee@arup.example", first_name="Mallory")
    EmailAddress.objects.create(user=squatter, email=squatter.email, verified=False, primary=True)
    EmailAddress.objects.create(user=squatter, email="mallory@evil.example", verified=True)
    with_totp(squatter)
    stranger = Client()
    stranger.force_login(squatter)
    assert stranger.get(reverse("applications:list")).status_code == 200

    client.force_login(staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:alliance_partnerperson_add"),
            {"partner": PartnerFactory().pk, "email": "lee@arup.example", "first_name": "Lee"},
        )
    user = User.objects.get(pk=squatter.pk)
    assert user.partner_membership
    assert not user.has_usable_password()
    assert not stranger.login(email="lee@arup.example", password="correct horse battery staple")
    # The stranger's open session ended, and nothing they added to the account stays.
    assert stranger.get(reverse("applications:list")).status_code == 302
    assert list(user.emailaddress_set.values_list("email", flat=True)) == ["lee@arup.example"]
    assert not user.authenticator_set.exists()
    assert user.first_name == "Lee"
    # Only the link sent to the address sets a password.
    assert [m.to for m in mailoutbox] == [["lee@arup.example"]]
    assert "/accounts/password/reset/key/" in mailoutbox[0].body


def test_an_invitation_keeps_the_password_of_an_account_whose_address_is_confirmed(
    client, staff_user
):
    from allauth.account.models import EmailAddress

    from tests.factories import UserFactory

    owner = UserFactory(email="lee@arup.example")
    EmailAddress.objects.create(user=owner, email=owner.email, verified=True, primary=True)
    client.force_login(staff_user)
    client.post(
        reverse("admin:alliance_partnerperson_add"),
        {"partner": PartnerFactory().pk, "email": "lee@arup.example"},
    )
    owner.refresh_from_db()
    assert owner.partner_membership and owner.check_password("correct horse battery staple")
