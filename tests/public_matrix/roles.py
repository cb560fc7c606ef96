"""The roles the public matrix opens every URL as, the URL patterns it walks, and the
shorthands its expectations are written with.
"""

from django.urls import URLPattern, URLResolver, get_resolver

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
