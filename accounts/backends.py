"""Authentication backends."""

from axes.backends import AxesStandaloneBackend


class LockoutBackend(AxesStandaloneBackend):
    """django-axes' lock-out check, for login attempts that come with an HTTP request.

    Code that calls authenticate() without a request (a shell, a management command, a
    test) is not someone guessing passwords over the network: nothing to count there.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
