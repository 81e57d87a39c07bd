from django.contrib import admin

from seances.models import (
    Appointment,
    Availability,
    AvailabilityException,
    CalendarFeed,
    GroupSession,
    Registration,
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
