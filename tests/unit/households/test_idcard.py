"""GB 11643-1999 ID numbers: check digit, embedded birth date, masking."""
from datetime import date

from server.households import idcard


def test_a_published_example_number_is_valid():
    # The worked example of GB 11643-1999: 11010519491231002X.
    assert idcard.problem_with("11010519491231002X") is None
    assert idcard.birth_date("11010519491231002X") == date(1949, 12, 31)


def test_a_wrong_check_digit_is_named():
    assert "check digit" in idcard.problem_with("110105194912310021")


def test_malformed_numbers_and_impossible_dates():
    assert "18 characters" in idcard.problem_with("11010519491231002")
    assert "18 characters" in idcard.problem_with("1101051949123100x2")
    assert "birth date" in idcard.problem_with("110105194902310024")  # 31 February


def test_make_number_and_mask():
    number = idcard.make_number("150782", date(1980, 1, 2), 123)
    assert idcard.problem_with(number) is None
    assert idcard.mask(number) == number[:4] + "*" * 10 + number[-4:]
