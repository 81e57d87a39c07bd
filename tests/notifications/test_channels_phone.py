"""A beneficiary whose phone is only on their record still gets text messages."""

from notifications.enums import Channel, NotificationKind
from notifications.services import channels_for


def test_the_beneficiary_records_phone_is_a_text_message_address(beneficiary):
    user = beneficiary.user
    user.email, user.phone = "", ""
    user.save(update_fields=["email", "phone"])
    beneficiary.phone = "06 12 34 56 78"
    beneficiary.save(update_fields=["phone"])

    assert channels_for(user, kind=NotificationKind.APPOINTMENT_REMINDER) == [
        (Channel.SMS, "06 12 34 56 78")
    ]
