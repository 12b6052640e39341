"""`fieldcheck worker` and `fieldcheck relay`: run rq workers and the outbox relay in the app context.
The work itself is in worker/runner.py, imported when a command runs (their --help imports neither
rq nor the app)."""
import click

from server.infra.commands import with_app


@click.command("worker")
@click.argument("queues", nargs=-1)
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
@click.option("--no-relay", is_flag=True, help="Do not sweep the outbox from this process.")
@with_app
def worker_command(queues, burst, no_relay):
    """Run a worker on QUEUES (default: all). SIGTERM lets the running job finish, then stops."""
    from worker import runner  # lazy: --help

    runner.work(queues, burst, relay=not no_relay)


@click.command("relay")
@click.option("--once", is_flag=True, help="Sweep once and exit.")
@with_app
def relay_command(once):
    """Wake the queues of outbox events that never reached a worker (e.g. Redis was down)."""
    from worker import runner  # lazy: --help

    if once:
        woken, sweeps = runner.relay_once()
        click.echo(f"woke {', '.join(sorted(woken)) or 'no queue'}")
        click.echo(f"asked for {sweeps} chain sweep(s)")
        return
    runner.relay_forever()
