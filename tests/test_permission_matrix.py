"""Who may open what on the public site: every URL pattern, every role.

The patterns come from the URL configuration itself, so a new view fails this test
until someone writes down who may see it. The admin's own URLs have their matrix
elsewhere (issue #6); of allauth's, the ones a visitor reaches without an account
are here. 404 rather than 403 wherever the existence of the object is private.
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from alliance import roles
from alliance.api.downloads import downloads_build
from alliance.api.tokens import token_create
from alliance.models import PartnerPerson
from tests.factories import (
    ApplicationFactory,
    CityFactory,
    CityOfficialFactory,
    MeetingFactory,
    MembershipFactory,
    NetworkFactory,
    PartnerFactory,
    UserFactory,
    with_totp,
)

ROLES = [
    "anonymous",
    "applicant",
    "official_a",
    "official_b",
    "partner",
    "host_a",
    "secretariat",
    "auditor",
    "plain_staff",
    # Staff accounts that have not set up their authenticator yet: an ordinary
    # visitor's session until they do (issue #15, section 2).
    "secretariat_no_2fa",
    "host_a_no_2fa",
]
ALLAUTH_KEPT = {"account_login", "account_signup", "account_logout", "account_reset_password"}
SKIPPED_NAMESPACES = {"admin"}


def walk(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace or ""
            if inner in SKIPPED_NAMESPACES:
                continue
            name = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from walk(pattern.url_patterns, name)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}:{pattern.name}" if namespace else str(pattern.name)


def public_url_names() -> list[str]:
    names = []
    for name in walk(get_resolver().url_patterns):
        if name.startswith(("account_", "mfa_")) and name not in ALLAUTH_KEPT:
            continue
        names.append(name)
    return sorted(set(names))


def everyone(status):
    return dict.fromkeys(ROLES, status)


def only(allowed: set[str], status=200, others=404, anonymous=None):
    result = {role: (status if role in allowed else others) for role in ROLES}
    if anonymous is not None:
        result["anonymous"] = anonymous
    return result


SIGNED_IN_REDIRECT = {**everyone(302), "anonymous": 200}  # allauth sends members onwards
MEMBERS_OF_A = {"official_a", "host_a", "secretariat", "auditor"}
EDITORS_OF_A = {"official_a", "host_a", "secretariat"}  # auditors only read

# name -> [(what the URL points at, how to build it, expected status per role)]
EXPECTED = {
    "healthz": [("", lambda w: reverse("healthz"), everyone(200))],
    # The switcher changes state, so it answers POST only (tests/alliance/test_languages.py).
    "set_language": [("", lambda w: reverse("set_language"), everyone(405))],
    "home": [("", lambda w: reverse("home"), everyone(200))],
    "partners": [("", lambda w: reverse("partners"), everyone(200))],
    "faq": [("", lambda w: reverse("faq"), everyone(200))],
    "privacy": [("", lambda w: reverse("privacy"), everyone(200))],
    "apply": [("", lambda w: reverse("apply"), everyone(200))],
    "directory": [("", lambda w: reverse("directory"), everyone(200))],
    # A POST only (issue #15, section 4); who may send it: EXPECTED_POSTS below.
    "directory_export": [("", lambda w: reverse("directory_export"), everyone(405))],
    "map": [
        ("", lambda w: reverse("map"), everyone(200)),
        ("network A", lambda w: reverse("map") + "?network=network-a", everyone(200)),
        # An inactive network is no filter: the reason, not the map (tests/map).
        (
            "inactive network",
            lambda w: reverse("map") + f"?network={w['inactive'].slug}",
            everyone(400),
        ),
    ],
    "networks:list": [("", lambda w: reverse("networks:list"), everyone(200))],
    "networks:detail": [
        ("network A", lambda w: w["network_a"].get_absolute_url(), everyone(200)),
        (
            "inactive network",
            lambda w: reverse("networks:detail", args=[w["inactive"].slug]),
            everyone(404),
        ),
    ],
    "networks:calendar": [
        (
            "network A",
            lambda w: reverse("networks:calendar", args=["network-a"]),
            only(MEMBERS_OF_A),
        ),
        (
            "network B",
            lambda w: reverse("networks:calendar", args=["network-b"]),
            only({"official_b", "secretariat", "auditor"}),
        ),
    ],
    # A POST only: it replaces the member's link (EXPECTED_POSTS).
    "networks:calendar_link": [
        (
            "network A",
            lambda w: reverse("networks:calendar_link", args=["network-a"]),
            everyone(405),
        )
    ],
    "cities:detail": [("city A", lambda w: w["city_a"].get_absolute_url(), everyone(200))],
    "cities:edit": [
        (
            "city A",
            lambda w: reverse("cities:edit", args=[w["city_a"].slug]),
            only(EDITORS_OF_A, anonymous=302),
        ),
        (
            "city B",
            lambda w: reverse("cities:edit", args=[w["city_b"].slug]),
            only({"official_b", "secretariat"}, anonymous=302),
        ),
    ],
    "applications:list": [
        ("", lambda w: reverse("applications:list"), {**everyone(200), "anonymous": 302})
    ],
    **{
        f"applications:{name}": [
            (
                "the applicant's application",
                lambda w, name=name: reverse(f"applications:{name}", args=[w["application"].pk]),
                only({"applicant"}, anonymous=302),
            )
        ]
        for name in ("detail", "submitted", "edit")
    },
    **{
        f"meetings:{name}": [
            (
                "meeting of network A",
                lambda w, name=name: reverse(f"meetings:{name}", args=[w["meeting_a"].pk]),
                only(MEMBERS_OF_A),
            ),
            (
                "meeting of network B",
                lambda w, name=name: reverse(f"meetings:{name}", args=[w["meeting_b"].pk]),
                only({"official_b", "secretariat", "auditor"}),
            ),
        ]
        for name in ("detail", "ics")
    },
    # The API reads no session: signed in or not, every role is an anonymous client there
    # (what a token shows each role: API_WITH_TOKEN below, tests/api/test_privacy.py).
    "api:api-root": [("", lambda w: reverse("api:api-root"), everyone(404))],
    "api:openapi-json": [("", lambda w: reverse("api:openapi-json"), everyone(200))],
    **{
        f"api:{name}": [("", lambda w, name=name: reverse(f"api:{name}"), everyone(200))]
        for name in ("cities", "networks", "partners")
    },
    "api:city": [("city A", lambda w: reverse("api:city", args=[w["city_a"].slug]), everyone(200))],
    **{
        f"api:{name}": [
            (
                "network A",
                lambda w, name=name: reverse(f"api:{name}", args=["network-a"]),
                everyone(200),
            ),
            (
                "inactive network",
                lambda w, name=name: reverse(f"api:{name}", args=[w["inactive"].slug]),
                everyone(404),
            ),
        ]
        for name in ("network", "network_members")
    },
    "api:meetings": [("", lambda w: reverse("api:meetings"), everyone(401))],
    "api_docs": [("", lambda w: reverse("api_docs"), everyone(200))],
    "api_download": [
        (
            "CSV",
            lambda w: (downloads_build(), reverse("api_download", args=["csv"]))[1],
            everyone(200),
        )
    ],
    "api_tokens": [("", lambda w: reverse("api_tokens"), {**everyone(200), "anonymous": 302})],
    # A POST only (EXPECTED_POSTS).
    "api_token_revoke": [
        (
            "the partner's token",
            lambda w: reverse("api_token_revoke", args=[w["partner_token"].pk]),
            {**everyone(405), "anonymous": 302},
        )
    ],
    # The ways in (issue #17): public pages and forms; a signed link works for whoever
    # holds it; a city's pledge is for its officials only.
    **{
        name: [("", lambda w, name=name: reverse(name), everyone(200))]
        for name in (
            "involvement:get_involved",
            "involvement:pledge",
            "involvement:pledge_sent",
            "involvement:partner",
            "involvement:partner_sent",
            "involvement:supporters",
            "nominations:list",
            "nominations:sent",
        )
    },
    "involvement:pledge_confirm": [
        ("signed link", lambda w: w["links"]["confirm"], everyone(200)),
        ("forged link", lambda w: w["links"]["confirm"][:-4] + "xyz/", everyone(404)),
    ],
    "involvement:city_pledge": [
        (
            "city A",
            lambda w: reverse("involvement:city_pledge", args=[w["city_a"].slug]),
            only({"official_a"}, anonymous=302),
        ),
    ],
    "nominations:nominate": [
        (
            "open call",
            lambda w: reverse("nominations:nominate", args=[w["call_a"].pk]),
            everyone(200),
        ),
        (
            "closed call",
            lambda w: reverse("nominations:nominate", args=[w["closed_call"].pk]),
            everyone(404),
        ),
    ],
    "nominations:decline": [
        ("signed link", lambda w: w["links"]["decline"], everyone(200)),
        ("forged link", lambda w: w["links"]["decline"][:-4] + "xyz/", everyone(404)),
    ],
    "nominations:invitation_ics": [
        ("invited", lambda w: w["links"]["ics"], everyone(200)),
        ("not invited", lambda w: w["links"]["ics_not_invited"], everyone(404)),
    ],
    # The policy library and the roadmap (issue #17): public pages; only accepted
    # policies are public; the signed link works for whoever holds it; a city's roadmap
    # is edited by whoever may edit the city.
    **{
        name: [("", lambda w, name=name: reverse(name), everyone(200))]
        for name in (
            "policies:library",
            "policies:submit",
            "policies:sent",
            "policies:roadmap",
        )
    },
    # A submitter's own list: whoever is signed in sees theirs (possibly empty).
    "policies:mine": [
        ("", lambda w: reverse("policies:mine"), {**everyone(200), "anonymous": 302})
    ],
    "policies:edit": [
        ("signed link", lambda w: w["policy_links"]["edit"], everyone(200)),
        ("forged link", lambda w: w["policy_links"]["edit"][:-4] + "xyz/", everyone(404)),
    ],
    **{
        f"policies:{name}": [
            (
                "accepted",
                lambda w, name=name: reverse(f"policies:{name}", args=[w["policy_links"]["ok"]]),
                everyone(200),
            ),
            (
                "submitted",
                lambda w, name=name: reverse(
                    f"policies:{name}", args=[w["policy_links"]["waiting"]]
                ),
                everyone(404),
            ),
        ]
        for name in ("detail", "download")
    },
    "policies:city_roadmap": [
        (
            "city A",
            lambda w: reverse("policies:city_roadmap", args=[w["city_a"].slug]),
            only(EDITORS_OF_A, anonymous=302),
        ),
        (
            "city B",
            lambda w: reverse("policies:city_roadmap", args=[w["city_b"].slug]),
            only({"official_b", "secretariat"}, anonymous=302),
        ),
    ],
    "account_login": [("", lambda w: reverse("account_login"), SIGNED_IN_REDIRECT)],
    "account_signup": [("", lambda w: reverse("account_signup"), SIGNED_IN_REDIRECT)],
    # Signed in, the page asks to confirm; anonymous visitors are sent home.
    "account_logout": [
        ("", lambda w: reverse("account_logout"), {**everyone(200), "anonymous": 302})
    ],
    "account_reset_password": [("", lambda w: reverse("account_reset_password"), everyone(200))],
}


# URLs that change something answer POST; who may send one.
EXPECTED_POSTS = {
    # Partner people and city officials make tokens (an empty form: 400, the name is
    # missing); everyone else is refused.
    "api_tokens": (
        lambda w: reverse("api_tokens"),
        {
            **only({"partner", "official_a", "official_b"}, status=400, others=403),
            "anonymous": 302,
        },
    ),
    # Only its owner revokes a token (then back to the list: 302); the secretariat in the admin.
    "api_token_revoke": (
        lambda w: reverse("api_token_revoke", args=[w["partner_token"].pk]),
        {**only({"partner"}, status=302), "anonymous": 302},
    ),
    "directory_export": (
        lambda w: reverse("directory_export"),
        {**only({"partner", "host_a", "secretariat", "auditor"}, others=403), "anonymous": 302},
    ),
    "networks:calendar_link": (
        lambda w: reverse("networks:calendar_link", args=["network-a"]),
        only(MEMBERS_OF_A),
    ),
    # An empty form: field errors for whoever may send it.
    "involvement:city_pledge": (
        lambda w: reverse("involvement:city_pledge", args=[w["city_a"].slug]),
        only({"official_a"}, status=400, anonymous=302),
    ),
    "involvement:pledge": (lambda w: reverse("involvement:pledge"), everyone(400)),
    "involvement:partner": (lambda w: reverse("involvement:partner"), everyone(400)),
    "nominations:nominate": (
        lambda w: reverse("nominations:nominate", args=[w["call_a"].pk]),
        everyone(400),
    ),
    "policies:submit": (lambda w: reverse("policies:submit"), everyone(400)),
    "policies:edit": (lambda w: w["policy_links"]["edit"], everyone(400)),
    "policies:city_roadmap": (
        lambda w: reverse("policies:city_roadmap", args=[w["city_a"].slug]),
        only(EDITORS_OF_A, status=400, anonymous=302),
    ),
}


def staff_in(group_name, *, second_factor=True):
    user = UserFactory(is_staff=True)
    if second_factor:
        with_totp(user)
    if group_name:
        user.groups.add(Group.objects.get_or_create(name=group_name)[0])
    return user


def _involvement(meeting) -> dict:
    """A pledge, an open and a closed call for nominations, and their signed links."""
    import datetime

    from django.utils import timezone

    from networks.involvement import links
    from networks.involvement.models import Pledge
    from networks.nominations.models import Nomination, NominationCall

    pledge = Pledge.objects.create(
        organisation="Org", kind="company", country="JP", contact_name="A", contact_email="a@x.jp"
    )
    soon = timezone.now() + datetime.timedelta(days=1)
    call = NominationCall.objects.create(meeting=meeting, summary="Open", deadline=soon)
    closed = NominationCall.objects.create(
        meeting=MeetingFactory(network=meeting.network),
        summary="Closed",
        deadline=timezone.now() - datetime.timedelta(days=1),
    )
    fields = {
        "call": call,
        "nominee_name": "N",
        "nominee_email": "n@x.org",
        "organisation": "O",
        "position": "P",
        "country": "JP",
        "languages": "ja",
        "why": "x",
    }
    invited = Nomination.objects.create(**fields, status="invited")
    waiting = Nomination.objects.create(**fields)
    token = links.make_token
    return {
        "call_a": call,
        "closed_call": closed,
        "links": {
            "confirm": reverse(
                "involvement:pledge_confirm", args=[token(links.PLEDGE_CONFIRM, pledge.pk)]
            ),
            "decline": reverse(
                "nominations:decline", args=[token(links.NOMINATION_DECLINE, waiting.pk)]
            ),
            "ics": reverse(
                "nominations:invitation_ics", args=[token(links.INVITATION_CALENDAR, invited.pk)]
            ),
            "ics_not_invited": reverse(
                "nominations:invitation_ics", args=[token(links.INVITATION_CALENDAR, waiting.pk)]
            ),
        },
    }


def _policies() -> dict:
    """An accepted policy with its PDF, one waiting, one asked about and its signed link."""
    import datetime

    from django.core.files.base import ContentFile

    from networks.involvement import links
    from networks.policies.mail import POLICY_EDIT
    from networks.policies.models import Policy

    fields = {
        "title": "T",
        "kind": "law",
        "adopter": "A",
        "country": "JP",
        "summary": "S",
        "adopted_on": datetime.date(2020, 1, 1),
        "policy_language": "ja",
        "submitter_name": "N",
        "submitter_email": "n@x.jp",
    }
    ok = Policy.objects.create(**fields, status="accepted")
    ok.pdf.save("x.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
    waiting = Policy.objects.create(**fields)
    asked = Policy.objects.create(**fields, status="more-info", decision_note="?")
    edit = reverse("policies:edit", args=[links.make_token(POLICY_EDIT, asked.pk)])
    return {"policy_links": {"ok": ok.pk, "waiting": waiting.pk, "edit": edit}}


@pytest.fixture
def world(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed
    network_a = NetworkFactory(name="Network A", slug="network-a")
    network_b = NetworkFactory(name="Network B", slug="network-b")
    city_a, city_b = CityFactory(name="City A"), CityFactory(name="City B")
    MembershipFactory(city=city_a, network=network_a)
    MembershipFactory(city=city_b, network=network_b)
    # Waiting for the applicant's answer: the one state in which they may edit it.
    application = ApplicationFactory(network=network_a, status="more-info")
    host = staff_in(roles.NETWORK_HOST)
    host_no_2fa = staff_in(roles.NETWORK_HOST, second_factor=False)
    network_a.hosts.add(host, host_no_2fa)
    users = {
        "anonymous": None,
        "applicant": application.applicant,
        "official_a": CityOfficialFactory(city=city_a).user,
        "official_b": CityOfficialFactory(city=city_b).user,
        "partner": PartnerPerson.objects.create(user=UserFactory(), partner=PartnerFactory()).user,
        "host_a": host,
        "secretariat": staff_in(roles.SECRETARIAT),
        "auditor": staff_in(roles.AUDITOR),
        "plain_staff": staff_in(None),
        "secretariat_no_2fa": staff_in(roles.SECRETARIAT, second_factor=False),
        "host_a_no_2fa": host_no_2fa,
    }
    meeting_a = MeetingFactory(network=network_a)
    return {
        **_involvement(meeting_a),
        **_policies(),
        "network_a": network_a,
        "network_b": network_b,
        "inactive": NetworkFactory(is_active=False),
        "city_a": city_a,
        "city_b": city_b,
        "application": application,
        "meeting_a": meeting_a,
        "meeting_b": MeetingFactory(network=network_b),
        "partner_token": token_create(user=users["partner"], name="Script")[0],
        "users": users,
    }


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
