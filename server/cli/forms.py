"""`fieldcheck forms ...`: upload, publish, open/close and list questionnaires."""
import json
import os

import click

from server.cli import progress
from server.cli.common import CommandGroup, cli_lang, commit
from server.cli.params import ExistingFile
from server.infra.i18n import msg

group = CommandGroup("forms", help="XLSForm questionnaires.")
FIELD_MAP = click.option("--field-map", help="JSON object: contract key → field name or /path.")


@group.command("upload")
@click.argument("code")
@click.argument("path", type=ExistingFile())
@FIELD_MAP
def upload(code, path, field_map):
    """Compile PATH and keep it as a draft (not listed to phones until published)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import forms_service  # lazy: --help

    version = forms_service.upload_form(get_evaluation(code), _read(path), os.path.basename(path), "cli",
                                        lang=cli_lang(), field_map=_parse_map(field_map))
    commit()
    _report(version)
    click.echo(f"draft {version.id} of {version.form.xml_form_id}")


@group.command("publish")
@click.argument("code")
@click.argument("path", type=ExistingFile())
@click.option("--media", multiple=True, type=ExistingFile(),
              help="A media file the form references (repeat for several).")
@FIELD_MAP
def publish(code, path, media, field_map):
    """Compile PATH (+ its media) and publish it as a new version."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import forms_service  # lazy: --help

    files = {os.path.basename(m): _read(m) for m in media}
    evaluation, field_map = get_evaluation(code), _parse_map(field_map)
    with progress.Bar(msg("publishing %(name)s", name=os.path.basename(path)).render(cli_lang())) as bar:
        version = forms_service.publish_form(evaluation, _read(path), os.path.basename(path), files, "cli",
                                             lang=cli_lang(), field_map=field_map, progress=bar)
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
    from sqlalchemy import select

    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import Form  # lazy: --help
    from server.questionnaires import forms_service  # lazy: --help

    evaluation = get_evaluation(code)
    for form in db.session.execute(select(Form).where(Form.evaluation_id == evaluation.id)
                                   .order_by(Form.xml_form_id)).scalars():
        current = form.current_version
        missing = ", ".join(forms_service.missing_media(current)) if current else ""
        click.echo(f"{form.xml_form_id}\t{form.state}\t{current.version if current else '-'}\t"
                   f"{form.title}" + (f"\tmissing media: {missing}" if missing else "")
                   + (f"\tteams: {', '.join(form.audience)}" if form.audience else ""))


@group.command("versions")
@click.argument("code")
@click.argument("form_id")
def versions(code, form_id):
    """The versions of FORM_ID: id, version, state (draft, current, published, closed), missing media."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import form_report, forms_service  # lazy: --help

    form = forms_service.get_form(get_evaluation(code), form_id)
    for version in form.versions:
        missing = ", ".join(forms_service.missing_media(version))
        click.echo(f"{version.id}\t{version.version or '-'}\t{form_report.version_state(version)}\t"
                   f"{version.created_at:%Y-%m-%d %H:%M}" + (f"\tmissing media: {missing}" * bool(missing)))


@group.command("contract")
@click.argument("code")
@click.argument("form_id")
@click.option("--version-id", type=int, help="A version's id (default: the current one, else the newest).")
def contract_(code, form_id, version_id):
    """Which recusal, quality and reconciliation checks FORM_ID supports, and the fields missing."""
    from server.questionnaires import form_report  # lazy: --help

    version = _version(code, form_id, version_id)
    for check in form_report.contract_report(version, cli_lang())["checks"]:
        mark = "yes" if check["supported"] else "no "
        click.echo(f"{mark}\t{check['code']}\t{check['title']}")
        for reason in check["reasons"]:
            click.echo(f"\t\t{reason}")


@group.command("audience")
@click.argument("code")
@click.argument("form_id")
@click.option("--team", "teams", multiple=True, help="A team that gets the form (repeat for several).")
@click.option("--everyone", is_flag=True, help="Give the form to every enumerator.")
def audience_(code, form_id, teams, everyone):
    """Show who gets FORM_ID, or choose: --team T (repeat) or --everyone."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import audience, forms_service  # lazy: --help

    evaluation = get_evaluation(code)
    form = forms_service.get_form(evaluation, form_id)
    if teams and everyone:
        raise click.UsageError(msg("Give --team or --everyone, not both.").render(cli_lang()))
    if teams or everyone:
        audience.set_audience(form, None if everyone else list(teams), "cli")
        commit()
    who = ", ".join(form.audience) if form.audience else "every enumerator"
    click.echo(f"{form_id} goes to {who} ({audience.receivers(evaluation, form)} active enumerators)")


@group.command("download")
@click.argument("code")
@click.argument("form_id")
@click.option("--version-id", type=int, help="A version's id (default: the current one, else the newest).")
@click.option("--xform", "as_xform", is_flag=True, help="The XForm (XML) instead of the XLSForm.")
@click.option("--out", required=True, type=click.Path(dir_okay=False, writable=True))
def download(code, form_id, version_id, as_xform, out):
    """Write a version's XLSForm (as uploaded) or, with --xform, its XForm to OUT."""
    from server.questionnaires import form_report  # lazy: --help

    version = _version(code, form_id, version_id)
    if as_xform:
        data = version.xml.encode("utf-8")
    else:
        data = _read(form_report.source_file(version)[0])
    with open(out, "wb") as fh:
        fh.write(data)
    click.echo(f"wrote {out} ({len(data)} bytes)")


@group.command("media")
@click.argument("code")
@click.argument("form_id")
@click.argument("version_id", type=int)
@click.argument("paths", nargs=-1, required=True, type=ExistingFile())
def media(code, form_id, version_id, paths):
    """Add media files to a version (a draft, before publishing it)."""
    from server.questionnaires import forms_service  # lazy: --help

    version = _version(code, form_id, version_id)
    for path in paths:
        forms_service.add_media(version, os.path.basename(path), _read(path), "cli")
    commit()
    _report(version)


@group.command("publish-draft")
@click.argument("code")
@click.argument("form_id")
@click.argument("version_id", type=int)
def publish_draft(code, form_id, version_id):
    """Publish draft VERSION_ID of FORM_ID (refused while media files are missing)."""
    from server.questionnaires import forms_service  # lazy: --help

    version = forms_service.publish_version(_version(code, form_id, version_id), "cli", cli_lang())
    commit()
    click.echo(f"published {form_id} version {version.version}")


def _version(code, form_id, version_id):
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import form_report, forms_service  # lazy: --help

    form = forms_service.get_form(get_evaluation(code), form_id)
    version = form_report.find_version(form, version_id) if version_id else form_report.latest_version(form)
    if version is None:
        raise click.ClickException(msg("%(form_id)s has no version yet.", form_id=form_id).render(cli_lang()))
    return version


def _set_state(code, form_id, state):
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.questionnaires import forms_service  # lazy: --help

    form = forms_service.get_form(get_evaluation(code), form_id)
    forms_service.set_form_state(form, state, "cli")
    commit()
    click.echo(f"{form_id} is now {state}")


def _report(version):
    from server.questionnaires import forms_service  # lazy: --help

    for warning in version.warnings:
        click.echo(f"warning: {warning}")
    unsupported = [code for code, check in version.contract["checks"].items() if not check["supported"]]
    if unsupported:
        click.echo(f"checks this form cannot support: {', '.join(unsupported)}")
    status = forms_service.media_status(version, cli_lang())
    for warning in status["warnings"]:
        click.echo(f"warning: {warning}")
    if status["missing"]:
        click.echo(f"media still missing: {', '.join(status['missing'])}")


def _read(path):
    with open(path, "rb") as fh:
        return fh.read()


def _parse_map(raw):
    if not raw:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        raise click.BadParameter(msg("This is not JSON.").render(cli_lang()),
                                 param_hint="--field-map") from None
    if not isinstance(value, dict):
        raise click.BadParameter(msg("This is not a JSON object.").render(cli_lang()),
                                 param_hint="--field-map")
    return value
