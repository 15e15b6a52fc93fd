"""Sign-in throttling: django-axes locks an account and address after repeated failures.

Only sign-ins through a web request are counted; programmatic authentication (management
commands, the test client's login) has no request and is left to the next backend.
"""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend


class SignInThrottleBackend(AxesStandaloneBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def is_organisation_sign_in(request, credentials) -> bool:
    """AXES_WHITELIST_CALLABLE: sign-ins with the organisation's account are not password guesses.

    The provider throttles its own sign-ins; counting our refusals (keyed on no username) would
    lock out everyone behind one office address, and would store the callback's code in axes' log.
    """
    return "code_verifier" in (credentials or {})
