import pytest
from django.urls import reverse

from alliance.roles import AUDITOR, NETWORK_HOST, SECRETARIAT
from tests.factories import MembershipFactory, NetworkFactory, PartnerFactory

pytestmark = pytest.mark.django_db


def membership_form(membership, **changes):
    data = {
        "city": membership.city_id,
        "network": membership.network_id,
        "role": membership.role,
        "status": membership.status,
        "joined_on": "",
        "status_changes-TOTAL_FORMS": 0,
        "status_changes-INITIAL_FORMS": 0,
    }
    return {**data, **changes}


def test_membership_change_is_kept_with_who_and_what_changed(client, make_staff):
    membership = MembershipFactory(status="active")
    editor = make_staff(SECRETARIAT)
    client.force_login(editor)
    url = reverse("admin:networks_membership_change", args=[membership.pk])
    response = client.post(url, membership_form(membership, status="suspended"))
    assert response.status_code == 302

    latest = membership.history.latest()
    assert latest.history_user == editor
    assert latest.status == "suspended"
    page = client.get(reverse("admin:networks_membership_history", args=[membership.pk]))
    html = page.content.decode()
    assert editor.email in html or str(editor) in html
    # The change column: "Status: active → suspended".
    assert "<strong>Status:</strong>" in html
    assert "&rarr;&nbsp;&nbsp;suspended" in html


def test_secretariat_reverts_a_partner_to_an_earlier_version(client, make_staff):
    partner = PartnerFactory(name="Original name")
    first = partner.history.earliest()
    partner.name = "Vandalised"
    partner.save()
    client.force_login(make_staff(SECRETARIAT))
    url = reverse("admin:alliance_partner_simple_history", args=[partner.pk, first.history_id])
    form = client.get(url).context["adminform"].form
    data = {name: value for name, value in form.initial.items() if value is not None}
    data["networks"] = []
    response = client.post(url, {k: v for k, v in data.items() if k != "logo"})
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Original name"


def test_auditor_sees_history_but_cannot_revert(client, make_staff):
    partner = PartnerFactory(name="Original name")
    first = partner.history.earliest()
    partner.name = "Current name"
    partner.save()
    client.force_login(make_staff(AUDITOR))
    url = reverse("admin:alliance_partner_simple_history", args=[partner.pk, first.history_id])
    assert (
        client.get(reverse("admin:alliance_partner_history", args=[partner.pk])).status_code == 200
    )
    assert "Revert" not in client.get(url).content.decode()
    response = client.post(url, {"name": "Original name", "slug": partner.slug})
    assert response.status_code == 403
    partner.refresh_from_db()
    assert partner.name == "Current name"


def test_host_cannot_open_old_versions_of_another_networks_membership(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    hidden = MembershipFactory(network=other)
    version = hidden.history.latest()
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    url = reverse("admin:networks_membership_simple_history", args=[hidden.pk, version.history_id])
    assert client.get(url).status_code == 404
    assert client.post(url, membership_form(hidden, status="ended")).status_code == 404
    hidden.refresh_from_db()
    assert hidden.status != "ended"


def test_partner_history_keeps_and_restores_every_language():
    from tests.factories import PartnerFactory

    partner = PartnerFactory(description="Connects cities.")
    partner.description_es = "Conecta ciudades."
    partner.save()
    partner.description_es = "Texto equivocado."
    partner.save()
    versions = list(partner.history.order_by("history_date", "history_id"))
    assert [v.description_es for v in versions] == [None, "Conecta ciudades.", "Texto equivocado."]
    versions[1].instance.save()
    partner.refresh_from_db()
    assert partner.description_es == "Conecta ciudades."
    assert partner.description_en == "Connects cities."


@pytest.mark.parametrize("role", [SECRETARIAT, NETWORK_HOST])
@pytest.mark.parametrize("bad", ["abc", "1%00", "1.5"])
def test_history_pages_answer_404_to_an_id_that_is_not_one(client, make_staff, role, bad):
    membership = MembershipFactory()
    client.force_login(make_staff(role, hosts=[membership.network]))
    base = reverse("admin:networks_membership_history", args=[membership.pk])
    version = membership.history.latest().pk
    for url in (
        base.replace(f"/{membership.pk}/", f"/{bad}/"),
        f"{base}{bad}/",
        base.replace(f"/{membership.pk}/", f"/{bad}/") + f"{version}/",
    ):
        assert client.get(url).status_code == 404, url
        assert client.post(url, {}).status_code in (403, 404), url
