"""A page's form as a browser would post it: its inputs, checked boxes and selected options, read from the
HTML (so a test posts what the page really offers, not what the test thinks it offers)."""
from html.parser import HTMLParser

from werkzeug.datastructures import MultiDict


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms, self.current, self.select, self.textarea = [], None, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.current = {"action": a.get("action", ""), "fields": MultiDict()}
            self.forms.append(self.current)
        elif self.current is None or "name" not in a and tag != "option":
            return
        elif tag == "input" and (a.get("type") not in ("checkbox", "radio") or "checked" in a):
            self.current["fields"].add(a["name"], a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self.select = [a["name"], None, None]  # name, first option, selected option
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select[1] = value if self.select[1] is None else self.select[1]
            self.select[2] = value if "selected" in a else self.select[2]
        elif tag == "textarea":
            self.textarea = [a["name"], ""]

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "select" and self.select is not None:
            name, first, chosen = self.select
            self.current["fields"].add(name, chosen if chosen is not None else first)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            self.current["fields"].add(*self.textarea)
            self.textarea = None
        elif tag == "form":
            self.current = None


def form(html, action):
    """The fields of the form posting to `action` (a path), as a MultiDict a test client can post."""
    parser = _Forms()
    parser.feed(html)
    for found in parser.forms:
        if found["action"] == action:
            return found["fields"]
    raise AssertionError(f"no form posts to {action}")
