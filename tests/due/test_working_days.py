from datetime import date

from partnerships.working_days import add_months, add_working_days, is_working_day


def test_weekends_and_england_bank_holidays_are_not_working_days():
    assert not is_working_day(date(2026, 12, 5))   # Saturday
    assert not is_working_day(date(2026, 12, 25))  # Christmas Day
    assert not is_working_day(date(2026, 12, 28))  # Boxing Day, observed on the Monday
    assert not is_working_day(date(2026, 8, 31))   # Late Summer Bank Holiday (England and Wales, not Scotland)
    assert is_working_day(date(2026, 8, 3))        # Scotland's summer bank holiday is a working day in England
    assert is_working_day(date(2026, 12, 29))


def test_add_working_days_skips_the_christmas_break():
    assert add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 29)
    assert add_working_days(date(2026, 3, 31), 20) == date(2026, 4, 30)  # Good Friday and Easter Monday skipped


def test_add_months_keeps_the_day_or_takes_the_months_last():
    assert add_months(date(2027, 9, 30), -6) == date(2027, 3, 30)
    assert add_months(date(2027, 1, 31), 1) == date(2027, 2, 28)
    assert add_months(date(2026, 11, 14), 2) == date(2027, 1, 14)
