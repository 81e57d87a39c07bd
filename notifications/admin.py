from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import Notification, NotificationPreference
from notifications.services import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = [
        "scheduled_for",
        "kind",
        "channel",
        "to_address",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
    ]
    list_filter = ["status", "kind", "channel"]
    search_fields = ["to_address", "object_id", "subject"]
    date_hierarchy = "scheduled_for"
    list_select_related = ["recipient"]
    actions = ["resend"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Resend the failed notifications"), permissions=["view"])
    def resend(self, request, queryset):
        count = sum(notification_resend(notification=notification) for notification in queryset)
        self.message_user(
            request,
            ngettext(
                "%(count)d notification put back in the queue.",
                "%(count)d notifications put back in the queue.",
                count,
            )
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(admin.ModelAdmin):
    list_display = ["user", "email_enabled", "sms_enabled"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]
