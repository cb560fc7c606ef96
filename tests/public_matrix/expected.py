"""Who may open what on the public site: the expected status per URL pattern and role.

EXPECTED must name every public URL pattern (tests/public_matrix/test_permission_matrix.py checks it
against the URL configuration); EXPECTED_POSTS, who may send a POST where one changes
something. 404 rather than 403 wherever the existence of the object is private.
"""

from django.urls import reverse

from alliance.api.downloads import downloads_build
from tests.public_matrix.roles import EDITORS_OF_A, MEMBERS_OF_A, SIGNED_IN_REDIRECT, everyone, only

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
                "city A",
                lambda w, name=name: reverse(f"api:{name}", args=[w["city_a"].slug]),
                everyone(200),
            )
        ]
        for name in ("city_mentoring", "city_mentored_by")
    },
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
