"""Helpers shared by the CLI commands."""
import os

import click
from flask import current_app
from flask.cli import AppGroup

from server.errors import Problem
from server.extensions import db


def password_from_env_or_prompt(required=True):
    """FIELDCHECK_PASSWORD, else a hidden prompt; never a command-line argument (it would show in ps)."""
    password = os.environ.get("FIELDCHECK_PASSWORD")
    if password:
        return password
    if not required:
        return None
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


def public_url():
    return (current_app.config["PUBLIC_URL"] or "http://127.0.0.1:8000").rstrip("/")


def collect_url(evaluation, token):
    """The server URL an enumerator types (or scans) into ODK Collect."""
    return f"{public_url()}/key/{token}/{evaluation.code}"


def commit():
    db.session.commit()


class CommandGroup(AppGroup):
    """A command group whose commands report a Problem as one 'Error: message [code]' line."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except Problem as problem:
            raise click.ClickException(f"{problem.message} [{problem.code}]") from None
