"""The world the public matrix opens its URLs in: two networks, their cities, meetings,
an application, a pledge, calls for nominations, policies, signed links and one account
per role (the `world` fixture; import it where it is used).
"""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from alliance import roles
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

    from networks.policies.mail import edit_token
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
    edit = reverse("policies:edit", args=[edit_token(asked)])
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
