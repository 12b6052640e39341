"""`fieldcheck pipeline ...`: see and steer the background work."""
import click

from server.cli import progress
from server.cli.common import CommandGroup, commit

group = CommandGroup("pipeline", help="Background work: status, failures, retries, re-checks.")


@group.command("status")
def status():
    """Workers, queue lengths and outbox counts."""
    from server.infra.extensions import rq  # lazy: --help
    from server.pipeline import operations  # lazy: --help

    report = operations.status(rq)
    for worker in report["workers"]:
        click.echo(f"worker {worker['name']} {worker['state']} pid {worker['pid']} "
                   f"heartbeat {worker['last_heartbeat']} queues {','.join(worker['queues'])}")
    for name, count in report["queues"].items():
        waiting = report["outbox"].get(name, {})
        click.echo(f"queue {name}: {count} job(s); outbox pending {waiting.get('pending', 0)}, "
                   f"failed {waiting.get('failed', 0)}")


@group.command("failures")
@click.argument("code")
def failures(code):
    """Events of CODE that failed for good."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.pipeline import operations  # lazy: --help

    for event in operations.failed_events(get_evaluation(code)):
        click.echo(f"{event.id}\t{event.name}\t{event.payload}\t{event.last_error}")


@group.command("retry")
@click.argument("code")
@click.argument("event_id", type=int)
def retry(code, event_id):
    """Put failed event EVENT_ID back in line."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.pipeline import operations  # lazy: --help

    operations.retry_event(get_evaluation(code), event_id, "cli")
    commit()
    click.echo(f"event {event_id} will be retried")


@group.command("recheck")
@click.argument("code")
@click.option("--wait", is_flag=True, help="Follow the re-check until every submission is done.")
def recheck(code, wait):
    """Re-run the pipeline for every current submission of CODE."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.pipeline import job_records, operations  # lazy: --help

    job, count = operations.start_recheck(get_evaluation(code), "cli")
    commit()
    click.echo(f"{count} submission(s) queued for re-checking (job {job.id})")
    if wait:
        view = progress.follow(lambda: job_records.live_view(job), "re-checking")
        if view["state"] == "failed":
            raise click.ClickException(view["error"])
