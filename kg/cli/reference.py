"""The command-line reference (docs/cli.md), rendered from the commands' own --help.

Regenerate it with ``python -m kg.cli.reference > docs/cli.md``; tests/test_docs.py fails when
the checked-in file differs from :func:`render`. The help is formatted by click at a fixed width,
so the text does not depend on the terminal it is rendered in.
"""

from __future__ import annotations

import click

from kg.cli import main

WIDTH = 100  # columns of the rendered help, whatever the terminal's width

_PREAMBLE = """\
# Command-line reference

Every command's `--help`, as `kg` prints it. This file is generated: do not edit it by hand.
After changing a command, regenerate it with

```sh
python -m kg.cli.reference > docs/cli.md
```

`tests/test_docs.py` fails when this file differs from the commands' help.
"""


def _context(command: click.Command, name: str, parent: click.Context | None) -> click.Context:
    """The context `kg NAME --help` would run in (the command's own settings, such as -h for
    help), at the fixed width."""
    settings = {**command.context_settings, "terminal_width": WIDTH, "max_content_width": WIDTH}
    return click.Context(command, parent=parent, info_name=name, **settings)


def _section(title: str, help_text: str) -> str:
    return f"## `{title}`\n\n```text\n{help_text.rstrip()}\n```\n"


def commands(group: click.Group = main) -> list[tuple[str, click.Command]]:
    """The group's commands, by name, in the order its --help lists them."""
    context = _context(group, "kg", None)
    found = []
    for name in group.list_commands(context):
        command = group.get_command(context, name)
        if command is not None and not command.hidden:
            found.append((name, command))
    return found


def render(group: click.Group = main) -> str:
    """The Markdown reference: the group's --help, then each command's, in the group's order."""
    root = _context(group, "kg", None)
    sections = [_PREAMBLE, _section("kg", group.get_help(root))]
    for name, command in commands(group):
        context = _context(command, name, root)
        sections.append(_section(f"kg {name}", command.get_help(context)))
    return "\n".join(sections)


if __name__ == "__main__":
    print(render(), end="")
