"""`fieldcheck users ...` and `fieldcheck enumerators ...`"""
import click

from server import accounts
from server.cli.common import CommandGroup, collect_url, commit, password_from_env_or_prompt
from server.evaluations import get_evaluation
from server.models import ROLES
from server.openrosa import provisioning

users = CommandGroup("users", help="Dashboard and API users.")
enumerators = CommandGroup("enumerators", help="Enumerators who use ODK Collect.")


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--evaluation", "code", help="The evaluation this role is in (none: a site admin).")
@click.option("--name", default="", help="Display name.")
def create_user(username, role, code, name):
    """Create a user; the password comes from FIELDCHECK_PASSWORD or a prompt."""
    evaluation = get_evaluation(code) if code else None
    accounts.check_password_strength(password := password_from_env_or_prompt())
    user = accounts.create_user(username, password, role, evaluation, display_name=name)
    commit()
    click.echo(f"created {role} {user.username}" + (f" in {code}" if code else " (site admin)"))


@enumerators.command("create")
@click.argument("code")
@click.argument("username")
@click.option("--county", required=True)
@click.option("--township", required=True)
@click.option("--village", required=True)
@click.option("--name", default="", help="Display name.")
@click.option("--password/--no-password", default=False,
              help="Also set a Digest password (FIELDCHECK_PASSWORD or a prompt).")
def create_enumerator(code, username, county, township, village, name, password):
    """Create an enumerator; the last line printed is their ODK Collect server URL."""
    evaluation = get_evaluation(code)
    secret = password_from_env_or_prompt() if password else None
    enumerator, token = accounts.create_enumerator(
        evaluation, username, county=county, township=township, village=village,
        display_name=name, password=secret)
    commit()
    click.echo(f"created enumerator {enumerator.username} in {code}; ODK Collect server URL:")
    click.echo(collect_url(evaluation, token))


@enumerators.command("list")
@click.argument("code")
def list_enumerators(code):
    """List the enumerators of evaluation CODE with their ODK Collect server URLs."""
    from sqlalchemy import select

    from server.extensions import db
    from server.models import Enumerator

    evaluation = get_evaluation(code)
    rows = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                              .order_by(Enumerator.username)).scalars()
    for enumerator in rows:
        state = "active" if enumerator.active else "inactive"
        url = collect_url(evaluation, accounts.current_token(enumerator))
        click.echo(f"{enumerator.username}\t{enumerator.county}/{enumerator.township}/{enumerator.village}"
                   f"\t{state}\t{url}")


@enumerators.command("qr")
@click.argument("code")
@click.argument("username")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PNG (it is a credential: keep it safe).")
def enumerator_qr(code, username, out):
    """Write the ODK Collect settings QR code; the last line printed is the server URL in it."""
    evaluation = get_evaluation(code)
    settings = provisioning.device_settings(evaluation, provisioning.find_enumerator(evaluation, username))
    with open(out, "wb") as handle:
        handle.write(settings.png)
    click.echo(f"wrote the settings QR code for {username} to {out}; ODK Collect server URL:")
    click.echo(settings.server_url)


@enumerators.command("rotate-token")
@click.argument("code")
@click.argument("username")
def enumerator_rotate_token(code, username):
    """Give USERNAME a new token: the old URL and QR code stop working. The last line is the new URL."""
    evaluation = get_evaluation(code)
    url = provisioning.rotate(evaluation, provisioning.find_enumerator(evaluation, username), actor="cli")
    commit()
    click.echo(f"new token for {username}; the old QR code no longer works. ODK Collect server URL:")
    click.echo(url)


@enumerators.command("password")
@click.argument("code")
@click.argument("username")
def enumerator_password(code, username):
    """Set the Digest password (from FIELDCHECK_PASSWORD or a prompt) for the /CODE server URL."""
    evaluation = get_evaluation(code)
    enumerator = provisioning.find_enumerator(evaluation, username)
    provisioning.set_password(enumerator, password_from_env_or_prompt(), actor="cli")
    commit()
    click.echo(f"password set for {username}; server URL for username and password: "
               f"{provisioning.public_root()}/{code}")


@enumerators.command("deactivate")
@click.argument("code")
@click.argument("username")
def enumerator_deactivate(code, username):
    """Refuse USERNAME's phone from now on (403 for the token URL, 403 after Digest)."""
    evaluation = get_evaluation(code)
    provisioning.update_enumerator(provisioning.find_enumerator(evaluation, username), {"active": False},
                                   actor="cli")
    commit()
    click.echo(f"deactivated {username} in {code}")
