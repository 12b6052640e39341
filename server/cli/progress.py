"""Long work seen from the CLI: a progress bar on a terminal, plain lines when not on one. `follow`
watches a job the workers run; `Bar` is the `progress(done, total, phase)` of work this process does
(server/infra/progress.py), drawn on stderr so that stdout keeps only the command's answer."""
import sys
import time

import click

from server.cli.lang import cli_lang
from server.infra.i18n import render

LINE_EVERY = 5.0  # seconds between two plain progress lines (logs and CI)


class Bar:
    """`with Bar(label) as progress: work(progress=progress)`. On a terminal a bar whose label names the
    phase; elsewhere one line per phase and at most one every LINE_EVERY seconds within a phase, e.g.
    "importing: writing the records 2000/5000 (40%)". Phases are shown in the language of --lang."""

    def __init__(self, label, is_tty=None, file=None, lang=None, clock=time.monotonic):
        self.file, self.clock = file or sys.stderr, clock
        self.tty = self.file.isatty() if is_tty is None else is_tty
        self.label, self.lang = label, lang or cli_lang()
        self.bar, self.phase, self.last_line, self.unshown = None, None, 0.0, None

    def __call__(self, done, total, phase):
        phase = render(phase, self.lang)
        if self.tty:
            self._draw(done, total, phase)
        elif phase != self.phase or self.clock() - self.last_line >= LINE_EVERY:
            self._line(done, total, phase)
        else:
            self.unshown = (done, total, phase)
        self.phase = phase

    def _draw(self, done, total, phase):
        if self.bar is None:
            self.bar = click.progressbar(length=max(total, 1), label=f"{self.label}: {phase}", file=self.file)
            self.bar.__enter__()
        self.bar.length = max(total, 1)
        self.bar.label = f"{self.label}: {phase}"
        self.bar.update(done - self.bar.pos)

    def _line(self, done, total, phase):
        count = f" {done}/{total} ({int(100 * done / total)}%)" if total else ""
        click.echo(f"{self.label}: {phase}{count}", file=self.file)
        self.last_line, self.unshown = self.clock(), None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.__exit__(*exc)
        elif self.unshown is not None and exc[0] is None:
            self._line(*self.unshown)  # a log ends with where the work ended
        return False


def follow(read_view, label, poll=1.0, is_tty=None):
    """Poll `read_view()` (a job's live view) until the job ends; returns its last view."""
    tty = sys.stdout.isatty() if is_tty is None else is_tty
    view = read_view()
    if tty:
        with click.progressbar(length=view.get("total") or 100, label=label) as bar:
            while True:
                bar.update(_amount(view) - bar.pos)
                if view["state"] not in ("queued", "running"):
                    return view
                time.sleep(poll)
                view = _fresh(read_view)
    last_line = 0.0
    while True:
        if view["state"] not in ("queued", "running") or time.monotonic() - last_line >= LINE_EVERY:
            click.echo(f"{label}: {view['message']} ({view['progress']}%)")
            last_line = time.monotonic()
        if view["state"] not in ("queued", "running"):
            return view
        time.sleep(poll)
        view = _fresh(read_view)


def _amount(view):
    return view["done"] if view.get("total") else view.get("progress") or 0


def _fresh(read_view):
    from server.infra.extensions import db  # lazy: --help

    db.session.expire_all()  # read what the workers committed since
    return read_view()
