"""Money is an integer number of minor units (fen for CNY); currencies are ISO 4217 codes."""

from __future__ import annotations

from smartguard.domain.errors import InvalidInput

_TWO_PLACES = """AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BMD BND BOB BRL BSD BTN BWP
BYN BZD CAD CDF CHF CNY COP CRC CUP CVE CZK DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP
GMD GTQ GYD HKD HNL HTG HUF IDR ILS INR IRR JMD KES KGS KHR KPW KYD KZT LAK LBP LKR LRD LSL MAD
MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD PAB PEN PGK PHP PKR
PLN QAR RON RSD RUB SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TOP
TRY TTD TWD TZS UAH USD UYU UZS VES WST XCD YER ZAR ZMW ZWG"""
_ZERO_PLACES = "BIF CLP DJF GNF ISK JPY KMF KRW PYG RWF UGX UYI VND VUV XAF XOF XPF"
_THREE_PLACES = "BHD IQD JOD KWD LYD OMR TND"

#: ISO 4217 alphabetic code -> number of minor-unit digits.
CURRENCIES: dict[str, int] = {
    **{c: 2 for c in _TWO_PLACES.split()},
    **{c: 0 for c in _ZERO_PLACES.split()},
    **{c: 3 for c in _THREE_PLACES.split()},
}

#: ISO 4217 numeric codes (as carried in ISO 8583 fields 49/51) for the common currencies.
NUMERIC_CURRENCIES: dict[str, str] = {
    "156": "CNY", "344": "HKD", "446": "MOP", "901": "TWD", "840": "USD", "978": "EUR",
    "826": "GBP", "392": "JPY", "410": "KRW", "702": "SGD", "764": "THB", "458": "MYR",
    "036": "AUD", "124": "CAD", "756": "CHF", "554": "NZD", "643": "RUB", "784": "AED",
    "356": "INR", "704": "VND", "360": "IDR", "608": "PHP", "116": "KHR", "203": "CZK",
}
ALPHA_TO_NUMERIC = {v: k for k, v in NUMERIC_CURRENCIES.items()}

#: The largest amount SmartGuard accepts: 12 digits, the width of ISO 8583 field 4.
MAX_AMOUNT = 999_999_999_999



def check_amount(field: str, value: int, zero: bool = False) -> int:
    """A whole number of minor units above zero (or zero, when ``zero``), at most
    :data:`MAX_AMOUNT`: the one amount check of every entry point; raises
    :class:`InvalidInput` (``invalid_amount``) for ``field``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(field, "must be a whole number of minor units (fen)",
                           "invalid_amount")
    if value < 0 or (value == 0 and not zero):
        raise InvalidInput(field, "must be greater than zero", "invalid_amount")
    if value > MAX_AMOUNT:
        raise InvalidInput(field, "is larger than any amount SmartGuard accepts",
                           "invalid_amount")
    return value


_SYMBOLS = {"CNY": "¥", "USD": "US$", "EUR": "€", "GBP": "£", "JPY": "JP¥", "HKD": "HK$"}


def normalize_currency(value: str) -> str | None:
    """Return the alphabetic ISO 4217 code for ``value`` (alpha, upper case as the
    standard writes it, or numeric), or None: ``cny`` or `` CNY`` is not a currency code
    (docs/api.md), so a sender's bug is not guessed at."""
    if value in CURRENCIES:
        return value
    return NUMERIC_CURRENCIES.get(value)


def format_amount(minor: int, currency: str = "CNY") -> str:
    """``123456, "CNY"`` -> ``"¥1,234.56"``; negative amounts keep their sign in front."""
    places = CURRENCIES.get(currency, 2)
    sign = "-" if minor < 0 else ""
    whole, frac = divmod(abs(minor), 10**places)
    text = f"{whole:,}" + (f".{frac:0{places}d}" if places else "")
    symbol = _SYMBOLS.get(currency)
    return f"{sign}{symbol}{text}" if symbol else f"{sign}{text} {currency}"
