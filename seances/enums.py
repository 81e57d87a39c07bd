from django.db import models
from django.utils.translation import gettext_lazy as _


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Channel(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("Phone")
    VIDEO = "video", _("Video")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")
    NO_SHOW = "no_show", _("No-show")


# An appointment holds the mentor's time unless it was cancelled.
TIME_HOLDING_STATUSES = (
    AppointmentStatus.BOOKED,
    AppointmentStatus.ATTENDED,
    AppointmentStatus.EXCUSED,
    AppointmentStatus.NO_SHOW,
)


class ActorRole(models.TextChoices):
    BENEFICIARY = "beneficiary", _("Beneficiary")
    MENTOR = "mentor", _("Mentor")
    COORDINATOR = "coordinator", _("Coordinator")


class GroupSessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    EXCUSED = "excused", _("Excused")
    NO_SHOW = "no_show", _("No-show")


# A registration that is still in play for the session (a seat or a place in line).
ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED)


# --- Séances: what took place (issue 5) -------------------------------------------------


class SeanceKind(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual séance")
    GROUP = "group", _("Group session")
    HOTLINE = "hotline", _("Hotline call")
    PRACTICE_ANALYSIS = "practice_analysis", _("Practice analysis")
    TUTORING = "tutoring", _("Tutoring meeting")
    CODEVELOPMENT = "codevelopment", _("Co-development séance")


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", _("Present")
    EXCUSED = "excused", _("Excused")
    ABSENT = "absent", _("Absent")


class ParticipantRole(models.TextChoices):
    PARTICIPANT = "participant", _("Participant")
    CLIENT = "client", _("Client")
    CONSULTANT = "consultant", _("Consultant")
    OBSERVED = "observed", _("Observed person")
    TUTEE = "tutee", _("Tutee")


class RecordStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    VALIDATED = "validated", _("Validated")


class ExpectationsMet(models.TextChoices):
    YES = "yes", _("Yes")
    PARTLY = "partly", _("Partly")
    NO = "no", _("No")


class ExchangeChannel(models.TextChoices):
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    IN_PERSON = "in_person", _("Face to face")
    SHARED_DOCUMENTS = "shared_documents", _("Shared documents")


class ExchangeFrequency(models.TextChoices):
    WEEKLY = "weekly", _("Every week")
    FORTNIGHTLY = "fortnightly", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")
    QUARTERLY = "quarterly", _("Every three months")
    AS_NEEDED = "as_needed", _("As needed")


class CommentKind(models.TextChoices):
    SYNTHESIS = "synthesis", _("Synthesis")
    COMMENT = "comment", _("Comment")


class TaskStatus(models.TextChoices):
    TODO = "todo", _("To do")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    DROPPED = "dropped", _("Dropped")


OPEN_TASK_STATUSES = (TaskStatus.TODO, TaskStatus.IN_PROGRESS)


class TaskOwner(models.TextChoices):
    BENEFICIARY = "beneficiary", _("The beneficiary")
    MENTOR = "mentor", _("The mentor")
    BOTH = "both", _("Both")
    OTHER = "other", _("Someone else")


class CodevStepNumber(models.IntegerChoices):
    PRESENTATION = 1, _("Presentation of the situation")
    CLARIFICATION = 2, _("Clarification")
    CONTRACT = 3, _("Needs and contract")
    CONSULTATION = 4, _("Consultation")
    SYNTHESIS = 5, _("Synthesis and action plan")
    LEARNINGS = 6, _("Learnings and feedback")


# Suggested length of each co-development step, in minutes (a 2-hour séance).
CODEV_STEP_MINUTES = {1: 15, 2: 20, 3: 10, 4: 40, 5: 15, 6: 20}


class GoalStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    REACHED = "reached", _("Reached")


# How attendance and the agenda's outcomes match, both ways (séances ↔ appointments and
# group registrations): whichever side records it, the other follows.
ATTENDANCE_FROM_APPOINTMENT = {
    AppointmentStatus.BOOKED: AttendanceStatus.PRESENT,
    AppointmentStatus.ATTENDED: AttendanceStatus.PRESENT,
    AppointmentStatus.EXCUSED: AttendanceStatus.EXCUSED,
    AppointmentStatus.NO_SHOW: AttendanceStatus.ABSENT,
}
APPOINTMENT_FROM_ATTENDANCE = {
    AttendanceStatus.PRESENT: AppointmentStatus.ATTENDED,
    AttendanceStatus.EXCUSED: AppointmentStatus.EXCUSED,
    AttendanceStatus.ABSENT: AppointmentStatus.NO_SHOW,
}
ATTENDANCE_FROM_REGISTRATION = {
    RegistrationStatus.REGISTERED: AttendanceStatus.PRESENT,
    RegistrationStatus.ATTENDED: AttendanceStatus.PRESENT,
    RegistrationStatus.EXCUSED: AttendanceStatus.EXCUSED,
    RegistrationStatus.NO_SHOW: AttendanceStatus.ABSENT,
}
REGISTRATION_FROM_ATTENDANCE = {
    AttendanceStatus.PRESENT: RegistrationStatus.ATTENDED,
    AttendanceStatus.EXCUSED: RegistrationStatus.EXCUSED,
    AttendanceStatus.ABSENT: RegistrationStatus.NO_SHOW,
}
