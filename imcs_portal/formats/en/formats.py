"""English dates as the portal writes them: one clear, 24-hour format ("10 Jan 2010, 00:03"), never
the US "01/10/2010 12:03 a.m."; the input formats stay Django's (ISO first)."""

DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
TIME_FORMAT = "H:i"
YEAR_MONTH_FORMAT = "M Y"
MONTH_DAY_FORMAT = "j M"
SHORT_DATE_FORMAT = DATE_FORMAT
SHORT_DATETIME_FORMAT = DATETIME_FORMAT
