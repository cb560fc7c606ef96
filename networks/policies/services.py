"""Writes of the policy library and the roadmap: one service per fact, called by the
public views and the admin alike."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from alliance.roles import SECRETARIAT, has_staff_powers, in_group
from networks.policies import mail
from networks.policies.models import Policy, RoadmapEntry

Status = Policy.Status

# What the secretariat may decide from each state (the review: submitted →
# under review → more information → accepted / declined; a decision can be revised).
NEXT = {
    Status.SUBMITTED: {Status.UNDER_REVIEW, Status.MORE_INFO, Status.ACCEPTED, Status.DECLINED},
    Status.UNDER_REVIEW: {Status.MORE_INFO, Status.ACCEPTED, Status.DECLINED},
    Status.MORE_INFO: {Status.UNDER_REVIEW, Status.ACCEPTED, Status.DECLINED},
    Status.ACCEPTED: {Status.DECLINED},
    Status.DECLINED: {Status.UNDER_REVIEW, Status.ACCEPTED},
}
NEEDS_NOTE = {Status.MORE_INFO, Status.DECLINED}
EMAILS = {
    Status.MORE_INFO: mail.policy_more_info,
    Status.ACCEPTED: mail.policy_accepted,
    Status.DECLINED: mail.policy_declined,
}


def _secretariat_only(user) -> None:
    """Policies concern the whole Alliance: the secretariat decides (PermissionDenied)."""
    if user is None:
        return  # a command or a test acting as the system
    if not (has_staff_powers(user) and (user.is_superuser or in_group(user, SECRETARIAT))):
        raise PermissionDenied(_("Only the secretariat decides on policies."))


@transaction.atomic
def policy_submit(*, policy: Policy, principles) -> Policy:
    """Store a stranger's policy as submitted and acknowledge it to the submitter.

    `principles`: Principle rows (at least one). Raises ValidationError.
    """
    if not principles:
        raise ValidationError(_("Choose at least one principle."))
    policy.status = Status.SUBMITTED
    policy.full_clean(exclude=["principles"])
    policy.save()
    policy.principles.set(principles)
    mail.policy_received(policy)
    return policy


@transaction.atomic
def policy_resubmit(*, policy: Policy, principles) -> Policy:
    """The submitter answered the question: the edited policy goes back to submitted.

    Only a policy waiting for more information can be resubmitted (ValidationError
    otherwise, e.g. a second resubmission through the same link).
    """
    stored = Policy.objects.select_for_update().filter(pk=policy.pk).values("status").first()
    if stored is None or stored["status"] != Status.MORE_INFO:
        raise ValidationError(_("This policy is not waiting for more information."))
    if not principles:
        raise ValidationError(_("Choose at least one principle."))
    policy.status = Status.SUBMITTED
    policy.resubmitted_at = timezone.now()
    policy.full_clean(exclude=["principles"])
    policy.save()
    policy.principles.set(principles)
    return policy


@transaction.atomic
def policy_decide(*, policy: Policy, status: str, note: str = "", by) -> Policy:
    """Move `policy` to `status` and email the submitter what was decided.

    `note`: the question (more information) or the reason (declined), required for
    those two and sent as written. Raises PermissionDenied unless `by` is the
    secretariat, ValidationError for a move NEXT does not allow or a missing note.
    """
    _secretariat_only(by)
    policy = Policy.objects.select_for_update().get(pk=policy.pk)
    status = Status(status)
    if status not in NEXT[Status(policy.status)]:
        raise ValidationError(
            _("A policy that is “%(now)s” cannot become “%(next)s”.")
            % {"now": policy.get_status_display(), "next": status.label}
        )
    note = (note or "").strip()
    if status in NEEDS_NOTE and not note:
        raise ValidationError(_("Write the question or the reason: the submitter receives it."))
    policy.status = status
    if note:
        policy.decision_note = note
    if status in (Status.ACCEPTED, Status.DECLINED):
        policy.decided_at = timezone.now()
    policy._history_user = by
    policy.full_clean(exclude=["principles"])
    policy.save()
    send = EMAILS.get(status)
    if send is not None:
        send(policy)
    return policy


@transaction.atomic
def roadmap_set(
    *,
    city,
    model_policy: str,
    status: str,
    since=None,
    evidence_url="",
    evidence_policy=None,
    by=None,
) -> RoadmapEntry:
    """Record where `city` stands on `model_policy`; the change is kept in history.

    The caller has checked that `by` may edit the city (networks.access.can_edit_city).
    `evidence_policy` must be an accepted policy of the library (ValidationError).
    """
    entry = RoadmapEntry.objects.select_for_update().filter(
        city=city, model_policy=model_policy
    ).first() or RoadmapEntry(city=city, model_policy=model_policy)
    if evidence_policy is not None and evidence_policy.status != Status.ACCEPTED:
        raise ValidationError(_("Only a policy of the library can be the evidence."))
    changed = (entry.status, entry.since, entry.evidence_url, entry.evidence_policy_id) != (
        status,
        since,
        evidence_url,
        evidence_policy and evidence_policy.pk,
    )
    if not changed or (
        entry.pk is None
        and status == RoadmapEntry.Status.NOT_STARTED
        and not (since or evidence_url or evidence_policy)
    ):
        return entry  # nothing new: no row, no history row
    entry.status, entry.since = status, since
    entry.evidence_url, entry.evidence_policy = evidence_url, evidence_policy
    entry._history_user = by
    entry.full_clean()
    entry.save()
    return entry
