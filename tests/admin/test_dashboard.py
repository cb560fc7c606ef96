import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from alliance.roles import NETWORK_HOST
from networks.admin.dashboard import new_members_chart
from networks.models import Network
from tests.factories import (
    ApplicationFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PioneerLinkFactory,
)

pytestmark = pytest.mark.django_db


def test_index_shows_waiting_applications_with_the_oldest_age(client, staff_user):
    old = ApplicationFactory()
    old.submitted_at = timezone.now() - datetime.timedelta(days=12)
    old.save()
    ApplicationFactory()
    client.force_login(staff_user)
    response = client.get(reverse("admin:index"))
    dashboard = response.context["dashboard"]
    assert dashboard["waiting_count"] == 2
    assert dashboard["oldest_waiting_days"] == 12
    assert "The oldest has waited 12 days." in response.content.decode()


def test_index_draws_new_members_per_month_as_svg(client, staff_user):
    today = timezone.localdate()
    MembershipFactory(joined_on=today)
    MembershipFactory(joined_on=today)
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<svg" in html and "<rect" in html
    assert f"{today:%B %Y}</td><td>2</td>" in html
    assert "cdn" not in html.lower()


def test_chart_bars_scale_to_the_busiest_month():
    today = datetime.date(2026, 6, 15)
    MembershipFactory(joined_on=datetime.date(2026, 6, 1))
    MembershipFactory(joined_on=datetime.date(2026, 6, 2))
    MembershipFactory(joined_on=datetime.date(2026, 3, 9))
    MembershipFactory(joined_on=datetime.date(2025, 1, 1))  # older than a year
    bars = new_members_chart(Network.objects.all(), today=today)
    assert len(bars) == 12 and bars[-1].month == datetime.date(2026, 6, 1)
    assert [b.count for b in bars][-4:] == [1, 0, 0, 2]
    assert bars[-1].height == 160 and bars[-4].height == 80


def test_index_lists_members_pioneers_meetings_and_failed_reminders(client, staff_user):
    network = NetworkFactory(name="Latin America")
    MembershipFactory(network=network, status="active")
    PioneerLinkFactory(network=network)
    MeetingFactory(network=network, title="Quarterly call")
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    assert "<td>Latin America</td><td>1</td>" in html
    assert "Quarterly call" in html
    assert "Failed reminders" in html


def test_host_dashboard_counts_only_their_networks(client, make_staff):
    mine, other = NetworkFactory(), NetworkFactory()
    ApplicationFactory(network=mine)
    ApplicationFactory(network=other)
    MeetingFactory(network=other, title="Someone else's meeting")
    client.force_login(make_staff(NETWORK_HOST, hosts=[mine]))
    response = client.get(reverse("admin:index"))
    assert response.context["dashboard"]["waiting_count"] == 1
    assert "Someone else&#x27;s meeting" not in response.content.decode()


def test_index_query_count_does_not_grow_with_the_data(
    client, staff_user, django_assert_max_num_queries
):
    for _ in range(5):
        network = NetworkFactory()
        MeetingFactory(network=network)
        MembershipFactory(network=network)
        PioneerLinkFactory(network=network)
        ApplicationFactory(network=network)
    client.force_login(staff_user)
    # The first visit counts the alliance-wide figures beat otherwise keeps (3 queries)
    # and the roadmap's adoption per network (1, then kept per version of the data).
    with django_assert_max_num_queries(14):
        assert client.get(reverse("admin:index")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("admin:index")).status_code == 200


def test_the_monthly_chart_has_a_value_axis(client, staff_user):
    from networks.admin.dashboard import axis_ticks

    assert axis_ticks(0) == [0, 1]
    assert axis_ticks(2) == [0, 1, 2]
    assert axis_ticks(7) == [0, 2, 4, 6, 8]
    assert axis_ticks(130) == [0, 50, 100, 150]
    today = timezone.localdate()
    for _ in range(7):
        MembershipFactory(joined_on=today)
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    start = html.index('<svg role="img"')
    svg = html[start : html.index("</svg>", start)]
    # Round values on the axis, the count over the bar, the months below.
    for value in (0, 2, 4, 6, 8):
        assert f'text-anchor="end">{value}</text>' in svg
    assert 'class="chart-value"' in svg and ">7</text>" in svg
    # Read by assistive technology: the title and each month's figure.
    assert '<desc id="dash-chart-desc">' in svg and f"{today:%B %Y}: 7" in svg


def test_the_dashboard_uses_the_full_width_beside_recent_actions(client, staff_user):
    client.force_login(staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    # The dashboard sits in the main column (with the app list), so the sidebar's
    # "Recent actions" stands beside it rather than below it.
    main = html.index('<div id="content-main">')
    assert main < html.index('class="alliance-dashboard"') < html.index('id="content-related"')
    css = (settings_base() / "static/css/admin.css").read_text()
    assert ".dashboard #content { width: auto; }" in css


def settings_base():
    from django.conf import settings

    return settings.BASE_DIR


def _adopted(network, model_policy, since):
    from networks.policies.models import RoadmapEntry

    city = MembershipFactory(network=network, status="active").city
    return RoadmapEntry.objects.create(
        city=city, model_policy=model_policy, status=RoadmapEntry.Status.ADOPTED, since=since
    )


def test_the_dashboard_shows_model_policies_adopted_per_network_year_by_year(
    client, staff_user, make_staff
):
    from networks.admin.adoption import FIRST_YEAR

    latam, india = NetworkFactory(name="Latin America"), NetworkFactory(name="India")
    _adopted(latam, "open-data", datetime.date(2021, 3, 1))
    _adopted(latam, "privacy-impact", datetime.date(2023, 5, 1))
    _adopted(latam, "dig-once", None)
    lapsed = _adopted(latam, "open-data", datetime.date(2022, 1, 1))
    lapsed.city.memberships.update(status="lapsed")  # no longer counted for the network
    _adopted(india, "open-data", datetime.date(2024, 2, 1))
    client.force_login(staff_user)
    dashboard = client.get(reverse("admin:index")).context["dashboard"]
    years = dashboard["adoption_years"]
    assert years[0] == FIRST_YEAR and years[-1] == timezone.localdate().year
    rows = {row.name: row for row in dashboard["adoption"]}
    latam_by_year = dict(zip(years, rows["Latin America"].by_year, strict=True))
    assert (latam_by_year[2020], latam_by_year[2021], latam_by_year[2023]) == (0, 1, 2)
    assert rows["Latin America"].undated == 1
    assert dict(zip(years, rows["India"].by_year, strict=True))[2024] == 1
    # A host sees its own network's row only.
    client.force_login(make_staff(NETWORK_HOST, hosts=[india]))
    dashboard = client.get(reverse("admin:index")).context["dashboard"]
    assert [row.name for row in dashboard["adoption"]] == ["India"]
