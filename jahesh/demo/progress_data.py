"""The demo's monthly progress in 1403: how each accepted project fared, month by month.

Each accepted project of jahesh/demo/plan_data.py keeps a pace: its actual change as a share of
the change its trajectory planned (1.0 = on the trajectory). Months Farvardin to Dey are reported,
approved and verified in the first days of the next month; Bahman is caught mid-way on 8 Esfand:
some agencies are done, some wait for a review, and Agriculture has not started (for a visitor
to try). The secretariat then reopens Bahman and Esfand so that they can still be reported.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Pace:
    agency: str
    project: str  # the project's title, as in plan_data
    pace: float
    blocker: str = ""  # what blocks it, while it is behind
    unblocker: str = ""  # the agency that could unblock it


# By project title: a project not listed keeps to its trajectory (pace 1.0).
PACES: dict[str, Pace] = {}


def pace(agency: str, project: str, value: float, blocker: str = "", unblocker: str = "") -> None:
    PACES[project] = Pace(agency, project, value, blocker, unblocker)


pace("agri", "افزایش سطح زیر کشت گلخانه‌ای از ۴۵۰ به ۶۰۰ هکتار", 0.97)
pace("agri", "احداث ۱۲ واحد صنایع تبدیلی محصولات باغی در مراغه و بناب", 0.8,
     "تأخیر در تأمین انشعاب برق واحدهای صنایع تبدیلی", "power")
pace("imt", "احیای ۴۰ واحد صنعتی راکد", 0.62,
     "بدهی معوق واحدها به بانک‌ها و نبود تسهیلات سرمایه در گردش", "bank-keshavarzi")
pace("imt", "ساخت داخل ۶۰ قلم قطعه و تجهیزات وارداتی", 0.86)
pace("water", "کاهش زمان صدور مجوز برداشت آب به ۲۰ روز", 0.74,
     "طولانی بودن استعلام‌های زیست‌محیطی", "env")

LAST_VERIFIED_MONTH = 10  # Dey: reported and verified in Bahman
# Months before this one are loaded in bulk (see loader._history); this one and Bahman go
# through the services, step by step, with their audit trail.
FIRST_MONTH_THROUGH_SERVICES = 10
# Bahman's reports on 8 Esfand, by agency: the state each has reached (absent: not started).
BAHMAN_STATES = {
    "imt": "submitted",  # waits for imt.head
    "water": "approved",  # waits for the secretariat
    "power": "verified",
    "bank-keshavarzi": "verified",
    "imo": "draft",
    # agri: not started; customs: not started (it is usually late)
}
LATE_AGENCIES = ("customs",)  # submits after the window closes
# The evaluator's comment on an agency's month.
EVALUATION_COMMENTS = [
    ("imt", 10, "پروژه احیای واحدهای راکد سه ماه پیاپی خارج از برنامه است؛ پیشنهاد می‌شود "
                "موضوع تأمین سرمایه در گردش در دستور جلسه قرارگاه قرار گیرد."),
    ("agri", 9, "گزارش‌ها کامل و به‌موقع است؛ مستندات بازدید میدانی گلخانه‌ها پیوست شود."),
]
ACHIEVED = "عملیات اجرایی طبق برنامه ماه پیش رفت و گزارش بازدید میدانی تهیه شد."
NEXT_STEPS = "پیگیری تخصیص اعتبار و ادامه عملیات اجرایی در ماه آینده."
EXPLANATION = "تأخیر در تخصیص اعتبار و مشکلات تأمین مالی واحدها پیشرفت را کند کرده است."
REOPEN_REASON = ("بازگشایی بهمن و اسفند ۱۴۰۳ برای تکمیل گزارش‌های معوق دستگاه‌ها "
                 "(نسخه نمایشی).")
REOPENED_UNTIL = "1409/12/29"
