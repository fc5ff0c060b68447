"""The `kg` command: thin click commands over the library, one module a command.

Exit codes: 0 the graph conforms (warnings allowed), 1 it does not conform, 2 an input, usage,
shapes or store error (pySHACL's three); 70 an internal error (a bug in kg: please report it);
130 interrupted (Ctrl-C). Errors are one line on stderr, with credentials removed
(kg.core.redact); a traceback only with ``kg --debug``.
"""

from __future__ import annotations

import logging
import os
import sys
import traceback
from typing import Any

import click

from kg.cli._shared import EXIT_ERROR, EXIT_INTERNAL_ERROR, EXIT_INTERRUPTED
from kg.cli.convert import convert
from kg.cli.export import export
from kg.cli.load import load
from kg.cli.query import queries, query
from kg.cli.report import report
from kg.cli.serve import serve
from kg.cli.site import site
from kg.cli.validate import validate
from kg.core.redact import environment_secrets, redact
from kg.core.text import one_line
from kg.core.version import __version__
from kg.errors import KgError

EXIT_BROKEN_PIPE = 128 + 13  # as a process killed by SIGPIPE


class _KgGroup(click.Group):
    """Runs a command and turns what escapes it into one line and an exit code."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as error:  # one line, as every other error
            command = " ".join(filter(None, ["kg", ctx.invoked_subcommand]))
            message = " ".join(error.format_message().split())  # click lists choices on lines
            _fail(f"Error: {message} (see '{command} --help')", EXIT_ERROR)
        except (click.ClickException, click.exceptions.Exit, click.Abort):
            raise
        except KgError as error:
            _fail(f"Error: {error}", EXIT_ERROR)
        except BrokenPipeError:
            # The reader went away (`kg query ... | head`): stop quietly, as cat and grep do.
            # Standard output is pointed at /dev/null so that Python's final flush cannot fail.
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
            sys.exit(EXIT_BROKEN_PIPE)
        except OSError as error:
            where = f"{error.filename}: " if error.filename else ""
            _fail(f"Error: {where}{error.strerror or error}", EXIT_ERROR)
        except KeyboardInterrupt:
            _fail("interrupted", EXIT_INTERRUPTED)
        except Exception as error:
            if ctx.params.get("debug"):
                click.echo(_redacted(traceback.format_exc().rstrip("\n")), err=True)
            _fail(
                f"internal error: {type(error).__name__}: {one_line(error)}; please report it "
                "(run again with kg --debug for the traceback)",
                EXIT_INTERNAL_ERROR,
            )


def _fail(message: str, code: int) -> None:
    click.echo(_redacted(message), err=True)
    sys.exit(code)


def _redacted(text: str) -> str:
    """No credential reaches the terminal, wherever the text came from (a store's error page
    may repeat the headers kg sent)."""
    return redact(text, environment_secrets())


@click.group(cls=_KgGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
@click.option("--debug", is_flag=True, help="On an internal error, print its traceback.")
def main(debug: bool) -> None:
    """Turn bibliographic search results into a validated linked-data knowledge graph.

    \b
    Example:
      kg export examples/peer-support-search.txt examples/peer-support.ris --out export/
      kg query export/graph.ttl --example prolific-authors
      kg convert export/graph.ttl --to bibtex --out works.bib
    """
    # rdflib logs a traceback for every ill-typed literal (a date like 2020-02-31) it reads;
    # the shapes report those values properly, so the tracebacks would only hide the report.
    logging.getLogger("rdflib.term").setLevel(logging.CRITICAL)


for _command in (export, validate, queries, query, serve, convert, load, report, site):
    main.add_command(_command)
