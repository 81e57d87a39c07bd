"""The seances app's models: the agenda (issue 4) and the work done in séances (issue 5)."""

from seances.models.agenda import (
    Appointment,
    Availability,
    AvailabilityException,
    CalendarFeed,
    GroupSession,
    Registration,
    new_feed_token,
)
from seances.models.work import (
    ActionItem,
    Attendance,
    ClosingRecord,
    ClosingRecordComment,
    CodevStep,
    ConfidentialNote,
    GoalReview,
    HotlineCall,
    LearningGoal,
    LogbookEntry,
    PracticeObservation,
    Seance,
    TutoringPair,
)

__all__ = [
    "ActionItem",
    "Appointment",
    "Attendance",
    "Availability",
    "AvailabilityException",
    "CalendarFeed",
    "ClosingRecord",
    "ClosingRecordComment",
    "CodevStep",
    "ConfidentialNote",
    "GoalReview",
    "GroupSession",
    "HotlineCall",
    "LearningGoal",
    "LogbookEntry",
    "PracticeObservation",
    "Registration",
    "Seance",
    "TutoringPair",
    "new_feed_token",
]
