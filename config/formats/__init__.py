"""One date and time format per language, used by every page, mail, PDF and audit label (FORMAT_MODULE_PATH).

The short and long names give the same result on purpose: a gym should never see "3 Dec 2026" on one page and
"12/03/2026" on the next. Times are 24-hour and zero-padded in both languages. Input formats are Django's own.
"""
