"""The `fieldcheck` console script.

`fieldcheck --help` lists the commands from the table below without importing them, and a
command's module is imported only when that command runs, so start-up stays well under a
second (bench/bench_cli.py). Commands get an app without web routes (create_app(web=False));
Flask's developer commands (run, shell, routes) get the whole app and are listed apart.
Every command renders a `Problem` or a `ConfigError` as one line on stderr and a non-zero exit.
`--lang zh|en` picks the language of messages (default: from LC_ALL / LC_MESSAGES / LANG).
"""
import importlib
import sys

import click

from server.cli.lang import LANG_KEY, default_lang

# name: (module, attribute, the one-line help shown by --help; a test keeps it equal to the command's)
COMMANDS = {
    "assignments": ("server.cli.households", "assignments", "Assign households or villages to enumerators."),
    "audit": ("server.cli.audit", "audit_command",
              "The audit log of evaluation CODE, newest first; the last..."),
    "backchecks": ("server.cli.figures", "backchecks", "Back-checks: draw, list, report."),
    "chain": ("server.cli.chain", "group", "The evidence chain: verify it, export its daily digest."),
    "db": ("server.cli.migrations", "db", "Perform database migrations."),
    "decrypt": ("server.cli.decryption", "decrypt_command",
                "Decrypt the encrypted interviews of CODE that wait..."),
    "demo": ("server.cli.serve", "demo_command",
             "Load a demo evaluation ready for ODK Collect, and print how..."),
    "enumerators": ("server.cli.accounts", "enumerators", "Enumerators who use ODK Collect."),
    "evaluations": ("server.cli.evaluations", "group", "Evaluation campaigns."),
    "export": ("server.cli.exports", "export_command",
               "Export the interviews of form FORM_ID (all its versions) of..."),
    "figures": ("server.cli.figures", "figures_command",
                "The figures of evaluation CODE at LEVEL: value,..."),
    "forms": ("server.cli.forms", "group", "XLSForm questionnaires."),
    "households": ("server.cli.households", "group",
                   "The household register (the archive records) and QR cards."),
    "pipeline": ("server.cli.pipeline", "group", "Background work: status, failures, retries, re-checks."),
    "relay": ("worker.cli", "relay_command",
              "Wake the queues of outbox events that never reached a worker..."),
    "report": ("server.cli.exports", "report_command",
               "The evaluation report of CODE (两率一度, flagged households,..."),
    "roles": ("server.cli.roles", "roles_command",
              "What each role and token scope may do in its evaluation."),
    "rules": ("server.cli.rules", "group", "Recusal and quality rules: list them, show an evaluation's..."),
    "samples": ("server.cli.samples", "group", "Reproducible samples drawn from the register."),
    "serve": ("server.cli.serve", "serve_command",
              "Serve the web app (gunicorn) and a worker; stop both on..."),
    "tokens": ("server.cli.tokens", "group", "API bearer tokens (e.g. for the archive system)."),
    "users": ("server.cli.accounts", "users", "Dashboard and API users."),
    "worker": ("worker.cli", "worker_command", "Run a worker on QUEUES (default: all)."),
}
DEVELOPER_COMMANDS = {
    "routes": ("flask.cli", "routes_command", "Show the routes for the app."),
    "run": ("flask.cli", "run_command", "Run a development server."),
    "shell": ("flask.cli", "shell_command", "Run a shell in the app context."),
}
NEEDS_MIGRATIONS = ("db", "serve")  # serve checks the schema is current before it starts


class FieldcheckCLI(click.Group):
    """A group that knows its commands by name and imports one only to run it."""

    def list_commands(self, ctx):
        return sorted(COMMANDS) + sorted(DEVELOPER_COMMANDS)

    def get_command(self, ctx, name):
        entry = COMMANDS.get(name) or DEVELOPER_COMMANDS.get(name)
        if entry is None:
            return None
        ctx.meta["fieldcheck.web"] = name in DEVELOPER_COMMANDS
        ctx.meta["fieldcheck.migrations"] = name in NEEDS_MIGRATIONS or name in DEVELOPER_COMMANDS
        if ctx.obj is None or getattr(ctx.obj, "fieldcheck_default", False):
            ctx.obj = _app_loader(ctx, flask=not entry[0].startswith(("server.", "worker.")))
        return getattr(importlib.import_module(entry[0]), entry[1])

    def format_commands(self, ctx, formatter):
        for title, table in (("Commands", COMMANDS), ("Developer commands (Flask)", DEVELOPER_COMMANDS)):
            with formatter.section(title):
                formatter.write_dl([(name, table[name][2]) for name in sorted(table)])

    def invoke(self, ctx):
        from server.infra.errors import ConfigError, Problem  # lazy: start-up time of the fieldcheck command

        try:
            return super().invoke(ctx)
        except ConfigError as exc:
            click.echo(f"fieldcheck: configuration error: {exc}", err=True)
            sys.exit(2)
        except Problem as problem:
            from server.cli.problems import CommandFailed, describe_problem  # lazy: start-up time

            raise CommandFailed(describe_problem(problem)) from None


def _app_loader(ctx, flask):
    """What builds the command's app when it first needs it: Flask's ScriptInfo for Flask's and
    Flask-Migrate's own commands, else our AppLoader (which imports no Flask before it is used)."""
    def create():
        meta = ctx.meta
        return _create_app(meta.get("fieldcheck.web", False), meta.get("fieldcheck.migrations", False))
    if flask:
        from flask.cli import ScriptInfo

        loader = ScriptInfo(create_app=create, set_debug_flag=False, load_dotenv_defaults=False)
    else:
        from server.infra.commands import AppLoader  # lazy: start-up time of the fieldcheck command

        loader = AppLoader(create)
    loader.fieldcheck_default = True  # made here, not handed in by a test
    return loader


def _create_app(web, migrations):
    from server import create_app  # lazy: start-up time of the fieldcheck command

    return create_app(web=web, migrations=migrations)


def _version(ctx, _param, value):
    if value and not ctx.resilient_parsing:
        from importlib.metadata import version

        click.echo(f"fieldcheck {version('fieldcheck')}")
        ctx.exit()


@click.group(cls=FieldcheckCLI, name="fieldcheck",
             help="fieldcheck: field surveys for third-party evaluation.")
@click.option("--lang", type=click.Choice(["zh", "en"]), default=default_lang, show_default="from the locale",
              help="Language of messages (zh-Hans or English).")
@click.option("--version", is_flag=True, expose_value=False, is_eager=True, callback=_version,
              help="Show the version and exit.")
@click.pass_context
def main(ctx, lang):
    ctx.meta[LANG_KEY] = lang
