"""Every email about a submitted policy, in the submitter's language, through the outbox."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from alliance.mail.outbox import queue_email
from networks.involvement import links

# Seconds the link to edit and resubmit a policy stays valid.
POLICY_EDIT = ("policy-edit", 30 * 24 * 3600)


def edit_url(policy) -> str:
    """The absolute, signed link to edit `policy`, in its submitter's language."""
    token = links.make_token(POLICY_EDIT, policy.pk)
    with translation.override(policy.language):
        return settings.SITE_URL + reverse("policies:edit", args=[token])


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
