import pytest
from django.core.exceptions import ValidationError

from jahesh.units.validators import check_digit, clean_national_id


@pytest.mark.parametrize("value", ["10380284790", "14007650912", "10100298727"])
def test_valid_ids(value: str) -> None:
    assert clean_national_id(value) == value


def test_persian_and_arabic_digits_and_separators_are_accepted() -> None:
    assert clean_national_id("۱۰۳۸۰۲۸۴۷۹۰") == "10380284790"
    assert clean_national_id("١٤٠٠٧٦٥٠٩١٢") == "14007650912"
    assert clean_national_id(" 1038-028-4790 ") == "10380284790"
    assert clean_national_id("") == "" and clean_national_id(None) == ""


@pytest.mark.parametrize(("value", "code"), [
    ("10380284791", "check_digit"),   # one digit off
    ("10100298728", "check_digit"),
    ("00000000000", "check_digit"),
    ("1038028479", "length"),         # ten digits: a person's national code, not a business's
    ("103802847900", "length"),
    ("1038028479a", "length"),
])
def test_invalid_ids(value: str, code: str) -> None:
    with pytest.raises(ValidationError) as exc:
        clean_national_id(value)
    assert exc.value.code == code


def test_check_digit_algorithm() -> None:
    # d = 10th digit + 2 = 9; Σ (digit + 9) × (29,27,23,19,17,29,27,23,19,17) = 2740;
    # 2740 mod 11 = 1 → 1 mod 10 = 1
    assert check_digit("1234567890") == sum(
        (int(d) + 2) * c for d, c in zip("1234567890", (29, 27, 23, 19, 17, 29, 27, 23, 19, 17),
                                         strict=True)) % 11 % 10
