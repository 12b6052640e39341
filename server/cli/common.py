"""Helpers shared by the CLI commands.

A command module declares its commands (arguments, options, help) at import and imports the domain
inside each command's body (`# lazy: --help`): `fieldcheck GROUP --help` and `fieldcheck GROUP CMD
--help` import neither Flask, SQLAlchemy nor the domain, so they answer at once (bench/bench_cli.py).
Flask itself is imported only when a command runs (`with_app`).
"""
import os

import click

from server.cli.lang import cli_lang
from server.cli.problems import CommandFailed, describe_problem
from server.infra.commands import with_app
from server.infra.errors import Problem

__all__ = ["CommandFailed", "CommandGroup", "cli_lang", "collect_url", "commit", "describe_problem",
           "password_from_env_or_prompt", "public_url", "with_app"]


def password_from_env_or_prompt(required=True):
    """FIELDCHECK_PASSWORD, else a hidden prompt; never a command-line argument (it would show in ps)."""
    password = os.environ.get("FIELDCHECK_PASSWORD")
    if password:
        return password
    if not required:
        return None
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def public_url():
    from server.infra import addresses  # lazy: --help imports no Flask

    return addresses.public_base()


def collect_url(evaluation, token):
    """The server URL an enumerator types (or scans) into ODK Collect."""
    return f"{public_url()}/key/{token}/{evaluation.code}"


def commit():
    from server.infra.extensions import db  # lazy: --help imports no SQLAlchemy

    db.session.commit()


class CommandGroup(click.Group):
    """A command group whose commands run in the app's context and report a Problem as one
    'Error: message [code]' line (in the language of --lang), with what to do next when we know it."""

    def command(self, *args, **kwargs):
        wrap = kwargs.pop("with_appcontext", True)

        def decorator(f):
            return click.Group.command(self, *args, **kwargs)(with_app(f) if wrap else f)
        return decorator

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Problem as problem:
            raise CommandFailed(describe_problem(problem)) from None
