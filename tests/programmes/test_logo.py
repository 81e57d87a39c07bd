"""A programme's logo, printed on the session-closing reports: images only, 1 MB at most."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image


def _png(size=(40, 20), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 90, 160)).save(buffer, fmt)
    return buffer.getvalue()


def _post(client, programme, coordinator, upload):
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


def test_a_png_logo_is_saved(client, coordinator, programme):
    client.force_login(coordinator)
    response = _post(
        client, programme, coordinator, SimpleUploadedFile("logo.png", _png(), "image/png")
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert programme.logo.name.startswith("programmes/logos/logo")


def test_a_text_file_is_refused_with_a_french_error(client, coordinator, programme):
    client.force_login(coordinator)
    response = _post(
        client,
        programme,
        coordinator,
        SimpleUploadedFile("logo.png", b"not an image at all", "image/png"),
    )
    assert response.status_code == 200
    assert "Transférez une image valide" in response.content.decode()
    programme.refresh_from_db()
    assert not programme.logo


def test_a_gif_is_refused(client, coordinator, programme):
    client.force_login(coordinator)
    response = _post(
        client, programme, coordinator, SimpleUploadedFile("logo.gif", _png(fmt="GIF"), "image/gif")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
    programme.refresh_from_db()
    assert not programme.logo


def test_a_logo_over_one_megabyte_is_refused(client, coordinator, programme):
    client.force_login(coordinator)
    big = _png(fmt="BMP", size=(700, 700))  # ~1.4 MB, a valid image
    response = _post(client, programme, coordinator, SimpleUploadedFile("logo.bmp", big))
    assert response.status_code == 200
    assert response.context["form"].errors["logo"]
