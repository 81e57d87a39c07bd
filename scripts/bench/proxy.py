"""The TLS proxy of a deployment, played by the load generator's HTTP client.

The production settings expect HTTPS (Secure cookies, HTTPS redirect, CSRF origin checks)
from a proxy that terminates TLS and sets `X-Forwarded-Proto: https`. The bench's clients
speak to https://127.0.0.1:<port> like browsers; this adapter forwards each request to
gunicorn over plain HTTP with that header, and hands the answer back as if from https.
"""

from requests.adapters import HTTPAdapter


class TlsProxyAdapter(HTTPAdapter):
    """Mount on "https://" of a requests (or locust) session."""

    def send(self, request, **kwargs):
        forwarded = request.copy()
        forwarded.url = "http://" + request.url.removeprefix("https://")
        forwarded.headers["X-Forwarded-Proto"] = "https"
        response = super().send(forwarded, **kwargs)
        response.request = request
        response.url = request.url
        return response
