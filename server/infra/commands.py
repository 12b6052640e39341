"""What the command-line surfaces (server/cli, worker/cli.py) share: running a command in the app's
context without importing Flask before the command runs, so that their --help answers at once."""
import functools

import click


def with_app(f):
    """Run the command inside the app's context (flask.cli.with_appcontext, importing Flask only when
    the command runs). The app comes from the AppLoader the `fieldcheck` group hands in (or a test's
    ScriptInfo)."""
    @click.pass_context
    def run(ctx, /, *args, **kwargs):
        from flask import current_app

        if not current_app:
            ctx.with_resource(ctx.obj.load_app().app_context())
        return ctx.invoke(f, *args, **kwargs)
    return functools.update_wrapper(run, f)


class AppLoader:
    """Builds the app once, when a command first needs it: flask.cli.ScriptInfo's part that
    `with_app` uses, without importing Flask (a test may hand in a ScriptInfo instead)."""

    def __init__(self, create_app):
        self.create_app = create_app
        self._app = None

    def load_app(self):
        if self._app is None:
            self._app = self.create_app()
        return self._app
