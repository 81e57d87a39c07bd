"""`make bench` only: how many SQL queries each request ran, in an `X-Query-Count` header.

Added to MIDDLEWARE by the settings when BENCH_QUERY_HEADER=1, which only the benchmark's
driver sets: the header tells anyone how the page is built, so production never sends it.
"""

from django.db import connection

QUERY_COUNT_HEADER = "X-Query-Count"


class QueryCountMiddleware:
    """Counts the queries on the default connection while the request is handled, the
    session and authentication ones included (it comes first in MIDDLEWARE)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[QUERY_COUNT_HEADER] = str(count)
        return response
