"""Writes on the agenda, one module per area:

- appointments: book, cancel, reschedule, mark attendance of individual appointments;
- availability: mentors' weekly availability and unavailabilities;
- groups: group sessions, registrations, waitlist promotion, cancellation by the organiser.
"""
