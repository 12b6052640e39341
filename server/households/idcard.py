"""Chinese resident ID numbers (GB 11643-1999): check digit, embedded birth date, masking.

Pure functions; the schema calls them and the register never keeps a number in clear text.
"""
from datetime import date
from operator import mul

_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK = "10X98765432"
_DIGITS = frozenset("0123456789")
_ZEROS = ord("0") * sum(_WEIGHTS)  # the ASCII codes of the digits, weighted, minus this = the digits'


def check_digit(first17):
    """The 18th character for the first 17 ASCII digits (ISO 7064 MOD 11-2)."""
    return _CHECK[(sum(map(mul, first17.encode("ascii"), _WEIGHTS)) - _ZEROS) % 11]


def problem_with(number):
    """None if `number` is a well-formed 18-character ID number, else the reason in one line."""
    if len(number) != 18 or not _DIGITS.issuperset(number[:17]) or number[17] not in "0123456789X":
        return "must be 18 characters: 17 digits and a digit or 'X' (GB 11643)"
    if birth_date(number) is None:
        return "the birth date inside the ID number is not a date"
    if check_digit(number[:17]) != number[17]:
        return "wrong check digit (GB 11643)"
    return None


def birth_date(number):
    """The birth date encoded in characters 7-14, or None if it is not a real date."""
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def mask(number):
    """What may be shown: the region prefix and the last four, e.g. 1507**********123X."""
    return number[:4] + "*" * (len(number) - 8) + number[-4:]


def make_number(region6, born, serial3):
    """A valid ID number (for tests, demos and the benchmark)."""
    first17 = f"{region6}{born:%Y%m%d}{serial3:03d}"
    return first17 + check_digit(first17)
