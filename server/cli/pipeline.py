"""`fieldcheck pipeline ...`: see and steer the background work."""
import click

from server import pipeline
from server.cli.common import CommandGroup, commit
from server.evaluations import get_evaluation
from server.extensions import rq

group = CommandGroup("pipeline", help="Background work: status, failures, retries, re-checks.")


@group.command("status")
def status():
    """Workers, queue lengths and outbox counts."""
    report = pipeline.status(rq)
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
    for event in pipeline.failed_events(get_evaluation(code)):
        click.echo(f"{event.id}\t{event.name}\t{event.payload}\t{event.last_error}")


@group.command("retry")
@click.argument("code")
@click.argument("event_id", type=int)
def retry(code, event_id):
    """Put failed event EVENT_ID back in line."""
    pipeline.retry_event(get_evaluation(code), event_id, "cli")
    commit()
    click.echo(f"event {event_id} will be retried")


@group.command("recheck")
@click.argument("code")
def recheck(code):
    """Re-run the pipeline for every current submission of CODE."""
    count = pipeline.recheck_evaluation(get_evaluation(code), "cli")
    commit()
    click.echo(f"{count} submission(s) queued for re-checking")
