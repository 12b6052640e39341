"""`fieldcheck forms ...`: upload, publish, open/close and list questionnaires."""
import json
import os

import click
from sqlalchemy import select

from server import forms_service
from server.cli.common import CommandGroup, commit
from server.evaluations import get_evaluation
from server.extensions import db
from server.models import Form

group = CommandGroup("forms", help="XLSForm questionnaires.")
FIELD_MAP = click.option("--field-map", help="JSON object: contract key → field name or /path.")


@group.command("upload")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@FIELD_MAP
def upload(code, path, field_map):
    """Compile PATH and keep it as a draft (not listed to phones until published)."""
    version = forms_service.upload_form(get_evaluation(code), _read(path), os.path.basename(path), "cli",
                                        field_map=_parse_map(field_map))
    commit()
    _report(version)
    click.echo(f"draft {version.id} of {version.form.xml_form_id}")


@group.command("publish")
@click.argument("code")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--media", multiple=True, type=click.Path(exists=True, dir_okay=False),
              help="A media file the form references (repeat for several).")
@FIELD_MAP
def publish(code, path, media, field_map):
    """Compile PATH (+ its media) and publish it as a new version."""
    files = {os.path.basename(m): _read(m) for m in media}
    version = forms_service.publish_form(get_evaluation(code), _read(path), os.path.basename(path), files,
                                         "cli", field_map=_parse_map(field_map))
    commit()
    _report(version)
    click.echo(f"published {version.form.xml_form_id} version {version.version}")


@group.command("close")
@click.argument("code")
@click.argument("form_id")
@click.option("--closing", is_flag=True, help="Hide from phones but keep accepting submissions.")
def close(code, form_id, closing):
    """Close FORM_ID (accepts nothing), or with --closing stop listing it only."""
    _set_state(code, form_id, "closing" if closing else "closed")


@group.command("open")
@click.argument("code")
@click.argument("form_id")
def open_(code, form_id):
    """List FORM_ID to phones again."""
    _set_state(code, form_id, "open")


@group.command("list")
@click.argument("code")
def list_(code):
    """List the forms of CODE: id, state, current version, missing media."""
    evaluation = get_evaluation(code)
    for form in db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id)
                                   .order_by(Form.xml_form_id)).scalars():
        current = form.current_version
        missing = ", ".join(forms_service.missing_media(current)) if current else ""
        click.echo(f"{form.xml_form_id}\t{form.state}\t{current.version if current else '-'}\t"
                   f"{form.title}" + (f"\tmissing media: {missing}" if missing else ""))


def _set_state(code, form_id, state):
    form = forms_service.get_form(get_evaluation(code), form_id)
    forms_service.set_form_state(form, state, "cli")
    commit()
    click.echo(f"{form_id} is now {state}")


def _report(version):
    for warning in version.warnings:
        click.echo(f"warning: {warning}")
    unsupported = [code for code, check in version.contract["checks"].items() if not check["supported"]]
    if unsupported:
        click.echo(f"checks this form cannot support: {', '.join(unsupported)}")
    missing = forms_service.missing_media(version)
    if missing:
        click.echo(f"media still missing: {', '.join(missing)}")


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def _parse_map(raw):
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise click.BadParameter("not JSON", param_hint="--field-map") from None
    if not isinstance(value, dict):
        raise click.BadParameter("must be a JSON object", param_hint="--field-map")
    return value
