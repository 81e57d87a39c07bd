"""Shared pieces of the API: errors of the services as HTTP errors, Django's error pages as JSON
under /api/, related objects by public_id, and the error responses every operation declares in
the OpenAPI schema."""

import re

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers
from rest_framework.views import exception_handler as drf_exception_handler

API_PREFIX = "/api/"
# Where the JSON parser stopped, in its English message ("… line 1 column 9 (char 8)").
_JSON_POSITION = re.compile(r"line (\d+) column (\d+)")


def exception_handler(exc, context):
    """DRF's handler, plus the services' Django ValidationError as a 400 with its messages.

    DRF already turns Django's PermissionDenied into a 403 and Http404 into a 404; the 404 says
    DRF's translated "Not found." rather than Django's English "No <Model> matches the query"."""
    if isinstance(exc, DjangoValidationError):
        exc = serializers.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, exceptions.ParseError):
        exc = exceptions.ParseError(_parse_error_detail(str(exc.detail)))
    return drf_exception_handler(exc, context)


def _parse_error_detail(detail: str) -> str:
    """DRF's parsers say "JSON parse error - Expecting value: line 1 column 1 (char 0)", in
    English whatever the language: say it in the request's language, with the position."""
    if not detail.startswith("JSON parse error"):
        return detail
    position = _JSON_POSITION.search(detail)
    if position is None:
        return _("The request body is not valid JSON.")
    return _("The request body is not valid JSON (line %(line)s, column %(column)s).") % {
        "line": position[1],
        "column": position[2],
    }


# Django's error views (handler400/403/404/500 in the root URLconf): a request under /api/ that
# never reached a DRF view (an unknown path, an error outside DRF) gets a JSON body of the same
# shape as DRF's errors, {"detail": "…"} in the request's language; the site keeps its pages.


def _is_api(request: HttpRequest) -> bool:
    return request.path_info.startswith(API_PREFIX)


def _api_error(error: type[exceptions.APIException], status: int) -> JsonResponse:
    return JsonResponse(
        {"detail": str(error.default_detail)},
        status=status,
        json_dumps_params={"ensure_ascii": False},  # as DRF's JSONRenderer writes it
    )


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(exceptions.ParseError, 400)
    return defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(exceptions.PermissionDenied, 403)
    return defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    if _is_api(request):
        return _api_error(exceptions.NotFound, 404)
    return defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    if _is_api(request):
        return _api_error(exceptions.APIException, 500)
    return defaults.server_error(request)


class VisibleSlugRelatedField(serializers.SlugRelatedField):
    """A related object referenced by its public_id, looked up only among what the user may use.

    The choices are `queryset.visible_to(user)` unless `scope(queryset, user)` narrows them, so
    naming an object the user may not see is the same 400 "does not exist" as a wrong id."""

    default_error_messages = {"invalid": serializers.UUIDField.default_error_messages["invalid"]}

    def __init__(self, *, scope=None, **kwargs):
        self.scope = scope
        kwargs.setdefault("slug_field", "public_id")
        super().__init__(**kwargs)

    def get_queryset(self):
        queryset = super().get_queryset()
        user = self.context["request"].user
        return self.scope(queryset, user) if self.scope else queryset.visible_to(user)

    def to_internal_value(self, data):
        try:
            return super().to_internal_value(data)
        except DjangoValidationError:  # not a UUID
            self.fail("invalid", value=data)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text="What went wrong, in the user's language.")


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Messages per field name; messages about the whole request (such as a rule of the "
        "service: duplicate enrollment, closed programme) under `non_field_errors`. A nested "
        "object or list gives an object: its messages per field, or per item index."
    ),
    # A list of nested objects answers {"needs": {"1": {"theme": [...]}}}: not only arrays.
    "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
}

# A body that cannot be read at all (malformed JSON, wrong encoding) gets DRF's {"detail": …}.
BAD_REQUEST = OpenApiResponse(
    {
        "anyOf": [
            VALIDATION_ERROR_SCHEMA,
            {
                "type": "object",
                "properties": {"detail": {"type": "string"}},
                "required": ["detail"],
            },
        ]
    },
    description="Invalid data, or a body that cannot be read.",
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer, description="Not logged in, or your role may not do this."
)
NOT_FOUND = OpenApiResponse(
    ErrorSerializer, description="No such object, or you may not see it (or no such page)."
)
TOO_MANY_REQUESTS = OpenApiResponse(ErrorSerializer, description="Too many attempts: wait.")


def _allow_empty(parameters: list[dict]) -> list[dict]:
    """django-filter and the paginator read an empty value (`?status=`, as an HTML form sends
    it) as no filter, the first page: the schema says so with `allowEmptyValue`."""
    return [
        {**parameter, "allowEmptyValue": True} if parameter.get("in") == "query" else parameter
        for parameter in parameters
    ]


class AutoSchema(openapi.AutoSchema):
    """Declares the error responses each operation can give, so clients and fuzzers know them:
    400 for writes and filtered lists, 403 wherever a login is required, 404 for an object
    address or a page number, 429 where a throttle applies.

    A serializer may name, in `Meta.omitted_for_some_readers`, fields it leaves out of the
    answer for some people: they are then not `required` in the response schema."""

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        omitted = getattr(getattr(serializer, "Meta", None), "omitted_for_some_readers", ())
        if omitted and schema.get("required"):
            schema["required"] = [name for name in schema["required"] if name not in omitted]
            if not schema["required"]:
                del schema["required"]
        return schema

    def _get_filter_parameters(self):
        return _allow_empty(super()._get_filter_parameters())

    def _get_pagination_parameters(self):
        return _allow_empty(super()._get_pagination_parameters())

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        errors = {}
        if self.method in {"POST", "PUT", "PATCH"} or (
            self._is_list_view() and self.get_filter_backends()
        ):
            errors["400"] = BAD_REQUEST
        if self.view.permission_classes:
            errors["403"] = FORBIDDEN
        if "{" in self.path or (self._is_list_view() and self._get_paginator()):
            errors["404"] = NOT_FOUND
        if self.view.get_throttles():
            errors["429"] = TOO_MANY_REQUESTS
        for code, response in errors.items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code, direction=direction)
        return responses
