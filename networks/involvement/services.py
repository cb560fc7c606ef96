"""Writes of the ways in: one service per fact, called by the views and the admin."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.roles import SECRETARIAT, has_staff_powers, in_group
from cities.models import City
from networks.involvement import mail
from networks.involvement.models import OrganisationKind, PartnerEnquiry, Pledge

Status = Pledge.Status


def _secretariat_only(user) -> None:
    """Pledges and enquiries are the secretariat's: no host decides them (PermissionDenied)."""
    if user is None:
        return  # a command or a test acting as the system
    if not (has_staff_powers(user) and (user.is_superuser or in_group(user, SECRETARIAT))):
        raise PermissionDenied(_("Only the secretariat decides on pledges."))


@transaction.atomic
def pledge_submit(*, pledge: Pledge, principles) -> Pledge:
    """Store a stranger's pledge (unconfirmed) and email its contact the confirmation link.

    `principles`: the Principle rows supported (at least one). Raises ValidationError.
    """
    pledge.status = Status.UNCONFIRMED
    pledge.full_clean(exclude=["principles"])
    if not principles:
        raise ValidationError(_("Choose at least one principle."))
    pledge.save()
    pledge.principles.set(principles)
    mail.pledge_confirmation(pledge)
    return pledge


@transaction.atomic
def pledge_confirm(*, pledge_id: int) -> Pledge | None:
    """The contact followed the link: an unconfirmed pledge becomes confirmed.

    A second confirmation (or one after the secretariat decided) changes nothing.
    Returns the pledge, or None when it no longer exists.
    """
    pledge = Pledge.objects.select_for_update().filter(pk=pledge_id).first()
    if pledge is not None and pledge.status == Status.UNCONFIRMED:
        pledge.status = Status.CONFIRMED
        pledge.confirmed_at = timezone.now()
        pledge.save(update_fields=["status", "confirmed_at"])
    return pledge


@transaction.atomic
def city_pledge(*, city: City, official_user, principles, may_be_listed: bool) -> Pledge:
    """A member city's official pledges for their city.

    The account is the city's verified official, so no email link is needed: the pledge
    is confirmed at once and waits for the secretariat to publish it. The city's pledged
    principles (City.principles) gain those chosen. Raises ValidationError without any.
    """
    if not principles:
        raise ValidationError(_("Choose at least one principle."))
    pledge = Pledge(
        organisation=city.name,
        kind=OrganisationKind.CITY,
        country=city.country,
        website=city.website,
        contact_name=official_user.get_full_name() or official_user.email,
        contact_email=official_user.email,
        may_be_listed=may_be_listed,
        status=Status.CONFIRMED,
        confirmed_at=timezone.now(),
        language=getattr(official_user, "language", "") or "en",
        city=city,
        submitted_by=official_user,
    )
    pledge.full_clean(exclude=["principles"])
    pledge.save()
    pledge.principles.set(principles)
    city.principles.add(*principles)
    return pledge


def _decide(pledges, by, *, to: str, from_states) -> int:
    _secretariat_only(by)
    changed = 0
    with transaction.atomic():
        # Saved one by one, so each change is in the pledge's history with who made it.
        for pledge in Pledge.objects.select_for_update().filter(
            pk__in=[p.pk for p in pledges], status__in=from_states
        ):
            pledge.status, pledge.decided_at = to, timezone.now()
            pledge._history_user = by
            pledge.save(update_fields=["status", "decided_at"])
            changed += 1
    return changed


def pledges_publish(*, pledges, by) -> int:
    """Publish confirmed (or earlier declined) pledges; unconfirmed ones are left alone,
    since their contact never confirmed them. Returns how many were published.
    Raises PermissionDenied unless `by` is the secretariat."""
    return _decide(
        pledges, by, to=Status.PUBLISHED, from_states=[Status.CONFIRMED, Status.DECLINED]
    )


def pledges_decline(*, pledges, by) -> int:
    """Decline pledges in any other state: they leave /supporters/. Returns how many
    changed. Raises PermissionDenied unless `by` is the secretariat."""
    others = [s for s in Status.values if s != Status.DECLINED]
    return _decide(pledges, by, to=Status.DECLINED, from_states=others)


@transaction.atomic
def enquiry_submit(*, enquiry: PartnerEnquiry) -> PartnerEnquiry:
    """Keep a partnership enquiry and hand it to the secretariat through the outbox."""
    enquiry.full_clean()
    enquiry.save()
    mail.enquiry_to_secretariat(enquiry)
    return enquiry
