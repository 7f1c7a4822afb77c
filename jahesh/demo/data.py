"""The demo province: East Azerbaijan in 1403, as the source articles describe it.

Names of bodies and the ten key actions are the articles' own wording; the people are invented.
"""

PROVINCE = {
    "code": "east-azerbaijan",
    "name": "آذربایجان شرقی",
    "hq_name": "قرارگاه جهش تولید استان آذربایجان شرقی",
    # In East Azerbaijan the HQ *is* the provincial planning council (see DOMAIN.md).
    "council_name": "شورای برنامه‌ریزی و توسعه استان",
    "secretariat_name": "معاونت هماهنگی امور اقتصادی استانداری",
    "current_year": 1403,
    "slogan": "جهش تولید با مشارکت مردم",
}

KEY_ACTIONS_1403 = [
    "زیرساخت‌های اساسی تولید",
    "رفع موانع تولید",
    "تامین منابع مالی",
    "ایجاد زنجیره‌های ارزش در صنایع",
    "فعال‌سازی پنجره واحد سرمایه‌گذاری",
    "ارتقای کیفیت محصولات تولیدی",
    "بازاریابی و فروش",
    "قیمت‌گذاری محصولات",
    "کنترل قیمت تمام‌شده محصولات",
    "ترویج فرهنگ مصرف کالای ایرانی",
]

SECTORS = [
    ("industry", "صنعت و معدن"),
    ("agriculture", "کشاورزی"),
    ("commerce", "بازرگانی و خدمات"),
    ("finance", "پول و بانک"),
    ("infrastructure", "زیرساخت"),
    ("knowledge", "دانش‌بنیان و فناوری"),
    ("culture", "فرهنگ و رسانه"),
    ("governance", "برنامه‌ریزی و حاکمیت"),
]

# (code, name, category, sector, parent code)
AGENCIES = [
    ("agri", "جهاد کشاورزی", "driver", "agriculture", None),
    ("imt", "صنعت، معدن و تجارت", "driver", "industry", None),
    ("parks", "شرکت شهرک‌های صنعتی", "driver", "industry", "imt"),
    ("tcc", "اتاق بازرگانی، صنایع، معادن و کشاورزی تبریز", "driver", "commerce", None),
    ("stp", "پارک علم و فناوری", "driver", "knowledge", None),
    ("aras", "سازمان منطقه آزاد ارس", "driver", "commerce", None),
    ("tourism", "میراث فرهنگی، گردشگری و صنایع‌دستی", "driver", "commerce", None),
    ("coop", "تعاون، کار و رفاه اجتماعی", "driver", "governance", None),
    ("mpo", "سازمان مدیریت و برنامه‌ریزی استان", "supporting", "governance", None),
    ("imo", "سازمان مدیریت صنعتی", "supporting", "industry", None),
    ("tax", "امور مالیاتی", "supporting", "finance", None),
    ("customs", "گمرک", "supporting", "commerce", None),
    ("standard", "استاندارد", "supporting", "industry", None),
    ("env", "حفاظت محیط زیست", "supporting", "governance", None),
    ("nrw", "منابع طبیعی و آبخیزداری", "supporting", "agriculture", "agri"),
    ("bank-melli", "بانک ملی", "supporting", "finance", None),
    ("bank-sepah", "بانک سپه", "supporting", "finance", None),
    ("bank-keshavarzi", "بانک کشاورزی", "supporting", "finance", None),
    ("bank-smt", "بانک صنعت و معدن", "supporting", "finance", None),
    ("bank-tejarat", "بانک تجارت", "supporting", "finance", None),
    ("irib", "صدا و سیمای مرکز آذربایجان شرقی", "service", "culture", None),
    ("ssi", "تامین اجتماعی", "service", "governance", None),
    ("tvto", "آموزش فنی و حرفه‌ای", "service", "knowledge", None),
    ("culture", "فرهنگ و ارشاد اسلامی", "service", "culture", None),
    ("insurance", "بیمه مرکزی", "service", "finance", None),
    ("post", "پست", "service", "commerce", None),
    ("roads", "راه و شهرسازی", "infrastructure", "infrastructure", None),
    ("rmto", "راهداری و حمل‌ونقل جاده‌ای", "infrastructure", "infrastructure", "roads"),
    ("rail", "راه‌آهن آذربایجان", "infrastructure", "infrastructure", None),
    ("water", "آب منطقه‌ای", "infrastructure", "infrastructure", None),
    ("power", "توزیع نیروی برق", "infrastructure", "infrastructure", None),
    ("gas", "شرکت گاز استان", "infrastructure", "infrastructure", None),
    ("telecom", "مخابرات منطقه", "infrastructure", "infrastructure", None),
]

FIRST_NAMES = [
    "علی", "محمد", "حسین", "رضا", "مهدی", "سعید", "جواد", "حمید", "مجید", "امیر",
    "زهرا", "فاطمه", "مریم", "سمیه", "لیلا", "نرگس", "الهام", "سارا", "نسرین", "پروین",
]
LAST_NAMES = [
    "رضایی", "محمدی", "حسینی", "کریمی", "احمدی", "جعفری", "صادقی", "قاسمی", "نوروزی",
    "اسدی", "تبریزی", "آذری", "بهرامی", "عباسی", "یزدانی", "ملکی", "شریفی", "فرهادی",
    "رحیمی", "نجفی", "باقری", "سلطانی", "خلیلی",
]

# Province-wide demo logins: (username, role kind, job title, agency code or None for the
# person's home organisation in the job title only)
PROVINCE_PEOPLE = [
    ("secretariat", ["secretariat"], "کارشناس دبیرخانه قرارگاه"),
    ("hq", ["hq_member"], "عضو قرارگاه جهش تولید"),
    ("governor", ["hq_member"], "استاندار"),
    ("chamber", ["chamber"], "عضو کارگروه ویژه اتاق بازرگانی"),
    ("evaluator", ["evaluator"], "کارشناس ارزیابی سازمان مدیریت و برنامه‌ریزی"),
]

# Agencies whose demo people include a people-participation officer as well.
PARTICIPATION_OFFICERS = ["agri", "imt", "parks", "coop", "stp", "irib"]

DEMO_PASSWORD = "jahesh-demo"  # noqa: S105 (a demo database only; refused in production)
