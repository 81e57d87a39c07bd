"""People choose their channels and the optional messages they receive; essential ones stay."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from notifications.enums import ESSENTIAL_KINDS, Channel, NotificationKind
from notifications.models import NotificationPreference
from notifications.services import channels_for, preference_update

OPTIONAL = sorted(value for value in NotificationKind.values if value not in ESSENTIAL_KINDS)


def test_page_lists_essential_kinds_as_always_sent_and_no_sms_without_phone(client, mentor):
    client.force_login(mentor)

    response = client.get(reverse("notifications:preferences"))

    assert response.status_code == 200
    form = response.context["form"]
    assert "sms_enabled" not in form.fields
    assert set(dict(form.fields["received_kinds"].choices)) == set(OPTIONAL)
    content = response.content.decode()
    assert content.count("disabled") >= len(ESSENTIAL_KINDS)
    assert mentor.email not in content  # the address is shown masked


def test_beneficiary_with_a_phone_on_their_record_is_offered_sms(client, beneficiary):
    beneficiary.phone = "06 12 34 56 78"
    beneficiary.save(update_fields=["phone"])
    client.force_login(beneficiary.user)

    response = client.get(reverse("notifications:preferences"))

    assert "sms_enabled" in response.context["form"].fields
    assert "78" in response.content.decode()
    assert "06 12 34 56 78" not in response.content.decode()


def test_saving_channels_and_opting_out(client, mentor):
    mentor.phone = "0612345678"
    mentor.save(update_fields=["phone"])
    client.force_login(mentor)
    keep = NotificationKind.CLOSING_RECORD_REMINDER

    response = client.post(
        reverse("notifications:preferences"), {"sms_enabled": "on", "received_kinds": [keep]}
    )

    assert response.status_code == 302
    preference = NotificationPreference.objects.get(user=mentor)
    assert preference.email_enabled is False
    assert preference.sms_enabled is True
    assert sorted(preference.muted_kinds) == [kind for kind in OPTIONAL if kind != keep]
    assert channels_for(mentor, kind=keep) == [(Channel.SMS, "0612345678")]
    follow = client.get(response.url)
    assert list(follow.context["messages"])


def test_turning_off_every_channel_is_refused(client, mentor):
    client.force_login(mentor)

    response = client.post(reverse("notifications:preferences"), {"received_kinds": OPTIONAL})

    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not NotificationPreference.objects.filter(user=mentor).exists()


def test_without_phone_the_stored_sms_choice_is_kept(client, mentor):
    NotificationPreference.objects.create(user=mentor, sms_enabled=False)
    client.force_login(mentor)

    client.post(reverse("notifications:preferences"), {"email_enabled": "on", "sms_enabled": "on"})

    preference = NotificationPreference.objects.get(user=mentor)
    assert preference.sms_enabled is False
    assert preference.muted_kinds == OPTIONAL


def test_forged_post_cannot_mute_an_essential_kind(client, mentor):
    client.force_login(mentor)
    essential = NotificationKind.APPOINTMENT_REMINDER

    response = client.post(
        reverse("notifications:preferences"),
        {
            "email_enabled": "on",
            "received_kinds": [essential],
            "muted_kinds": [essential],
        },
    )

    assert response.status_code == 200
    assert response.context["form"].errors["received_kinds"]
    assert not NotificationPreference.objects.filter(user=mentor).exists()

    # Nothing posted for the kinds: every optional kind muted, every essential still sent.
    client.post(
        reverse("notifications:preferences"), {"email_enabled": "on", "muted_kinds": [essential]}
    )
    preference = NotificationPreference.objects.get(user=mentor)
    assert not set(preference.muted_kinds) & ESSENTIAL_KINDS
    assert preference.allows(kind=essential, channel=Channel.EMAIL)


def test_service_refuses_an_essential_kind(mentor):
    with pytest.raises(ValidationError) as error:
        preference_update(
            user=mentor,
            email_enabled=True,
            sms_enabled=False,
            muted_kinds=[NotificationKind.APPOINTMENT_CANCELLED],
        )
    assert "muted_kinds" in error.value.error_dict


def test_service_refuses_an_unknown_kind(mentor):
    with pytest.raises(ValidationError):
        preference_update(user=mentor, email_enabled=True, sms_enabled=False, muted_kinds=["x"])


def test_service_refuses_someone_else(mentor, other_mentor):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        preference_update(
            user=mentor,
            email_enabled=True,
            sms_enabled=False,
            muted_kinds=[],
            acting_user=other_mentor,
        )


def test_sms_alone_is_enough_when_there_is_a_phone(mentor):
    mentor.phone = "0612345678"
    mentor.save(update_fields=["phone"])

    preference = preference_update(
        user=mentor, email_enabled=False, sms_enabled=True, muted_kinds=OPTIONAL
    )

    assert preference.sms_enabled
    assert not preference.email_enabled
