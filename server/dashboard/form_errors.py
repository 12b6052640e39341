"""The domain's validation messages (marshmallow's and the settings schemas'), said in the page's language
next to the field they are about. The domain validates; this only words its answer for a person."""
import re

from flask_babel import gettext as _

_PATTERNS = [
    (r"Must be greater than or equal to (\S+) and less than or equal to (\S+)\.",
     lambda m: _("Enter a value from %(min)s to %(max)s.", min=_num(m[1]), max=_num(m[2]))),
    (r"Must be greater than (\S+) and less than or equal to (\S+)\.",
     lambda m: _("Enter a value above %(min)s and at most %(max)s.", min=_num(m[1]), max=_num(m[2]))),
    (r"Must be greater than or equal to (\S+)\.", lambda m: _("Enter a value of at least %(min)s.",
                                                              min=_num(m[1]))),
    (r"Must be less than or equal to (\S+)\.",
     lambda m: _("Enter a value of at most %(max)s.", max=_num(m[1]))),
    (r"Not a valid integer\.", lambda m: _("Enter a whole number.")),
    (r"Not a valid number\.", lambda m: _("Enter a number.")),
    (r"Not a valid boolean\.", lambda m: _("Choose yes or no.")),
    (r"Must be one of: (.*)\.", lambda m: _("Choose one of: %(choices)s.", choices=m[1])),
    (r"One or more of the choices you made was not in: (.*)\.",
     lambda m: _("Choose only among: %(choices)s.", choices=m[1])),
    (r"not a time of day", lambda m: _("Enter a time of day such as 06:00.")),
    (r"the comparison is one of", lambda m: _("Choose <, <= or >=.")),
    (r"the threshold is a share between 0 and 1", lambda m: _("Enter a share from 0 to 1, such as 0.02.")),
    (r"poverty line", lambda m: _("Each line is a year and a positive amount in yuan.")),
    (r"Unknown field\.", lambda m: _("This setting is not known.")),
    (r"Field may not be null\.", lambda m: _("Enter a value.")),
    (r"Missing data for required field\.", lambda m: _("Enter a value.")),
    (r"Not a valid (list|mapping type)\.", lambda m: _("This value has the wrong shape.")),
]


def say(message):
    """`message` in the page's language when it is one we know, else as the domain wrote it."""
    for pattern, word in _PATTERNS:
        match = re.search(pattern, message)
        if match:
            return word(match)
    return message


def by_field(messages, path=()):
    """marshmallow's nested {field: [message]} as {"a.b": first message, in the page's language}; the
    "value" level of dict fields and "params" are left out of the path."""
    if isinstance(messages, dict):
        out = {}
        for key, value in messages.items():
            step = () if key in ("value", "params", "_schema") else (str(key),)
            for name, text in by_field(value, path + step).items():
                out.setdefault(name, text)
        return out
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        return {".".join(path): say(messages[0])}
    if isinstance(messages, list):
        out = {}
        for m in messages:
            out.update({k: v for k, v in by_field(m, path).items() if k not in out})
        return out
    return {".".join(path): say(str(messages))}


def _num(text):
    """'0.0' reads as 0, '600' as 600."""
    try:
        value = float(text)
    except ValueError:
        return text
    return int(value) if value == int(value) else value
