"""Staff open the admin only with a second factor (allauth's TOTP).

A staff account without an authenticator app is sent to set one up first; the admin
page it asked for is kept in the session, and the recovery-codes page that follows
the set-up links back to it.
"""

from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from alliance.roles import has_staff_powers

NEXT_KEY = "admin_after_mfa"
# Signing out must stay possible without a second factor.
OPEN_VIEWS = {"logout", "login"}


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffSecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        user = request.user
        if match is None or match.app_name != "admin" or match.url_name in OPEN_VIEWS:
            return None
        if not (user.is_authenticated and user.is_staff):
            return None
        # The same (per-request cached) answer every role check gives, not a query of its own.
        if has_staff_powers(user):
            request.session.pop(NEXT_KEY, None)
            return None
        request.session[NEXT_KEY] = request.get_full_path()
        messages.info(
            request,
            _("Staff need a second factor: set up an authenticator app to open the admin."),
        )
        return redirect("mfa_activate_totp")
