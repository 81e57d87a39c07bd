from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    APPOINTMENT_CONFIRMED = "appointment_confirmed", _("Appointment confirmed")
    APPOINTMENT_RESCHEDULED = "appointment_rescheduled", _("Appointment rescheduled")
    APPOINTMENT_CANCELLED = "appointment_cancelled", _("Appointment cancelled")
    APPOINTMENT_REMINDER = "appointment_reminder", _("Appointment reminder")
    REGISTRATION_CONFIRMED = "registration_confirmed", _("Group session registration")
    GROUP_SESSION_REMINDER = "group_session_reminder", _("Group session reminder")
    GROUP_SESSION_CANCELLED = "group_session_cancelled", _("Group session cancelled")
    WAITLIST_PROMOTED = "waitlist_promoted", _("Place freed on the waiting list")
    CLOSING_RECORD_REMINDER = "closing_record_reminder", _("Closing record to write")
    CLOSING_REPORT = "closing_report", _("Closing report")
    EVALUATION_INVITATION = "evaluation_invitation", _("Evaluation invitation")
    OVERDUE_TASKS_DIGEST = "overdue_tasks_digest", _("Overdue tasks digest")
    REFERRAL_UNANSWERED = "referral_unanswered", _("Unanswered referral")
    SUPPORT_REQUEST_ACK = "support_request_ack", _("Support request acknowledged")
    SUPPORT_REQUEST_NEW = "support_request_new", _("New support request")
    CAMPAIGN_MESSAGE = "campaign_message", _("Information campaign")
    SHOWCASE_CONTACT = "showcase_contact", _("Contact request about a project")
    RETENTION_NOTICE = "retention_notice", _("Records soon anonymised")


# What a person needs to turn up (or not) and to receive their record: never muted.
# A waitlist promotion is the confirmation of a place, so it counts as a confirmation.
ESSENTIAL_KINDS = frozenset(
    {
        NotificationKind.APPOINTMENT_CONFIRMED,
        NotificationKind.APPOINTMENT_RESCHEDULED,
        NotificationKind.APPOINTMENT_CANCELLED,
        NotificationKind.APPOINTMENT_REMINDER,
        NotificationKind.REGISTRATION_CONFIRMED,
        NotificationKind.GROUP_SESSION_REMINDER,
        NotificationKind.GROUP_SESSION_CANCELLED,
        NotificationKind.WAITLIST_PROMOTED,
        NotificationKind.CLOSING_REPORT,
        NotificationKind.SUPPORT_REQUEST_ACK,
        # The coordinators' last chance to keep a record before it is anonymised for good.
        NotificationKind.RETENTION_NOTICE,
    }
)


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")


class NotificationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    CANCELLED = "cancelled", _("Cancelled")
    SKIPPED = "skipped", _("Skipped")
