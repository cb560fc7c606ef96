"""Who may open what on the public site: every URL pattern, every role.

The patterns come from the URL configuration itself, so a new view fails this test
until someone writes down who may see it. The admin's own URLs have their matrix
elsewhere (issue #6); of allauth's, the ones a visitor reaches without an account
are here. 404 rather than 403 wherever the existence of the object is private.
"""

import pytest
from django.urls import reverse

from tests.factories import CityOfficialFactory
from tests.public_matrix.expected import EXPECTED, EXPECTED_POSTS
from tests.public_matrix.roles import ROLES, everyone, public_url_names


def test_every_public_url_pattern_has_expectations():
    assert sorted(EXPECTED) == public_url_names()


@pytest.mark.parametrize("name", public_url_names())
def test_each_role_gets_the_expected_status(client, world, name):
    assert name in EXPECTED, f"{name} is a new URL: add who may open it to EXPECTED"
    got, wanted = {}, {}
    for label, build, expected in EXPECTED[name]:
        url = build(world)
        for role in ROLES:
            client.logout()
            user = world["users"][role]
            if user is not None:
                client.force_login(user)
            got[(label, role)] = client.get(url).status_code
            wanted[(label, role)] = expected[role]
    assert got == wanted


@pytest.mark.parametrize("name", sorted(EXPECTED_POSTS))
def test_each_role_gets_the_expected_status_for_a_post(client, world, name):
    from django.core.cache import cache

    build, expected = EXPECTED_POSTS[name]
    got = {}
    for role in ROLES:
        cache.clear()  # the forms' rate limits per address would answer 429 to later roles
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        got[role] = client.post(build(world)).status_code
    assert got == expected


# Members-only facts on public pages (issue #15 §4). The public network page lists the
# upcoming meetings: everyone may read a meeting's title and date there, but where it
# takes place, its online link and the link to its page are shown to exactly the roles
# that may open the meeting's own page in EXPECTED above.
@pytest.mark.parametrize("network", ["network A", "network B"])
def test_network_page_shows_meeting_details_to_who_may_open_the_meeting(client, world, network):
    meeting = world["meeting_a" if network == "network A" else "meeting_b"]
    meeting.place = "Salón secreto 7"
    meeting.online_url = "https://meet.example.org/hidden-room"
    meeting.save()
    may_open = {label: statuses for label, _build, statuses in EXPECTED["meetings:detail"]}[
        f"meeting of {network}"
    ]
    shown, wanted = {}, {}
    for role in ROLES:
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        html = client.get(meeting.network.get_absolute_url()).content.decode()
        assert meeting.title in html and meeting.starts_at.strftime("%Y") in html, role
        shown[role] = {
            "place": "Salón secreto 7" in html,
            "online": "Also online" in html,
            "meeting page": f'href="{meeting.get_absolute_url()}"' in html,
        }
        wanted[role] = dict.fromkeys(shown[role], may_open[role] == 200)
    assert shown == wanted


# The map is public and the same for everyone (cached once per version): its marks and
# table show names and places, never an official's contact details, whoever looks and
# whatever audience the official chose (issue #18).
@pytest.mark.parametrize("audience", ["public", "members", "secretariat"])
def test_the_map_shows_no_contact_details_to_anyone(client, world, audience):
    city = world["city_a"]
    city.latitude, city.longitude = 4.71, -74.07
    city.save()
    official = CityOfficialFactory(
        city=city, phone="+57 1 555 0199", position="Jefa TIC", contact_audience=audience
    )
    secrets = [official.user.email, "555 0199", "Jefa TIC"]
    for role in ROLES:
        client.logout()
        if world["users"][role] is not None:
            client.force_login(world["users"][role])
        for url in [reverse("map"), world["network_a"].get_absolute_url()]:
            html = client.get(url).content.decode()
            assert f'href="{city.get_absolute_url()}"' in html, (role, url)
            assert not [s for s in secrets if s in html], (role, url)


# The API with a token of each role's own: every route answers every role (what each
# sees differs as on the HTML pages: tests/api/test_privacy.py); only the meetings need
# a token at all.
API_WITH_TOKEN = {
    name: [
        (label, build, {**everyone(200), **extra})
        for label, build, statuses in EXPECTED[name]
        for extra in [{role: s for role, s in statuses.items() if s != 200}]
    ]
    for name in EXPECTED
    if name.startswith("api:")
}
API_WITH_TOKEN["api:meetings"] = [
    ("", lambda w: reverse("api:meetings"), {**everyone(200), "anonymous": 401})
]


@pytest.mark.parametrize("name", sorted(API_WITH_TOKEN))
def test_each_role_gets_the_expected_status_from_the_api_with_its_token(client, world, name):
    from tests.api.conftest import bearer, make_token

    headers = {
        role: bearer(make_token(user)) if user is not None else {}
        for role, user in world["users"].items()
    }
    got, wanted = {}, {}
    for label, build, expected in API_WITH_TOKEN[name]:
        url = build(world)
        for role in ROLES:
            got[(label, role)] = client.get(url, **headers[role]).status_code
            wanted[(label, role)] = expected[role]
    assert got == wanted
