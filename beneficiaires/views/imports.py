"""CSV import of a contact list: upload, preview with errors per row, confirm (all or nothing).

Between the preview and the confirmation the file's text stays on the server, in the
session, never in a hidden field; it is read and checked again on confirmation."""

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from beneficiaires import imports, permissions, services
from beneficiaires.forms import ImportUploadForm
from beneficiaires.selectors import existing_duplicate_keys, managed_programmes

SESSION_KEY = "beneficiaires_import"
PREVIEW_PAGE_SIZE = 100


def _check(request) -> None:
    if not permissions.can_import_beneficiaries(request.user):
        raise PermissionDenied


def _pending(request):
    """The file waiting for confirmation and its programme, or (None, None)."""
    pending = request.session.get(SESSION_KEY)
    if not pending:
        return None, None
    programme = managed_programmes(request.user).filter(pk=pending.get("programme_id")).first()
    if programme is None:
        request.session.pop(SESSION_KEY, None)
        return None, None
    return pending, programme


@login_required
def import_upload(request: HttpRequest) -> HttpResponse:
    _check(request)
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = imports.decode(upload.read())
            imports.read_rows(text)  # refuse at once a file that cannot be read at all
        except imports.ImportFileError as exc:
            form.add_error("file", str(exc))
        else:
            request.session[SESSION_KEY] = {
                "token": secrets.token_urlsafe(16),
                "file_name": upload.name[:200],
                "text": text,
                "programme_id": form.cleaned_data["programme"].pk,
            }
            return redirect("beneficiaires:import_preview")
    return render(request, "beneficiaires/import_upload.html", {"form": form})


@login_required
@require_GET
def import_preview(request: HttpRequest) -> HttpResponse:
    _check(request)
    pending, programme = _pending(request)
    if pending is None:
        messages.info(request, _("Choose a file to import."))
        return redirect("beneficiaires:import")
    try:
        result = imports.preview(pending["text"], existing_duplicate_keys(programme.organization))
    except imports.ImportFileError as exc:
        request.session.pop(SESSION_KEY, None)
        messages.error(request, str(exc))
        return redirect("beneficiaires:import")
    only_errors = request.GET.get("erreurs") == "1"
    rows = result.error_rows if only_errors else result.rows
    page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "beneficiaires/import_preview.html",
        {
            "result": result,
            "page": page,
            "querystring": "erreurs=1" if only_errors else "",
            "only_errors": only_errors,
            "programme": programme,
            "file_name": pending["file_name"],
            "token": pending["token"],
            "columns": [(c, imports.COLUMN_LABELS[c]) for c in imports.COLUMNS],
        },
    )


@login_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    _check(request)
    pending, programme = _pending(request)
    if pending is None or request.POST.get("token") != pending["token"]:
        messages.error(
            request, _("This import is no longer waiting for confirmation: upload the file again.")
        )
        return redirect("beneficiaires:import")
    try:
        created = services.beneficiaries_import(
            programme=programme,
            data=pending["text"],
            file_name=pending["file_name"],
            acting_user=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("beneficiaires:import_preview")
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        ngettext(
            "%(count)s actor imported into the outreach list.",
            "%(count)s actors imported into the outreach list.",
            len(created),
        )
        % {"count": len(created)},
    )
    query = urlencode({"programme": programme.public_id, "source": "import", "stage": "to_contact"})
    return redirect(f"{reverse('beneficiaires:list')}?{query}")


@login_required
@require_GET
def import_template(request: HttpRequest) -> HttpResponse:
    _check(request)
    response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="modele-import-beneficiaires.csv"'
    return response
