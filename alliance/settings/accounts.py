"""Sign-in (django-allauth, MFA), rate limits of the public forms and the API, admin imports."""

import re

from django.core.exceptions import ImproperlyConfigured

from alliance import env

# Auth ----------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "applications:list"

# Accounts (django-allauth): email sign-in, verified addresses, no enumeration.
ACCOUNT_ADAPTER = "alliance.accounts.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SIGNUP_FORM_HONEYPOT_FIELD = "website_url"
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_RATE_LIMITS = {
    # allauth's own, spelled out: log-in posts per address (429 beyond), and failed
    # log-ins per address and per account (the form refuses even the right password).
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/300s/key",
    # Our own actions: application submissions per account and per address, and
    # directory exports per account (each one reads the whole filtered directory).
    "apply": "5/h/user,20/h/ip",
    # Anonymous application drafts, each a session row of a few KB (issue #15 §4).
    "apply_draft": "20/h/ip",
    "directory_export": "20/h/user",
    # New API tokens per account.
    "api_token": "10/h/user",
    # The ways in (issue #17): per address, per account, per email typed in the form
    # (networks/involvement/ratelimits.py), so nobody floods a stranger's inbox.
    "pledge": "10/h/ip",
    "pledge_account": "10/h/user",
    "pledge_email": "3/h/key",
    "city_pledge_account": "5/h/user",
    "partner_enquiry": "5/h/ip",
    "partner_enquiry_account": "5/h/user",
    "partner_enquiry_email": "3/h/key",
    "nominate": "10/h/ip",
    "nominate_account": "10/h/user",
    "nominate_email": "3/h/key",
    "policy_submit": "10/h/ip",
    "policy_submit_account": "10/h/user",
    "policy_submit_email": "3/h/key",
}
# The API's rate limits (alliance/api/access.py): anonymous requests per client address,
# requests with a token per token. "N/s", "N/m", "N/h" or "N/d".
API_RATE_ANONYMOUS = env.get_str("API_RATE_ANONYMOUS", "120/m")
API_RATE_TOKEN = env.get_str("API_RATE_TOKEN", "600/m")
for _name, _rate in (
    ("API_RATE_ANONYMOUS", API_RATE_ANONYMOUS),
    ("API_RATE_TOKEN", API_RATE_TOKEN),
):
    if not re.fullmatch(r"[1-9][0-9]{0,6}/[smhd]", _rate):
        raise ImproperlyConfigured(f"{_name} must look like 120/m (requests per s, m, h or d).")
# Admin imports (django-import-export): one transaction per file, so a file with a bad
# row changes nothing; history rows record who changed what, so no admin log per row.
IMPORT_EXPORT_USE_TRANSACTIONS = True
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "add"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "view"

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Alliance portal"
# Behind a proxy the client address is the last hop the proxy appended.
ALLAUTH_TRUSTED_PROXY_COUNT = env.get_int("DJANGO_TRUSTED_PROXY_COUNT", 0, maximum=5)
