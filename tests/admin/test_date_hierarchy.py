"""The admin's date drill-down answers nonsense dates with its usual "?e=1", not a 500."""

import pytest
from django.contrib import admin

from alliance.roles import SECRETARIAT

pytestmark = pytest.mark.django_db

DRILLED = sorted(
    (model._meta.label_lower, model_admin.date_hierarchy)
    for model, model_admin in admin.site._registry.items()
    if model_admin.date_hierarchy
)


@pytest.mark.parametrize("model, field", DRILLED)
@pytest.mark.parametrize(
    "dates",
    [
        {"year": "99999999999"},  # past C's long: OverflowError
        {"year": "9999"},  # the year after is past datetime's range
        {"year": "9999", "month": "12"},
        {"year": "2026", "month": "99999999999999"},
        {"year": "2026", "month": "2", "day": "30"},
    ],
)
def test_nonsense_dates_send_back_to_the_list(client, make_staff, model, field, dates):
    client.raise_request_exception = False
    client.force_login(make_staff(SECRETARIAT))
    params = {f"{field}__{part}": value for part, value in dates.items()}
    response = client.get(f"/admin/{model.replace('.', '/')}/", params)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
