"""No file of the project keeps a line of a merge conflict.

A `=======` left in site.css once closed nothing: every rule after it, inside an
unclosed @media print block, never reached a screen.
"""

import pathlib
import re

ROOT = pathlib.Path(__file__).resolve().parent.parent
MARKER = re.compile(r"^(<{7}|={7}|>{7})( |$)", re.M)
SUFFIXES = {".py", ".html", ".css", ".js", ".txt", ".md", ".toml", ".po", ".svg", ".json"}


def marked_files(root: pathlib.Path) -> list[str]:
    found = []
    for path in root.rglob("*"):
        if any(part in {".git", ".venv", "var", "node_modules"} for part in path.parts):
            continue
        if (
            path.is_file()
            and path.suffix in SUFFIXES
            and MARKER.search(path.read_text(errors="replace"))
        ):
            found.append(str(path.relative_to(root)))
    return found


def test_no_file_keeps_a_merge_conflict_marker():
    assert marked_files(ROOT) == []


def test_the_check_finds_a_marker(tmp_path):
    (tmp_path / "site.css").write_text("a {\n=======\n}\n")
    (tmp_path / "fine.css").write_text("/* ======= a heading rule */\n")
    assert marked_files(tmp_path) == ["site.css"]
