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
