"""Reading a contact list (CSV) into beneficiary rows: pure functions, no database.

The file is decoded (UTF-8, with or without BOM, else Windows-1252 as Excel France writes it),
its delimiter sniffed (";" or ","), its headers matched to our columns, and every row
validated. The result says, per row and per column, what is wrong; a file with one error is
rejected as a whole, so the caller imports all rows or none.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from beneficiaires.enums import BeneficiaryKind, Priority, Situation
from beneficiaires.selectors import DuplicateKeys, normalize_name

MAX_FILE_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000

# The template's headers, in order: French, as the people filling the file speak.
COLUMNS = [
    "nom",
    "type",
    "contact",
    "email",
    "telephone",
    "code_postal",
    "territoire",
    "situation",
    "priorite",
    "notes",
]
# column → model field
FIELDS = {
    "nom": "name",
    "type": "kind",
    "contact": "contact_name",
    "email": "email",
    "telephone": "phone",
    "code_postal": "postal_code",
    "territoire": "territory",
    "situation": "situation",
    "priorite": "priority",
    "notes": "notes",
}
COLUMN_LABELS = {
    "nom": gettext_lazy("Name"),
    "type": gettext_lazy("Kind"),
    "contact": gettext_lazy("Contact person"),
    "email": gettext_lazy("Email"),
    "telephone": gettext_lazy("Phone"),
    "code_postal": gettext_lazy("Postal code"),
    "territoire": gettext_lazy("Territory"),
    "situation": gettext_lazy("Situation"),
    "priorite": gettext_lazy("Priority"),
    "notes": gettext_lazy("Notes"),
}
# Other spellings of a header people write (normalised: no accent, lower case, "_").
HEADER_ALIASES = {
    "name": "nom",
    "nom_de_la_structure": "nom",
    "raison_sociale": "nom",
    "kind": "type",
    "personne_contact": "contact",
    "contact_name": "contact",
    "e_mail": "email",
    "courriel": "email",
    "mail": "email",
    "adresse_email": "email",
    "tel": "telephone",
    "phone": "telephone",
    "portable": "telephone",
    "cp": "code_postal",
    "code_postale": "code_postal",
    "postal_code": "code_postal",
    "territory": "territoire",
    "commune": "territoire",
    "ville": "territoire",
    "priority": "priorite",
    "remarques": "notes",
    "commentaire": "notes",
    "commentaires": "notes",
}
MAX_LENGTHS = {"nom": 200, "contact": 200, "telephone": 30, "territoire": 200, "email": 254}


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong encoding, no header, too big, too long."""


@dataclass
class ImportRow:
    line: int  # line number in the file, the header being line 1
    raw: dict[str, str]
    values: dict[str, object] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    def add_error(self, column: str, message: str) -> None:
        self.errors.setdefault(column, []).append(message)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def cells(self) -> list[tuple[str, str, list[str]]]:
        """(column, value as understood, errors) in the template's order, for the preview."""
        return [(c, self.display(c), self.errors.get(c, [])) for c in COLUMNS]

    def display(self, column: str) -> str:
        raw = self.raw.get(column, "")
        enum = {"type": BeneficiaryKind, "situation": Situation, "priorite": Priority}.get(column)
        value = self.values.get(FIELDS[column])
        if enum is None or column in self.errors or value in (None, ""):
            return raw
        return str(enum(value).label)

    @property
    def row_errors(self) -> list[str]:
        """Errors about the row as a whole (duplicates)."""
        return self.errors.get("", [])


@dataclass
class ImportPreview:
    rows: list[ImportRow]
    ignored_headers: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> list[ImportRow]:
        return [row for row in self.rows if not row.is_valid]

    @property
    def error_count(self) -> int:
        return sum(len(messages) for row in self.rows for messages in row.errors.values())

    @property
    def is_valid(self) -> bool:
        return bool(self.rows) and not self.error_rows


def decode(data: bytes) -> str:
    """UTF-8 (a BOM is dropped), else Windows-1252, which Excel France writes by default."""
    if len(data) > MAX_FILE_BYTES:
        size = MAX_FILE_BYTES // 1024 // 1024
        raise ImportFileError(_("The file is too big: %(size)s MB at most.") % {"size": size})
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportFileError(_("The file could not be read: save it as CSV UTF-8 and try again."))


def sniff_delimiter(text: str) -> str:
    """ ";" (Excel France) or ",": whichever the header line holds more of."""
    header = text.lstrip().split("\n", 1)[0]
    return ";" if header.count(";") >= header.count(",") else ","


def normalize_header(header: str) -> str:
    decomposed = unicodedata.normalize("NFKD", header.strip().lstrip("\ufeff"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()
    key = "_".join("".join(c if c.isalnum() else " " for c in plain).split())
    return HEADER_ALIASES.get(key, key)


def _lookup(choices: Iterable[tuple[object, str]]) -> dict[str, object]:
    """Codes and labels (French and English, any case, any accent) → code."""
    table: dict[str, object] = {}
    for language in ("fr", "en"):
        with translation.override(language):
            for value, label in choices:
                table[normalize_name(str(label))] = value
    for value, _label in choices:
        table[normalize_name(str(value))] = value
    return table


# French words people write, whatever the translation catalogue says (normalised keys).
FRENCH_SYNONYMS = {
    "type": {
        "personne": BeneficiaryKind.INDIVIDUAL,
        "individu": BeneficiaryKind.INDIVIDUAL,
        "particulier": BeneficiaryKind.INDIVIDUAL,
        "personne physique": BeneficiaryKind.INDIVIDUAL,
        "association": BeneficiaryKind.ASSOCIATION,
        "groupe de jeunes": BeneficiaryKind.YOUTH_GROUP,
        "collectif d habitants": BeneficiaryKind.RESIDENTS_COLLECTIVE,
        "collectif": BeneficiaryKind.RESIDENTS_COLLECTIVE,
        "structure de l ess": BeneficiaryKind.ESS_STRUCTURE,
        "ess": BeneficiaryKind.ESS_STRUCTURE,
        "collectivite": BeneficiaryKind.LOCAL_AUTHORITY,
        "collectivite territoriale": BeneficiaryKind.LOCAL_AUTHORITY,
        "collectivite locale": BeneficiaryKind.LOCAL_AUTHORITY,
        "entreprise": BeneficiaryKind.COMPANY,
    },
    "situation": {
        # (a), (b), (c): the three situations as the programme documents number them
        "a": Situation.NO_PROJECT,
        "b": Situation.WANTS_TO_ACT,
        "c": Situation.ALREADY_STARTED,
        "pas encore de projet envisage": Situation.NO_PROJECT,
        "pas de projet": Situation.NO_PROJECT,
        "veut agir ne sait pas comment": Situation.WANTS_TO_ACT,
        "veut agir": Situation.WANTS_TO_ACT,
        "projet deja engage": Situation.ALREADY_STARTED,
        "deja engage": Situation.ALREADY_STARTED,
        "deja commence": Situation.ALREADY_STARTED,
    },
    "priorite": {
        "haute": Priority.HIGH,
        "elevee": Priority.HIGH,
        "forte": Priority.HIGH,
        "moyenne": Priority.MEDIUM,
        "normale": Priority.MEDIUM,
        "basse": Priority.LOW,
        "faible": Priority.LOW,
    },
}


def choice_tables() -> dict[str, dict[str, object]]:
    tables = {
        "type": _lookup(BeneficiaryKind.choices),
        "situation": _lookup(Situation.choices),
        "priorite": _lookup(Priority.choices),
    }
    for column, synonyms in FRENCH_SYNONYMS.items():
        tables[column].update(synonyms)
    return tables


def read_rows(text: str) -> tuple[list[ImportRow], list[str]]:
    """Split the text into rows keyed by our column names; return them and the ignored headers."""
    delimiter = sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        headers = next(reader)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    keys = [normalize_header(h) for h in headers]
    if "nom" not in keys:
        raise ImportFileError(
            _('The first line must hold the column names, with at least "nom". Expected: %(cols)s.')
            % {"cols": ", ".join(COLUMNS)}
        )
    ignored = [h for h, k in zip(headers, keys, strict=True) if k not in FIELDS and h.strip()]
    rows: list[ImportRow] = []
    try:
        start = reader.line_num + 1
        for cells in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in cells):
                continue
            if len(rows) >= MAX_ROWS:
                raise ImportFileError(
                    _("The file has more than %(max)s rows: split it into several files.")
                    % {"max": MAX_ROWS}
                )
            raw = {}
            for key, cell in zip(keys, cells, strict=False):
                if key in FIELDS and key not in raw:
                    raw[key] = cell.strip()
            rows.append(ImportRow(line=line, raw=raw))
    except csv.Error as exc:
        raise ImportFileError(
            _("Line %(line)s could not be read (%(error)s).")
            % {"line": reader.line_num, "error": exc}
        ) from exc
    return rows, ignored


def parse_row(row: ImportRow, tables: dict[str, dict[str, object]]) -> None:
    """Fill row.values and row.errors from row.raw."""
    raw = row.raw
    name = raw.get("nom", "")
    if not name:
        row.add_error("nom", _("The name is required."))
    for column, limit in MAX_LENGTHS.items():
        if len(raw.get(column, "")) > limit:
            row.add_error(
                column,
                _("At most %(limit)s characters (this one has %(n)s).")
                % {"limit": limit, "n": len(raw[column])},
            )
    email = raw.get("email", "")
    if email:
        try:
            validate_email(email)
        except ValidationError:
            message = _("“%(value)s” is not a valid email address.") % {"value": email}
            row.add_error("email", message)
    postal_code = raw.get("code_postal", "").replace(" ", "")
    if postal_code and not (len(postal_code) == 5 and postal_code.isdigit()):
        message = _("“%(value)s” is not a postal code: 5 digits expected.")
        row.add_error("code_postal", message % {"value": raw["code_postal"]})
    values: dict[str, object] = {
        "name": name,
        "contact_name": raw.get("contact", ""),
        "email": email.lower(),
        "phone": raw.get("telephone", ""),
        "postal_code": postal_code,
        "territory": raw.get("territoire", ""),
        "notes": raw.get("notes", ""),
        "kind": BeneficiaryKind.INDIVIDUAL,
        "situation": "",
        "priority": Priority.MEDIUM,
    }
    unknown = {
        "type": _("Unknown kind “%(value)s”. Accepted: %(accepted)s."),
        "situation": _("Unknown situation “%(value)s”. Accepted: %(accepted)s."),
        "priorite": _("Unknown priority “%(value)s”. Accepted: %(accepted)s."),
    }
    accepted = {
        "type": BeneficiaryKind.choices,
        "situation": Situation.choices,
        "priorite": Priority.choices,
    }
    for column, message in unknown.items():
        value = raw.get(column, "")
        if not value:
            continue
        code = tables[column].get(normalize_name(value))
        if code is None:
            labels = ", ".join(str(label) for _code, label in accepted[column])
            row.add_error(column, message % {"value": value, "accepted": labels})
        else:
            values[FIELDS[column]] = code
    row.values = values


def validate(rows: list[ImportRow], existing: DuplicateKeys | None = None) -> None:
    """Parse each row, then flag duplicates: of a record already there, or of an earlier row."""
    tables = choice_tables()
    existing = existing or DuplicateKeys(emails=frozenset(), names=frozenset())
    seen_emails: dict[str, int] = {}
    seen_names: dict[tuple[str, str], int] = {}
    for row in rows:
        parse_row(row, tables)
        email = str(row.values.get("email", ""))
        name_key = (normalize_name(str(row.values.get("name", ""))), row.values.get("postal_code"))
        has_name_key = bool(name_key[0] and name_key[1])
        if email and email in existing.emails:
            row.add_error("email", _("A record with this email already exists."))
        elif has_name_key and name_key in existing.names:
            row.add_error("", _("A record with this name and postal code already exists."))
        if email and email in seen_emails:
            row.add_error(
                "email",
                _("Same email as line %(line)s of the file.") % {"line": seen_emails[email]},
            )
        elif has_name_key and name_key in seen_names:
            row.add_error(
                "",
                _("Same name and postal code as line %(line)s of the file.")
                % {"line": seen_names[name_key]},
            )
        if email:
            seen_emails.setdefault(email, row.line)
        if has_name_key:
            seen_names.setdefault(name_key, row.line)


def preview(data: bytes | str, existing: DuplicateKeys | None = None) -> ImportPreview:
    """Read and validate a whole file. Raises ImportFileError when it cannot be read at all."""
    text = decode(data) if isinstance(data, bytes) else data
    rows, ignored = read_rows(text)
    if not rows:
        raise ImportFileError(_("The file holds no row under its header line."))
    validate(rows, existing)
    return ImportPreview(rows=rows, ignored_headers=ignored)


def template_csv() -> str:
    """The empty file to fill in, with one example line, as Excel France opens it."""
    example = [
        "Collectif des Pentes",
        "Collectif d'habitants",
        "Awa Diallo",
        "contact@collectif-pentes.example.org",
        "06 12 34 56 78",
        "69001",
        "Lyon 1er",
        "Veut agir, ne sait pas comment",
        "Haute",
        "Rencontré au forum des associations",
    ]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerow(example)
    return "\ufeff" + buffer.getvalue()
