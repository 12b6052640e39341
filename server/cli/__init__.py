"""The `fieldcheck` console script: a Flask CLI group bound to `create_app`.

Every command renders a `Problem` or a `ConfigError` as one line on stderr and a non-zero exit.
"""
import sys

import click
from flask.cli import FlaskGroup

from server.errors import ConfigError, Problem


def register(app):
    from server.cli import accounts, evaluations, forms, households, pipeline, rules, serve, tokens
    from server.cli import figures
    from worker.cli import relay_command, worker_command

    for command in (evaluations.group, accounts.users, accounts.enumerators, tokens.group, forms.group,
                    pipeline.group, rules.group, households.group, households.samples, households.assignments,
                    serve.serve_command, serve.demo_command, worker_command, relay_command,
                    figures.figures_command, figures.backchecks):
        app.cli.add_command(command)


def _create_app():
    from server import create_app

    return create_app()


class FieldcheckGroup(FlaskGroup):
    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (ConfigError, Problem) as exc:
            click.echo(f"fieldcheck: {_describe(exc)}", err=True)
            sys.exit(2 if isinstance(exc, ConfigError) else 1)


def _describe(exc):
    if isinstance(exc, ConfigError):
        return f"configuration error: {exc}"
    return f"{exc.message} [{exc.code}]"


main = FieldcheckGroup(name="fieldcheck", create_app=_create_app, add_version_option=True,
                       load_dotenv=False, help="fieldcheck: field surveys for third-party evaluation.")
