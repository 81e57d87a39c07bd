from django.urls import path

from beneficiaires.views import imports, lists, merge, records

app_name = "beneficiaires"

urlpatterns = [
    path("", lists.beneficiary_list, name="list"),
    path("tableau/", lists.beneficiary_board, name="board"),
    path("export/", lists.beneficiary_export, name="export"),
    path("actions-groupees/", lists.beneficiary_bulk, name="bulk"),
    path("nouveau/", records.beneficiary_create, name="create"),
    path("import/", imports.import_upload, name="import"),
    path("import/apercu/", imports.import_preview, name="import_preview"),
    path("import/confirmer/", imports.import_confirm, name="import_confirm"),
    path("import/modele.csv", imports.import_template, name="import_template"),
    path("<uuid:public_id>/", records.beneficiary_detail, name="detail"),
    path("<uuid:public_id>/modifier/", records.beneficiary_edit, name="edit"),
    path("<uuid:public_id>/etape/", lists.beneficiary_set_stage, name="set_stage"),
    path("<uuid:public_id>/priorite/", lists.beneficiary_set_priority, name="set_priority"),
    path("<uuid:public_id>/contacts/", records.contact_log_add, name="contact_add"),
    path("<uuid:public_id>/consentements/", records.consent_add, name="consent_add"),
    path(
        "<uuid:public_id>/consentements/<slug:purpose>/retrait/",
        records.consent_withdraw,
        name="consent_withdraw",
    ),
    path("<uuid:public_id>/fusionner/", merge.beneficiary_merge, name="merge"),
]
