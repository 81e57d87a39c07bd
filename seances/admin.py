from django.contrib import admin

from seances.models import (
    ActionItem,
    Appointment,
    Attendance,
    Availability,
    AvailabilityException,
    CalendarFeed,
    ClosingRecord,
    GroupSession,
    Registration,
    Seance,
    TutoringPair,
)


@admin.register(Availability)
class AvailabilityAdmin(admin.ModelAdmin):
    list_display = ["mentor", "offer", "weekday", "start_time", "end_time", "channel", "is_active"]
    list_filter = ["weekday", "channel", "is_active"]
    search_fields = ["mentor__email", "mentor__last_name", "offer__title"]
    autocomplete_fields = ["mentor", "offer"]
    list_select_related = ["mentor", "offer"]


@admin.register(AvailabilityException)
class AvailabilityExceptionAdmin(admin.ModelAdmin):
    list_display = ["mentor", "starts_at", "ends_at", "reason"]
    search_fields = ["mentor__email", "mentor__last_name", "reason"]
    autocomplete_fields = ["mentor"]
    list_select_related = ["mentor"]
    date_hierarchy = "starts_at"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ["beneficiary", "mentor", "offer", "starts_at", "status", "channel"]
    list_filter = ["status", "channel", "booked_on_behalf"]
    search_fields = ["beneficiary__name", "mentor__email", "mentor__last_name", "offer__title"]
    autocomplete_fields = ["offer", "mentor", "beneficiary", "booked_by", "cancelled_by"]
    readonly_fields = ["public_id", "sequence", "created_at", "updated_at"]
    list_select_related = ["beneficiary", "mentor", "offer"]
    date_hierarchy = "starts_at"


class RegistrationInline(admin.TabularInline):
    model = Registration
    extra = 0
    autocomplete_fields = ["beneficiary", "booked_by"]


@admin.register(GroupSession)
class GroupSessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "offer", "organiser", "starts_at", "capacity", "status"]
    list_filter = ["status", "channel"]
    search_fields = ["title", "offer__title", "organiser__email"]
    autocomplete_fields = ["offer", "organiser"]
    readonly_fields = ["public_id", "sequence", "created_at"]
    list_select_related = ["offer", "organiser"]
    date_hierarchy = "starts_at"
    inlines = [RegistrationInline]


@admin.register(CalendarFeed)
class CalendarFeedAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    search_fields = ["user__email"]
    readonly_fields = ["token", "created_at"]


# Séances (issue 5). Confidential notes, logbooks and practice-analysis content are not
# registered: they stay between the mentor and the beneficiary, superusers included.


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0
    autocomplete_fields = ["beneficiary"]


@admin.register(Seance)
class SeanceAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "offer", "mentor", "starts_at", "duration_minutes"]
    list_filter = ["kind", "channel"]
    search_fields = ["topic", "offer__title", "mentor__email"]
    autocomplete_fields = ["offer", "mentor"]
    raw_id_fields = ["appointment", "group_session", "tutoring_pair", "co_mentors"]
    readonly_fields = ["public_id", "created_at", "updated_at"]
    list_select_related = ["offer", "mentor"]
    date_hierarchy = "starts_at"
    inlines = [AttendanceInline]


@admin.register(ClosingRecord)
class ClosingRecordAdmin(admin.ModelAdmin):
    """Read-only: records are written and validated on the site, where the workflow holds."""

    list_display = ["__str__", "status", "version", "validated_at"]
    list_filter = ["status"]
    search_fields = ["beneficiary__name"]
    list_select_related = ["beneficiary", "seance"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ActionItem)
class ActionItemAdmin(admin.ModelAdmin):
    list_display = ["title", "beneficiary", "owner", "due_on", "status"]
    list_filter = ["status", "owner"]
    search_fields = ["title", "beneficiary__name"]
    autocomplete_fields = ["beneficiary"]
    raw_id_fields = ["seance"]
    list_select_related = ["beneficiary"]


@admin.register(TutoringPair)
class TutoringPairAdmin(admin.ModelAdmin):
    list_display = ["__str__", "offer", "started_on", "ended_on"]
    autocomplete_fields = ["offer", "tutor", "tutee"]
    list_select_related = ["offer", "tutor", "tutee"]
