"""Every email of the ways in (pledges, partnership enquiries, nominations), in one place.

They all go through the portal's outbox with its public helper `queue_email`, so the
mail path (being reworked in #16) is called from here only. Links are absolute and in
the recipient's language (its URL prefix), and signed where they replace an account.
"""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from alliance.mail.outbox import queue_email
from networks.involvement import links
from networks.meetings.calendar import meeting_ics


def _url(language: str, name: str, *args) -> str:
    with translation.override(language):
        return settings.SITE_URL + reverse(name, args=args)


def pledge_confirmation(pledge) -> None:
    """Ask the pledge's contact to confirm it (double opt-in), in the pledge's language."""
    token = links.make_token(links.PLEDGE_CONFIRM, pledge.pk)
    queue_email(
        template="pledge-confirm",
        to=pledge.contact_email,
        context={
            "pledge": pledge,
            "principles": list(pledge.principles.all()),
            "confirm_url": _url(pledge.language, "involvement:pledge_confirm", token),
            "days": links.PLEDGE_CONFIRM[1] // 86400,
        },
        language=pledge.language,
    )


def enquiry_to_secretariat(enquiry) -> None:
    """Hand a partnership enquiry to the secretariat (SECRETARIAT_EMAIL), in English."""
    queue_email(
        template="partner-enquiry",
        to=settings.SECRETARIAT_EMAIL,
        context={
            "enquiry": enquiry,
            "admin_url": settings.SITE_URL
            + reverse("admin:networks_partnerenquiry_change", args=[enquiry.pk]),
        },
        language=settings.LANGUAGE_CODE,
    )


def _nomination_context(nomination) -> dict:
    meeting = nomination.call.meeting
    return {
        "nomination": nomination,
        "meeting": meeting,
        "network": meeting.network,
        "zone": nomination.time_zone,
        "decline_url": _url(
            nomination.language,
            "nominations:decline",
            links.make_token(links.NOMINATION_DECLINE, nomination.pk),
        ),
    }


def nomination_received(nomination) -> None:
    """Tell the nominee they were nominated, and how to decline."""
    queue_email(
        template="nomination-received",
        to=nomination.nominee_email,
        context=_nomination_context(nomination),
        language=nomination.language,
    )


def nomination_invited(nomination) -> None:
    """Invite the nominee: the meeting's time in their zone, where it is, and its .ics
    attached (the signed link to the same file stays, for mail clients that drop
    attachments; the reminders the ledger sends later carry it attached too)."""
    token = links.make_token(links.INVITATION_CALENDAR, nomination.pk)
    queue_email(
        template="nomination-invited",
        to=nomination.nominee_email,
        context={
            **_nomination_context(nomination),
            "ics_url": _url(nomination.language, "nominations:invitation_ics", token),
        },
        language=nomination.language,
        calendar=meeting_ics(nomination.call.meeting),
    )


def nomination_not_selected(nomination) -> None:
    """Tell the nominee, kindly, that they were not selected this time."""
    queue_email(
        template="nomination-not-selected",
        to=nomination.nominee_email,
        context=_nomination_context(nomination),
        language=nomination.language,
    )
