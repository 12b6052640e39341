"""`fieldcheck users ...` and `fieldcheck enumerators ...`"""
from pathlib import Path

import click

from server.accounts.roles import ROLES
from server.cli.common import CommandGroup, cli_lang, collect_url, commit, password_from_env_or_prompt
from server.infra.i18n import msg

users = CommandGroup("users", help="Dashboard and API users.")
enumerators = CommandGroup("enumerators", help="Enumerators who use ODK Collect.")


@users.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option("--evaluation", "code", help="The evaluation this role is in (none: a site admin).")
@click.option("--name", default="", help="Display name.")
def create_user(username, role, code, name):
    """Create a user; the password comes from FIELDCHECK_PASSWORD or a prompt."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import users as accounts  # lazy: --help

    evaluation = get_evaluation(code) if code else None
    accounts.check_password_strength(password := password_from_env_or_prompt())
    user = accounts.create_user(username, password, role, evaluation, display_name=name)
    commit()
    click.echo(f"created {role} {user.username}" + (f" in {code}" if code else " (site admin)"))


@users.command("password")
@click.argument("username")
def user_password(username):
    """Set a user's password (FIELDCHECK_PASSWORD or a prompt); every session of theirs ends."""
    from server.accounts import users as accounts  # lazy: --help

    accounts.change_password(accounts.find_user(username), password_from_env_or_prompt(), actor="cli")
    commit()
    click.echo(f"password changed for {username}; their sessions have ended")


@users.command("deactivate")
@click.argument("username")
def user_deactivate(username):
    """Stop a user from signing in, and end every session they have."""
    from server.accounts import users as accounts  # lazy: --help

    accounts.deactivate_user(accounts.find_user(username), actor="cli")
    commit()
    click.echo(f"deactivated {username}; their sessions have ended")


@users.command("sign-out-everywhere")
@click.argument("username")
def user_sign_out_everywhere(username):
    """End every session of a user (a lost laptop, a shared computer)."""
    from server.accounts import users as accounts  # lazy: --help

    ended = accounts.sign_out_everywhere(accounts.find_user(username), actor="cli")
    commit()
    click.echo(f"ended {ended} session(s) of {username}")


@users.command("activate")
@click.argument("username")
def user_activate(username):
    """Let a deactivated user sign in again."""
    from server.accounts import users as accounts  # lazy: --help

    accounts.activate_user(accounts.find_user(username), actor="cli")
    commit()
    click.echo(f"activated {username}")


@users.command("reset-password")
@click.argument("username")
@click.option("--evaluation", "code", help="File the audit entry in this evaluation.")
def user_reset_password(username, code):
    """Give USERNAME a generated password (the last line, shown once); their sessions end."""
    from server.accounts import users as accounts  # lazy: --help
    from server.accounts.evaluations import get_evaluation  # lazy: --help

    user = accounts.find_user(username)
    password = accounts.new_password()
    accounts.change_password(user, password, "cli", code and get_evaluation(code).id, {"reset": True})
    commit()
    click.echo(f"new password for {username}; their sessions have ended. Hand it over once:")
    click.echo(password)


@users.command("list")
@click.option("--evaluation", "code", help="Only the users who may see this evaluation, with their role.")
def list_users(code):
    """Users with their roles: username, state, then 'site admin' or evaluation=role pairs."""
    from sqlalchemy import select

    from server.accounts import members  # lazy: --help
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import User  # lazy: --help

    if code:
        evaluation = get_evaluation(code)
        for row in members.members(evaluation):
            user = row["user"]
            click.echo(f"{user.username}\t{'active' if user.active else 'inactive'}\t{row['role']}"
                       + ("\tsite admin" if row["site_admin"] else ""))
        return
    for user in db.session.execute(select(User).order_by(User.username)).scalars():
        roles = "site admin" if user.is_site_admin else " ".join(
            sorted(f"{m.evaluation.code}={m.role}" for m in user.memberships)) or "no role"
        click.echo(f"{user.username}\t{'active' if user.active else 'inactive'}\t{roles}")


@users.command("role")
@click.argument("username")
@click.argument("code")
@click.argument("role", required=False, type=click.Choice(ROLES))
@click.option("--remove", is_flag=True, help="Take USERNAME's role in CODE away.")
def user_role(username, code, role, remove):
    """Show, give, change (ROLE) or remove (--remove) USERNAME's role in evaluation CODE."""
    from server.accounts import members  # lazy: --help
    from server.accounts import users as accounts  # lazy: --help
    from server.accounts.evaluations import get_evaluation, role_of  # lazy: --help

    evaluation, user = get_evaluation(code), accounts.find_user(username)
    current = role_of(user, evaluation)
    if remove:
        members.remove(evaluation, members.find_member(evaluation, username), "cli")
    elif role is None:
        click.echo(current or "no role")
        return
    elif current is None:
        members.add(evaluation, username, role, "cli")
    else:
        members.set_role(evaluation, user, role, "cli")
    commit()
    click.echo(f"{username} in {code}: {'no role' if remove else role}")


@enumerators.command("create")
@click.argument("code")
@click.argument("username")
@click.option("--county", default="", help="Home county name (or give --county-code).")
@click.option("--township", default="")
@click.option("--village", default="")
@click.option("--county-code", default=None, help="6-digit area code; names are looked up in the register.")
@click.option("--township-code", default=None, help="9-digit area code.")
@click.option("--village-code", default=None, help="12-digit area code.")
@click.option("--phone", default=None, help="Compared with the households' registered helpers (REC-03).")
@click.option("--team", default=None, help="Their team (a form can go to chosen teams only).")
@click.option("--name", default="", help="Display name.")
@click.option("--password/--no-password", default=False,
              help="Also set a Digest password (FIELDCHECK_PASSWORD or a prompt).")
def create_enumerator(code, username, county, township, village, county_code, township_code, village_code,
                      phone, team, name, password):
    """Create an enumerator; the last line printed is their ODK Collect server URL."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import users as accounts  # lazy: --help

    evaluation = get_evaluation(code)
    secret = password_from_env_or_prompt() if password else None
    codes = {k: v for k, v in (("county_code", county_code), ("township_code", township_code),
                               ("village_code", village_code), ("phone", phone), ("team", team)) if v}
    enumerator, token = accounts.create_enumerator(
        evaluation, username, county=county, township=township, village=village,
        display_name=name, password=secret, **codes)
    commit()
    click.echo(f"created enumerator {enumerator.username} in {code}; ODK Collect server URL:")
    click.echo(collect_url(evaluation, token))


@enumerators.command("list")
@click.argument("code")
def list_enumerators(code):
    """List the enumerators of evaluation CODE with their ODK Collect server URLs."""
    from sqlalchemy import select

    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import users as accounts  # lazy: --help
    from server.infra.extensions import db  # lazy: --help
    from server.models import Enumerator  # lazy: --help

    evaluation = get_evaluation(code)
    rows = db.session.execute(select(Enumerator).where(Enumerator.evaluation_id == evaluation.id)
                              .order_by(Enumerator.username)).scalars()
    for enumerator in rows:
        state = "active" if enumerator.active else "inactive"
        url = collect_url(evaluation, accounts.current_token(enumerator))
        click.echo(f"{enumerator.username}\t{enumerator.county}/{enumerator.township}/{enumerator.village}"
                   f"\t{state}\t{url}")


@enumerators.command("sheet")
@click.argument("code")
@click.argument("usernames", nargs=-1)
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Where to write the HTML (it holds credentials: keep it safe).")
def enumerator_sheet(code, usernames, out):
    """Write the A4 print sheet (HTML) of Collect settings QR codes for CODE's enumerators (or USERNAMES)."""
    from flask import current_app

    from server.accounts import device_sheet  # lazy: --help
    from server.accounts.evaluations import get_evaluation  # lazy: --help

    evaluation = get_evaluation(code)
    chosen = device_sheet.chosen(evaluation, usernames)
    with current_app.test_request_context():
        html, printed, skipped = device_sheet.render_sheet(evaluation, chosen)
    out.write_text(html, encoding="utf-8")
    for name, why in skipped:
        click.echo(f"not printed: {name} ({why})")
    click.echo(f"wrote {out} ({printed} enumerators)")


@enumerators.command("qr")
@click.argument("code")
@click.argument("username")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False, writable=True),
              help="Where to write the PNG (it is a credential: keep it safe).")
def enumerator_qr(code, username, out):
    """Write the ODK Collect settings QR code; the last line printed is the server URL in it."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

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
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

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
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

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
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

    evaluation = get_evaluation(code)
    provisioning.update_enumerator(provisioning.find_enumerator(evaluation, username), {"active": False},
                                   actor="cli")
    commit()
    click.echo(f"deactivated {username} in {code}")


@enumerators.command("edit")
@click.argument("code")
@click.argument("username")
@click.option("--name", "display_name", default=None, help="Display name.")
@click.option("--phone", default=None, help="Phone ('' clears it).")
@click.option("--team", default=None, help="Team ('' clears it).")
@click.option("--province", default=None)
@click.option("--county", default=None)
@click.option("--township", default=None)
@click.option("--village", default=None)
@click.option("--county-code", default=None, help="6 digits ('' clears it).")
@click.option("--township-code", default=None, help="9 digits.")
@click.option("--village-code", default=None, help="12 digits.")
def enumerator_edit(code, username, **values):
    """Change USERNAME's name, phone, team or home place (the own-locality rule reads the place)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

    evaluation = get_evaluation(code)
    enumerator = provisioning.find_enumerator(evaluation, username)
    given = {k: v for k, v in values.items() if v is not None}
    if not given:
        raise click.UsageError(msg("Give at least one field to change.").render(cli_lang()))
    changed = provisioning.edit_checked(enumerator, given, actor="cli")
    commit()
    click.echo(f"{username}: " + (f"changed {', '.join(changed)}" if changed else "nothing changed"))


@enumerators.command("activate")
@click.argument("code")
@click.argument("username")
def enumerator_activate(code, username):
    """Accept USERNAME's phone again (their current token and password work again)."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help

    evaluation = get_evaluation(code)
    provisioning.update_enumerator(provisioning.find_enumerator(evaluation, username), {"active": True},
                                   actor="cli")
    commit()
    click.echo(f"activated {username} in {code}")


@enumerators.command("show")
@click.argument("code")
@click.argument("username")
def enumerator_show(code, username):
    """USERNAME's record, quality (interviews, findings per 100, median minutes) and assignments."""
    from server.accounts.evaluations import get_evaluation  # lazy: --help
    from server.accounts import provisioning  # lazy: --help
    from server.backchecks.enumerators import enumerator_rows  # lazy: --help
    from server.households.assignments import of_enumerator  # lazy: --help

    evaluation = get_evaluation(code)
    enumerator = provisioning.find_enumerator(evaluation, username)
    quality = enumerator_rows(evaluation, only=enumerator)[0]
    place = "/".join(p for p in (enumerator.county, enumerator.township, enumerator.village) if p)
    codes = enumerator.village_code or enumerator.township_code or enumerator.county_code or "-"
    state = "active" if enumerator.active else "inactive"
    click.echo(f"{enumerator.username}\t{enumerator.display_name}\t{state}\tteam {enumerator.team or '-'}"
               f"\tphone {enumerator.phone or '-'}\thome {place or '-'} ({codes})")
    per_100 = ", ".join(f"{c} {x}" for c, x in quality["per_100"].items()) or "-"
    minutes = quality["median_minutes"]
    click.echo(f"interviews {quality['interviews']}\tfindings per 100: {per_100}\t"
               f"median minutes {minutes if minutes is not None else '-'}")
    for row in of_enumerator(enumerator):
        target = row["archive_id"] or f"village {row['village_code']}"
        done = {True: "interviewed", False: "not interviewed", None: ""}[row["interviewed"]]
        click.echo(f"assignment {row['id']}\t{target}\t{row['head_name'] or ''}\t{row['village'] or ''}"
                   f"\t{done}")
