"""`fieldcheck db ...`: Flask-Migrate's commands, listed from the table below so that `db --help`
imports neither Alembic nor the app (a test keeps the table equal to Flask-Migrate's commands)."""
import click

from server.infra.commands import with_app

# Flask-Migrate's commands and their one-line help.
COMMANDS = {
    "branches": "Show current branch points",
    "check": "Check if there are any new operations to migrate",
    "current": "Display the current revision for each database.",
    "downgrade": "Revert to a previous version",
    "edit": "Edit a revision file",
    "heads": "Show current available heads in the script directory",
    "history": "List changeset scripts in chronological order.",
    "init": "Creates a new migration repository.",
    "list-templates": "List available templates.",
    "merge": "Merge two revisions together, creating a new revision file",
    "migrate": "Autogenerate a new revision file (Alias for 'revision --autogenerate')",
    "revision": "Create a new revision file.",
    "show": "Show the revision denoted by the given symbol.",
    "stamp": "'stamp' the revision table with the given revision; don't run any migrations",
    "upgrade": "Upgrade to a later version",
}


class MigrationCommands(click.Group):
    """Lists Flask-Migrate's commands from COMMANDS; imports one only to run it."""

    def list_commands(self, ctx):
        return sorted(COMMANDS)

    def get_command(self, ctx, name):
        if name not in COMMANDS:
            return None
        from flask_migrate.cli import db as flask_migrate_db

        return flask_migrate_db.get_command(ctx, name)

    def format_commands(self, ctx, formatter):
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        with formatter.section("Commands"):
            formatter.write_dl([(name, click.Command(name, help=COMMANDS[name]).get_short_help_str(limit))
                                for name in sorted(COMMANDS)])


@click.group("db", cls=MigrationCommands)
@click.option("-d", "--directory", default=None, help='Migration script directory (default is "migrations")')
@click.option("-x", "--x-arg", multiple=True, help="Additional arguments consumed by custom env.py scripts")
@with_app
def db(directory, x_arg):
    """Perform database migrations."""
    from flask import g

    g.directory = directory
    g.x_arg = x_arg  # read by Migrate.get_config(), as Flask-Migrate's own group does
