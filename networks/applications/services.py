"""Writes of the application flow: submit, resubmit, review decisions."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from alliance.emails import queue_email
from alliance.language import email_language
from alliance.promotion import require_verified
from cities.gazetteer import spellings
from cities.models import City, CityOfficial
from cities.services import city_unique_slug
from networks import access
from networks.meetings.reminders import reminders_sync_city
from networks.models import Application, ApplicationEvent, Membership
from networks.services import membership_create, membership_set_status


def check_can_apply(*, application: Application) -> None:
    """Refuse a second open application or one for a network the city is already in."""
    network = application.network
    others = Application.objects.open().filter(network=network).exclude(pk=application.pk)
    if application.city_id:
        city = application.city
        if Membership.objects.filter(city=city, network=network, status="active").exists():
            raise ValidationError(
                _("%(city)s is already an active member of %(network)s.")
                % {"city": city.name, "network": network.name}
            )
        if others.filter(city=city).exists():
            raise ValidationError(
                _("%(city)s already has an open application to %(network)s.")
                % {"city": city.name, "network": network.name}
            )
    else:
        same_name = City.objects.named(application.city_name).filter(
            country=application.city_country
        )
        if same_name.exists():
            raise ValidationError(
                _(
                    "%(city)s is already in the directory: search for it and choose it "
                    "instead of describing it again."
                )
                % {"city": application.city_name}
            )
        for other in others.filter(city__isnull=True, city_country=application.city_country):
            if set(spellings(other.city_name)) & set(spellings(application.city_name)):
                raise ValidationError(
                    _("%(city)s already has an open application to %(network)s.")
                    % {"city": application.city_name, "network": network.name}
                )


def _record(application: Application, status: str, by, note: str = "") -> None:
    application.status = status
    application.save()
    ApplicationEvent.objects.create(application=application, status=status, by=by, note=note)


def _notify(application: Application, template: str) -> None:
    queue_email(
        template=template,
        to=application.applicant.email,
        context={"application": application, "network": application.network},
        language=email_language(
            application.applicant, application.language, application.network.default_language
        ),
    )


@transaction.atomic
def application_submit(*, application: Application, principles) -> Application:
    """Store a new application (built by the form, not yet saved) and confirm it by email."""
    check_can_apply(application=application)
    application.consented_at = application.consented_at or timezone.now()
    application.language = get_language() or "en"
    application.full_clean()
    application.save()
    application.principles.set(principles)
    ApplicationEvent.objects.create(
        application=application, status=Application.Status.SUBMITTED, by=application.applicant
    )
    _notify(application, "application-received")
    return application


@transaction.atomic
def application_resubmit(*, application: Application, principles) -> Application:
    """The applicant answered a request for more information."""
    if application.status != Application.Status.MORE_INFO:
        raise ValidationError(_("This application cannot be changed any more."))
    check_can_apply(application=application)
    application.full_clean()
    application.principles.set(principles)
    _record(application, Application.Status.SUBMITTED, application.applicant, _("Resubmitted"))
    return application


def _locked(application: Application, reviewer) -> Application:
    """The application, locked, once `reviewer` may decide it; PermissionDenied if not.

    Read again from the database, so the check is on what is stored, whatever a form
    sent: the network must be one the reviewer manages, and nobody decides an
    application they made themselves (a host applying with its own account could
    otherwise approve itself into another city).
    """
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("city", "network")
        .get(pk=application.pk)
    )
    access.check_manages_network(reviewer, application.network)
    if application.applicant_id == reviewer.pk:
        raise PermissionDenied(_("You cannot decide an application you made yourself."))
    return application


@transaction.atomic
def application_start_review(*, application: Application, reviewer) -> Application:
    application = _locked(application, reviewer)
    if application.status != Application.Status.SUBMITTED:
        raise ValidationError(_("Only a submitted application can be taken under review."))
    _record(application, Application.Status.UNDER_REVIEW, reviewer)
    return application


@transaction.atomic
def application_approve(*, application: Application, reviewer) -> Membership:
    """Make the city an active member; approving twice changes nothing the second time."""
    application = _locked(application, reviewer)
    if application.status == Application.Status.APPROVED:
        return Membership.objects.get(city=application.city, network=application.network)
    if not application.is_open:
        raise ValidationError(_("A rejected application cannot be approved."))
    refused = access.approval_error(reviewer, application)
    if refused:
        raise PermissionDenied(refused)
    # The applicant becomes the city's official: not an account whose address nobody
    # proved (issue #15, section 3).
    require_verified(application.applicant)

    city = application.city or _create_city(application)
    city.principles.add(*application.principles.all())
    official = CityOfficial.objects.filter(user=application.applicant).first()
    if official is not None and official.city_id != city.pk:
        raise ValidationError(
            _("The applicant already represents %(city)s; an account represents one city.")
            % {"city": official.city.name}
        )

    # Recorded before the membership changes: an approved application is what lets a
    # host make a city outside its scope an active member (networks.access).
    application.city = city
    application.decided_at = timezone.now()
    application.decided_by = reviewer
    _record(application, Application.Status.APPROVED, reviewer)

    membership = Membership.objects.filter(city=city, network=application.network).first()
    today = timezone.localdate()
    if membership is None:
        membership = membership_create(
            city=city,
            network=application.network,
            role=Membership.Role.MEMBER,
            joined_on=today,
            by=reviewer,
            note=_("Application approved"),
        )
    else:
        membership.joined_on = membership.joined_on or today
        membership_set_status(
            membership=membership, status="active", by=reviewer, note=_("Application approved")
        )

    if official is None:
        CityOfficial.objects.create(
            user=application.applicant,
            city=city,
            role=CityOfficial.Role.FOCAL_POINT,
            position=application.applicant_position,
            phone=application.applicant_phone,
            is_primary_contact=not city.officials.filter(is_primary_contact=True).exists(),
        )
        reminders_sync_city(city=city)

    _notify(application, "application-approved")
    return membership


def _create_city(application: Application) -> City:
    city = City(
        name=application.city_name,
        country=application.city_country,
        region=application.city_region,
        population=application.city_population,
        time_zone=application.city_time_zone or "UTC",
        website=application.city_website,
    )
    city.slug = city_unique_slug(name=city.name, country=str(city.country))
    city.full_clean()
    city.save()
    return city


@transaction.atomic
def application_reject(*, application: Application, reviewer, reason: str) -> Application:
    if not reason.strip():
        raise ValidationError(_("A reason is required to reject an application."))
    application = _locked(application, reviewer)
    if not application.is_open:
        raise ValidationError(_("Only an open application can be rejected."))
    application.decided_at = timezone.now()
    application.decided_by = reviewer
    application.decision_note = reason.strip()
    _record(application, Application.Status.REJECTED, reviewer, reason.strip())
    _notify(application, "application-rejected")
    return application


@transaction.atomic
def application_request_info(*, application: Application, reviewer, message: str) -> Application:
    if not message.strip():
        raise ValidationError(_("Say what information is needed."))
    application = _locked(application, reviewer)
    if application.status not in (Application.Status.SUBMITTED, Application.Status.UNDER_REVIEW):
        raise ValidationError(_("More information can only be asked of a waiting application."))
    application.decision_note = message.strip()
    _record(application, Application.Status.MORE_INFO, reviewer, message.strip())
    _notify(application, "application-more-info")
    return application
