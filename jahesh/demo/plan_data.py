"""The demo province's plan for 1403: alignment lists and the agencies' programmes.

The four axes are the development document's, as DOMAIN.md lists them. The articles say East
Azerbaijan named 14 priority industries without naming them, so the 14 below are invented (and
marked as demo data). The programmes, projects and numbers are invented too, but sized like a
real province: the loader (loader.py) builds them through the plan services, moving each
programme to its `state` as the agency's reporter, its head and the secretariat would.
"""

from dataclasses import dataclass

AXES = [
    "بهره‌برداری بهینه از منابع موجود",
    "افزایش منابع استان",
    "بهبود فرایند تولید",
    "سرمایه‌گذاری در تکمیل زنجیره تولید",
]

PRIORITY_INDUSTRIES = [
    "خودرو و قطعات",
    "ماشین‌سازی و تجهیزات صنعتی",
    "پتروشیمی و پالایش",
    "صنایع غذایی و تبدیلی",
    "فرش دستباف",
    "چرم و کفش",
    "مبلمان و صنایع چوب",
    "سنگ‌های تزئینی",
    "مس و فلزات پایه",
    "لوازم خانگی",
    "دارو و صنایع شیمیایی",
    "برق و الکترونیک",
    "نساجی و پوشاک",
    "شیرینی و شکلات",
]

COUNTIES = [
    "تبریز", "مراغه", "مرند", "میانه", "اهر", "بناب", "سراب", "شبستر", "آذرشهر", "هشترود",
    "ملکان", "عجب‌شیر", "جلفا", "کلیبر", "ورزقان", "بستان‌آباد", "هریس", "اسکو", "چاراویماق",
    "خداآفرین",
]

# Every baseline is the figure at the end of the previous year.
BASELINE_DATE = "1402/12/29"

# The final state each demo programme is brought to. RETURNED is a draft that was submitted,
# approved and then returned by the secretariat with a comment.
DRAFT, RETURNED, SUBMITTED, APPROVED, ACCEPTED = (
    "draft", "returned", "submitted", "approved", "accepted"
)


@dataclass(frozen=True)
class Ind:
    """An indicator. Numbers are decimal text; `profile` names a seasonal profile
    (jahesh.plan.trajectory.SEASONAL_PROFILES); `manual` is a trajectory typed by hand."""

    name: str
    unit: str
    baseline: str | None
    target: str
    kind: str = "quantity"
    direction: str = "increase"
    profile: str | None = None
    manual: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Act:
    """A required action: owner agency code and Jalali due date (None where the draft lacks it)."""

    title: str
    owner: str | None
    due: str | None


@dataclass(frozen=True)
class Proj:
    title: str
    key_action: int  # its number in the year's list
    county: str | None  # None: province-wide
    start: str
    end: str
    # Planned budget in million rials: provincial, national, bank facilities, private.
    budget: tuple[int, int, int, int]
    indicators: tuple[Ind, ...]
    actions: tuple[Act, ...] = ()


@dataclass(frozen=True)
class Prog:
    agency: str
    level: str  # ProgrammeLevel value
    title: str
    description: str
    key_actions: tuple[int, ...]
    axes: tuple[int, ...]
    industries: tuple[str, ...]
    supporting: tuple[str, ...]
    projects: tuple[Proj, ...]
    state: str
    late: bool = False  # submitted after the deadline
    grade: str = ""
    priority: str = ""
    return_comment: str = ""
    change_request: str = ""


PROGRAMMES: list[Prog] = [
    Prog(
        agency="agri", level="strategic", state=ACCEPTED, grade="A", priority="high",
        title="توسعه کشت گلخانه‌ای، آبیاری نوین و صنایع تبدیلی کشاورزی",
        description="افزایش بهره‌وری آب و خاک و تکمیل زنجیره ارزش محصولات باغی و گلخانه‌ای "
                    "بر اساس سند تدبیر توسعه استان.",
        key_actions=(4, 1), axes=(1, 4), industries=("صنایع غذایی و تبدیلی",),
        supporting=("bank-keshavarzi", "water", "power"),
        projects=(
            Proj(
                title="افزایش سطح زیر کشت گلخانه‌ای از ۴۵۰ به ۶۰۰ هکتار", key_action=1,
                county="آذرشهر", start="1403/01/20", end="1403/12/25",
                budget=(120_000, 80_000, 650_000, 900_000),
                indicators=(
                    Ind("سطح زیر کشت گلخانه‌ای", "هکتار", "450", "600", profile="construction"),
                    Ind("اشتغال مستقیم گلخانه‌های جدید", "نفر", "0", "1200"),
                ),
                actions=(
                    Act("پرداخت تسهیلات ساخت گلخانه به متقاضیان", "bank-keshavarzi",
                        "1403/06/31"),
                    Act("صدور مجوز برداشت آب برای گلخانه‌های جدید", "water", "1403/04/31"),
                ),
            ),
            Proj(
                title="احداث ۱۲ واحد صنایع تبدیلی محصولات باغی در مراغه و بناب", key_action=4,
                county="مراغه", start="1403/02/01", end="1403/12/20",
                budget=(45_000, 0, 380_000, 620_000),
                indicators=(
                    Ind("واحدهای صنایع تبدیلی به بهره‌برداری رسیده", "واحد", "0", "12",
                        profile="year_end"),
                    Ind("ظرفیت فرآوری محصولات باغی", "هزار تن", "210", "260"),
                ),
                actions=(
                    Act("تامین انشعاب برق واحدهای صنایع تبدیلی", "power", "1403/08/30"),
                ),
            ),
            Proj(
                title="توسعه آبیاری نوین در ۲٬۵۰۰ هکتار از باغ‌ها و مزارع", key_action=1,
                county=None, start="1403/01/15", end="1403/09/30",
                budget=(95_000, 210_000, 150_000, 60_000),
                indicators=(
                    Ind("سطح تحت پوشش آبیاری نوین", "هکتار", "8500", "11000",
                        profile="agricultural"),
                    Ind("ضایعات محصولات باغی", "درصد", "30", "25", kind="percentage",
                        direction="decrease"),
                ),
            ),
        ),
    ),
    Prog(
        agency="agri", level="operational", state=DRAFT,
        title="ایجاد مشاغل خانگی روستایی در زنجیره فرآوری لبنیات",
        description="مردمی‌سازی تولید: به کارگیری ظرفیت خانوارهای روستایی در فرآوری شیر.",
        key_actions=(10, 3), axes=(2,), industries=("صنایع غذایی و تبدیلی",),
        supporting=("coop", "tvto"),
        projects=(
            Proj(
                title="ایجاد ۸۰۰ شغل خانگی در فرآوری لبنیات روستایی", key_action=10,
                county="سراب", start="1403/03/01", end="1403/12/15",
                budget=(18_000, 0, 40_000, 5_000),
                indicators=(
                    # Still a draft: the reporter has not found the baseline yet.
                    Ind("مشاغل خانگی ایجادشده", "شغل", None, "800"),
                ),
                actions=(
                    Act("آموزش مهارت فرآوری لبنیات به خانوارها", "tvto", "1403/05/31"),
                ),
            ),
        ),
    ),
    Prog(
        agency="imt", level="strategic", state=ACCEPTED, grade="B", priority="high",
        title="احیای ۴۰ واحد صنعتی راکد و افزایش بهره‌برداری از ظرفیت صنایع",
        description="رفع موانع تولید واحدهای راکد و نیمه‌فعال در ستاد تسهیل و ساخت داخل "
                    "اقلام وارداتی صنایع اولویت‌دار.",
        key_actions=(2, 3, 4), axes=(1, 3), industries=(
            "ماشین‌سازی و تجهیزات صنعتی", "خودرو و قطعات", "لوازم خانگی",
        ),
        supporting=("bank-smt", "tax", "ssi"),
        change_request=(
            "در بازدیدهای روز صنعت ۱۶ واحد راکد دیگر در شهرک‌های صنعتی تبریز شناسایی شد؛ "
            "درخواست داریم هدف احیا از ۴۰ به ۵۶ واحد افزایش یابد."
        ),
        projects=(
            Proj(
                title="احیای ۴۰ واحد صنعتی راکد", key_action=2, county="تبریز",
                start="1403/01/15", end="1403/12/29", budget=(60_000, 0, 1_200_000, 300_000),
                indicators=(
                    Ind("واحدهای راکد احیاشده", "واحد", "0", "40", profile="year_end"),
                    Ind("اشتغال بازگشته به واحدهای احیاشده", "نفر", "0", "1600"),
                ),
                actions=(
                    Act("رفع مشکلات بیمه‌ای واحدهای راکد در ستاد تسهیل", "ssi", "1403/05/31"),
                    Act("تامین سرمایه در گردش واحدهای در حال احیا", "bank-smt", "1403/07/30"),
                    Act("تقسیط بدهی مالیاتی واحدهای راکد", "tax", "1403/04/31"),
                ),
            ),
            Proj(
                title="افزایش ضریب بهره‌برداری از ظرفیت واحدهای صنعتی به ۶۰ درصد",
                key_action=2, county=None, start="1403/01/15", end="1403/12/29",
                budget=(15_000, 0, 0, 0),
                indicators=(
                    Ind("متوسط ضریب بهره‌برداری از ظرفیت", "درصد", "52", "60",
                        kind="percentage"),
                ),
            ),
            Proj(
                title="ساخت داخل ۶۰ قلم قطعه و تجهیزات وارداتی", key_action=4,
                county="تبریز", start="1403/02/01", end="1403/12/29",
                budget=(25_000, 40_000, 150_000, 450_000),
                indicators=(
                    Ind("اقلام ساخت داخل شده", "قلم", "140", "200"),
                    Ind("صرفه‌جویی ارزی ساخت داخل", "میلیون دلار", "0", "45"),
                ),
                actions=(
                    Act("معرفی نیازهای ساخت داخل صنایع بزرگ در نمایشگاه", "tcc", "1403/03/31"),
                ),
            ),
        ),
    ),
    Prog(
        agency="parks", level="operational", state=APPROVED,
        title="آماده‌سازی و واگذاری ۱۲۰ هکتار زمین در شهرک‌های صنعتی",
        description="زیرساخت شهرک‌ها و نواحی صنعتی، با پیوست رسانه‌ای برای هر طرح.",
        key_actions=(1, 5), axes=(2,), industries=(), supporting=("gas", "power", "water"),
        projects=(
            Proj(
                title="واگذاری ۱۲۰ هکتار زمین صنعتی به سرمایه‌گذاران", key_action=5,
                county="تبریز", start="1403/01/15", end="1403/12/29",
                budget=(0, 0, 0, 0),
                indicators=(
                    Ind("زمین صنعتی واگذارشده", "هکتار", "0", "120"),
                    Ind("قراردادهای واگذاری منعقدشده", "فقره", "0", "180"),
                ),
                actions=(
                    Act("صدور استعلام‌های زیست‌محیطی در پنجره واحد", "env", "1403/03/31"),
                ),
            ),
            Proj(
                title="گازرسانی به شهرک‌های صنعتی سراب و هریس", key_action=1, county="سراب",
                start="1403/02/01", end="1403/10/30", budget=(140_000, 90_000, 0, 0),
                indicators=(
                    Ind("طول شبکه گاز اجراشده", "کیلومتر", "0", "18", profile="construction"),
                    Ind("تکمیل خط تغذیه گاز شهرک صنعتی سراب", "", "0", "1", kind="milestone"),
                ),
                actions=(
                    Act("اجرای ایستگاه تقلیل فشار گاز", "gas", "1403/08/30"),
                ),
            ),
            Proj(
                title="پیوست رسانه‌ای طرح‌ها و معرفی ۲۴ برند برتر شهرک‌ها", key_action=10,
                county=None, start="1403/01/20", end="1403/12/20", budget=(6_000, 0, 0, 0),
                indicators=(
                    Ind("برنامه‌های معرفی برندهای برتر", "برنامه", "0", "24"),
                    Ind("پیوست رسانه‌ای برای همه طرح‌های شهرک‌ها", "", "0", "1",
                        kind="yes_no"),
                ),
                actions=(
                    Act("پخش برنامه‌های معرفی واحدهای برتر", "irib", "1403/11/30"),
                ),
            ),
        ),
    ),
    Prog(
        agency="bank-smt", level="operational", state=SUBMITTED,
        title="پرداخت ۸٬۰۰۰ میلیارد ریال تسهیلات سرمایه در گردش به واحدهای تولیدی",
        description="تامین مالی واحدهای تولیدی معرفی‌شده از ستاد تسهیل و صنعت، معدن و تجارت.",
        key_actions=(3,), axes=(1,), industries=(), supporting=("imt",),
        projects=(
            Proj(
                title="پرداخت ۸٬۰۰۰ میلیارد ریال تسهیلات سرمایه در گردش", key_action=3,
                county=None, start="1403/01/15", end="1403/12/29",
                budget=(0, 0, 8_000_000, 0),
                indicators=(
                    Ind("تسهیلات سرمایه در گردش پرداختی", "میلیارد ریال", "6200", "8000",
                        profile="year_end"),
                    Ind("واحدهای تولیدی بهره‌مند", "واحد", "410", "520"),
                ),
                actions=(
                    Act("معرفی واحدهای متقاضی از ستاد تسهیل", "imt", "1403/02/31"),
                ),
            ),
        ),
    ),
    Prog(
        agency="bank-keshavarzi", level="operational", state=ACCEPTED, grade="B",
        priority="medium",
        title="تامین مالی زنجیره ارزش محصولات کشاورزی",
        description="تسهیلات زنجیره تامین برای بهره‌برداران و صنایع تبدیلی.",
        key_actions=(3, 4), axes=(4,), industries=("صنایع غذایی و تبدیلی",),
        supporting=("agri",),
        projects=(
            Proj(
                title="پرداخت ۲٬۵۰۰ میلیارد ریال تسهیلات زنجیره تامین کشاورزی", key_action=3,
                county=None, start="1403/01/15", end="1403/12/29",
                budget=(0, 0, 2_500_000, 0),
                indicators=(
                    Ind("تسهیلات زنجیره تامین پرداختی", "میلیارد ریال", "1800", "2500"),
                    Ind("سهم تسهیلات زنجیره‌ای از کل تسهیلات کشاورزی", "درصد", "18", "25",
                        kind="percentage"),
                ),
            ),
        ),
    ),
    Prog(
        agency="tcc", level="operational", state=RETURNED,
        title="توسعه صادرات فرش دستباف و چرم با مشارکت بخش خصوصی",
        description="کارگروه ویژه اتاق: گردآوری مطالبات بخش خصوصی و پیگیری در دبیرخانه.",
        key_actions=(7, 2), axes=(3,), industries=("فرش دستباف", "چرم و کفش"),
        supporting=("customs", "tourism"),
        return_comment=(
            "هدف صادرات با آمار گمرک در سال ۱۴۰۲ همخوانی ندارد؛ خط پایه را از آمار رسمی گمرک "
            "بگیرید و برای هر مطالبه بخش خصوصی مسئول پیگیری را مشخص کنید."
        ),
        projects=(
            Proj(
                title="افزایش صادرات فرش دستباف و محصولات چرمی به ۱۵۰ میلیون دلار",
                key_action=7, county="تبریز", start="1403/01/15", end="1403/12/29",
                budget=(8_000, 0, 0, 35_000),
                indicators=(
                    Ind("صادرات فرش دستباف و محصولات چرمی", "میلیون دلار", "95", "150"),
                ),
                actions=(
                    Act("حضور در نمایشگاه‌های بین‌المللی فرش", "tourism", "1403/07/30"),
                ),
            ),
            Proj(
                title="پیگیری ۶۰ مطالبه بخش خصوصی در کارگروه ویژه", key_action=2,
                county=None, start="1403/01/20", end="1403/12/29", budget=(0, 0, 0, 2_000),
                indicators=(
                    Ind("مطالبات بخش خصوصی پیگیری‌شده", "مورد", "0", "60"),
                ),
            ),
        ),
    ),
    Prog(
        agency="stp", level="strategic", state=APPROVED, late=True,
        title="رساندن استان به جمع سه استان برتر در شرکت‌های دانش‌بنیان",
        description="توسعه شرکت‌های دانش‌بنیان و تجاری‌سازی فناوری در صنایع اولویت‌دار.",
        key_actions=(6, 4), axes=(3,), industries=("برق و الکترونیک", "دارو و صنایع شیمیایی"),
        supporting=("tvto",),
        projects=(
            Proj(
                title="افزایش شرکت‌های دانش‌بنیان از ۵۲۰ به ۶۲۰ شرکت", key_action=6,
                county="تبریز", start="1403/01/15", end="1403/12/29",
                budget=(30_000, 70_000, 50_000, 200_000),
                indicators=(
                    Ind("شرکت‌های دانش‌بنیان استان", "شرکت", "520", "620"),
                    # A rank: smaller is better.
                    Ind("رتبه استان در تعداد شرکت‌های دانش‌بنیان", "رتبه", "5", "3",
                        direction="decrease"),
                ),
            ),
            Proj(
                title="تجاری‌سازی ۳۵ فناوری در صنایع اولویت‌دار", key_action=4, county="تبریز",
                start="1403/02/01", end="1403/12/29", budget=(12_000, 25_000, 0, 80_000),
                indicators=(Ind("فناوری‌های تجاری‌شده", "فناوری", "0", "35"),),
                actions=(
                    Act("معرفی نیازهای فناورانه صنایع", "imt", "1403/03/31"),
                ),
            ),
        ),
    ),
    Prog(
        agency="irib", level="operational", state=DRAFT,
        title="تبیین جهش تولید با مشارکت مردم در رسانه",
        description="برنامه برای گروه‌های مخاطب: مردم، واحدهای تولیدی، بنگاه‌ها و مدیران "
                    "دستگاه‌ها؛ نخست تبیین، سپس تغییر نگرش و رفتار.",
        key_actions=(10, 7), axes=(2,), industries=(), supporting=("culture",),
        projects=(
            Proj(
                title="تولید ۱۸۰ برنامه رادیویی و تلویزیونی برای گروه‌های مخاطب",
                key_action=10, county=None, start="1403/01/20", end="1403/12/29",
                budget=(22_000, 10_000, 0, 0),
                indicators=(Ind("برنامه‌های پخش‌شده", "برنامه", "0", "180"),),
            ),
            Proj(
                title="معرفی ظرفیت‌های تولیدی استان در فضای مجازی", key_action=7,
                county=None, start="1403/02/01", end="1403/12/29", budget=(4_000, 0, 0, 0),
                indicators=(
                    # Still a draft: no baseline yet, and an action without a date.
                    Ind("بازدید محتوای معرفی واحدهای تولیدی", "هزار بازدید", None, "5000"),
                ),
                actions=(Act("تهیه فهرست واحدهای برتر برای معرفی", "parks", None),),
            ),
        ),
    ),
    Prog(
        agency="water", level="operational", state=ACCEPTED, grade="A", priority="medium",
        title="تامین آب پایدار برای صنعت با پساب تصفیه‌شده",
        description="جایگزینی آب شرب و زیرزمینی صنایع با پساب و کوتاه کردن زمان صدور مجوز.",
        key_actions=(1, 2), axes=(1, 2), industries=("پتروشیمی و پالایش",),
        supporting=("parks",),
        projects=(
            Proj(
                title="تخصیص ۲۵ میلیون مترمکعب پساب تصفیه‌شده به صنایع", key_action=1,
                county="تبریز", start="1403/01/15", end="1403/12/29",
                budget=(70_000, 180_000, 0, 120_000),
                indicators=(
                    Ind("پساب تخصیص‌یافته به صنعت", "میلیون مترمکعب", "14", "25"),
                ),
                actions=(
                    Act("انعقاد قرارداد پساب با شهرک‌های صنعتی", "parks", "1403/04/31"),
                ),
            ),
            Proj(
                title="کاهش زمان صدور مجوز برداشت آب به ۲۰ روز", key_action=2, county=None,
                start="1403/01/15", end="1403/06/31", budget=(2_000, 0, 0, 0),
                indicators=(
                    Ind("متوسط زمان صدور مجوز برداشت آب", "روز", "45", "20",
                        direction="decrease"),
                ),
            ),
        ),
    ),
    Prog(
        agency="power", level="project", state=ACCEPTED, grade="B", priority="high",
        title="برق پایدار واحدهای تولیدی و ۱۲۰ مگاوات نیروگاه خورشیدی",
        description="نیروگاه‌های خورشیدی با مشارکت مردم و کاهش خاموشی صنایع در پیک تابستان.",
        key_actions=(1,), axes=(2, 3), industries=(), supporting=("bank-melli",),
        projects=(
            Proj(
                title="احداث ۱۲۰ مگاوات نیروگاه خورشیدی با مشارکت مردم", key_action=1,
                county="میانه", start="1403/01/20", end="1403/12/29",
                budget=(50_000, 300_000, 900_000, 1_800_000),
                indicators=(
                    Ind("ظرفیت نیروگاه خورشیدی نصب‌شده", "مگاوات", "85", "205",
                        profile="construction"),
                ),
                actions=(
                    Act("پرداخت تسهیلات نیروگاه‌های خورشیدی خانگی", "bank-melli",
                        "1403/05/31"),
                    Act("واگذاری زمین نیروگاه‌های خورشیدی", "nrw", "1403/03/31"),
                ),
            ),
            Proj(
                title="کاهش ساعات خاموشی صنایع در پیک تابستان به ۴۰ ساعت", key_action=2,
                county=None, start="1403/02/01", end="1403/06/31", budget=(35_000, 0, 0, 0),
                indicators=(
                    Ind("ساعات خاموشی صنایع در پیک", "ساعت", "96", "40",
                        direction="decrease"),
                ),
            ),
        ),
    ),
    Prog(
        agency="tourism", level="operational", state=SUBMITTED,
        title="رونق فروش صنایع‌دستی و فرش دستباف در ۴ نمایشگاه",
        description="بازاریابی و فروش صنایع‌دستی و ترویج مصرف کالای ایرانی.",
        key_actions=(7, 10), axes=(2,), industries=("فرش دستباف",), supporting=("tcc",),
        projects=(
            Proj(
                title="برگزاری ۴ نمایشگاه فروش صنایع‌دستی", key_action=7, county="تبریز",
                start="1403/02/01", end="1403/11/30", budget=(9_000, 3_000, 0, 12_000),
                indicators=(
                    Ind("نمایشگاه‌های برگزارشده", "نمایشگاه", "0", "4"),
                    Ind("فروش صنایع‌دستی در نمایشگاه‌ها", "میلیارد ریال", "320", "450"),
                ),
            ),
        ),
    ),
    Prog(
        agency="coop", level="operational", state=DRAFT,
        title="ایجاد ۲٬۰۰۰ شغل خانگی با تعاونی‌های استان",
        description="مردمی‌سازی اقتصاد: تعاونی‌های پشتیبان مشاغل خانگی.",
        key_actions=(3, 10), axes=(2,), industries=("نساجی و پوشاک",), supporting=("tvto",),
        projects=(
            Proj(
                title="ایجاد ۲٬۰۰۰ شغل خانگی", key_action=10, county=None,
                start="1403/02/01", end="1403/12/29", budget=(40_000, 60_000, 120_000, 0),
                indicators=(Ind("مشاغل خانگی ایجادشده", "شغل", "0", "2000"),),
                actions=(Act("آموزش مهارت به متقاضیان مشاغل خانگی", "tvto", "1403/06/31"),),
            ),
        ),
    ),
    Prog(
        agency="customs", level="project", state=ACCEPTED, grade="C", priority="low",
        title="کاهش زمان ترخیص کالای صادراتی در گمرک جلفا به ۳ روز",
        description="تسهیل تجارت از مرز جلفا و منطقه آزاد ارس.",
        key_actions=(2, 7), axes=(3,), industries=(), supporting=("aras",),
        projects=(
            Proj(
                title="کاهش زمان ترخیص کالای صادراتی به ۳ روز", key_action=2, county="جلفا",
                start="1403/01/15", end="1403/12/29", budget=(5_000, 15_000, 0, 0),
                indicators=(
                    Ind("متوسط زمان ترخیص کالای صادراتی", "روز", "6", "3",
                        direction="decrease"),
                    # Typed by hand: the system goes live in Azar.
                    Ind("راه‌اندازی سامانه ترخیص یکپارچه", "", "0", "1", kind="yes_no",
                        manual=("0",) * 8 + ("1",) * 4),
                ),
                actions=(
                    Act("هماهنگی بازرسی مشترک با استاندارد", "standard", "1403/03/31"),
                ),
            ),
        ),
    ),
    Prog(
        agency="standard", level="operational", state=APPROVED,
        title="ارتقای کیفیت محصولات و افزایش ۱۵۰ پروانه نشان استاندارد",
        description="ارتقای کیفیت محصولات تولیدی برای بازار داخلی و صادرات.",
        key_actions=(6,), axes=(3,), industries=("لوازم خانگی", "شیرینی و شکلات"),
        supporting=("imt",),
        projects=(
            Proj(
                title="افزایش واحدهای دارای پروانه نشان استاندارد به ۱٬۳۰۰ واحد",
                key_action=6, county=None, start="1403/01/15", end="1403/12/29",
                budget=(3_000, 8_000, 0, 0),
                indicators=(
                    Ind("واحدهای دارای پروانه نشان استاندارد", "واحد", "1150", "1300"),
                    Ind("انطباق نمونه‌های بازرسی‌شده", "درصد", "78", "85", kind="percentage"),
                ),
            ),
        ),
    ),
    Prog(
        agency="gas", level="project", state=SUBMITTED,
        title="اتصال ۲۵۰ واحد تولیدی به شبکه گاز",
        description="گازرسانی به واحدهای تولیدی خارج از شهرک‌ها و شهرک‌های جدید.",
        key_actions=(1,), axes=(2,), industries=(), supporting=("parks",),
        projects=(
            Proj(
                title="اتصال ۲۵۰ واحد تولیدی به شبکه گاز", key_action=1, county="مرند",
                start="1403/01/20", end="1403/12/29", budget=(85_000, 40_000, 0, 30_000),
                indicators=(
                    Ind("واحدهای تولیدی متصل‌شده به گاز", "واحد", "0", "250",
                        profile="year_end"),
                ),
                actions=(Act("تحویل مسیر شبکه در شهرک صنعتی مرند", "parks", "1403/04/31"),),
            ),
        ),
    ),
    Prog(
        agency="imo", level="operational", state=ACCEPTED, grade="B", priority="medium",
        title="آموزش ۱٬۵۰۰ مدیر و ممیزی انرژی ۶۰ واحد صنعتی",
        description="کنترل قیمت تمام‌شده با بهره‌وری نیروی انسانی و انرژی.",
        key_actions=(9, 6), axes=(3,), industries=("مس و فلزات پایه", "خودرو و قطعات"),
        supporting=("imt",),
        projects=(
            Proj(
                title="آموزش ۱٬۵۰۰ نفر از مدیران و کارکنان واحدهای صنعتی", key_action=6,
                county=None, start="1403/01/20", end="1403/12/20", budget=(7_000, 0, 0, 9_000),
                indicators=(Ind("نفر-دوره آموزش", "نفر", "0", "1500"),),
            ),
            Proj(
                title="ممیزی انرژی در ۶۰ واحد صنعتی", key_action=9, county="تبریز",
                start="1403/02/01", end="1403/11/30", budget=(4_000, 6_000, 0, 6_000),
                indicators=(
                    Ind("واحدهای ممیزی‌شده", "واحد", "0", "60"),
                    Ind("کاهش شدت مصرف انرژی در واحدهای ممیزی‌شده", "درصد", "0", "8",
                        kind="percentage", direction="reach"),
                ),
            ),
        ),
    ),
]
