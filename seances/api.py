"""API of the agenda: free slots, appointments, group sessions and their registrations.

The same visible_to querysets, permission helpers and services as the pages: a slot is booked,
cancelled or moved by seances.services.appointments, a seat taken or given up by
seances.services.groups, whatever the door."""

import datetime

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_filters.constants import EMPTY_VALUES
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.response import Response

from accounts.enums import Role
from accounts.rules import can
from beneficiaires.models import Beneficiary
from core.api import BAD_REQUEST, FORBIDDEN, NOT_FOUND, VisibleSlugRelatedField
from programmes.models import Offer
from seances.enums import ActorRole, AppointmentStatus, GroupSessionStatus, RegistrationStatus
from seances.models import Appointment, GroupSession, Registration
from seances.services import appointments as appointment_services
from seances.services import groups as group_services
from seances.slots import first_available, free_slots

# Longest range of dates one slots request may cover (the offer's horizon may be shorter).
MAX_SLOT_RANGE_DAYS = 62


def _name(user) -> str:
    return (user.get_full_name() or user.email) if user else ""


def offer_mentors_visible(queryset, user):
    """Mentors one may name: those of the offers `user` can see."""
    return queryset.filter(
        pk__in=Offer.mentors.through.objects.filter(
            offer__in=Offer.objects.visible_to(user)
        ).values("user_id")
    )


# --- Free slots -----------------------------------------------------------------------------


class SlotQuerySerializer(serializers.Serializer):
    offer = serializers.UUIDField(help_text="The offer (its id).")
    mentor = serializers.UUIDField(
        required=False, help_text="A mentor of the offer (their user id); all of them if left out."
    )
    start = serializers.DateField(help_text="First date (Paris), YYYY-MM-DD.")
    end = serializers.DateField(help_text="Last date (Paris), YYYY-MM-DD, included.")

    def validate(self, attrs):
        if attrs["end"] < attrs["start"]:
            raise serializers.ValidationError({"end": [_("The end comes before the start.")]})
        return attrs


class SlotSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    mentor = serializers.UUIDField(source="mentor.public_id", help_text="The mentor's user id.")
    mentor_name = serializers.SerializerMethodField()
    channel = serializers.CharField()
    location = serializers.CharField()

    def get_mentor_name(self, slot) -> str:
        return _name(slot.mentor)


@extend_schema_view(
    list=extend_schema(
        summary="Free slots of an offer",
        parameters=[SlotQuerySerializer],
        responses={200: SlotSerializer(many=True), 400: BAD_REQUEST, 404: NOT_FOUND},
    )
)
class SlotViewSet(viewsets.ViewSet):
    """The free appointment slots of an offer you can see, with one mentor or all of them
    (first available), computed as on the booking pages: availability, unavailabilities,
    booked time, minimum notice and horizon."""

    def list(self, request):
        query = SlotQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        params = query.validated_data
        offer = (
            Offer.objects.visible_to(request.user)
            .select_related("programme")
            .filter(public_id=params["offer"])
            .first()
        )
        if offer is None:
            raise NotFound
        days = (params["end"] - params["start"]).days + 1
        longest = min(offer.horizon_days, MAX_SLOT_RANGE_DAYS)
        if days > longest:
            raise serializers.ValidationError(
                {"end": [_("Ask for %(days)s days at most.") % {"days": longest}]}
            )
        if "mentor" in params:
            mentor = offer.mentors.filter(is_active=True, public_id=params["mentor"]).first()
            if mentor is None:
                raise serializers.ValidationError(
                    {"mentor": [_("This mentor does not take appointments for this offer.")]}
                )
            slots = free_slots(offer=offer, mentor=mentor, start=params["start"], end=params["end"])
        else:
            slots = first_available(offer=offer, start=params["start"], end=params["end"])
        return Response(SlotSerializer(slots, many=True).data)


# --- Appointments ---------------------------------------------------------------------------


class AppointmentSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    # The booking rules read the offer's programme.
    offer = VisibleSlugRelatedField(
        queryset=Offer.objects.select_related("programme"), help_text="The offer (its id)."
    )
    mentor = VisibleSlugRelatedField(
        queryset=get_user_model().objects.all(),
        scope=offer_mentors_visible,
        help_text="The mentor (their user id), a mentor of the offer.",
    )
    mentor_name = serializers.SerializerMethodField()
    beneficiary = VisibleSlugRelatedField(
        queryset=Beneficiary.objects.all(),
        required=False,
        help_text=(
            "The beneficiary (their id). Left out: yourself. Staff name the person they book for."
        ),
    )
    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)

    class Meta:
        model = Appointment
        fields = [
            "id",
            "offer",
            "mentor",
            "mentor_name",
            "beneficiary",
            "beneficiary_name",
            "starts_at",
            "ends_at",
            "status",
            "channel",
            "location",
            "reason",
            "booked_on_behalf",
            "cancelled_at",
            "cancelled_by_role",
            "cancel_reason",
            "created_at",
        ]
        read_only_fields = [
            "ends_at",
            "status",
            "channel",
            "location",
            "booked_on_behalf",
            "cancelled_at",
            "cancelled_by_role",
            "cancel_reason",
            "created_at",
        ]
        extra_kwargs = {
            "starts_at": {"help_text": "The start of a free slot (see /api/v1/slots/)."},
            "reason": {"required": False},
        }

    def get_mentor_name(self, appointment) -> str:
        return _name(appointment.mentor)


class AppointmentCancelSerializer(serializers.Serializer):
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        default="",
        help_text="Why (required when the team cancels).",
    )


class AppointmentRescheduleSerializer(serializers.Serializer):
    starts_at = serializers.DateTimeField(help_text="The start of another free slot.")


class AppointmentStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=[
            (value, label)
            for value, label in AppointmentStatus.choices
            if value in appointment_services.OUTCOME_STATUSES
        ]
    )


class LocalDayFilter(django_filters.DateFilter):
    """A date in the platform's time zone compared with a datetime column: from the first
    instant of that day ("gte") or up to its last ("lte"). The column is compared with two
    instants, so its index serves; `starts_at__date` converted every row to a date first."""

    def filter(self, qs, value):
        if value in EMPTY_VALUES:
            return qs
        zone = timezone.get_current_timezone()
        if self.lookup_expr == "gte":
            if value <= datetime.date.min + datetime.timedelta(days=1):
                return qs  # every row, and no instant before year 1 in UTC
            since = datetime.datetime.combine(value, datetime.time.min, tzinfo=zone)
            return qs.filter(**{f"{self.field_name}__gte": since})
        if value >= datetime.date.max:
            return qs
        until = datetime.datetime.combine(
            value + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone
        )
        return qs.filter(**{f"{self.field_name}__lt": until})


class AppointmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=AppointmentStatus.choices)
    mentor = django_filters.UUIDFilter(field_name="mentor__public_id")
    offer = django_filters.UUIDFilter(field_name="offer__public_id")
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    # The names "from" and "to" are Python keywords: declared below.

    class Meta:
        model = Appointment
        fields = ["status", "mentor", "offer", "beneficiary"]


AppointmentFilter.base_filters["from"] = LocalDayFilter(
    field_name="starts_at", lookup_expr="gte", label="From this date (YYYY-MM-DD)"
)
AppointmentFilter.base_filters["to"] = LocalDayFilter(
    field_name="starts_at", lookup_expr="lte", label="Until this date (YYYY-MM-DD)"
)


@extend_schema_view(
    list=extend_schema(summary="List the appointments you can see"),
    retrieve=extend_schema(summary="An appointment"),
    create=extend_schema(summary="Book a free slot"),
    cancel=extend_schema(
        summary="Cancel an appointment",
        request=AppointmentCancelSerializer,
        responses={200: AppointmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    reschedule=extend_schema(
        summary="Move an appointment to another free slot",
        request=AppointmentRescheduleSerializer,
        responses={200: AppointmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
    set_status=extend_schema(
        summary="Record the outcome of an appointment",
        request=AppointmentStatusSerializer,
        responses={200: AppointmentSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class AppointmentViewSet(
    mixins.CreateModelMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Individual appointments: a beneficiary sees their own, a mentor theirs, coordinators
    those of their structures' programmes. Booking, cancelling, rescheduling and recording the
    outcome go through the pages' services, with the offer's rules."""

    serializer_class = AppointmentSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = AppointmentFilter

    def get_queryset(self):
        return (
            Appointment.objects.visible_to(self.request.user)
            .select_related("offer__programme", "mentor", "beneficiary")
            .order_by("starts_at", "pk")
        )

    def _answer(self, appointment, code=status.HTTP_200_OK):
        appointment = self.get_queryset().get(pk=appointment.pk)
        return Response(self.get_serializer(appointment).data, status=code)

    def create(self, request, *args, **kwargs):
        user = request.user
        if not can(user, "appointment.book"):
            raise PermissionDenied
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        beneficiary = data.get("beneficiary") or getattr(user, "beneficiary_profile", None)
        if beneficiary is None:
            raise serializers.ValidationError(
                {"beneficiary": [serializers.Field.default_error_messages["required"]]}
            )
        appointment = appointment_services.appointment_book(
            offer=data["offer"],
            mentor=data["mentor"],
            beneficiary=beneficiary,
            starts_at=data["starts_at"],
            reason=data.get("reason", ""),
            acting_user=user,
            on_behalf=beneficiary.user_id is None or beneficiary.user_id != user.pk,
        )
        # The new row with what the serializer reads (offer, mentor, beneficiary) is at hand:
        # no second read. (A referent mentor booking with another mentor does not see it in
        # the list afterwards, but gets the booking they made.)
        return Response(self.get_serializer(appointment).data, status=status.HTTP_201_CREATED)

    def _acting_on(self):
        """The appointment and the role in which the user acts on it (403 without one)."""
        appointment = self.get_object()
        role = appointment_services.actor_role(self.request.user, appointment)
        if role is None:
            raise PermissionDenied
        return appointment, role

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        appointment, _role = self._acting_on()
        body = AppointmentCancelSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = appointment_services.appointment_cancel(
            appointment=appointment, acting_user=request.user, reason=body.validated_data["reason"]
        )
        # The service's locked row comes with the offer, the mentor and the beneficiary.
        return Response(self.get_serializer(appointment).data)

    @action(detail=True, methods=["post"])
    def reschedule(self, request, *args, **kwargs):
        appointment, _role = self._acting_on()
        body = AppointmentRescheduleSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = appointment_services.appointment_reschedule(
            appointment=appointment,
            starts_at=body.validated_data["starts_at"],
            acting_user=request.user,
        )
        return self._answer(appointment)

    @action(detail=True, methods=["post"], url_path="status", url_name="status")
    def set_status(self, request, *args, **kwargs):
        appointment, role = self._acting_on()
        if role not in (ActorRole.MENTOR, ActorRole.COORDINATOR):
            raise PermissionDenied
        body = AppointmentStatusSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        appointment = appointment_services.appointment_set_status(
            appointment=appointment, status=body.validated_data["status"], acting_user=request.user
        )
        return self._answer(appointment)


# --- Group sessions and registrations -------------------------------------------------------


class GroupSessionSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    offer = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text="The offer (its id)."
    )
    organiser = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text="The organiser (their user id)."
    )
    organiser_name = serializers.SerializerMethodField()
    seats_taken = serializers.IntegerField(read_only=True, help_text="Seats held.")
    waitlist_count = serializers.IntegerField(read_only=True, help_text="People on the waitlist.")

    class Meta:
        model = GroupSession
        fields = [
            "id",
            "offer",
            "title",
            "organiser",
            "organiser_name",
            "starts_at",
            "ends_at",
            "capacity",
            "seats_taken",
            "waitlist_count",
            "channel",
            "location",
            "status",
        ]
        read_only_fields = fields

    def get_organiser_name(self, session) -> str:
        return _name(session.organiser)


class RegistrationSerializer(serializers.ModelSerializer):
    id = serializers.UUIDField(source="public_id", read_only=True)
    session = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text="The group session (its id)."
    )
    beneficiary = serializers.SlugRelatedField(
        slug_field="public_id", read_only=True, help_text="The beneficiary (their id)."
    )
    beneficiary_name = serializers.CharField(source="beneficiary.name", read_only=True)

    class Meta:
        model = Registration
        fields = [
            "id",
            "session",
            "beneficiary",
            "beneficiary_name",
            "status",
            "registered_at",
            "promoted_at",
            "cancelled_at",
        ]
        read_only_fields = fields


class RegisterSerializer(serializers.Serializer):
    beneficiary = VisibleSlugRelatedField(
        queryset=Beneficiary.objects.all(),
        required=False,
        help_text=("Who to register (their id), for whoever runs the session. Left out: yourself."),
    )


class GroupSessionFilter(django_filters.FilterSet):
    offer = django_filters.UUIDFilter(field_name="offer__public_id")
    status = django_filters.ChoiceFilter(choices=GroupSessionStatus.choices)

    class Meta:
        model = GroupSession
        fields = ["offer", "status"]


GroupSessionFilter.base_filters["from"] = LocalDayFilter(
    field_name="starts_at", lookup_expr="gte", label="From this date (YYYY-MM-DD)"
)
GroupSessionFilter.base_filters["to"] = LocalDayFilter(
    field_name="starts_at", lookup_expr="lte", label="Until this date (YYYY-MM-DD)"
)


@extend_schema_view(
    list=extend_schema(summary="List the group sessions you can see"),
    retrieve=extend_schema(summary="A group session, with its seats and waitlist"),
    register=extend_schema(
        summary="Register for a group session (a seat, or the waitlist when full)",
        request=RegisterSerializer,
        responses={
            201: RegistrationSerializer,
            400: BAD_REQUEST,
            403: FORBIDDEN,
            404: NOT_FOUND,
        },
    ),
)
class GroupSessionViewSet(viewsets.ReadOnlyModelViewSet):
    """Sessions of the group offers you can see. A beneficiary registers themselves (enrolled
    in the offer, or with an offer open to anyone with the link); whoever runs the session
    registers people on their behalf."""

    serializer_class = GroupSessionSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = GroupSessionFilter

    def get_queryset(self):
        return (
            GroupSession.objects.visible_to(self.request.user)
            .select_related("offer", "organiser")
            .annotate(
                seats_taken=Count(
                    "registrations",
                    filter=Q(registrations__status__in=group_services.SEAT_STATUSES),
                ),
                waitlist_count=Count(
                    "registrations",
                    filter=Q(registrations__status=RegistrationStatus.WAITLISTED),
                ),
            )
            .order_by("starts_at", "pk")
        )

    @action(detail=True, methods=["post"])
    def register(self, request, *args, **kwargs):
        session = self.get_object()
        user = request.user
        body = RegisterSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        beneficiary = body.validated_data.get("beneficiary")
        profile = getattr(user, "beneficiary_profile", None)
        if beneficiary is None:
            beneficiary = profile
            if beneficiary is None:
                raise PermissionDenied
        elif beneficiary != profile and not group_services.can_manage_group_session(user, session):
            raise PermissionDenied
        registration = group_services.registration_create(
            session=session, beneficiary=beneficiary, acting_user=user
        )
        registration = visible_registrations(user).get(pk=registration.pk)
        return Response(RegistrationSerializer(registration).data, status=status.HTTP_201_CREATED)


def visible_registrations(user):
    """A beneficiary's own registrations; for the team, those of the sessions they run
    (organiser, mentor of the offer, coordinator of the structure); everything for an
    administrator."""
    queryset = Registration.objects.select_related("session", "beneficiary")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    runs = (
        Q(session__organiser=user)
        | Q(
            session__offer__programme__organization_id__in=user.organization_ids_with_role(
                Role.COORDINATOR
            )
        )
        | Q(session__offer__in=Offer.objects.filter(mentors=user).values("pk"))
    )
    return queryset.filter(session__in=GroupSession.objects.visible_to(user)).filter(
        Q(beneficiary__user=user) | runs
    )


class RegistrationFilter(django_filters.FilterSet):
    session = django_filters.UUIDFilter(field_name="session__public_id")
    beneficiary = django_filters.UUIDFilter(field_name="beneficiary__public_id")
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)

    class Meta:
        model = Registration
        fields = ["session", "beneficiary", "status"]


@extend_schema_view(
    list=extend_schema(summary="List the registrations you can see"),
    retrieve=extend_schema(summary="A registration"),
    cancel=extend_schema(
        summary="Cancel a registration (the first person waiting takes the seat)",
        request=None,
        responses={200: RegistrationSerializer, 400: BAD_REQUEST, 403: FORBIDDEN, 404: NOT_FOUND},
    ),
)
class RegistrationViewSet(viewsets.ReadOnlyModelViewSet):
    """Registrations to group sessions: a beneficiary's own, and those of the sessions a
    member of the team runs."""

    serializer_class = RegistrationSerializer
    lookup_field = "public_id"
    lookup_url_kwarg = "id"
    filterset_class = RegistrationFilter

    def get_queryset(self):
        return visible_registrations(self.request.user).order_by(
            "session__starts_at", "registered_at", "pk"
        )

    @action(detail=True, methods=["post"])
    def cancel(self, request, *args, **kwargs):
        registration = self.get_object()
        registration = group_services.registration_cancel(
            registration=registration, acting_user=request.user
        )
        registration = self.get_queryset().get(pk=registration.pk)
        return Response(self.get_serializer(registration).data)
