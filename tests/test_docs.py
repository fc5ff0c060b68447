"""The documentation cannot go stale: the CLI reference is the commands' own help, every command
has help with an example, the README stays short, links lead to files that exist, and the
README's test command is the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

import click
import pytest

from kg.cli import main
from kg.cli.reference import commands, render

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
DOCS = ROOT / "docs"
CI = ROOT / ".ci" / "run"
README_LIMIT = 10_000  # bytes: the README says what kg is and links to docs/ for the rest

_FENCE = re.compile(r"^(```|~~~).*?^\1[^\n]*$", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]\n]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_EXTERNAL = re.compile(r"^[a-z][a-z0-9+.-]*:", re.IGNORECASE)  # https:, mailto: ...


def markdown_files() -> list[Path]:
    return [README, *sorted(DOCS.glob("*.md"))]


def prose(markdown: str) -> str:
    """The text without fenced code blocks and code spans, where a link is not a link."""
    return _CODE_SPAN.sub("", _FENCE.sub("", markdown))


def relative_links(markdown: str) -> list[str]:
    return [
        target
        for target in _LINK.findall(prose(markdown))
        if not _EXTERNAL.match(target) and not target.startswith("#")
    ]


def heading_anchors(markdown: str) -> set[str]:
    """The anchors GitHub gives the headings: lower case, punctuation dropped, spaces as '-'."""
    anchors = set()
    for line in _FENCE.sub("", markdown).splitlines():
        if match := re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line):
            text = match.group(1).strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", text).replace(" ", "-"))
    return anchors


def anchors_of(page: Path) -> set[str]:
    return heading_anchors(page.read_text(encoding="utf-8"))


# (a) ------------------------------------------------------------------------------------------


def test_cli_reference_is_the_commands_help() -> None:
    checked_in = (DOCS / "cli.md").read_text(encoding="utf-8")
    assert checked_in == render(), (
        "docs/cli.md is not the commands' current --help; regenerate it with "
        "`python -m kg.cli.reference > docs/cli.md` and commit it"
    )


def test_cli_reference_does_not_depend_on_the_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = render()
    monkeypatch.setenv("COLUMNS", "40")
    assert render() == wide


# (b) ------------------------------------------------------------------------------------------


def test_the_reference_covers_every_command_of_the_group() -> None:
    context = click.Context(main, info_name="kg")
    listed = [name for name in main.list_commands(context) if not main.commands[name].hidden]
    assert [name for name, _ in commands()] == listed
    reference = render()
    for name in listed:
        assert f"## `kg {name}`" in reference


@pytest.mark.parametrize(
    "name", ["kg", *(f"kg {name}" for name, _ in commands())], ids=lambda name: name
)
def test_every_command_has_help_and_an_example(name: str) -> None:
    command = main if name == "kg" else main.commands[name.removeprefix("kg ")]
    assert command.short_help or (command.help or "").strip(), f"{name} has no help text"
    help_text = command.help or ""
    assert re.search(r"^\s*Examples?:\s*$", help_text, re.MULTILINE), (
        f"{name}'s help has no 'Example:' section"
    )
    example = help_text.split("Example", 1)[1]
    assert "kg " in example, f"{name}'s example section shows no kg command"


# (c) ------------------------------------------------------------------------------------------


def test_readme_is_short() -> None:
    size = len(README.read_bytes())
    assert size < README_LIMIT, (
        f"README.md is {size:,} bytes; keep it under {README_LIMIT:,} and move details to docs/"
    )


@pytest.mark.parametrize(
    "page", markdown_files(), ids=lambda path: path.relative_to(ROOT).as_posix()
)
def test_relative_links_lead_to_files_that_exist(page: Path) -> None:
    broken = []
    for target in relative_links(page.read_text(encoding="utf-8")):
        path_part, _, anchor = target.partition("#")
        destination = (page.parent / path_part).resolve()
        if not destination.exists():
            broken.append(f"{target}: no such file")
        elif anchor and destination.suffix == ".md" and anchor not in anchors_of(destination):
            broken.append(f"{target}: no heading #{anchor} in {path_part}")
    assert not broken, f"{page.relative_to(ROOT)}: broken links: {broken}"


def test_same_page_anchors_exist() -> None:
    broken = []
    for page in markdown_files():
        text = page.read_text(encoding="utf-8")
        anchors = heading_anchors(text)
        for target in _LINK.findall(prose(text)):
            if target.startswith("#") and target[1:] not in anchors:
                broken.append(f"{page.relative_to(ROOT)}: {target}")
    assert not broken, f"links to headings that do not exist: {broken}"


def test_docs_index_links_every_page() -> None:
    linked = {
        Path(target.partition("#")[0]).name
        for target in relative_links((DOCS / "index.md").read_text(encoding="utf-8"))
    }
    pages = {path.name for path in DOCS.glob("*.md")} - {"index.md"}
    assert pages <= linked, f"docs/index.md does not link {sorted(pages - linked)}"


# (d) ------------------------------------------------------------------------------------------


def test_readme_test_command_is_the_one_ci_runs() -> None:
    readme = README.read_text(encoding="utf-8")
    blocks = re.findall(r"^```(?:sh|bash|console)?\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    commands_shown = [line.strip() for block in blocks for line in block.splitlines()]
    test_commands = [line for line in commands_shown if "pytest" in line]
    assert test_commands, "the README shows no test command"
    quick_start = test_commands[0]
    ci_lines = {line.strip() for line in CI.read_text(encoding="utf-8").splitlines()}
    assert quick_start in ci_lines, (
        f"the README's test command {quick_start!r} is not a line of .ci/run; keep the two the same"
    )
