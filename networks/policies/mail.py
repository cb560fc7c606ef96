"""Every email about a submitted policy, in the submitter's language, through the outbox."""

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils import translation

from alliance.mail.outbox import queue_email
from networks.policies.models import Policy

# Seconds the link to edit and resubmit a policy stays valid.
POLICY_EDIT = ("policy-edit", 30 * 24 * 3600)


def _round(policy) -> str:
    # The round of questions the link answers: when the submitter last resubmitted
    # (none yet: "0"). A link from an earlier round stops working once they answered it,
    # even when the secretariat asks again within its 30 days.
    stamp = policy.resubmitted_at
    return str(int(stamp.timestamp() * 1_000_000)) if stamp else "0"


def edit_token(policy) -> str:
    """A URL-safe token for editing `policy` in its current round of questions, valid
    POLICY_EDIT[1] seconds (30 days); read back by policy_for_token()."""
    value = f"{policy.pk}.{_round(policy)}"
    return signing.TimestampSigner(salt=POLICY_EDIT[0]).sign(value)


def policy_for_token(token: str):
    """The Policy `token` stands for, or None when the token is forged, garbled,
    expired, of another purpose, or from an earlier round of questions while the policy
    waits for the answer to a later one."""
    try:
        value = signing.TimestampSigner(salt=POLICY_EDIT[0]).unsign(token, max_age=POLICY_EDIT[1])
    except signing.BadSignature:  # SignatureExpired is one too
        return None
    # Links emailed before rounds were signed carry the id alone: read as the first round.
    pk, _, round_ = value.partition(".")
    round_ = round_ or "0"
    if not (pk.isdigit() and len(pk) < 19):
        return None
    policy = Policy.objects.filter(pk=int(pk)).first()
    if policy is None:
        return None
    # Not waiting for an answer: the view says where the policy stands (409), whichever
    # round the link was from. Waiting: only this round's link may edit.
    if policy.status != Policy.Status.MORE_INFO or _round(policy) == round_:
        return policy
    return None


def edit_url(policy) -> str:
    """The absolute, signed link to edit `policy`, in its submitter's language."""
    with translation.override(policy.language):
        return settings.SITE_URL + reverse("policies:edit", args=[edit_token(policy)])


def _send(policy, template: str, **extra) -> None:
    with translation.override(policy.language):
        page = settings.SITE_URL + policy.get_absolute_url()
    queue_email(
        template=template,
        to=policy.submitter_email,
        context={"policy": policy, "page_url": page, **extra},
        language=policy.language,
    )


def policy_received(policy) -> None:
    """Tell the submitter the policy reached the secretariat."""
    _send(policy, "policy-received")


def policy_more_info(policy) -> None:
    """Ask the submitter the secretariat's question, with the signed link to answer."""
    _send(policy, "policy-more-info", edit_url=edit_url(policy), days=POLICY_EDIT[1] // 86400)


def policy_accepted(policy) -> None:
    """Tell the submitter the policy is in the library, with its page."""
    _send(policy, "policy-accepted")


def policy_declined(policy) -> None:
    """Tell the submitter the policy was declined, and why."""
    _send(policy, "policy-declined")
