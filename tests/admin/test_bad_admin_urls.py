"""Admin URLs with ids that are not ids, unknown parameters and values out of range
answer 404 or 400 (or Django's own "does not exist" redirect), never 500."""

import pytest
from django.urls import reverse

from tests.factories import CityFactory, MembershipFactory, PioneerLinkFactory

pytestmark = pytest.mark.django_db

BIG = str(2**70)


@pytest.fixture
def staff(client, staff_user):
    client.force_login(staff_user)
    return client


@pytest.mark.parametrize("object_id", ["abc", "%00", BIG, "-1", "1.5"])
def test_the_history_of_an_id_that_is_not_one_is_a_404(staff, object_id):
    CityFactory()
    assert staff.get(f"/admin/cities/city/{object_id}/history/").status_code == 404


@pytest.mark.parametrize("version_id", ["abc", BIG, "-1"])
def test_a_version_that_is_not_one_is_a_404(staff, version_id):
    city = CityFactory()
    assert staff.get(f"/admin/cities/city/{city.pk}/history/{version_id}/").status_code == 404
    assert staff.get(f"/admin/cities/city/abc/history/{version_id}/").status_code == 404


@pytest.mark.parametrize(
    "query", ["x=1", "network__name=Andes", f"network__id__exact={BIG}", "status=%00"]
)
def test_an_export_with_a_parameter_it_cannot_use_is_a_400(staff, query):
    MembershipFactory()
    response = staff.get(reverse("admin:networks_application_export") + "?" + query)
    assert response.status_code == 400
    response = staff.post(
        reverse("admin:networks_application_export") + "?" + query, {"format": "0"}
    )
    assert response.status_code == 400


def test_an_export_with_an_id_filter_that_is_not_an_id_lists_nothing_wrong(staff):
    # Django's related-field filter ignores it, on the changelist as in the export.
    url = reverse("admin:networks_application_export") + "?network__id__exact=abc"
    assert staff.get(url).status_code == 200


@pytest.mark.parametrize(
    "query",
    [
        "q=%00",
        "q=pas%00to",
        "network__id__exact=%00",
        f"network__id__exact={BIG}",
        "status__exact=%00",
        "joined_on__gte=%00",
    ],
)
def test_a_changelist_filter_or_search_the_database_cannot_take_is_a_400(staff, query):
    MembershipFactory()
    response = staff.get(reverse("admin:networks_membership_changelist") + "?" + query)
    assert response.status_code == 400


def test_an_autocomplete_term_with_a_nul_is_a_400(staff):
    MembershipFactory()
    response = staff.get(
        reverse("admin:autocomplete"),
        {
            "term": "pas\x00",
            "app_label": "networks",
            "model_name": "membership",
            "field_name": "city",
        },
    )
    assert response.status_code == 400


def test_a_bulk_action_on_ids_that_are_not_ids_changes_nothing(staff):
    link = PioneerLinkFactory()
    for selected in ["abc", "\x00", BIG]:
        response = staff.post(
            reverse("admin:networks_pioneerlink_changelist"),
            {"action": "delete_selected", "_selected_action": [selected], "post": "yes"},
        )
        assert response.status_code in (302, 400)
    assert type(link).objects.filter(pk=link.pk).exists()


@pytest.mark.parametrize("name", ["resend-failed", "test-reminder"])
def test_a_meeting_admin_page_for_an_id_out_of_range_is_a_404(staff, name):
    assert staff.post(f"/admin/networks/meeting/{BIG}/{name}/").status_code == 404


@pytest.mark.parametrize("object_id", ["abc", "%00", BIG])
def test_change_and_delete_pages_of_an_id_that_is_not_one_are_a_404(staff, object_id):
    for page in ["change", "delete"]:
        # Django's own answer was a redirect to the admin's index ("does not exist").
        assert staff.get(f"/admin/networks/membership/{object_id}/{page}/").status_code == 404


def test_a_filter_value_of_five_thousand_digits_is_a_400(staff):
    url = reverse("admin:networks_membership_changelist") + "?network__id__exact=" + "9" * 5000
    assert staff.get(url).status_code == 400


@pytest.mark.parametrize(
    "name", ["networks_membership", "cities_city", "networks_network", "networks_meeting"]
)
def test_a_search_longer_than_any_name_is_a_400_that_says_so(staff, name):
    # SQLite refuses a LIKE pattern over 50,000 bytes ("pattern too complex", a 500).
    MembershipFactory()
    url = reverse(f"admin:{name}_changelist") + "?q=" + "y" * 60_000
    response = staff.get(url)
    assert response.status_code == 400
    assert "200" in response.content.decode()


def test_a_long_but_plausible_search_still_searches(staff):
    MembershipFactory(city__name="Córdoba")
    response = staff.get(reverse("admin:networks_membership_changelist") + "?q=" + "c" * 200)
    assert response.status_code == 200
