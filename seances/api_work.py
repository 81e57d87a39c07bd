"""API of what took place: séances, closing records (and their PDF report), action-plan tasks
and logbook entries.

The same visible_to querysets and services as the pages. Confidential notes have no door
here: they are read only on the séance page, where each read is journaled."""

import django_filters
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts.rules import can
from audit.models import AuditAction
from audit.services import audit_reads, audit_record
from core.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, VisibleSlugRelatedField
from seances.enums import CommentKind, ExchangeChannel, RecordStatus, SeanceKind, TaskStatus
from seances.models import (
    ActionItem,
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    LogbookEntry,
    Seance,
)
from seances.services import closing as closing_services
from seances.services import logbook as logbook_services
from seances.services import tasks as task_services


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


# --- Séances --------------------------------------------------------------------------------


class AttendanceSerializer(serializers.ModelSerializer):
    beneficiary = serializers.UUIDField(source="beneficiary.public_id", read_only=True)
    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["beneficiary", "beneficiary_name", "status", "role"]


class SeanceSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    offer = serializers.UUIDField(source="offer.public_id", read_only=True)
    offer_title = serializers.CharField(source="offer.title", read_only=True)
    programme = serializers.UUIDField(source="offer.programme.public_id", read_only=True)
    mentor_name = serializers.SerializerMethodField()
    appointment = serializers.UUIDField(
        source="appointment.public_id", read_only=True, allow_null=True
    )
    group_session = serializers.UUIDField(
        source="group_session.public_id", read_only=True, allow_null=True
    )
    attendances = AttendanceSerializer(many=True, read_only=True)

    class Meta:
        model = Seance
        fields = [
            "id",
            "kind",
            "offer",
            "offer_title",
            "programme",
            "mentor_name",
            "appointment",
            "group_session",
            "starts_at",
            "duration_minutes",
            "channel",
            "topic",
            "codev_step",
            "attendances",
        ]

    def get_mentor_name(self, seance) -> str:
        return _name(seance.mentor)


class SeanceFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=SeanceKind.choices)
    offer = django_filters.UUIDFilter(field_name="offer__public_id")
    after = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__gte")
    before = django_filters.DateFilter(field_name="starts_at", lookup_expr="date__lte")

    class Meta:
        model = Seance
        fields = ["kind", "offer", "after", "before"]


class SeanceViewSet(viewsets.ReadOnlyModelViewSet):
    """Séances you led, took part in, or that belong to the programmes you run."""

    serializer_class = SeanceSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = SeanceFilter

    def get_queryset(self):
        user = self.request.user
        if not user.is_authenticated:  # the schema generator's anonymous request
            return Seance.objects.none()
        attendances = Attendance.objects.select_related("beneficiary")
        if not can(user, "seance.show_names"):
            # A participant sees their own line, as on the séance's page: not who else came.
            attendances = attendances.filter(beneficiary__user=user)
        return (
            Seance.objects.visible_to(user)
            .select_related("offer__programme", "mentor", "appointment", "group_session")
            .prefetch_related(Prefetch("attendances", queryset=attendances))
            .order_by("-starts_at", "-pk")
        )


# --- Closing records --------------------------------------------------------------------------


class RecordCommentSerializer(serializers.ModelSerializer):
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = ClosingRecordComment
        fields = ["kind", "body", "author_name", "created_at"]
        read_only_fields = ["author_name", "created_at"]
        extra_kwargs = {"kind": {"required": False}}

    def get_author_name(self, comment) -> str:
        return _name(comment.author)


class ClosingRecordSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    seance = serializers.UUIDField(source="seance.public_id", read_only=True)
    beneficiary = serializers.UUIDField(source="beneficiary.public_id", read_only=True)
    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)
    previous = serializers.UUIDField(source="previous.public_id", read_only=True, allow_null=True)
    next_channels = serializers.ListField(
        child=serializers.ChoiceField(choices=ExchangeChannel.choices), required=False
    )
    comments = RecordCommentSerializer(many=True, read_only=True)

    class Meta:
        model = ClosingRecord
        fields = [
            "id",
            "seance",
            "beneficiary",
            "beneficiary_name",
            "version",
            "status",
            "previous",
            "correction_reason",
            "expectations",
            "expectations_met",
            "content",
            "next_step",
            "means_and_resources",
            "future_needs",
            "mentor_can_help_with",
            "relay_consent",
            "next_frequency",
            "next_date",
            "next_channels",
            "beneficiary_commitments",
            "mentor_commitments",
            "misunderstandings",
            "validated_at",
            "read_by_beneficiary_at",
            "comments",
        ]
        read_only_fields = [
            "version",
            "status",
            "correction_reason",
            "validated_at",
            "read_by_beneficiary_at",
        ]


class ClosingRecordFilter(django_filters.FilterSet):
    seance = django_filters.UUIDFilter(field_name="seance__public_id")
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    status = django_filters.ChoiceFilter(choices=RecordStatus.choices)

    class Meta:
        model = ClosingRecord
        fields = ["seance", "beneficiary", "status"]


PDF_RESPONSE = OpenApiResponse(OpenApiTypes.BINARY, description="The report, application/pdf.")


@extend_schema_view(
    partial_update=extend_schema(
        summary="Change a draft closing record",
        responses={200: ClosingRecordSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    ),
)
class ClosingRecordViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Closing records: the séance's mentor writes and validates them; the beneficiary reads
    their validated records and adds their synthesis and comments; coordinators read. A
    validated record is frozen: a correction is a new version (on the site)."""

    serializer_class = ClosingRecordSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = ClosingRecordFilter
    http_method_names = ["get", "patch", "post", "head", "options"]

    def get_queryset(self):
        return (
            ClosingRecord.objects.visible_to(self.request.user)
            .select_related("seance__offer__programme", "beneficiary", "previous")
            .prefetch_related("comments__author")
            .order_by("-seance__starts_at", "beneficiary_id", "-version")
        )

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        records = page if page is not None else list(queryset)
        self._journal_reads(records)
        data = self.get_serializer(records, many=True).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        self._journal_reads([record])
        return Response(self.get_serializer(record).data)

    def _journal_reads(self, records) -> None:
        """The journal keeps who read a closing record, as on its page; not the person's own
        reads."""
        user = self.request.user
        audit_reads(
            actor=user,
            reads=[
                (record, record.seance.offer.programme.organization_id)
                for record in records
                if not closing_services.is_record_beneficiary(user, record)
            ],
            summary=lambda record: (
                _("closing record read through the API (version %(version)s)")
                % {"version": record.version}
            ),
        )

    def perform_update(self, serializer):
        closing_services.record_update(
            record=serializer.instance,
            acting_user=self.request.user,
            **serializer.validated_data,
        )

    def update(self, request, *args, **kwargs):
        kwargs["partial"] = True
        super().update(request, *args, **kwargs)
        record = self.get_queryset().get(pk=self.get_object().pk)
        return Response(self.get_serializer(record).data)

    @extend_schema(
        summary="Validate a draft: freeze it and share it with the beneficiary",
        request=None,
        responses={200: ClosingRecordSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def validate(self, request, *args, **kwargs):
        record = closing_services.record_validate(
            record=self.get_object(), acting_user=request.user
        )
        return Response(self.get_serializer(self.get_queryset().get(pk=record.pk)).data)

    @extend_schema(
        summary="Add the beneficiary's synthesis or a comment to a validated record",
        request=RecordCommentSerializer,
        responses={201: RecordCommentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN},
    )
    @action(detail=True, methods=["post"])
    def comments(self, request, *args, **kwargs):
        # The record first: who may not see it gets 404, who may not comment 403, before
        # the body is read (a 400 would tell a stranger that the record exists).
        record = self.get_object()
        if not closing_services.can_comment_record(request.user, record):
            raise PermissionDenied
        body = RecordCommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        comment = closing_services.record_comment_add(
            record=record,
            author=request.user,
            kind=body.validated_data.get("kind", CommentKind.COMMENT),
            body=body.validated_data["body"],
        )
        return Response(RecordCommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The session-closing report (PDF) of a validated record",
        responses={200: PDF_RESPONSE, 404: NOT_FOUND},
    )
    @action(detail=True, methods=["get"])
    def pdf(self, request, *args, **kwargs):
        from seances.documents import render_closing_report_pdf

        record = self.get_object()
        if not record.is_validated:
            raise NotFound(_("A draft has no report yet."))
        audit_record(
            actor=request.user,
            action=AuditAction.DOWNLOAD,
            obj=record,
            summary=_("closing report downloaded through the API (version %(version)s)")
            % {"version": record.version},
            organization_id=record.seance.offer.programme.organization_id,
        )
        response = HttpResponse(render_closing_report_pdf(record), content_type="application/pdf")
        response["Content-Disposition"] = (
            f'attachment; filename="compte-rendu-{record.public_id}-v{record.version}.pdf"'
        )
        return response


# --- Action plan ------------------------------------------------------------------------------


class ActionItemSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    beneficiary = serializers.UUIDField(source="beneficiary.public_id", read_only=True)
    seance = serializers.UUIDField(source="seance.public_id", read_only=True, allow_null=True)
    is_overdue = serializers.SerializerMethodField()

    class Meta:
        model = ActionItem
        fields = [
            "id",
            "beneficiary",
            "seance",
            "title",
            "owner",
            "owner_detail",
            "due_on",
            "status",
            "status_changed_at",
            "is_overdue",
            "created_at",
        ]
        read_only_fields = [f for f in fields if f != "status"]

    def get_is_overdue(self, task) -> bool:
        from django.utils import timezone

        return bool(task.is_open and task.due_on and task.due_on < timezone.localdate())


class ActionItemFilter(django_filters.FilterSet):
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    status = django_filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = ActionItem
        fields = ["beneficiary", "status"]


class ActionItemViewSet(
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Action-plan tasks. The beneficiary, or a mentor who follows them, changes a task's
    status (PATCH with `status`); coordinators read."""

    serializer_class = ActionItemSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = ActionItemFilter
    http_method_names = ["get", "patch", "head", "options"]

    def get_queryset(self):
        return (
            ActionItem.objects.visible_to(self.request.user)
            .select_related("beneficiary", "seance")
            .order_by("due_on", "created_at", "pk")
        )

    def update(self, request, *args, **kwargs):
        task = self.get_object()
        body = self.get_serializer(task, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        if "status" in body.validated_data:
            task = task_services.task_set_status(
                task=task, status=body.validated_data["status"], acting_user=request.user
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=task.pk)).data)


# --- Logbook ----------------------------------------------------------------------------------

LOGBOOK_TEXT_FIELDS = ("title", "learnings", "feelings", "progress")


class LogbookEntrySerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    seance = VisibleSlugRelatedField(
        queryset=Seance.objects.all(),
        required=False,
        allow_null=True,
        help_text="The séance the entry is about (its id), one you took part in.",
    )
    author_name = serializers.SerializerMethodField()

    class Meta:
        model = LogbookEntry
        fields = [
            "id",
            "seance",
            "title",
            "learnings",
            "feelings",
            "progress",
            "shared_with_mentor",
            "shared_at",
            "author_name",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["shared_at", "author_name", "created_at", "updated_at"]

    def get_author_name(self, entry) -> str:
        return _name(entry.author)

    def validate(self, attrs):
        instance = self.instance
        texts = [
            attrs.get(name, getattr(instance, name, "") if instance else "")
            for name in ("learnings", "feelings", "progress")
        ]
        if not any((text or "").strip() for text in texts):
            raise serializers.ValidationError(
                {"learnings": [_("Write at least your learnings, feelings or progress.")]}
            )
        return attrs


class LogbookEntryViewSet(viewsets.ModelViewSet):
    """Your logbook (carnet de bord): private by default; an entry you share is visible to
    the mentor who follows you. Mentors list the entries shared with them."""

    serializer_class = LogbookEntrySerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            LogbookEntry.objects.visible_to(self.request.user)
            .select_related("author", "seance")
            .order_by("-created_at", "-pk")
        )

    def create(self, request, *args, **kwargs):
        # Only a participant keeps a logbook: other roles get 403 before the body is read.
        if logbook_services.author_profile(request.user) is None:
            raise PermissionDenied
        return super().create(request, *args, **kwargs)

    def perform_create(self, serializer):
        serializer.instance = logbook_services.logbook_entry_create(
            author=self.request.user, **serializer.validated_data
        )

    def update(self, request, *args, **kwargs):
        entry = self.get_object()
        # The mentor reads a shared entry; only its author changes it (even with an empty body).
        if entry.author_id != request.user.pk:
            raise PermissionDenied
        body = self.get_serializer(entry, data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        shared = data.pop("shared_with_mentor", None)
        data.pop("seance", None)  # an entry stays about the séance it was written for
        if data:
            texts = {name: getattr(entry, name) for name in LOGBOOK_TEXT_FIELDS}
            entry = logbook_services.logbook_entry_update(
                entry=entry, acting_user=request.user, **(texts | data)
            )
        if shared is not None and shared != entry.shared_with_mentor:
            entry = logbook_services.logbook_entry_share(
                entry=entry, shared=shared, acting_user=request.user
            )
        return Response(self.get_serializer(self.get_queryset().get(pk=entry.pk)).data)

    def perform_destroy(self, instance):
        logbook_services.logbook_entry_delete(entry=instance, acting_user=self.request.user)
