"""Uploads refuse the wrong type and too big files with French errors, and save nothing."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from beneficiaires.models import Beneficiary
from beneficiaires.views.imports import SESSION_KEY

HEADER = "nom;type;contact;email;telephone;code_postal;territoire;situation;priorite;notes"


def _fr(msgid: str) -> str:
    with translation.override("fr"):
        return translation.gettext(msgid)


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (20, 90, 160)).save(buffer, "PNG")
    return buffer.getvalue()


def _import(client, programme, upload):
    return client.post(reverse("beneficiaires:import"), {"programme": programme.pk, "file": upload})


def test_a_png_renamed_csv_is_refused_in_french(client, coordinator, programme):
    client.force_login(coordinator)
    count = Beneficiary.objects.count()

    response = _import(client, programme, SimpleUploadedFile("contacts.csv", _png(), "text/csv"))

    assert response.status_code == 200
    # The French text once the lead compiles /work/briefs/tr_i4.json; the msgid until then.
    assert response.context["form"].errors["file"] == [
        _fr("This file is not a CSV text file: save it as CSV UTF-8 and try again.")
    ]
    assert SESSION_KEY not in client.session
    assert Beneficiary.objects.count() == count


def test_a_file_that_is_not_named_csv_is_refused(client, coordinator, programme):
    client.force_login(coordinator)

    response = _import(
        client,
        programme,
        SimpleUploadedFile("contacts.xlsx", f"{HEADER}\r\nA;;;;;;;;;\r\n".encode()),
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [_fr("Only CSV files (.csv) are accepted.")]
    assert SESSION_KEY not in client.session


def test_a_three_megabyte_csv_is_refused_in_french(client, coordinator, programme):
    client.force_login(coordinator)
    big = (HEADER + "\r\n" + "Nom;;;;;;;;;\r\n" * 250_000).encode()
    assert len(big) > 3 * 1024 * 1024

    response = _import(client, programme, SimpleUploadedFile("contacts.csv", big, "text/csv"))

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "Le fichier est trop volumineux : 2 Mo au maximum."
    ]
    assert SESSION_KEY not in client.session


def test_a_plain_csv_still_reaches_the_preview(client, coordinator, programme):
    client.force_login(coordinator)
    text = f"{HEADER}\r\nCollectif des Pentes;association;;pentes@example.org;;69001;;;haute;\r\n"

    response = _import(
        client, programme, SimpleUploadedFile("contacts.CSV", text.encode("utf-8-sig"), "text/csv")
    )

    assert response.status_code in {200, 302}
    assert SESSION_KEY in client.session


def _post_logo(client, programme, coordinator, upload):
    return client.post(
        reverse("programmes:edit", args=[programme.public_id]),
        {
            "title": programme.title,
            "start_date": "2026-09-01",
            "end_date": "",
            "coordinators": [coordinator.pk],
            "logo": upload,
        },
    )


def test_a_pdf_logo_is_refused_in_french(client, coordinator, programme):
    client.force_login(coordinator)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

    response = _post_logo(
        client, programme, coordinator, SimpleUploadedFile("logo.pdf", pdf, "application/pdf")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors["logo"]
    assert errors
    assert all(error.startswith(("Transférez", "Le logo")) for error in errors)
    programme.refresh_from_db()
    assert not programme.logo


def test_an_svg_logo_with_a_script_is_refused(client, coordinator, programme):
    client.force_login(coordinator)
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script><rect width='10' height='10'/></svg>"
    )

    response = _post_logo(
        client, programme, coordinator, SimpleUploadedFile("logo.svg", svg, "image/svg+xml")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    assert "Transférez une image valide" in response.content.decode()
    programme.refresh_from_db()
    assert not programme.logo
