"""Argument types whose refusals say what to do next in the user's language (click's own are English)."""
import os
from pathlib import Path

import click

from server.cli.lang import cli_lang
from server.cli.problems import CommandFailed
from server.infra.i18n import msg


class ExistingFile(click.ParamType):
    """A file that exists and can be read; `as_path` gives a Path, else the string as typed."""

    name = "file"

    def __init__(self, as_path=False):
        self.as_path = as_path

    def convert(self, value, param, ctx):
        if isinstance(value, Path):
            value = str(value)
        where = os.path.abspath(value)
        if os.path.isdir(where):
            self._refuse(msg("%(path)r is a folder, not a file. Give the file inside it.", path=value))
        if not os.path.exists(where):
            self._refuse(msg("There is no file %(path)r (looked for %(where)s). Check the name and the "
                             "folder you run the command from; `ls` lists the files here.", path=value,
                             where=where))
        if not os.access(where, os.R_OK):
            self._refuse(msg("The file %(path)r cannot be read: ask its owner for read access, or copy it "
                             "somewhere you can read.", path=value))
        return Path(value) if self.as_path else value

    @staticmethod
    def _refuse(message):
        failed = CommandFailed(message.render(cli_lang()))
        failed.exit_code = 2  # a usage error, as click's own
        raise failed
