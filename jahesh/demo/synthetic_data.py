"""The vocabulary of synthetic provinces (generator.py).

Each agency of the demo (data.AGENCIES, by code) works on a few themes; a theme is a programme
title with the kinds of project that serve it, and each kind of project has the indicator that
measures it. So the regional water company's programme "تامین آب پایدار صنعت" holds projects
about treated wastewater for industry, never about gas pipes. Project titles carry the number
their first indicator promises ("احداث ۱۲ واحد ..."), as the agencies' own titles do.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Metric:
    """How an indicator is drawn.

    increase: baseline in `base`, target = baseline + a gain drawn from `gain`;
    decrease: target = baseline less a share (per cent) drawn from `gain`;
    reach: target drawn from `gain`; yes_no and milestone: 0 to 1.
    """

    name: str
    unit: str
    base: tuple[int, int] = (0, 0)
    gain: tuple[int, int] = (1, 10)
    kind: str = "quantity"
    direction: str = "increase"


@dataclass(frozen=True)
class ProjectKind:
    title: str  # with {gain}, {target} (the first indicator's) and {county}
    metric: Metric


@dataclass(frozen=True)
class Theme:
    title: str
    kinds: tuple[ProjectKind, ...]


def _kind(title: str, name: str, unit: str, base: tuple[int, int], gain: tuple[int, int],
          kind: str = "quantity", direction: str = "increase") -> ProjectKind:
    return ProjectKind(title, Metric(name, unit, base, gain, kind, direction))


def _less(title: str, name: str, unit: str, base: tuple[int, int],
          share: tuple[int, int]) -> ProjectKind:
    return _kind(title, name, unit, base, share, direction="decrease")


def _pct(title: str, name: str, base: tuple[int, int], gain: tuple[int, int],
         direction: str = "increase") -> ProjectKind:
    return _kind(title, name, "درصد", base, gain, kind="percentage", direction=direction)


def _done(title: str, name: str, kind: str = "milestone") -> ProjectKind:
    return ProjectKind(title, Metric(name, "", kind=kind))


THEMES: dict[str, Theme] = {
    "revive": Theme("احیای واحدهای صنعتی راکد", (
        _kind("احیای {gain} واحد صنعتی راکد در {county}", "واحدهای راکد احیاشده", "واحد",
              (0, 0), (5, 40)),
        _kind("رفع موانع {gain} واحد تولیدی در ستاد تسهیل", "واحدهای رفع مانع‌شده", "واحد",
              (0, 0), (10, 150)),
        _kind("تکمیل {gain} طرح صنعتی نیمه‌تمام در {county}",
              "طرح‌های نیمه‌تمام به بهره‌برداری رسیده", "طرح", (0, 0), (2, 25)),
    )),
    "capacity": Theme("افزایش بهره‌برداری از ظرفیت صنایع", (
        _pct("افزایش ضریب بهره‌برداری صنایع {county} به {target} درصد",
             "متوسط ضریب بهره‌برداری از ظرفیت", (40, 70), (3, 12)),
        _kind("ساخت داخل {gain} قلم قطعه و تجهیزات", "اقلام ساخت داخل شده", "قلم", (50, 300),
              (10, 80)),
    )),
    "chain": Theme("تکمیل زنجیره ارزش صنایع اولویت‌دار", (
        _kind("راه‌اندازی {gain} طرح تکمیل زنجیره ارزش در {county}",
              "طرح‌های زنجیره ارزش به بهره‌برداری رسیده", "طرح", (0, 0), (2, 12)),
        _kind("ساخت داخل {gain} قلم مواد اولیه وارداتی", "اقلام ساخت داخل شده", "قلم",
              (20, 150), (5, 40)),
    )),
    "quality": Theme("ارتقای کیفیت محصولات تولیدی", (
        _kind("افزایش واحدهای دارای نشان استاندارد {county} به {target} واحد",
              "واحدهای دارای پروانه نشان استاندارد", "واحد", (50, 600), (10, 80)),
        _pct("افزایش انطباق نمونه‌های بازرسی‌شده به {target} درصد",
             "انطباق نمونه‌های بازرسی‌شده", (60, 85), (3, 10)),
    )),
    "productivity": Theme("بهره‌وری و کنترل قیمت تمام‌شده", (
        _kind("ممیزی انرژی {gain} واحد صنعتی در {county}", "واحدهای ممیزی‌شده", "واحد",
              (0, 0), (10, 80)),
        _pct("کاهش شدت مصرف انرژی واحدهای صنعتی تا {target} درصد",
             "کاهش شدت مصرف انرژی", (0, 0), (5, 15), direction="reach"),
    )),
    "parks": Theme("توسعه شهرک‌ها و نواحی صنعتی", (
        _kind("واگذاری {gain} هکتار زمین در شهرک صنعتی {county}", "زمین صنعتی واگذارشده",
              "هکتار", (0, 0), (10, 150)),
        _kind("احداث {gain} کیلومتر راه دسترسی شهرک‌های صنعتی {county}",
              "راه دسترسی احداث‌شده", "کیلومتر", (0, 0), (3, 40)),
        _kind("تکمیل زیرساخت {gain} ناحیه صنعتی", "نواحی صنعتی تکمیل‌شده", "ناحیه", (0, 0),
              (1, 6)),
    )),
    "greenhouse": Theme("توسعه کشت گلخانه‌ای", (
        _kind("افزایش سطح گلخانه‌های {county} به {target} هکتار", "سطح زیر کشت گلخانه‌ای",
              "هکتار", (20, 500), (10, 150)),
        _kind("ایجاد {gain} شغل در گلخانه‌های {county}", "اشتغال گلخانه‌ها", "نفر", (0, 0),
              (50, 600)),
    )),
    "agro_industry": Theme("توسعه صنایع تبدیلی کشاورزی", (
        _kind("احداث {gain} واحد صنایع تبدیلی کشاورزی در {county}",
              "واحدهای صنایع تبدیلی به بهره‌برداری رسیده", "واحد", (0, 0), (2, 15)),
        _pct("کاهش ضایعات محصولات باغی {county} به {target} درصد", "ضایعات محصولات باغی",
             (20, 35), (2, 8), direction="decrease"),
    )),
    "irrigation": Theme("آبیاری نوین و بهره‌وری آب کشاورزی", (
        _kind("توسعه آبیاری نوین در {gain} هکتار از اراضی {county}",
              "سطح تحت پوشش آبیاری نوین", "هکتار", (1000, 9000), (300, 2500)),
        _less("کاهش مصرف آب کشاورزی {county} به {target} میلیون مترمکعب",
              "مصرف آب کشاورزی", "میلیون مترمکعب", (50, 400), (5, 20)),
    )),
    "orchards": Theme("اصلاح باغ‌های کم‌بازده", (
        _kind("اصلاح {gain} هکتار باغ کم‌بازده در {county}", "باغ‌های اصلاح‌شده", "هکتار",
              (0, 0), (50, 800)),
        _kind("افزایش عملکرد باغ‌های {county} به {target} تن در هکتار", "عملکرد باغ‌ها",
              "تن در هکتار", (8, 25), (1, 5)),
    )),
    "land": Theme("واگذاری اراضی ملی به طرح‌های تولیدی", (
        _kind("واگذاری {gain} هکتار اراضی ملی به طرح‌های تولیدی {county}",
              "اراضی ملی واگذارشده", "هکتار", (0, 0), (20, 500)),
    )),
    "export": Theme("توسعه صادرات غیرنفتی", (
        _kind("افزایش صادرات غیرنفتی {county} به {target} میلیون دلار", "صادرات غیرنفتی",
              "میلیون دلار", (20, 400), (5, 120)),
        _less("کاهش زمان ترخیص کالا در {county} به {target} روز", "متوسط زمان ترخیص کالا",
              "روز", (4, 15), (20, 50)),
    )),
    "marketing": Theme("بازاریابی و فروش محصولات استان", (
        _kind("برگزاری {gain} نمایشگاه فروش محصولات استان", "نمایشگاه‌های برگزارشده",
              "نمایشگاه", (0, 0), (2, 8)),
        _kind("افزایش فروش محصولات استان در نمایشگاه‌ها به {target} میلیارد ریال",
              "فروش در نمایشگاه‌ها", "میلیارد ریال", (50, 800), (20, 300)),
    )),
    "handicrafts": Theme("رونق صنایع‌دستی و فرش دستباف", (
        _kind("برگزاری {gain} نمایشگاه فروش صنایع‌دستی", "نمایشگاه‌های صنایع‌دستی",
              "نمایشگاه", (0, 0), (2, 8)),
        _kind("صدور {gain} مجوز کسب‌وکار خانگی صنایع‌دستی در {county}",
              "مجوزهای صنایع‌دستی صادرشده", "مجوز", (0, 0), (50, 600)),
    )),
    "working_capital": Theme("تامین سرمایه در گردش واحدهای تولیدی", (
        _kind("پرداخت {gain} میلیارد ریال تسهیلات سرمایه در گردش",
              "تسهیلات سرمایه در گردش پرداختی", "میلیارد ریال", (500, 6000), (200, 3000)),
        _kind("تامین مالی {gain} طرح تولیدی در {county}", "طرح‌های تامین مالی‌شده", "طرح",
              (0, 0), (10, 120)),
        _less("کاهش زمان بررسی پرونده تسهیلات به {target} روز",
              "متوسط زمان بررسی پرونده تسهیلات", "روز", (20, 60), (20, 50)),
    )),
    "supply_chain_finance": Theme("تامین مالی زنجیره تامین", (
        _kind("پرداخت {gain} میلیارد ریال تسهیلات زنجیره تامین",
              "تسهیلات زنجیره تامین پرداختی", "میلیارد ریال", (200, 3000), (100, 1500)),
        _pct("افزایش سهم تسهیلات زنجیره‌ای به {target} درصد", "سهم تسهیلات زنجیره‌ای",
             (10, 30), (2, 8)),
    )),
    "jobs": Theme("تسهیلات اشتغال و مشاغل خانگی", (
        _kind("ایجاد {gain} شغل خانگی در {county}", "مشاغل خانگی ایجادشده", "شغل", (0, 0),
              (100, 2000)),
        _kind("پرداخت تسهیلات اشتغال به {gain} متقاضی در {county}",
              "متقاضیان بهره‌مند از تسهیلات اشتغال", "نفر", (0, 0), (50, 1500)),
    )),
    "insurance": Theme("حمایت بیمه‌ای از واحدهای تولیدی", (
        _kind("رفع مشکل بیمه‌ای {gain} واحد تولیدی", "واحدهای رفع مشکل بیمه‌ای", "واحد",
              (0, 0), (20, 300)),
    )),
    "energy": Theme("برق پایدار واحدهای تولیدی", (
        _kind("احداث {gain} مگاوات نیروگاه خورشیدی در {county}", "ظرفیت نیروگاه خورشیدی",
              "مگاوات", (5, 100), (5, 60)),
        _less("کاهش ساعات خاموشی صنایع {county} به {target} ساعت",
              "ساعات خاموشی صنایع در پیک", "ساعت", (40, 120), (30, 60)),
    )),
    "gas": Theme("گازرسانی به واحدهای تولیدی", (
        _kind("اتصال {gain} واحد تولیدی {county} به شبکه گاز", "واحدهای متصل‌شده به گاز",
              "واحد", (0, 0), (10, 200)),
        _kind("احداث {gain} کیلومتر شبکه گاز صنعتی در {county}", "شبکه گاز صنعتی اجراشده",
              "کیلومتر", (0, 0), (3, 40)),
    )),
    "water_supply": Theme("تامین آب پایدار صنعت", (
        _kind("تخصیص {gain} میلیون مترمکعب پساب به صنایع {county}",
              "پساب تخصیص‌یافته به صنعت", "میلیون مترمکعب", (2, 30), (1, 10)),
        _less("کاهش زمان صدور مجوز برداشت آب به {target} روز",
              "متوسط زمان صدور مجوز برداشت آب", "روز", (20, 60), (20, 50)),
    )),
    "transport": Theme("توسعه حمل‌ونقل و لجستیک تولید", (
        _kind("احداث {gain} کیلومتر راه دسترسی واحدهای تولیدی {county}",
              "راه دسترسی احداث‌شده", "کیلومتر", (0, 0), (3, 40)),
        _kind("افزایش بار جابه‌جاشده ریلی به {target} هزار تن", "بار جابه‌جاشده ریلی",
              "هزار تن", (200, 3000), (20, 400)),
    )),
    "telecom": Theme("توسعه ارتباطات و اینترنت پرسرعت صنایع", (
        _kind("اتصال {gain} واحد صنعتی {county} به اینترنت پرسرعت",
              "واحدهای متصل به اینترنت پرسرعت", "واحد", (0, 0), (20, 400)),
        _done("راه‌اندازی شبکه فیبر نوری شهرک صنعتی {county}", "تکمیل شبکه فیبر نوری شهرک"),
    )),
    "logistics_online": Theme("لجستیک فروش برخط محصولات", (
        _kind("ارسال {target} هزار مرسوله فروش برخط محصولات استان", "مرسوله‌های فروش برخط",
              "هزار مرسوله", (50, 800), (20, 300)),
    )),
    "knowledge": Theme("توسعه شرکت‌های دانش‌بنیان", (
        _kind("افزایش شرکت‌های دانش‌بنیان {county} به {target} شرکت", "شرکت‌های دانش‌بنیان",
              "شرکت", (10, 400), (5, 80)),
        _kind("تجاری‌سازی {gain} فناوری در صنایع اولویت‌دار", "فناوری‌های تجاری‌شده",
              "فناوری", (0, 0), (3, 30)),
    )),
    "skills": Theme("آموزش مهارت نیروی کار صنعت", (
        _kind("آموزش مهارت {gain} نفر برای واحدهای تولیدی {county}", "نفر-دوره آموزش مهارت",
              "نفر", (0, 0), (100, 2000)),
        _kind("صدور {gain} گواهینامه مهارت برای کارگران صنعتی", "گواهینامه‌های مهارت صادرشده",
              "گواهینامه", (0, 0), (100, 3000)),
    )),
    "media": Theme("تبیین جهش تولید در رسانه", (
        _kind("تولید {gain} برنامه معرفی ظرفیت‌های تولیدی", "برنامه‌های پخش‌شده", "برنامه",
              (0, 0), (20, 200)),
        _kind("معرفی {gain} برند برتر استان", "برندهای معرفی‌شده", "برند", (0, 0), (5, 40)),
    )),
    "iranian_goods": Theme("ترویج مصرف کالای ایرانی", (
        _pct("افزایش سهم کالای ایرانی در خرید دستگاه‌ها به {target} درصد",
             "سهم کالای ایرانی در خرید دستگاه‌ها", (60, 85), (3, 10)),
        _kind("برگزاری {gain} پویش ترویج کالای ایرانی", "پویش‌های برگزارشده", "پویش", (0, 0),
              (2, 12)),
    )),
    "business_env": Theme("بهبود محیط کسب‌وکار", (
        _less("کاهش زمان صدور مجوزهای تولید در {county} به {target} روز",
              "متوسط زمان صدور مجوز", "روز", (15, 60), (20, 60)),
        _kind("حذف {gain} مجوز زائد کسب‌وکار", "مجوزهای زائد حذف‌شده", "مجوز", (0, 0), (3, 40)),
    )),
    "obstacles": Theme("رفع موانع تولید در ستاد تسهیل", (
        _kind("رفع موانع {gain} واحد تولیدی در ستاد تسهیل", "واحدهای رفع مانع‌شده", "واحد",
              (0, 0), (10, 150)),
        _kind("تقسیط بدهی {gain} واحد تولیدی", "واحدهای بهره‌مند از تقسیط بدهی", "واحد",
              (0, 0), (20, 400)),
    )),
    "coops": Theme("مردمی‌سازی اقتصاد و تعاونی‌ها", (
        _kind("تشکیل {gain} تعاونی تولیدی در {county}", "تعاونی‌های تولیدی تشکیل‌شده",
              "تعاونی", (0, 0), (3, 40)),
        _kind("ایجاد {gain} شغل خانگی با تعاونی‌ها", "مشاغل خانگی ایجادشده", "شغل", (0, 0),
              (100, 2000)),
    )),
    "investment": Theme("فعال‌سازی پنجره واحد سرمایه‌گذاری", (
        _done("راه‌اندازی پنجره واحد سرمایه‌گذاری در {county}",
              "راه‌اندازی پنجره واحد سرمایه‌گذاری", kind="yes_no"),
        _kind("جذب {gain} میلیارد ریال سرمایه‌گذاری در {county}", "سرمایه‌گذاری جذب‌شده",
              "میلیارد ریال", (0, 0), (500, 20000)),
    )),
    "unfinished": Theme("تکمیل طرح‌های عمرانی نیمه‌تمام", (
        _kind("تکمیل {gain} طرح عمرانی نیمه‌تمام در {county}", "طرح‌های عمرانی تکمیل‌شده",
              "طرح", (0, 0), (3, 40)),
    )),
    "env_permits": Theme("تسریع استعلام‌های زیست‌محیطی", (
        _less("کاهش زمان پاسخ استعلام زیست‌محیطی به {target} روز",
              "متوسط زمان پاسخ استعلام", "روز", (10, 45), (20, 60)),
        _kind("پایش {gain} واحد صنعتی در {county}", "واحدهای پایش‌شده", "واحد", (0, 0),
              (20, 200)),
    )),
}

BANK = ("working_capital", "supply_chain_finance", "jobs")

# What each demo agency (by code) works on.
AGENCY_THEMES: dict[str, tuple[str, ...]] = {
    "agri": ("greenhouse", "agro_industry", "irrigation", "orchards"),
    "imt": ("revive", "capacity", "chain", "quality"),
    "parks": ("parks", "chain", "gas"),
    "tcc": ("export", "marketing", "obstacles"),
    "stp": ("knowledge", "skills"),
    "aras": ("export", "investment"),
    "tourism": ("handicrafts", "marketing"),
    "coop": ("coops", "jobs"),
    "mpo": ("unfinished", "business_env", "investment"),
    "imo": ("productivity", "skills"),
    "tax": ("obstacles", "business_env"),
    "customs": ("export", "business_env"),
    "standard": ("quality", "iranian_goods"),
    "env": ("env_permits", "business_env"),
    "nrw": ("land", "irrigation"),
    "bank-melli": BANK, "bank-sepah": BANK, "bank-keshavarzi": BANK, "bank-smt": BANK,
    "bank-tejarat": BANK,
    "irib": ("media", "iranian_goods"),
    "ssi": ("insurance", "jobs"),
    "tvto": ("skills",),
    "culture": ("media", "iranian_goods"),
    "insurance": ("insurance",),
    "post": ("logistics_online", "marketing"),
    "roads": ("transport", "parks"),
    "rmto": ("transport",),
    "rail": ("transport",),
    "water": ("water_supply", "irrigation"),
    "power": ("energy",),
    "gas": ("gas", "energy"),
    "telecom": ("telecom",),
}

# The demo agencies that have an office in each county (the generator adds these past the
# provincial ones): "جهاد کشاورزی شهرستان مراغه", "امور مالیاتی شهرستان مرند", ...
COUNTY_OFFICES = frozenset({
    "agri", "imt", "coop", "tax", "ssi", "tvto", "bank-melli", "bank-sepah", "bank-keshavarzi",
    "bank-smt", "bank-tejarat", "roads", "rmto", "water", "power", "telecom", "post", "culture",
    "env", "nrw", "standard", "tourism",
})

# The second and third indicators of a project.
EXTRA_METRICS = [
    Metric("اشتغال ایجادشده", "نفر", (0, 0), (10, 800)),
    Metric("سرمایه‌گذاری جذب‌شده", "میلیارد ریال", (0, 0), (50, 5000)),
    Metric("پیشرفت فیزیکی", "درصد", (0, 40), (100, 100), kind="percentage", direction="reach"),
    Metric("افتتاح و بهره‌برداری", "", kind="milestone"),
    Metric("پیوست رسانه‌ای طرح", "", kind="yes_no"),
]

REQUIRED_ACTIONS = [
    "تامین تسهیلات بانکی طرح", "صدور مجوز بهره‌برداری", "تامین انشعاب برق", "تامین انشعاب گاز",
    "تخصیص زمین", "اخذ استعلام زیست‌محیطی", "تامین آب مورد نیاز", "رفع مشکل بیمه‌ای کارفرما",
    "تقسیط بدهی مالیاتی", "آموزش نیروی کار", "تهیه پیوست رسانه‌ای", "ترخیص ماشین‌آلات از گمرک",
]

RETURN_COMMENTS = [
    "خط پایه شاخص‌ها را از آمار رسمی سال گذشته بگیرید و منبع آن را بنویسید.",
    "هدف پایان سال با ظرفیت‌های استان همخوانی ندارد؛ آن را بازنگری کنید.",
    "برای هر اقدام موردنیاز دستگاه مسئول و موعد را مشخص کنید.",
    "پروژه‌ها را به اقدام‌های اساسی مرتبط کنید و شاخص کمی برای هر یک بنویسید.",
]

CHANGE_REASONS = [
    "تخصیص اعتبار ملی کمتر از پیش‌بینی بود؛ درخواست کاهش هدف پروژه را داریم.",
    "ظرفیت تازه‌ای در بازدیدهای روز صنعت شناسایی شد؛ درخواست افزایش هدف را داریم.",
    "زمان‌بندی پروژه به دلیل تاخیر در صدور مجوزها باید اصلاح شود.",
]
