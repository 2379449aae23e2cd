"""`workbench batch`: many commands in one process, for scripts.

Every `workbench` process pays for loading its libraries (SQLAlchemy most of all) before
it does anything; a script of 200 `workbench code` calls pays it 200 times. A batch pays it
once: each line is one command, run as its own change (undoable one by one, as if typed).
"""

from __future__ import annotations

import os
import shlex
from typing import IO

import click

from workbench.cli.output import say

PROGRAM = "workbench"
CODER_VARIABLE = "WORKBENCH_CODER"


def batch_lines(stream: IO[str]) -> list[tuple[int, list[str]]]:
    """(line number, arguments) per command line; blank lines and `# comments` skipped, a
    leading `workbench` dropped, so lines of an existing shell script can be fed as they are."""
    commands = []
    for number, line in enumerate(stream, start=1):
        try:
            words = shlex.split(line, comments=True)
        except ValueError as error:
            raise click.UsageError(f"line {number}: {error}") from None
        if words and words[0] == PROGRAM:
            words = words[1:]
        if words:
            commands.append((number, words))
    return commands


@click.command("batch")
@click.argument("script", type=click.File("r", encoding="utf-8"), default="-")
@click.option(
    "--keep-going",
    is_flag=True,
    help="Run the remaining lines after one fails (the exit code still says it failed).",
)
@click.pass_context
def batch_command(ctx: click.Context, script: IO[str], keep_going: bool) -> None:
    """Run one workbench command per line of SCRIPT (default: standard input).

    Each line is a command as you would type it after `workbench`, e.g.
    `code R01 12 --span 120:180`; the --project and --coder given before `batch` apply to
    every line (a line's own options win). Each line is its own change, undone one by
    one. The batch stops at the first line that fails (unless --keep-going), naming it;
    the lines before it stay done.
    """
    root = ctx.find_root()
    project = root.params.get("project")
    prefix = ["--project", str(project)] if project else []
    coder = root.params.get("coder")
    if coder:  # every command's --coder defaults to $WORKBENCH_CODER
        os.environ[CODER_VARIABLE] = str(coder)
    failed: list[int] = []
    done = 0
    commands = batch_lines(script)
    for number, words in commands:
        if words[0] == "batch":
            raise click.UsageError(f"line {number}: a batch cannot run another batch")
        if _run(root.command, [*prefix, *words], number):
            failed.append(number)
            if not keep_going:
                say(f"batch stopped at line {number}; the {done} command(s) before it were done")
                ctx.exit(1)
        else:
            done += 1
    if failed:
        say(f"batch: line(s) {', '.join(map(str, failed))} failed; {done} command(s) done")
        ctx.exit(1)
    say(f"batch: {done} command(s) done")


def _run(command: click.Command, arguments: list[str], number: int) -> int:
    """Run one line; its exit code (0 when it succeeded)."""
    try:
        result = command.main(arguments, prog_name=PROGRAM, standalone_mode=False)
    except click.ClickException as error:
        say(f"line {number}: {error.format_message()}")
        return error.exit_code
    except click.exceptions.Exit as done:
        return done.exit_code
    if isinstance(result, int) and result:
        say(f"line {number}: failed (exit code {result})")
        return result
    return 0


def register(group: click.Group) -> None:
    group.add_command(batch_command)
