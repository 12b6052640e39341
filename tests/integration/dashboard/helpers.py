"""Signing in to the dashboard through its own form, with the CSRF token the page gave."""
import re

from testkit.dashboard_world import PASSWORD


def csrf(page):
    return re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)


def sign_in(client, username, password=PASSWORD, next_path="/"):
    token = csrf(client.get("/login"))
    return client.post("/login", data={"username": username, "password": password, "csrf_token": token,
                                       "next": next_path})


def post_form(client, page_url, action_url, **fields):
    """Post a form the way a browser would: with the token of the page it came from."""
    token = csrf(client.get(page_url))
    return client.post(action_url, data={"csrf_token": token, **fields})


def session_csrf(client):
    """The CSRF token of the client's session (what every page's forms carry)."""
    with client.session_transaction() as session:
        if "csrf" not in session:
            session["csrf"] = "token-of-a-fresh-visitor"
        return session["csrf"]


def form_tokens(page):
    """The CSRF token and a one-time token of a page's forms: what a browser sends with a post."""
    once = re.search(r'name="once" value="([^"]+)"', page.get_data(as_text=True)).group(1)
    return {"csrf_token": csrf(page), "once": once}
