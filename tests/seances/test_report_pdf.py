"""The session-closing report: one renderer, from the frozen snapshot, text extractable,
never the confidential notes."""

import datetime
import io
import shutil
import subprocess

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.html import escape
from PIL import Image

from seances.documents import (
    closing_report_filename,
    closing_report_html,
    render_closing_report_pdf,
)
from seances.enums import ExchangeChannel, TaskStatus
from seances.models import ConfidentialNote
from seances.services import closing
from tests.seances.conftest import PARIS, ActionItemFactory, AppointmentFactory

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Difficulté à lire les tableaux budgétaires, à garder pour nous"


def poppler(tool: str, *args: str, pdf: bytes) -> str:
    """Run a poppler-utils tool (pdftotext, pdfinfo, pdfimages) on PDF bytes."""
    path = shutil.which(tool)
    assert path, f"{tool} is missing: apt-get install poppler-utils"
    result = subprocess.run(  # noqa: S603 - fixed arguments, absolute path from shutil.which
        [path, *args, "-"], input=pdf, capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def pdf_text(pdf: bytes) -> str:
    """The PDF's text, whitespace collapsed."""
    return " ".join(poppler("pdftotext", "-layout", "-", pdf=pdf).split())


def pdf_pages(pdf: bytes) -> int:
    line = next(x for x in poppler("pdfinfo", pdf=pdf).splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


@pytest.fixture
def validated(seance, mentor, beneficiary, django_capture_on_commit_callbacks):
    seance.starts_at = datetime.datetime(2026, 10, 20, 14, 0, tzinfo=PARIS)
    seance.save()
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(
        record=record,
        acting_user=mentor,
        expectations="Savoir par où commencer le dossier de subvention.",
        content="Relecture du budget prévisionnel et du calendrier.",
        next_step="Présenter le projet au conseil municipal",
        next_channels=[ExchangeChannel.EMAIL, ExchangeChannel.PHONE],
        next_date=datetime.date(2026, 11, 3),
    )
    closing.record_task_add(
        record=record,
        acting_user=mentor,
        title="Envoyer le budget révisé",
        due_on=datetime.date(2026, 10, 20),
    )
    ConfidentialNote.objects.create(
        seance=seance, beneficiary=beneficiary, author=mentor, body=CONFIDENTIAL
    )
    AppointmentFactory(
        offer=seance.offer,
        mentor=mentor,
        beneficiary=beneficiary,
        starts_at=datetime.datetime(2026, 11, 3, 10, 0, tzinfo=PARIS),
    )
    with django_capture_on_commit_callbacks(execute=False):
        return closing.record_validate(record=record, acting_user=mentor)


def test_report_prints_the_record_and_never_the_confidential_note(validated, beneficiary):
    pdf = render_closing_report_pdf(validated)

    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    programme = validated.seance.offer.programme
    assert programme.title in flat
    assert beneficiary.name in flat
    assert "Envoyer le budget révisé" in flat
    assert "Présenter le projet au conseil municipal" in flat
    assert "3 novembre 2026" in flat  # the next appointment, in French
    assert "10:00" in flat
    assert CONFIDENTIAL not in flat
    assert "Difficulté à lire" not in flat


def test_report_is_a4_french_with_page_numbers(validated):
    html = closing_report_html(validated)
    pdf = render_closing_report_pdf(validated)

    assert '<html lang="fr">' in html
    assert "size: A4" in html
    assert "counter(pages)" in html
    assert "pts (A4)" in poppler("pdfinfo", pdf=pdf)
    assert pdf_pages(pdf) >= 1


def test_report_is_reproduced_from_the_snapshot(validated, beneficiary):
    task = validated.seance.action_items.get()
    task.title = "Titre changé après la validation"
    task.save()
    beneficiary.name = "Un autre nom"
    beneficiary.save()

    flat = " ".join(pdf_text(render_closing_report_pdf(validated)).split())

    assert "Envoyer le budget révisé" in flat
    assert "Titre changé après la validation" not in flat
    assert "Un autre nom" not in flat


def test_report_shows_earlier_open_tasks_but_not_closed_ones(
    seance, mentor, beneficiary, individual_offer
):
    from tests.seances.conftest import SeanceFactory

    earlier = SeanceFactory(
        offer=individual_offer,
        mentor=mentor,
        starts_at=seance.starts_at - datetime.timedelta(days=30),
    )
    ActionItemFactory(beneficiary=beneficiary, seance=earlier, title="Tâche encore ouverte")
    ActionItemFactory(
        beneficiary=beneficiary, seance=earlier, title="Tâche finie", status=TaskStatus.DONE
    )
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=record, acting_user=mentor, content="Point d'étape.")
    record = closing.record_validate(record=record, acting_user=mentor)

    flat = " ".join(pdf_text(render_closing_report_pdf(record)).split())

    assert "Tâche encore ouverte" in flat
    assert "Tâche finie" not in flat


def test_report_embeds_the_programme_logo(seance, mentor, beneficiary):
    image = io.BytesIO()
    Image.new("RGB", (120, 40), (31, 78, 121)).save(image, format="PNG")
    programme = seance.offer.programme
    programme.logo.save("logo.png", ContentFile(image.getvalue()))
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)
    closing.record_update(record=record, acting_user=mentor, content="Point d'étape.")
    record = closing.record_validate(record=record, acting_user=mentor)

    html = closing_report_html(record)
    pdf = render_closing_report_pdf(record)

    assert record.snapshot["programme"]["logo"] == programme.logo.name
    assert 'src="data:image/png;base64,' in html
    assert " image " in poppler("pdfimages", "-list", pdf=pdf)  # the logo is embedded
    assert programme.title in " ".join(pdf_text(pdf).split())
    default_storage.delete(programme.logo.name)


def test_without_logo_the_programme_name_heads_the_report(validated):
    html = closing_report_html(validated)

    assert "<img" not in html
    assert escape(validated.snapshot["programme"]["title"]) in html


def test_a_draft_has_no_report(seance, mentor, beneficiary):
    record = closing.record_start(seance=seance, beneficiary=beneficiary, acting_user=mentor)

    with pytest.raises(ValueError, match="validated"):
        render_closing_report_pdf(record)


def test_filename_is_french_and_names_the_version(validated, beneficiary):
    name = closing_report_filename(validated)

    assert name.startswith("compte-rendu-2026-10-20-")
    assert name.endswith("-v1.pdf")
