"""The catalogues are complete and current, and no user-facing string escapes them.

CI fails when a template or Python string meant for users is not marked for
translation, when the catalogues lag behind the code (`make messages` was not run),
or when an entry is untranslated, fuzzy or drops a placeholder.
"""

import ast
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.template.base import Lexer, TokenType

from tests.conftest import require

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["es", "pt_BR", "ja"]
CATALOGUES = {code: ROOT / "locale" / code / "LC_MESSAGES" / "django.po" for code in LANGUAGES}
APPS = ["alliance", "cities", "networks"]
LETTER = re.compile(r"[^\W\d_]")
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]|\{[a-z_]*\}")


def entries(code):
    return [entry for entry in polib.pofile(str(CATALOGUES[code])) if not entry.obsolete]


@pytest.mark.parametrize("code", LANGUAGES)
def test_every_entry_is_translated_and_none_is_fuzzy(code):
    problems = []
    for entry in entries(code):
        label = f"{entry.msgctxt or ''}|{entry.msgid[:60]}"
        if "fuzzy" in entry.flags:
            problems.append(f"fuzzy: {label}")
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        if not all(form.strip() for form in forms):
            problems.append(f"untranslated: {label}")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("code", LANGUAGES)
def test_translations_keep_every_placeholder(code):
    problems = []
    for entry in entries(code):
        wanted = set(PLACEHOLDER.findall(entry.msgid + entry.msgid_plural))
        forms = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for form in forms:
            found = set(PLACEHOLDER.findall(form))
            # A plural form may leave out the count ("one city" needs no number).
            if not found <= wanted or not (wanted - {"%(counter)s", "%(count)s"}) <= found:
                problems.append(f"{entry.msgid[:60]!r}: {sorted(wanted)} vs {form[:60]!r}")
    assert not problems, "\n".join(problems)


def extracted_msgids(tmp_path) -> dict[str, set]:
    """Run makemessages, with the Makefile's arguments, on a copy of the code."""
    require(shutil.which("xgettext") is not None, "GNU gettext (xgettext) is not installed")
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(".git", ".venv", "var", "node_modules", "*.mo"),
    )
    makefile = (ROOT / "Makefile").read_text()
    args = re.search(r"^MESSAGES_ARGS := (.*?)(?<!\\)$", makefile, re.M | re.S).group(1)
    subprocess.run(  # noqa: S603 (our own manage.py, arguments from our Makefile)
        [sys.executable, "manage.py", "makemessages", *args.replace("\\\n", " ").split()],
        cwd=copy,
        env={"DJANGO_DEBUG": "true", "PATH": "/usr/bin:/bin"},
        check=True,
        capture_output=True,
    )
    return {
        code: {
            (e.msgctxt, e.msgid)
            for e in polib.pofile(str(copy / "locale" / code / "LC_MESSAGES" / "django.po"))
        }
        for code in LANGUAGES
    }


def test_catalogues_hold_exactly_the_strings_of_the_code(tmp_path):
    fresh = extracted_msgids(tmp_path)
    for code in LANGUAGES:
        committed = {(e.msgctxt, e.msgid) for e in entries(code)}
        missing = sorted(fresh[code] - committed, key=str)
        stale = sorted(committed - fresh[code], key=str)
        assert not missing and not stale, (
            f"{code}: run `make messages` and translate. New: {missing[:10]} "
            f"Gone from the code: {stale[:10]}"
        )


# Templates ----------------------------------------------------------------------

# Attributes whose values people read or hear.
READ_ATTRIBUTES = {"alt", "title", "placeholder", "aria-label", "aria-description"}


class _VisibleText(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found, self._skip = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        named = dict(attrs)
        read = set(READ_ATTRIBUTES)
        if tag == "meta" and named.get("name") == "description":
            read.add("content")
        if named.get("type") in ("submit", "button"):
            read.add("value")
        for name, value in attrs:
            if name in read and value and LETTER.search(value):
                self.found.append(f'{name}="{value}"')

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip and LETTER.search(data):
            self.found.append(data.strip())


def unmarked_text(source: str, plain: bool) -> list[str]:
    """Literal text of a template outside {% translate %} / {% blocktranslate %}."""
    literal, depth = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in ("blocktranslate", "blocktrans", "comment", "verbatim"):
                depth += 1
            elif name in ("endblocktranslate", "endblocktrans", "endcomment", "endverbatim"):
                depth -= 1
        if token.token_type == TokenType.TEXT and depth == 0:
            literal.append(token.contents)
        elif literal and literal[-1].endswith("<"):
            literal.append("x")  # a tag name chosen by the template: <{{ heading }} ...>
        else:
            literal.append(" ")  # keeps "<a>" + tag + "</a>" from reading as words
    text = "".join(literal)
    if plain:
        return [line.strip() for line in text.splitlines() if LETTER.search(line)]
    parser = _VisibleText()
    parser.feed(text)
    return parser.found


def templates():
    folders = [ROOT / "templates", *(ROOT / app / "templates" for app in APPS)]
    return sorted(
        p for folder in folders for p in folder.rglob("*") if p.suffix in (".html", ".txt")
    )


def test_every_template_string_is_marked_for_translation():
    problems = []
    for path in templates():
        found = unmarked_text(path.read_text(), plain=path.suffix == ".txt")
        problems += [f"{path.relative_to(ROOT)}: {text[:80]!r}" for text in found]
    assert not problems, "Unmarked text in templates:\n" + "\n".join(problems)


def test_the_template_check_catches_unmarked_text():
    html = '<p>{% translate "Fine" %}</p><p>Forgotten</p><img alt="A logo">'
    assert unmarked_text(html, plain=False) == ["Forgotten", 'alt="A logo"']
    assert unmarked_text("{% blocktranslate %}Fine {{ x }}{% endblocktranslate %}", False) == []
    assert unmarked_text("Hello,\n{{ name }}", plain=True) == ["Hello,"]


# Python -------------------------------------------------------------------------

TEXT_KEYWORDS = {"verbose_name", "verbose_name_plural", "help_text", "label", "empty_label"}
TEXT_KEYWORDS |= {"description", "message", "short_description"}
MESSAGE_FUNCTIONS = {"success", "error", "info", "warning", "add_message", "debug"}
TEXT_CALLS = {"ValidationError", "HttpResponseBadRequest", "HttpResponseForbidden"}


def _is_text(node) -> bool:
    if isinstance(node, ast.JoinedStr):
        return True
    return (
        isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and bool(LETTER.search(node.value))
    )


def unmarked_python(source: str) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call):
            name = getattr(node.func, "attr", getattr(node.func, "id", ""))
            args = list(node.args)
            if name in MESSAGE_FUNCTIONS and getattr(node.func, "value", None) is not None:
                owner = getattr(node.func.value, "id", "")
                if owner == "messages":
                    args = args[1:] if name != "add_message" else args[2:]
                    found += [(a.lineno, name) for a in args[:1] if _is_text(a)]
            if name in TEXT_CALLS:
                found += [(a.lineno, name) for a in args[:1] if _is_text(a)]
            relation = name in ("ManyToManyField", "OneToOneField")  # first: the model
            if name.endswith("Field") and not relation and args and _is_text(args[0]):
                found.append((node.lineno, f"{name} verbose name"))
            found += [
                (kw.value.lineno, kw.arg)
                for kw in node.keywords
                if kw.arg in TEXT_KEYWORDS and _is_text(kw.value)
            ]
        elif isinstance(node, ast.ClassDef) and any(
            getattr(base, "attr", getattr(base, "id", "")) in ("TextChoices", "IntegerChoices")
            for base in node.bases
        ):
            for item in node.body:
                value = getattr(item, "value", None)
                pair = isinstance(value, ast.Tuple) and len(value.elts) == 2
                if pair and _is_text(value.elts[1]):
                    found.append((item.lineno, "choice label"))
    return found


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts and "demo" not in path.parts:
                yield path


def test_every_python_string_meant_for_users_is_marked_for_translation():
    problems = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in python_files()
        for line, what in unmarked_python(path.read_text())
    ]
    assert not problems, "Unmarked user-facing strings:\n" + "\n".join(problems)


def test_the_python_check_catches_unmarked_strings():
    source = (
        "messages.success(request, 'Saved')\n"
        "messages.success(request, _('Saved'))\n"
        "name = models.CharField('name')\n"
        "f = forms.CharField(label=_('Name'), help_text='Plain')\n"
        "raise ValidationError(f'bad {x}')\n"
    )
    assert [line for line, _what in unmarked_python(source)] == [1, 3, 4, 5]
