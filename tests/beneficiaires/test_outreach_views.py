"""Outreach pages: table, board, inline htmx updates, detail, merge and import screens."""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from beneficiaires.enums import ConsentPurpose, OutreachStage, Priority, Source
from beneficiaires.models import Beneficiary, BeneficiaryMerge, Consent, ContactLog
from beneficiaires.views.imports import SESSION_KEY
from tests.factories import BeneficiaryFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db

HEADER = "nom;type;contact;email;telephone;code_postal;territoire;situation;priorite;notes"


# --- Table -----------------------------------------------------------------------------------


def test_table_filters_by_programme_stage_and_territory(
    client, coordinator, organization, programme
):
    wanted = BeneficiaryFactory(
        organization=organization,
        programme=programme,
        stage=OutreachStage.CONTACTED,
        postal_code="69009",
    )
    BeneficiaryFactory(organization=organization, programme=programme, postal_code="69009")
    BeneficiaryFactory(
        organization=organization, stage=OutreachStage.CONTACTED, postal_code="69009"
    )
    BeneficiaryFactory(
        organization=organization,
        programme=programme,
        stage=OutreachStage.CONTACTED,
        postal_code="75011",
    )
    client.force_login(coordinator)

    response = client.get(
        reverse("beneficiaires:list"),
        {"programme": str(programme.public_id), "stage": "contacted", "territory": "69"},
    )

    assert list(response.context["page"].object_list) == [wanted]


def test_table_sorts_by_priority_then_name(client, coordinator, organization):
    low = BeneficiaryFactory(organization=organization, name="A", priority=Priority.LOW)
    high = BeneficiaryFactory(organization=organization, name="B", priority=Priority.HIGH)
    client.force_login(coordinator)

    by_priority = client.get(reverse("beneficiaires:list"), {"sort": "priority"})
    by_name = client.get(reverse("beneficiaires:list"))

    assert list(by_priority.context["page"].object_list) == [high, low]
    assert list(by_name.context["page"].object_list) == [low, high]
    assert by_priority.context["sort_headers"]["priority"]["aria"] == "ascending"
    assert "sort=-priority" in by_priority.context["sort_headers"]["priority"]["url"]


def test_table_shows_the_last_contact_date(client, coordinator, organization):
    record = BeneficiaryFactory(organization=organization)
    latest = timezone.now()
    for days in (10, 0):
        ContactLog.objects.create(
            beneficiary=record,
            contacted_at=latest - timezone.timedelta(days=days),
            channel="phone",
            outcome="Appel",
        )
    client.force_login(coordinator)

    row = client.get(reverse("beneficiaires:list")).context["page"].object_list[0]

    assert row.last_contact_at == latest


def test_table_offers_inline_controls_by_role(client, coordinator, mentor, beneficiary):
    client.force_login(coordinator)
    as_coordinator = client.get(reverse("beneficiaires:list")).content.decode()
    client.force_login(mentor)
    as_mentor = client.get(reverse("beneficiaires:list")).content.decode()

    set_priority = reverse("beneficiaires:set_priority", args=[beneficiary.public_id])
    set_stage = reverse("beneficiaires:set_stage", args=[beneficiary.public_id])
    assert set_stage in as_coordinator
    assert set_priority in as_coordinator
    assert 'id="bulk-form"' in as_coordinator
    assert set_stage in as_mentor
    assert set_priority not in as_mentor
    assert 'id="bulk-form"' not in as_mentor


# --- Inline updates --------------------------------------------------------------------------


def test_htmx_stage_change_answers_the_updated_control_and_a_status(
    client, coordinator, beneficiary
):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:set_stage", args=[beneficiary.public_id]),
        {"stage": "diagnosed", "view": "stage"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert re.search(r'<option value="diagnosed"\s+selected>', html)
    assert 'id="outreach-status" hx-swap-oob="innerHTML"' in html
    assert "<html" not in html
    assert Beneficiary.objects.get(pk=beneficiary.pk).stage == OutreachStage.DIAGNOSED


def test_htmx_move_on_the_board_answers_the_card(client, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("beneficiaires:set_stage", args=[beneficiary.public_id]),
        {"stage": "contacted", "view": "card"},
        HTTP_HX_REQUEST="true",
    )

    html = response.content.decode()
    assert html.lstrip().startswith("<article")
    assert beneficiary.name in html


def test_stage_change_without_javascript_goes_back(client, coordinator, beneficiary):
    client.force_login(coordinator)
    back = reverse("beneficiaires:list") + "?stage=to_contact"

    response = client.post(
        reverse("beneficiaires:set_stage", args=[beneficiary.public_id]),
        {"stage": "contacted", "next": back},
    )

    assert response.status_code == 302
    assert response.url == back


def test_an_unknown_stage_is_a_bad_request(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:set_stage", args=[beneficiary.public_id]),
        {"stage": "lost"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 400
    assert Beneficiary.objects.get(pk=beneficiary.pk).stage == OutreachStage.TO_CONTACT


def test_htmx_priority_change(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:set_priority", args=[beneficiary.public_id]),
        {"priority": "3", "view": "priority"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert Beneficiary.objects.get(pk=beneficiary.pk).priority == Priority.LOW


# --- Board -----------------------------------------------------------------------------------


def test_board_has_a_column_per_stage_with_its_cards(client, coordinator, organization):
    contacted = BeneficiaryFactory(organization=organization, stage=OutreachStage.CONTACTED)
    client.force_login(coordinator)

    columns = client.get(reverse("beneficiaires:board")).context["columns"]

    assert [c.stage for c in columns] == list(OutreachStage.values)
    by_stage = {c.stage: c for c in columns}
    assert by_stage["contacted"].cards == [contacted]
    assert by_stage["contacted"].total == 1


def test_board_columns_are_capped_with_a_link_to_the_table(client, coordinator, organization):
    from beneficiaires.selectors import BOARD_COLUMN_SIZE

    BeneficiaryFactory.create_batch(
        BOARD_COLUMN_SIZE + 2, organization=organization, stage=OutreachStage.DIAGNOSED
    )
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:board"))

    column = next(c for c in response.context["columns"] if c.stage == "diagnosed")
    assert len(column.cards) == BOARD_COLUMN_SIZE
    assert column.total == BOARD_COLUMN_SIZE + 2
    assert column.hidden == 2
    assert b"stage=diagnosed" in response.content


def test_board_applies_the_filters(client, coordinator, organization, programme):
    inside = BeneficiaryFactory(organization=organization, programme=programme)
    BeneficiaryFactory(organization=organization)
    client.force_login(coordinator)

    columns = client.get(
        reverse("beneficiaires:board"), {"programme": str(programme.public_id)}
    ).context["columns"]

    assert [card for c in columns for card in c.cards] == [inside]


# --- Detail: contact log and consents ----------------------------------------------------------


def test_detail_page_holds_the_contact_log_and_the_other_sections(client, coordinator, beneficiary):
    ContactLog.objects.create(
        beneficiary=beneficiary,
        contacted_at=timezone.now(),
        channel="email",
        outcome="Réponse positive",
        author=coordinator,
    )
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:detail", args=[beneficiary.public_id]))

    assert b"R\xc3\xa9ponse positive" in response.content
    assert reverse("beneficiaires:contact_add", args=[beneficiary.public_id]).encode() in (
        response.content
    )
    assert reverse("beneficiaires:merge", args=[beneficiary.public_id]).encode() in (
        response.content
    )


def test_the_beneficiary_does_not_see_the_team_outreach_notes(client, beneficiary, coordinator):
    ContactLog.objects.create(
        beneficiary=beneficiary,
        contacted_at=timezone.now(),
        channel="email",
        outcome="Note interne",
        author=coordinator,
    )
    client.force_login(beneficiary.user)

    response = client.get(reverse("beneficiaires:detail", args=[beneficiary.public_id]))

    assert response.status_code == 200
    assert b"Note interne" not in response.content


def test_adding_a_first_contact_moves_the_record_to_contacted(client, mentor, beneficiary):
    client.force_login(mentor)

    response = client.post(
        reverse("beneficiaires:contact_add", args=[beneficiary.public_id]),
        {
            "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "channel": "phone",
            "outcome": "Premier échange",
        },
    )

    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.stage == OutreachStage.CONTACTED
    assert beneficiary.contact_logs.get().author == mentor


def test_an_invalid_contact_redisplays_the_form(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:contact_add", args=[beneficiary.public_id]),
        {"contacted_at": "", "channel": "phone", "outcome": ""},
    )

    assert response.status_code == 200
    assert response.context["contact_form"].errors
    assert not ContactLog.objects.exists()


def test_contact_form_defaults_to_now(client, coordinator, beneficiary):
    client.force_login(coordinator)

    form = client.get(reverse("beneficiaires:detail", args=[beneficiary.public_id])).context[
        "contact_form"
    ]

    assert abs(form.initial["contacted_at"] - timezone.localtime()) < timezone.timedelta(minutes=2)


def test_a_second_current_consent_is_a_form_error_not_a_500(client, coordinator, beneficiary):
    Consent.objects.create(
        beneficiary=beneficiary, purpose=ConsentPurpose.SUPPORT, given_at=timezone.now()
    )
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:consent_add", args=[beneficiary.public_id]),
        {"purpose": "support", "given_on": timezone.localdate().isoformat()},
    )

    assert response.status_code == 200
    assert response.context["consent_form"].errors["purpose"]
    assert beneficiary.consents.count() == 1


def test_consent_recorded_then_withdrawn_from_the_page(client, coordinator, beneficiary):
    client.force_login(coordinator)

    client.post(
        reverse("beneficiaires:consent_add", args=[beneficiary.public_id]),
        {"purpose": "network_sharing", "given_on": timezone.localdate().isoformat()},
    )
    consent = beneficiary.consents.get()
    assert consent.recorded_by == coordinator
    client.post(
        reverse("beneficiaires:consent_withdraw", args=[beneficiary.public_id, "network_sharing"])
    )

    consent.refresh_from_db()
    assert consent.withdrawn_at is not None


def test_a_consent_dated_in_the_future_is_refused(client, coordinator, beneficiary):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:consent_add", args=[beneficiary.public_id]),
        {"purpose": "support", "given_on": "2999-01-01"},
    )

    assert response.status_code == 200
    assert not beneficiary.consents.exists()


# --- Edit ------------------------------------------------------------------------------------


def test_coordinator_edits_a_record(client, coordinator, beneficiary, programme):
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:edit", args=[beneficiary.public_id]),
        {
            "kind": "association",
            "name": "Nouveau nom",
            "email": "",
            "postal_code": "69001",
            "programme": programme.pk,
            "priority": "1",
            "source": "partner",
        },
    )

    assert response.status_code == 302
    beneficiary.refresh_from_db()
    assert beneficiary.name == "Nouveau nom"
    assert beneficiary.programme == programme
    assert beneficiary.source == Source.PARTNER


def test_a_programme_of_another_structure_is_not_a_choice(
    client, coordinator, beneficiary, other_organization
):
    foreign = ProgrammeFactory(organization=other_organization)
    client.force_login(coordinator)

    response = client.post(
        reverse("beneficiaires:edit", args=[beneficiary.public_id]),
        {
            "kind": "association",
            "name": "X",
            "programme": foreign.pk,
            "priority": "1",
            "source": "manual",
        },
    )

    assert response.status_code == 200
    assert "programme" in response.context["form"].errors


# --- Merge -----------------------------------------------------------------------------------


def test_merge_page_lists_likely_duplicates(client, coordinator, organization):
    record = BeneficiaryFactory(organization=organization, email="a@example.org")
    twin = BeneficiaryFactory(organization=organization, email="A@example.org")
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:merge", args=[record.public_id]))

    assert response.context["candidates"] == [twin]


def test_merge_page_compares_then_merges(client, coordinator, organization):
    record = BeneficiaryFactory(organization=organization, name="Gardé", phone="")
    twin = BeneficiaryFactory(organization=organization, name="Supprimé", phone="0600000000")
    client.force_login(coordinator)
    url = reverse("beneficiaires:merge", args=[record.public_id])

    compare = client.get(url, {"avec": str(twin.public_id)})
    response = client.post(url, {"other": str(twin.public_id), "keep": str(record.public_id)})

    assert compare.status_code == 200
    assert compare.context["pair"] == (record, twin)
    assert response.status_code == 302
    assert response.url == reverse("beneficiaires:detail", args=[record.public_id])
    assert not Beneficiary.objects.filter(pk=twin.pk).exists()
    assert Beneficiary.objects.get(pk=record.pk).phone == "0600000000"
    assert BeneficiaryMerge.objects.get().merged_name == "Supprimé"


def test_merge_with_a_record_of_another_organisation_is_a_404(
    client, coordinator, organization, other_organization
):
    record = BeneficiaryFactory(organization=organization)
    foreign = BeneficiaryFactory(organization=other_organization)
    client.force_login(coordinator)
    url = reverse("beneficiaires:merge", args=[record.public_id])

    assert client.get(url, {"avec": str(foreign.public_id)}).status_code == 404
    response = client.post(url, {"other": str(foreign.public_id), "keep": str(record.public_id)})

    assert response.status_code == 404
    assert Beneficiary.objects.filter(pk=foreign.pk).exists()


# --- Import screens --------------------------------------------------------------------------


def upload(client, programme, text, name="contacts.csv", encoding="utf-8-sig"):
    return client.post(
        reverse("beneficiaires:import"),
        {
            "programme": programme.pk,
            "file": SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv"),
        },
    )


def test_import_preview_then_confirm(client, coordinator, programme):
    client.force_login(coordinator)
    text = f"{HEADER}\r\nCollectif des Pentes;association;;pentes@example.org;;69001;;;haute;\r\n"

    uploaded = upload(client, programme, text)
    preview = client.get(reverse("beneficiaires:import_preview"))
    token = client.session[SESSION_KEY]["token"]
    confirmed = client.post(reverse("beneficiaires:import_confirm"), {"token": token})

    assert uploaded.url == reverse("beneficiaires:import_preview")
    assert preview.status_code == 200
    assert preview.context["result"].is_valid
    assert reverse("beneficiaires:import_confirm").encode() in preview.content
    assert confirmed.status_code == 302
    created = Beneficiary.objects.get(name="Collectif des Pentes")
    assert created.source_detail == "contacts.csv"
    assert created.programme == programme
    assert SESSION_KEY not in client.session


def test_a_preview_with_errors_offers_no_confirmation(client, coordinator, programme):
    client.force_login(coordinator)
    upload(client, programme, f"{HEADER}\r\nValide;;;;;;;;;\r\n;;;pas-un-email;;;;;;\r\n")

    preview = client.get(reverse("beneficiaires:import_preview"))

    assert not preview.context["result"].is_valid
    assert reverse("beneficiaires:import_confirm").encode() not in preview.content
    assert [row.line for row in preview.context["result"].error_rows] == [3]


def test_confirming_a_rejected_file_imports_nothing(client, coordinator, programme):
    client.force_login(coordinator)
    upload(client, programme, f"{HEADER}\r\nValide;;;;;;;;;\r\n;;;;;;;;;x\r\n")
    before = Beneficiary.objects.count()

    client.post(
        reverse("beneficiaires:import_confirm"), {"token": client.session[SESSION_KEY]["token"]}
    )

    assert Beneficiary.objects.count() == before


def test_the_file_is_checked_again_on_confirmation(client, coordinator, programme):
    client.force_login(coordinator)
    upload(client, programme, f"{HEADER}\r\nNouveau;;;nouveau@example.org;;;;;;\r\n")
    token = client.session[SESSION_KEY]["token"]
    # someone creates the same actor between the preview and the confirmation
    BeneficiaryFactory(organization=programme.organization, email="nouveau@example.org")
    before = Beneficiary.objects.count()

    client.post(reverse("beneficiaires:import_confirm"), {"token": token})

    assert Beneficiary.objects.count() == before


def test_a_wrong_token_imports_nothing(client, coordinator, programme):
    client.force_login(coordinator)
    upload(client, programme, f"{HEADER}\r\nNouveau;;;;;;;;;\r\n")
    before = Beneficiary.objects.count()

    response = client.post(reverse("beneficiaires:import_confirm"), {"token": "forged"})

    assert response.url == reverse("beneficiaires:import")
    assert Beneficiary.objects.count() == before


def test_an_unreadable_file_is_refused_on_upload(client, coordinator, programme):
    client.force_login(coordinator)

    response = upload(client, programme, "email;telephone\r\na@example.org;06\r\n")

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert SESSION_KEY not in client.session


def test_a_file_too_big_is_refused_on_upload(client, coordinator, programme):
    client.force_login(coordinator)

    response = upload(client, programme, HEADER + "\r\n" + "x" * (2 * 1024 * 1024))

    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_a_programme_of_another_structure_cannot_be_chosen(client, coordinator, other_organization):
    foreign = ProgrammeFactory(organization=other_organization)
    client.force_login(coordinator)

    response = upload(client, foreign, f"{HEADER}\r\nNouveau;;;;;;;;;\r\n")

    assert response.status_code == 200
    assert response.context["form"].errors["programme"]


def test_the_template_can_be_downloaded(client, coordinator):
    client.force_login(coordinator)

    response = client.get(reverse("beneficiaires:import_template"))

    assert response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith(HEADER)
