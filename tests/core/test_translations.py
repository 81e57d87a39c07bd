"""The French catalogue is complete, well formed, and compiled from its current source.

French is the default language and the templates hold English msgids, so an empty or
fuzzy msgstr shows English to French users. These checks need no database.
"""

import gettext
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

FR_DIR = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"
FR_PO = FR_DIR / "django.po"
FR_MO = FR_DIR / "django.mo"

MSGATTRIB = shutil.which("msgattrib")
MSGFMT = shutil.which("msgfmt")

_KEYWORD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[(\d+)\])?)\s+(".*")$')
_ESCAPE = re.compile(r"\\(.)")
_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_PLACEHOLDER = re.compile(r"%\((\w+)\)[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa]")


@dataclass
class Entry:
    msgctxt: str | None = None
    msgid: str = ""
    msgid_plural: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)
    line: int = 0

    @property
    def is_header(self) -> bool:
        return self.msgid == "" and self.msgctxt is None

    @property
    def label(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def _unquote(quoted: str) -> str:
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), quoted[1:-1])


def parse_po(path: Path) -> list[Entry]:
    """A small .po reader: comments, flags, context, multi-line strings and plural forms.

    Obsolete entries (``#~``) are ignored, as msgfmt ignores them.
    """
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int | None] | None = None

    def flush() -> None:
        nonlocal current, target
        if current is not None and (current.msgid or current.msgstr):
            entries.append(current)
        current, target = None, None

    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line:
            flush()
            continue
        if line.startswith("#~"):
            continue
        # A comment or a new msgctxt/msgid after a msgstr starts the next entry.
        starts_entry = line.startswith("#") or line.startswith(("msgctxt ", "msgid "))
        if current is not None and current.msgstr and starts_entry:
            flush()
        if current is None:
            current = Entry(line=number)
        if line.startswith("#,"):
            current.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        if line.startswith("#"):
            continue
        match = _KEYWORD.match(line)
        if match:
            keyword, index, quoted = match.groups()
            if keyword == "msgid":
                current.line = number
            target = (keyword.split("[")[0], int(index) if index is not None else None)
            _append(current, target, _unquote(quoted), reset=True)
        elif line.startswith('"') and line.endswith('"') and target is not None:
            _append(current, target, _unquote(line), reset=False)
        else:
            raise ValueError(f"{path}:{number}: cannot parse {raw!r}")
    flush()
    return entries


def _append(entry: Entry, target: tuple[str, int | None], text: str, *, reset: bool) -> None:
    keyword, index = target
    if keyword == "msgstr":
        key = index or 0
        entry.msgstr[key] = text if reset else entry.msgstr[key] + text
    else:
        previous = "" if reset else (getattr(entry, keyword) or "")
        setattr(entry, keyword, previous + text)


@pytest.fixture(scope="module")
def entries() -> list[Entry]:
    return parse_po(FR_PO)


def test_the_parser_reads_the_whole_catalogue(entries):
    messages = [entry for entry in entries if not entry.is_header]
    assert len(messages) > 100
    assert any(entry.msgid_plural for entry in messages)
    assert sum(entry.is_header for entry in entries) == 1


def test_every_french_entry_is_translated(entries):
    untranslated = [
        entry.label
        for entry in entries
        if not entry.is_header and (not entry.msgstr or not all(entry.msgstr.values()))
    ]
    plural_gaps = [
        entry.label
        for entry in entries
        if entry.msgid_plural is not None and sorted(entry.msgstr) != [0, 1]
    ]
    assert untranslated == []
    assert plural_gaps == []


def test_no_french_entry_is_fuzzy(entries):
    assert [entry.label for entry in entries if "fuzzy" in entry.flags] == []


def test_french_placeholders_match_the_english(entries):
    mismatched = []
    for entry in entries:
        if entry.is_header:
            continue
        expected = set(_PLACEHOLDER.findall(entry.msgid))
        if entry.msgid_plural is not None:
            expected |= set(_PLACEHOLDER.findall(entry.msgid_plural))
        for text in entry.msgstr.values():
            found = set(_PLACEHOLDER.findall(text))
            # A singular French form may leave out the number, never add a name.
            if not found <= expected or (entry.msgid_plural is None and found != expected):
                mismatched.append(entry.label)
    assert mismatched == []


@pytest.mark.skipif(MSGATTRIB is None, reason="GNU gettext (msgattrib) is not installed")
@pytest.mark.parametrize("option", ["--untranslated", "--only-fuzzy"])
def test_msgattrib_finds_nothing_to_translate(option):
    result = subprocess.run(  # noqa: S603 - fixed arguments, absolute path from shutil.which
        [MSGATTRIB, option, str(FR_PO)], capture_output=True, text=True, check=True
    )
    assert result.stdout == ""


def test_compiled_catalogue_matches_the_po(entries):
    """The .mo holds exactly the .po's translations: compilemessages was run after the edit."""
    assert FR_MO.exists(), "run: python manage.py compilemessages --ignore=.venv"
    with FR_MO.open("rb") as mo:
        catalog = dict(gettext.GNUTranslations(mo)._catalog)
    catalog.pop("", None)

    expected: dict[object, str] = {}
    for entry in entries:
        if entry.is_header:
            continue
        msgid = entry.msgid if entry.msgctxt is None else f"{entry.msgctxt}\x04{entry.msgid}"
        if entry.msgid_plural is None:
            expected[msgid] = entry.msgstr[0]
        else:
            for index, text in entry.msgstr.items():
                expected[(msgid, index)] = text
    assert catalog == expected


@pytest.mark.skipif(MSGFMT is None, reason="GNU gettext (msgfmt) is not installed")
def test_compiled_catalogue_is_byte_identical_to_a_fresh_compile(tmp_path):
    fresh = tmp_path / "django.mo"
    subprocess.run(  # noqa: S603 - fixed arguments, absolute path from shutil.which
        [MSGFMT, "--check-format", "-o", str(fresh), str(FR_PO)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert fresh.read_bytes() == FR_MO.read_bytes()


def test_django_serves_the_french_catalogue():
    with translation.override("fr"):
        assert translation.gettext("Log in") == "Se connecter"
        assert translation.gettext("My appointments") == "Mes rendez-vous"
        plural = translation.ngettext("%(counter)s beneficiary", "%(counter)s beneficiaries", 2)
        assert plural % {"counter": 2} == "2 bénéficiaires"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"
