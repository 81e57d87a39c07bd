"""Reading a contact list: pure functions of beneficiaires.imports, then the import service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from beneficiaires import imports
from beneficiaires.enums import BeneficiaryKind, OutreachStage, Priority, Situation, Source
from beneficiaires.models import Beneficiary
from beneficiaires.selectors import DuplicateKeys
from beneficiaires.services import beneficiaries_import
from tests.factories import BeneficiaryFactory

HEADER = "nom;type;contact;email;telephone;code_postal;territoire;situation;priorite;notes"


def csv_text(*lines, header=HEADER):
    return "\r\n".join([header, *lines]) + "\r\n"


# --- Decoding and reading --------------------------------------------------------------------


def test_utf8_with_bom_and_semicolons_is_read():
    data = ("\ufeff" + csv_text("Collectif des Pentes;Association;;;;69001;;;;")).encode()

    result = imports.preview(data)

    assert result.is_valid
    assert result.rows[0].values["name"] == "Collectif des Pentes"
    assert result.rows[0].values["kind"] == BeneficiaryKind.ASSOCIATION


def test_excel_windows_1252_file_is_read():
    data = csv_text("Amicale des Lilas;Association;Hélène Brémond;;;69003;Lyon 3e;;;").encode(
        "cp1252"
    )

    result = imports.preview(data)

    assert result.rows[0].values["contact_name"] == "Hélène Brémond"


def test_comma_delimiter_is_sniffed():
    text = csv_text(
        "Maison Pour Tous,individual,,mpt@example.org,,69100,,,,",
        header="nom,type,contact,email,telephone,code_postal,territoire,situation,priorite,notes",
    )

    result = imports.preview(text)

    assert result.is_valid
    assert result.rows[0].values["email"] == "mpt@example.org"


def test_headers_are_matched_whatever_their_accents_and_case():
    text = "Nom;Téléphone;Code postal;Priorité\r\nRégie de quartier;04 78 00 00 00;69008;haute\r\n"

    row = imports.preview(text).rows[0]

    assert row.values["phone"] == "04 78 00 00 00"
    assert row.values["postal_code"] == "69008"
    assert row.values["priority"] == Priority.HIGH


def test_a_file_without_the_name_column_is_refused_as_a_whole():
    with pytest.raises(imports.ImportFileError):
        imports.preview("email;telephone\r\na@example.org;0600000000\r\n")


def test_an_empty_file_is_refused():
    with pytest.raises(imports.ImportFileError):
        imports.preview(b"")
    with pytest.raises(imports.ImportFileError):
        imports.preview(HEADER + "\r\n")


def test_a_file_over_the_size_limit_is_refused():
    with pytest.raises(imports.ImportFileError):
        imports.decode(b"a" * (imports.MAX_FILE_BYTES + 1))


def test_a_file_over_the_row_limit_is_refused():
    lines = [f"Structure {i};;;;;;;;;" for i in range(imports.MAX_ROWS + 1)]
    with pytest.raises(imports.ImportFileError):
        imports.preview(csv_text(*lines))


def test_blank_lines_are_skipped_and_line_numbers_stay_those_of_the_file():
    text = csv_text("Première;;;;;;;;;", ";;;;;;;;;", "", "Deuxième;;;;;;;;;")

    rows = imports.preview(text).rows

    assert [(row.line, row.values["name"]) for row in rows] == [(2, "Première"), (5, "Deuxième")]


# --- Values ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "field", "expected"),
    [
        ("type", "Association", "kind", BeneficiaryKind.ASSOCIATION),
        ("type", "collectif d'habitants", "kind", BeneficiaryKind.RESIDENTS_COLLECTIVE),
        ("type", "GROUPE DE JEUNES", "kind", BeneficiaryKind.YOUTH_GROUP),
        ("type", "youth_group", "kind", BeneficiaryKind.YOUTH_GROUP),
        ("type", "Structure de l'ESS", "kind", BeneficiaryKind.ESS_STRUCTURE),
        ("type", "collectivité territoriale", "kind", BeneficiaryKind.LOCAL_AUTHORITY),
        ("type", "Personne", "kind", BeneficiaryKind.INDIVIDUAL),
        ("situation", "Veut agir, ne sait pas comment", "situation", Situation.WANTS_TO_ACT),
        ("situation", "projet déjà engagé", "situation", Situation.ALREADY_STARTED),
        ("situation", "no_project", "situation", Situation.NO_PROJECT),
        ("situation", "b", "situation", Situation.WANTS_TO_ACT),
        ("priorite", "Haute", "priority", Priority.HIGH),
        ("priorite", "basse", "priority", Priority.LOW),
        ("priorite", "2", "priority", Priority.MEDIUM),
        ("priorite", "High", "priority", Priority.HIGH),
    ],
)
def test_french_labels_and_codes_are_accepted(column, value, field, expected):
    row = imports.ImportRow(line=2, raw={"nom": "Un acteur", column: value})

    imports.validate([row])

    assert row.is_valid, row.errors
    assert row.values[field] == expected


def test_blank_optional_columns_take_the_defaults():
    row = imports.ImportRow(line=2, raw={"nom": "Un acteur"})

    imports.validate([row])

    assert row.values["kind"] == BeneficiaryKind.INDIVIDUAL
    assert row.values["priority"] == Priority.MEDIUM
    assert row.values["situation"] == ""


def test_row_errors_are_reported_per_row_and_column():
    text = csv_text(
        "Valide;Association;;ok@example.org;;69001;;;;",
        ";Association;;;;69002;;;;",
        "Amicale;Club de foot;;amicale@;;6900;;z;urgente;",
    )

    result = imports.preview(text)

    assert not result.is_valid
    assert [row.line for row in result.error_rows] == [3, 4]
    missing_name, many = result.error_rows
    assert set(missing_name.errors) == {"nom"}
    assert set(many.errors) == {"type", "email", "code_postal", "situation", "priorite"}
    assert result.error_count == 6
    assert result.rows[0].is_valid


def test_postal_code_with_a_space_is_accepted():
    row = imports.ImportRow(line=2, raw={"nom": "Un acteur", "code_postal": "69 003"})

    imports.validate([row])

    assert row.is_valid
    assert row.values["postal_code"] == "69003"


def test_too_long_values_are_errors():
    row = imports.ImportRow(line=2, raw={"nom": "x" * 201})

    imports.validate([row])

    assert "nom" in row.errors


def test_duplicates_inside_the_file_are_errors_on_the_later_row():
    text = csv_text(
        "Jeunes de Vaise;;;jeunes@vaise.example.org;;69009;;;;",
        "Autre nom;;;JEUNES@vaise.example.org;;69001;;;;",
        "jeunes de vaïse;;;;;69009;;;;",
    )

    result = imports.preview(text)

    first, same_email, same_name = result.rows
    assert first.is_valid
    assert "2" in same_email.errors["email"][0]
    assert same_name.row_errors
    assert "2" in same_name.row_errors[0]


def test_duplicates_of_existing_records_are_errors():
    existing = DuplicateKeys(
        emails=frozenset({"deja@example.org"}), names=frozenset({("maison des jeunes", "69001")})
    )
    text = csv_text("Nouveau;;;Deja@Example.org;;;;;;", "Maison des Jeunes;;;;;69001;;;;")

    result = imports.preview(text, existing)

    assert [bool(row.errors) for row in result.rows] == [True, True]


def test_the_template_is_a_valid_file():
    result = imports.preview(imports.template_csv().encode())

    assert result.is_valid, result.rows[0].errors
    assert imports.template_csv().startswith("\ufeffnom;type;contact;email;")


# --- The import service: all or nothing -------------------------------------------------------


@pytest.mark.django_db
def test_a_valid_file_imports_every_row(coordinator, programme):
    text = csv_text(
        "Collectif des Pentes;Collectif d'habitants;Awa Diallo;pentes@example.org;;69001;;b;haute;",
        "Jeunes de Vaise;groupe de jeunes;;;;69009;Lyon 9e;;;",
    )

    created = beneficiaries_import(
        programme=programme, data=text, file_name="liste.csv", acting_user=coordinator
    )

    assert len(created) == 2
    pentes = Beneficiary.objects.get(name="Collectif des Pentes")
    assert pentes.programme == programme
    assert pentes.organization == programme.organization
    assert pentes.stage == OutreachStage.TO_CONTACT
    assert pentes.source == Source.IMPORT
    assert pentes.source_detail == "liste.csv"
    assert pentes.priority == Priority.HIGH
    assert pentes.situation == Situation.WANTS_TO_ACT
    assert pentes.created_by == coordinator


@pytest.mark.django_db
def test_a_rejected_file_imports_nothing(coordinator, programme):
    text = csv_text(
        "Valide;;;;;69001;;;;", "Autre valide;;;;;69002;;;;", "Invalide;;;pas-un-email;;;;;;"
    )
    before = Beneficiary.objects.count()

    with pytest.raises(ValidationError):
        beneficiaries_import(
            programme=programme, data=text, file_name="liste.csv", acting_user=coordinator
        )

    assert Beneficiary.objects.count() == before


@pytest.mark.django_db
def test_a_row_duplicating_an_existing_record_rejects_the_file(coordinator, programme):
    BeneficiaryFactory(organization=programme.organization, email="deja@example.org")
    before = Beneficiary.objects.count()

    with pytest.raises(ValidationError):
        beneficiaries_import(
            programme=programme,
            data=csv_text("Nouveau;;;;;;;;;", "Ancien;;;DEJA@example.org;;;;;;"),
            file_name="liste.csv",
            acting_user=coordinator,
        )

    assert Beneficiary.objects.count() == before


@pytest.mark.django_db
def test_records_of_another_structure_are_not_duplicates(
    coordinator, programme, other_organization
):
    BeneficiaryFactory(organization=other_organization, email="ailleurs@example.org")

    created = beneficiaries_import(
        programme=programme,
        data=csv_text("Ailleurs;;;ailleurs@example.org;;;;;;"),
        file_name="liste.csv",
        acting_user=coordinator,
    )

    assert len(created) == 1


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["mentor", "other_organization_coordinator"])
def test_only_the_programme_coordinators_import(request, programme, persona):
    with pytest.raises(PermissionDenied):
        beneficiaries_import(
            programme=programme,
            data=csv_text("Nouveau;;;;;;;;;"),
            file_name="liste.csv",
            acting_user=request.getfixturevalue(persona),
        )
