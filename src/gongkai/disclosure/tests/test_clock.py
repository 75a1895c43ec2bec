"""The statutory clock on tricky calendars. Expected dates are counted by hand in the comments."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from gongkai.core.calendar import CalendarNotCovered
from gongkai.disclosure import clock

D = datetime.date
pytestmark = pytest.mark.usefixtures("seeded_calendar")


def test_national_day_with_adjusted_weekends():
    # 2024: holidays 1–7 Oct; worked Sunday 29 Sep and Saturday 12 Oct. From Fri 27 Sep:
    # 29/9=1, 30/9=2, 8/10=3 … 11/10=6, Sat 12/10=7, 14–18/10=8–12, 21–25/10=13–17, 28–30/10=18–20.
    ledger = clock.compute_deadline(D(2024, 9, 27))
    assert ledger.deadline == D(2024, 10, 30)
    assert ledger.working_days == 20
    assert any("第三十三条第二款" in line for line in ledger.explanation)


def test_spring_festival():
    # 2024: holidays 10–17 Feb; worked Sundays 4 and 18 Feb. From Thu 8 Feb: 9/2=1, Sun 18/2=2, 19–23/2=3–7,
    # 26/2–1/3=8–12, 4–8/3=13–17, 11–13/3=18–20.
    assert clock.compute_deadline(D(2024, 2, 8)).deadline == D(2024, 3, 13)


def test_received_on_a_holiday():
    # Received 3 Oct 2024 (holiday): 8–11/10=1–4, Sat 12/10=5, 14–18=6–10, 21–25=11–15, 28/10–1/11=16–20.
    assert clock.compute_deadline(D(2024, 10, 3)).deadline == D(2024, 11, 1)


def test_pause_across_a_holiday():
    # From Fri 20 Sep 2024: 23–26/9 = 1–4; paused 27/9–9/10 (working days 27/9, 29/9, 30/9, 8/10, 9/10 not
    # counted; 1–7/10 are holidays anyway); 10/10=5, 11/10=6, Sat 12/10=7, … 30/10=20.
    pause = clock.Pause(D(2024, 9, 27), D(2024, 10, 9), "征求第三方意见", "第三十三条第三款")
    ledger = clock.compute_deadline(D(2024, 9, 20), pauses=[pause])
    assert ledger.deadline == D(2024, 10, 30)
    assert any("5 个工作日不计入" in line for line in ledger.explanation)


def test_correction_restarts_the_count():
    ledger = clock.compute_deadline(D(2024, 9, 2), corrected=D(2024, 9, 27))
    assert ledger.deadline == D(2024, 10, 30)
    assert any("第三十条" in line for line in ledger.explanation)
    with pytest.raises(ValueError):
        clock.compute_deadline(D(2024, 9, 27), corrected=D(2024, 9, 2))


def test_extension():
    # 20 more working days after 30 Oct: 31/10, 1/11, 4–8/11, 11–15/11, 18–22/11, 25–27/11 -> 27 Nov.
    ledger = clock.compute_deadline(D(2024, 9, 27), extension_days=20, extension_approver="李主任")
    assert ledger.deadline == D(2024, 11, 27)
    assert ledger.working_days == 40
    assert any("李主任" in line for line in ledger.explanation)
    with pytest.raises(ValueError):
        clock.compute_deadline(D(2024, 9, 27), extension_days=21)


def test_open_pause_has_no_deadline():
    ledger = clock.compute_deadline(
        D(2024, 9, 27), pauses=[clock.Pause(D(2024, 10, 9), None, "收费通知至缴费", "109号")]
    )
    assert ledger.deadline is None and ledger.paused
    assert any("剩余" in line for line in ledger.explanation)


def test_pause_before_corrected_date_is_ignored():
    pause = clock.Pause(D(2024, 9, 3), D(2024, 9, 10), "征求意见", "x")
    assert clock.compute_deadline(D(2024, 9, 2), corrected=D(2024, 9, 27), pauses=[pause]).deadline == D(
        2024, 10, 30
    )


def test_uncovered_year_raises():
    with pytest.raises(CalendarNotCovered):
        clock.compute_deadline(D(2026, 12, 15))


def test_consultation_and_correction_timers():
    # 15 working days from 27 Sep: 29/9=1, 30/9=2, 8–11/10=3–6, Sat 12/10=7, 14–18/10=8–12, 21–23/10=13–15.
    assert clock.consultation_due(D(2024, 9, 27)) == D(2024, 10, 23)
    # 7 working days: 29/9, 30/9, 8/10, 9/10, 10/10, 11/10 and the worked Saturday 12/10.
    assert clock.correction_notice_due(D(2024, 9, 27)) == D(2024, 10, 12)


def run_cli(*args):
    out = StringIO()
    call_command("deadline", *args, stdout=out)
    return out.getvalue()


def test_cli_json():
    data = json.loads(run_cli("--received", "2024-09-27", "--json"))
    assert data["deadline"] == "2024-10-30" and data["working_days"] == 20
    assert isinstance(data["explanation"], list) and data["explanation"]
    data = json.loads(run_cli("--received", "2024-09-27", "--extension", "--json"))
    assert data == {**data, "deadline": "2024-11-27", "working_days": 40}
    data = json.loads(run_cli("--received", "2024-09-20", "--pause", "2024-09-27:2024-10-09", "--json"))
    assert data["deadline"] == "2024-10-30"
    data = json.loads(run_cli("--received", "2024-09-02", "--corrected", "2024-09-27", "--json"))
    assert data["deadline"] == "2024-10-30"
    assert "答复截止日" in run_cli("--received", "2024-09-27")


@pytest.mark.parametrize(
    "args",
    [
        ["--received", "2024-13-01"],
        ["--received", "yesterday"],
        ["--received", "2024-09-27", "--pause", "2024-10-01"],
        ["--received", "2024-09-27", "--pause", "2024-10-09:2024-10-01"],
        ["--received", "2031-01-05"],
        ["--received", "2024-09-27", "--corrected", "2024-01-01"],
    ],
)
def test_cli_bad_input(args):
    with pytest.raises(CommandError):
        run_cli(*args)
