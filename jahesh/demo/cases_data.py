"""The demo province's production obstacles and demands: holidays, industrial parks, production
units, the case categories' agencies, and about fifty cases in every state.

Cases live in the weeks before the day the demo is loaded (`days ago`), so that deadlines,
overdue cases and the Wednesday visits look current whenever someone opens the demo; the plan
and monthly progress stay in 1403 (see data.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jahesh.units.validators import check_digit

# --- Official holidays ------------------------------------------------------------------------
#
# 1403: the official calendar approved by the Public Culture Council (شورای فرهنگ عمومی), as
# listed at calendar.nagsh.ir ("تعطیلات رسمی سال 1403 مصوب شورای فرهنگ عمومی"), checked
# against news reports of the year: Eid al-Fitr was Wednesday 22 Farvardin 1403 (10 April
# 2024), its second day 23 Farvardin (donya-e-eqtesad.com, "لیست تعطیلات فروردین 1403");
# 21 Ramadan fell on 13 Farvardin, Nature Day (Ramadan began in Iran on 12 March 2024); Imam
# Hasan Askari on Thursday 22 Shahrivar (safheeghtesad.ir); Imam Reza on Wednesday
# 14 Shahrivar (persianv.com, quoting eghtesadonline); Fatima on Thursday 15 Azar
# (khabaronline.ir 1990818); Imam Ali's birthday on Tuesday 25 Dey; the Mab'ath on Tuesday
# 9 Bahman and 15 Sha'ban on Friday 26 Bahman (payam-e fars, "تقویم بهمن 1403"); 30 Esfand, the
# leap year's last day, on which the year turned, is part of the Nowruz holiday (panjereh.news,
# titr.online). 17 Rabi' al-Awwal, 31 Shahrivar, is counted from 8 Rabi' al-Awwal = 22 Shahrivar.
HOLIDAYS_1403 = [
    ("1403/01/01", "آغاز نوروز"),
    ("1403/01/02", "عید نوروز"),
    ("1403/01/03", "عید نوروز"),
    ("1403/01/04", "عید نوروز"),
    ("1403/01/12", "روز جمهوری اسلامی ایران"),
    ("1403/01/13", "روز طبیعت؛ شهادت حضرت علی (ع)"),
    ("1403/01/22", "عید سعید فطر"),
    ("1403/01/23", "تعطیل به مناسبت عید سعید فطر"),
    ("1403/02/15", "شهادت امام جعفر صادق (ع)"),
    ("1403/03/14", "رحلت امام خمینی (ره)"),
    ("1403/03/15", "قیام ۱۵ خرداد"),
    ("1403/03/28", "عید سعید قربان"),
    ("1403/04/05", "عید سعید غدیر خم"),
    ("1403/04/25", "تاسوعای حسینی"),
    ("1403/04/26", "عاشورای حسینی"),
    ("1403/06/04", "اربعین حسینی"),
    ("1403/06/12", "رحلت پیامبر اکرم (ص) و شهادت امام حسن مجتبی (ع)"),
    ("1403/06/14", "شهادت امام رضا (ع)"),
    ("1403/06/22", "شهادت امام حسن عسکری (ع)"),
    ("1403/06/31", "میلاد پیامبر اکرم (ص) و امام جعفر صادق (ع)"),
    ("1403/09/15", "شهادت حضرت فاطمه زهرا (س)"),
    ("1403/10/25", "ولادت امام علی (ع)"),
    ("1403/11/09", "مبعث پیامبر اکرم (ص)"),
    ("1403/11/22", "پیروزی انقلاب اسلامی"),
    ("1403/11/26", "ولادت حضرت قائم (عج)"),
    ("1403/12/29", "روز ملی شدن صنعت نفت"),
    ("1403/12/30", "تعطیل نوروز (تحویل سال)"),
]
# 1404: the fixed (solar) holidays, and the lunar ones found in more than one report: 2
# Farvardin (21 Ramadan, with Nowruz), Eid al-Fitr on Monday 11 Farvardin and its second day 12
# Farvardin, Imam Sadiq 4 Ordibehesht, Eid al-Adha 16 Khordad, Ghadir 24 Khordad, Tasua and
# Ashura 14 and 15 Tir, Arbaeen 23 Mordad, the Prophet's death 31 Mordad (gardshgar.com,
# "تعطیلات رسمی سال 1404"); Imam Reza 2 Shahrivar (esfahanemrooz.ir, "تقویم شهریور ۱۴۰۴");
# Imam Ali's birthday 13 Dey and the Mab'ath 27 Dey (eghtesadonline.com, "تقویم دی ۱۴۰۴").
# The lunar holidays of Shahrivar (from 8 Rabi' al-Awwal), Azar, Bahman and Esfand 1404 could
# not be confirmed from two sources and are left for the secretariat to enter.
HOLIDAYS_1404 = [
    ("1404/01/01", "آغاز نوروز"),
    ("1404/01/02", "عید نوروز؛ شهادت حضرت علی (ع)"),
    ("1404/01/03", "عید نوروز"),
    ("1404/01/04", "عید نوروز"),
    ("1404/01/11", "عید سعید فطر"),
    ("1404/01/12", "روز جمهوری اسلامی ایران؛ تعطیل به مناسبت عید سعید فطر"),
    ("1404/01/13", "روز طبیعت"),
    ("1404/02/04", "شهادت امام جعفر صادق (ع)"),
    ("1404/03/14", "رحلت امام خمینی (ره)"),
    ("1404/03/15", "قیام ۱۵ خرداد"),
    ("1404/03/16", "عید سعید قربان"),
    ("1404/03/24", "عید سعید غدیر خم"),
    ("1404/04/14", "تاسوعای حسینی"),
    ("1404/04/15", "عاشورای حسینی"),
    ("1404/05/23", "اربعین حسینی"),
    ("1404/05/31", "رحلت پیامبر اکرم (ص) و شهادت امام حسن مجتبی (ع)"),
    ("1404/06/02", "شهادت امام رضا (ع)"),
    ("1404/10/13", "ولادت امام علی (ع)"),
    ("1404/10/27", "مبعث پیامبر اکرم (ص)"),
    ("1404/11/22", "پیروزی انقلاب اسلامی"),
    ("1404/12/29", "روز ملی شدن صنعت نفت"),
]

# --- Case categories: the agency that usually solves each (codes of data.AGENCIES) -----------
# The categories themselves, with their days, are cases.services.DEFAULT_CATEGORIES.
CATEGORY_AGENCIES = {
    "taxes": "tax",
    "social-security": "ssi",
    "banking": "bank-smt",
    "permits": "imt",
    "utilities": "power",
    "land": "parks",
    "customs": "customs",
    "raw-materials": "imt",
    "labour": "coop",
    "other": "imt",
}

# --- Industrial parks (name, county) ------------------------------------------------------------
PARKS = [
    ("شهرک صنعتی شهید سلیمی", "تبریز"),
    ("شهرک صنعتی سرمایه‌گذاری خارجی تبریز", "تبریز"),
    ("شهرک صنعتی مراغه", "مراغه"),
    ("شهرک صنعتی مرند", "مرند"),
    ("شهرک صنعتی میانه", "میانه"),
    ("شهرک صنعتی بناب", "بناب"),
    ("ناحیه صنعتی اهر", "اهر"),
]


def national_id(index: int) -> str:
    """A valid (check digit and all) national business id, the same for the same index."""
    first = f"1010{(37 + index * 7919) % 1_000_000:06d}"
    return first + str(check_digit(first))


@dataclass(frozen=True)
class Unit:
    name: str
    activity: str
    isic: str
    park: int | None  # index in PARKS (None: outside a park, in `county`)
    county: str
    industry: str | None  # a plan_data.PRIORITY_INDUSTRIES title
    employees: int
    contact: str
    knowledge_based: bool = False
    cooperative: bool = False
    home: bool = False


UNITS = [
    Unit("شرکت قطعه‌سازان تبریز", "تولید قطعات خودرو", "2930", 0, "تبریز", "خودرو و قطعات", 240,
         "مهندس رضایی"),
    Unit("شرکت ماشین‌سازی سهند", "ساخت ماشین‌آلات صنعتی", "2829", 0, "تبریز",
         "ماشین‌سازی و تجهیزات صنعتی", 410, "مهندس کریمی"),
    Unit("شرکت لبنیات دشت مراغه", "فرآوری شیر و لبنیات", "1050", 2, "مراغه",
         "صنایع غذایی و تبدیلی", 95, "آقای قاسمی", cooperative=True),
    Unit("شرکت کشمش طلایی بناب", "بسته‌بندی کشمش و خشکبار", "1030", 5, "بناب",
         "صنایع غذایی و تبدیلی", 60, "آقای نوروزی"),
    Unit("شرکت چرم تبریز", "دباغی و تولید چرم", "1511", 1, "تبریز", "چرم و کفش", 130,
         "خانم اسدی"),
    Unit("شرکت کفش ارک", "تولید کفش", "1520", 1, "تبریز", "چرم و کفش", 320, "آقای تبریزی"),
    Unit("شرکت مبلمان مرند", "تولید مبلمان چوبی", "3100", 3, "مرند", "مبلمان و صنایع چوب",
         75, "آقای صالحی"),
    Unit("شرکت سنگ‌بری ورزقان", "برش و صیقل سنگ تزئینی", "2396", None, "ورزقان",
         "سنگ‌های تزئینی", 40, "آقای بهرامی"),
    Unit("شرکت مس و مفتول سونگون", "تولید مفتول مسی", "2420", 6, "اهر", "مس و فلزات پایه", 180,
         "مهندس عباسی"),
    Unit("شرکت لوازم خانگی ارس", "تولید لوازم خانگی", "2750", 0, "تبریز", "لوازم خانگی", 520,
         "مهندس یزدانی"),
    Unit("شرکت داروسازی زاگرس تبریز", "تولید دارو", "2100", 1, "تبریز",
         "دارو و صنایع شیمیایی", 210, "دکتر ملکی", knowledge_based=True),
    Unit("شرکت الکترونیک نوآوران شمال‌غرب", "ساخت تجهیزات الکترونیکی", "2610", 0, "تبریز",
         "برق و الکترونیک", 55, "مهندس شریفی", knowledge_based=True),
    Unit("شرکت نساجی میانه", "ریسندگی و بافندگی", "1311", 4, "میانه", "نساجی و پوشاک", 150,
         "آقای فرهادی"),
    Unit("شرکت شکلات‌سازی شیرین تبریز", "تولید شکلات و شیرینی", "1073", 0, "تبریز",
         "شیرینی و شکلات", 280, "خانم رحیمی"),
    Unit("تعاونی فرش دستباف هریس", "بافت فرش دستباف", "1393", None, "هریس", "فرش دستباف", 90,
         "آقای نجفی", cooperative=True),
    Unit("کارگاه خانگی سفال مهربان", "سفالگری", "2393", None, "اسکو", None, 3,
         "خانم باقری", home=True),
    Unit("شرکت پتروشیمی پلیمر تبریز", "تولید مواد پلیمری", "2013", 1, "تبریز",
         "پتروشیمی و پالایش", 360, "مهندس سلطانی"),
    Unit("شرکت آب‌معدنی سبلان سراب", "تولید آب معدنی", "1104", None, "سراب",
         "صنایع غذایی و تبدیلی", 70, "آقای خلیلی"),
    Unit("شرکت ریخته‌گری مراغه", "ریخته‌گری فلزات", "2431", 2, "مراغه",
         "ماشین‌سازی و تجهیزات صنعتی", 110, "مهندس محمدی"),
    Unit("شرکت فناوران هوشمند شبستر", "نرم‌افزار و سامانه‌های کنترل صنعتی", "6201", None,
         "شبستر", "برق و الکترونیک", 25, "مهندس حسینی", knowledge_based=True),
]

# --- The cases -------------------------------------------------------------------------------
#
# Each case is opened `opened` days before the load and then moved by `steps`, each at its own
# number of days before the load (a smaller number: later; the story ends the evening
# before). Actions and their arguments:
#   accept agency [collaborators…]      secretariat
#   reject reason | merge into-key       secretariat
#   respond text | schedule in-days text | resolve text | unresolvable reason
#                                          the agency's reporter
#   escalate_hq reason                     the secretariat (or "head": the agency head asks)
#   escalate_national body reason          secretariat
#   confirm | reopen reason                the requester
#   note public|internal text              secretariat
# Channels: "public" (the public form), "facilitation" and "secretariat" (recorded by the
# secretariat), "chamber" (a demand by the chamber working group's member `chamber`).

PUBLIC, FACILITATION, SECRETARIAT, CHAMBER = "public", "facilitation", "secretariat", "chamber"


@dataclass(frozen=True)
class Story:
    key: str
    channel: str
    category: str
    title: str
    description: str
    opened: int
    steps: tuple[tuple[Any, ...], ...] = ()
    unit: int | None = None  # index in UNITS
    requester: str = ""  # when there is no unit
    phone: str = ""
    sector: str = "industry"  # a chamber demand's sector (data.SECTORS code)
    priority: str = "normal"
    collaborators: tuple[str, ...] = field(default=())


def S(key: str, channel: str, category: str, title: str, description: str, opened: int,
      *steps: tuple[Any, ...], **extra: Any) -> Story:
    return Story(key, channel, category, title, description, opened, tuple(steps), **extra)


DONE = "پیگیری انجام شد و مشکل واحد برطرف گردید."
RESPONSE = "پرونده دریافت شد؛ کارشناس مربوط با واحد تماس گرفته و مدارک را بررسی می‌کند."

STORIES = [
    # Resolved in the province and confirmed by the requester (closed).
    S("tax-refund", FACILITATION, "taxes", "تأخیر در استرداد مالیات بر ارزش افزوده صادرات",
      "استرداد مالیات بر ارزش افزوده صادرات سال گذشته واحد بیش از شش ماه معطل مانده و "
      "سرمایه در گردش را کاهش داده است.", 95,
      ("accept", 94, "tax"), ("respond", 92, RESPONSE),
      ("schedule", 90, 10, "پرونده در کمیسیون استرداد اداره کل مطرح می‌شود."),
      ("resolve", 80, "مبلغ استرداد پس از تأیید کمیسیون به حساب واحد واریز شد."),
      ("confirm", 75), unit=0),
    S("ss-debt", FACILITATION, "social-security", "تقسیط بدهی بیمه‌ای معوق",
      "واحد برای بدهی بیمه‌ای دو سال گذشته درخواست تقسیط ۳۶ ماهه دارد.", 88,
      ("accept", 87, "ssi"), ("respond", 85, RESPONSE),
      ("resolve", 70, "بدهی در ۳۶ قسط تقسیط و مفاصا حساب موقت صادر شد."), ("confirm", 66),
      unit=1),
    S("power-branch", PUBLIC, "utilities", "افزایش قدرت انشعاب برق خط تولید",
      "برای راه‌اندازی خط دوم پاستوریزه به ۲۵۰ کیلووات افزایش قدرت نیاز داریم.", 80,
      ("accept", 79, "power"), ("respond", 78, RESPONSE),
      ("schedule", 77, 7, "بازدید فنی و برآورد هزینه انشعاب."),
      ("resolve", 65, "افزایش قدرت انشعاب نصب و راه‌اندازی شد."), ("confirm", 60), unit=2),
    S("customs-clear", CHAMBER, "customs", "رسوب مواد اولیه وارداتی در گمرک",
      "مواد اولیه وارداتی چند واحد صنایع غذایی به دلیل استعلام‌های تکراری در گمرک تبریز "
      "مانده است.", 70,
      ("accept", 69, "customs"), ("respond", 68, RESPONSE),
      ("resolve", 60, "استعلام‌ها در پنجره واحد یکجا انجام و کالاها ترخیص شد."),
      ("confirm", 58), sector="commerce"),
    S("permit-env", PUBLIC, "permits", "تمدید پروانه بهره‌برداری",
      "تمدید پروانه بهره‌برداری واحد به دلیل انتظار برای استعلام محیط زیست متوقف است.", 62,
      ("accept", 61, "imt", "env"), ("respond", 59, RESPONSE),
      ("resolve", 50, "پاسخ استعلام دریافت و پروانه بهره‌برداری تمدید شد."), ("confirm", 45),
      unit=4),
    S("labour", SECRETARIAT, "labour", "کمبود نیروی ماهر خط تولید کفش",
      "واحد به ۳۰ نیروی ماهر دوخت نیاز دارد و در بازار کار استان نمی‌یابد.", 58,
      ("accept", 57, "coop", "tvto"), ("respond", 55, RESPONSE),
      ("resolve", 40, "دوره آموزش دوخت با فنی و حرفه‌ای برگزار و ۳۰ نفر جذب شدند."),
      ("confirm", 38), unit=5),
    S("bank-tejarat", PUBLIC, "banking", "رفع سوءاثر چک برگشتی پرداخت‌شده",
      "با وجود تسویه چک، سابقه سوءاثر رفع نشده و واحد نمی‌تواند تسهیلات بگیرد.", 100,
      ("accept", 99, "bank-tejarat"), ("respond", 96, RESPONSE),
      ("resolve", 75, "سوءاثر چک در سامانه بانک مرکزی رفع شد."), ("confirm", 70), unit=6),
    S("raw-copper", FACILITATION, "raw-materials", "تأمین کاتد مس از بورس کالا",
      "سهمیه خرید کاتد مس واحد در بورس کالا برای سه ماه آینده کافی نیست.", 85,
      ("accept", 84, "imt"), ("respond", 83, RESPONSE),
      ("resolve", 64, "سهمیه واحد در کارگروه تأمین مواد اولیه استان افزایش یافت."),
      ("confirm", 60), unit=8),
    S("water-well", PUBLIC, "utilities", "مجوز حفر چاه برای آب صنعتی",
      "آب شبکه شهرک برای مصرف صنعتی واحد کافی نیست.", 66,
      ("accept", 65, "water"), ("respond", 64, RESPONSE),
      ("resolve", 50, "سهمیه آب صنعتی از شبکه شهرک افزایش یافت و نیازی به چاه نیست."),
      ("confirm", 48), unit=17),
    S("ss-inspection", CHAMBER, "social-security", "بازرسی‌های تکراری بیمه در واحدهای کوچک",
      "واحدهای کوچک صنعت غذایی از بازرسی‌های مکرر و جریمه‌های سنگین شکایت دارند.", 52,
      ("accept", 51, "ssi"), ("respond", 50, RESPONSE),
      ("resolve", 33, "بازرسی‌ها در یک نوبت سالانه هماهنگ و جریمه‌های معترض‌عنه بازبینی شد."),
      ("confirm", 30), sector="industry"),
    # Resolved late (the land took long) and confirmed.
    S("land-late", PUBLIC, "land", "واگذاری زمین توسعه در شهرک صنعتی",
      "واحد برای توسعه خط تولید به ۵۰۰۰ متر زمین مجاور در شهرک نیاز دارد.", 110,
      ("accept", 108, "parks"), ("respond", 100, RESPONSE),
      ("schedule", 95, 30, "طرح در کمیته واگذاری زمین شهرک مطرح می‌شود."),
      ("resolve", 40, "قرارداد واگذاری زمین توسعه منعقد شد."), ("confirm", 35), unit=9),
    # Resolved after going to the national level: not solved inside the province.
    S("customs-national", FACILITATION, "customs", "ممنوعیت ورود قطعات یدکی ماشین‌آلات",
      "ورود قطعات یدکی ماشین‌آلات خط تولید بر اساس بخشنامه جدید ممنوع شده است.", 100,
      ("accept", 99, "customs"), ("respond", 97, RESPONSE),
      ("escalate_national", 90, "گمرک جمهوری اسلامی ایران",
       "رفع ممنوعیت در اختیار ستاد گمرک کشور است."),
      ("resolve", 50, "با اصلاح بخشنامه در تهران، قطعات ترخیص شد."), ("confirm", 45), unit=1),
    # Resolved, waiting for the requester.
    S("bank-guarantee", FACILITATION, "banking", "صدور ضمانت‌نامه بانکی برای قرارداد صادراتی",
      "بانک برای صدور ضمانت‌نامه وثیقه ملکی اضافه می‌خواهد.", 45,
      ("accept", 44, "bank-smt"), ("respond", 43, RESPONSE),
      ("schedule", 42, 14, "پرونده در کمیته اعتباری شعبه مرکزی بررسی می‌شود."),
      ("resolve", 20, "ضمانت‌نامه با وثیقه قرارداد صادر شد."), unit=10),
    S("gas-pressure", PUBLIC, "utilities", "افت فشار گاز در فصل سرما",
      "در روزهای سرد فشار گاز کوره‌ها افت می‌کند و تولید متوقف می‌شود.", 30,
      ("accept", 29, "gas"), ("respond", 28, RESPONSE),
      ("resolve", 12, "ایستگاه تقلیل فشار شهرک ارتقا یافت."), unit=18),
    S("raw-steel", CHAMBER, "raw-materials", "کمبود ورق فولادی برای سازندگان لوازم خانگی",
      "سازندگان لوازم خانگی استان ورق فولادی سرد را با دو برابر قیمت بورس می‌خرند.", 40,
      ("accept", 39, "imt"), ("respond", 37, RESPONSE),
      ("resolve", 9, "عرضه ویژه ورق برای واحدهای استان در بورس کالا انجام شد."),
      sector="industry"),
    S("permit-resolved", PUBLIC, "permits", "صدور پروانه ساخت کارگاه توسعه",
      "درخواست پروانه ساخت سوله دوم یک ماه است بی‌پاسخ مانده است.", 25,
      ("accept", 24, "imt"), ("respond", 23, RESPONSE),
      ("resolve", 10, "پروانه ساخت صادر شد."), unit=13),
    # Escalated to the HQ's agenda (by the secretariat; by the agency head).
    S("hq-land", CHAMBER, "land", "زمین برای شهرک صنعتی تخصصی چرم",
      "اتحادیه چرم برای انتقال واحدهای دباغی از شهر، زمین در شهرک تخصصی می‌خواهد.", 50,
      ("accept", 49, "parks", "env"), ("respond", 45, RESPONSE),
      ("note", 44, "public", "موضوع در جلسه کارگروه شهرک‌ها مطرح شد."),
      ("escalate_hq", 30, "تصمیم درباره تغییر کاربری زمین در اختیار قرارداد است."),
      sector="industry"),
    S("hq-power", FACILITATION, "utilities", "قطع برق برنامه‌ریزی‌شده در پیک تابستان",
      "خاموشی‌های برنامه‌ریزی‌شده روزانه چهار ساعت تولید شهرک را متوقف می‌کند.", 35,
      ("accept", 34, "power", "parks"), ("respond", 33, RESPONSE),
      ("escalate_hq", 20, "head", "نیاز به تصمیم قرارگاه درباره سهمیه برق شهرک‌ها."),
      unit=0),
    # Sent to the national level and still followed in the province.
    S("national-fx", FACILITATION, "banking", "تخصیص ارز برای واردات خط تولید",
      "ارز واردات ماشین‌آلات خط جدید پس از نه ماه هنوز تخصیص نیافته است.", 60,
      ("accept", 59, "bank-smt"), ("respond", 57, RESPONSE),
      ("escalate_national", 50, "بانک مرکزی و اتاق ایران",
       "تخصیص ارز در اختیار بانک مرکزی است؛ از طریق اتاق ایران پیگیری می‌شود."), unit=16),
    # Reopened by the requester, then answered again.
    S("reopened", PUBLIC, "taxes", "اعتراض به مالیات علی‌الرأس",
      "مالیات علی‌الرأس سال گذشته بدون توجه به دفاتر واحد تعیین شده است.", 40,
      ("accept", 39, "tax"), ("respond", 37, RESPONSE),
      ("resolve", 20, "پرونده به هیئت حل اختلاف ارجاع شد."),
      ("reopen", 15, "هیئت هنوز تشکیل نشده و اجرائیات حساب واحد را بسته است."),
      ("respond", 12, "رفع انسداد حساب تا تشکیل هیئت انجام شد؛ وقت رسیدگی تعیین می‌شود."),
      unit=11),
    # The agency could not resolve it.
    S("unresolvable", PUBLIC, "other", "تغییر مسیر جاده دسترسی کارگاه",
      "جاده دسترسی کارگاه در طرح تعریض راه قرار گرفته و مسیر جایگزین ندارد.", 55,
      ("accept", 54, "imt", "roads"), ("respond", 52, RESPONSE),
      ("unresolvable", 40, "تغییر مسیر مستلزم تملک اراضی کشاورزی است که در طرح تعریض پیش‌بینی "
                           "نشده است."), unit=7),
    # Refused at triage.
    S("rejected-dispute", PUBLIC, "other", "اختلاف با شریک تجاری بر سر قرارداد",
      "شریک تجاری سهم ما از سود را پرداخت نمی‌کند.", 20,
      ("reject", 19, "اختلاف حقوقی میان دو شرکت است و باید در مراجع قضایی پیگیری شود."),
      requester="شرکت بازرگانی نمونه", phone="04135550101"),
    S("rejected-incomplete", PUBLIC, "taxes", "درخواست پیگیری",
      "لطفاً پیگیری کنید.", 8,
      ("reject", 7, "شرح مشکل و شماره پرونده مالیاتی نوشته نشده است؛ با شرح کامل دوباره ثبت "
                    "کنید."), requester="کارگاه تولیدی", phone="09141234567"),
    # Duplicates, merged into the original.
    S("merged-power", PUBLIC, "utilities", "خاموشی‌های روزانه شهرک شهید سلیمی",
      "هر روز چهار ساعت برق شهرک قطع است.", 30,
      ("merge", 29, "hq-power"), unit=9),
    S("merged-land", CHAMBER, "land", "انتقال دباغی‌ها به شهرک تخصصی",
      "تعیین تکلیف زمین شهرک تخصصی چرم.", 40,
      ("merge", 39, "hq-land"), sector="industry"),
    # Open and within their deadlines.
    S("open-bank", FACILITATION, "banking", "تمدید تسهیلات سرمایه در گردش",
      "سررسید تسهیلات سرمایه در گردش رسیده و واحد توان بازپرداخت یکجا ندارد.", 12,
      ("accept", 11, "bank-keshavarzi"), ("respond", 10, RESPONSE),
      ("note", 10, "internal", "سابقه بازپرداخت واحد خوب است؛ تمدید پیشنهاد می‌شود."),
      ("schedule", 9, 10, "پرونده در کمیته اعتباری استان مطرح می‌شود."), unit=3),
    S("open-ss", PUBLIC, "social-security", "صدور مفاصا حساب برای مناقصه",
      "برای شرکت در مناقصه به مفاصا حساب بیمه نیاز فوری داریم.", 6,
      ("accept", 5, "ssi"), ("respond", 3, RESPONSE), unit=12, priority="high"),
    S("open-training", CHAMBER, "labour", "آموزش تکنسین برق صنعتی",
      "واحدهای الکترونیک به تکنسین برق صنعتی آموزش‌دیده نیاز دارند.", 9,
      ("accept", 8, "tvto"), ("respond", 6, RESPONSE), sector="knowledge"),
    S("open-env", SECRETARIAT, "permits", "استعلام محیط زیست برای توسعه واحد",
      "استعلام محیط زیست طرح توسعه واحد داروسازی در نوبت است.", 4,
      ("accept", 3, "env"), unit=10),
    S("open-raw", PUBLIC, "raw-materials", "تأمین پلی‌اتیلن گرید تزریقی",
      "عرضه پلی‌اتیلن گرید تزریقی در بورس کافی نیست.", 15,
      ("accept", 14, "imt"), ("respond", 12, RESPONSE),
      ("schedule", 11, 20, "هماهنگی با پتروشیمی برای عرضه ویژه."), unit=16),
    S("open-land", FACILITATION, "land", "سند تفکیکی زمین واحد",
      "سند تفکیکی زمین واحد پس از پنج سال صادر نشده است.", 20,
      ("accept", 19, "parks"), ("respond", 17, RESPONSE),
      ("schedule", 16, 30, "تفکیک در نقشه جامع شهرک ثبت می‌شود."), unit=6),
    S("open-grapes", FACILITATION, "raw-materials", "تأمین انگور کشمشی برای فصل فرآوری",
      "خرید تضمینی انگور کشمشی بناب به واحدهای فرآوری نمی‌رسد و خط کشمش نیمه‌کار است.", 13,
      ("accept", 12, "agri", "coop"), ("respond", 10, RESPONSE),
      ("schedule", 9, 15, "هماهنگی با تعاونی باغداران برای قرارداد تأمین."), unit=3),
    S("open-customs", PUBLIC, "customs", "ترخیص قطعات الکترونیکی نمونه",
      "قطعات نمونه برای ساخت داخل در گمرک مانده است.", 5,
      ("accept", 4, "customs", "imt"), unit=11),
    S("open-tax", CHAMBER, "taxes", "مالیات واحدهای کوچک فرش دستباف",
      "واحدهای فرش دستباف از مالیات علی‌الرأس گله دارند.", 7,
      ("accept", 6, "tax"), ("respond", 5, RESPONSE), sector="culture"),
    # Overdue, at different rungs of the ladder (the daily command decides the rung).
    S("late-tax", PUBLIC, "taxes", "تأخیر در صدور گواهی ارزش افزوده",
      "گواهی ثبت‌نام ارزش افزوده برای صادرات لازم است.", 10,
      ("accept", 9, "tax"), unit=14),
    S("late-water", PUBLIC, "utilities", "نشت شبکه آب شهرک",
      "نشت شبکه آب شهرک فشار آب واحدها را کم کرده است.", 28,
      ("accept", 27, "water"), ("respond", 25, RESPONSE),
      ("schedule", 24, 5, "تعمیر خط اصلی شبکه."), unit=3),
    S("late-customs", FACILITATION, "customs", "تأخیر در صدور کارت بازرگانی",
      "صدور کارت بازرگانی واحد برای صادرات معطل است.", 16,
      ("accept", 15, "customs"), unit=13),
    S("late-bank", CHAMBER, "banking", "نرخ سود تسهیلات بانکی واحدهای کوچک",
      "بانک‌ها برای واحدهای کوچک نرخ سود و وثیقه سنگین‌تری می‌خواهند.", 45,
      ("accept", 44, "bank-melli"), ("respond", 42, RESPONSE), sector="finance"),
    S("late-land", PUBLIC, "land", "معارض زمین واحد در شهرک مراغه",
      "بخشی از زمین واگذارشده به واحد معارض ملکی دارد.", 75,
      ("accept", 74, "roads", "parks"), ("respond", 70, RESPONSE),
      ("schedule", 68, 20, "نقشه‌برداری و استعلام ثبتی."), unit=18),
    S("late-labour", PUBLIC, "labour", "پروانه اشتغال اتباع",
      "صدور پروانه کار برای دو متخصص خارجی خط تولید معطل است.", 30,
      ("accept", 29, "coop"), unit=15),
    S("late-standard", SECRETARIAT, "permits", "صدور پروانه کاربرد نشان استاندارد",
      "پروانه نشان استاندارد محصول جدید صادر نشده است.", 33,
      ("accept", 32, "standard"), ("respond", 28, RESPONSE), unit=2),
    # Waiting for the secretariat's triage.
    S("new-tax", PUBLIC, "taxes", "جریمه دیرکرد ارسال فهرست معاملات",
      "سامانه هنگام ارسال فهرست معاملات خطا داد و اکنون جریمه دیرکرد صادر شده است.", 2,
      unit=19),
    S("new-other", PUBLIC, "other", "عوارض شهرداری برای کارگاه",
      "شهرداری عوارض سنگینی برای تابلوی کارگاه تعیین کرده است.", 1,
      requester="کارگاه سفال مهربان", phone="09147654321"),
    S("new-raw", CHAMBER, "raw-materials", "سهمیه شکر برای صنایع شیرینی",
      "سهمیه شکر واحدهای شیرینی و شکلات استان کم شده است.", 3, sector="industry"),
    S("new-gas", PUBLIC, "utilities", "تأخیر در وصل انشعاب گاز",
      "انشعاب گاز واحد پس از پرداخت هزینه هنوز وصل نشده است.", 1, unit=17),
    S("new-facilitation", FACILITATION, "permits", "مجوز فروش اینترنتی محصولات",
      "واحد برای فروش اینترنتی به نماد اعتماد و مجوز صنفی نیاز دارد.", 1, unit=19),
]

# --- The industry-day visits ------------------------------------------------------------------
# Last Wednesday's (held): the units on the route; problems recorded at some stops (unit index,
# category, title, description, then the steps after it, as for STORIES, in days after the
# visit); one unit visited with nothing to record.
LAST_VISIT_UNITS = [9, 13, 16, 5]
LAST_VISIT_PROBLEMS = [
    (9, "raw-materials", "کمبود ورق فولادی خط تولید یخچال",
     "ذخیره ورق فولادی خط تولید یخچال برای دو هفته کافی است.",
     (("accept", 1, "imt"), ("respond", 2, RESPONSE))),
    (13, "utilities", "قطعی مکرر برق خط شکلات‌سازی",
     "نوسان برق دستگاه‌های قالب‌گیری را آسیب زده است.", (("accept", 1, "power"),)),
    (16, "banking", "تمدید تسهیلات سرمایه در گردش پتروشیمی",
     "تمدید تسهیلات ارزی پتروشیمی در شعبه معطل است.", ()),
]
VISITED_WITHOUT_PROBLEM = 5
NEXT_VISIT_UNITS = [2, 12, 4]
VISIT_PARTICIPANTS = ["governor", "secretariat", "imt.head", "power.head", "bank-smt.head"]
VISIT_OTHERS = "مدیر شعبه مرکزی بانک ملت\nرئیس اتاق بازرگانی تبریز"

# The blocker of a progress report that the secretariat turns into a case (the project's title
# in progress_data.PACES), the agency it is assigned to, and when.
BLOCKER_PROJECT = "احیای ۴۰ واحد صنعتی راکد"
BLOCKER_STEPS = (("accept", 20, "bank-keshavarzi"), ("respond", 18, RESPONSE))
