"""Provinces of China and countries of the world, and what counts as overseas.

Province codes are ISO 3166-2:CN (``CN-BJ``), the form used throughout SmartGuard. Inputs may
also use the older numeric ISO form (``CN-11``), the GB/T 2260 division code (``110000``) or
its first two digits (``11``); :func:`normalize_province` turns any of them into ``CN-BJ``.

Hong Kong, Macao and Taiwan are provincial-level divisions in GB/T 2260 but Chinese banks
treat them as **overseas** (境外): a merchant there has country ``HK``, ``MO`` or ``TW``.
"""

from __future__ import annotations

from dataclasses import dataclass

from smartguard.domain.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class Province:
    code: str  # ISO 3166-2:CN, e.g. "CN-BJ"
    gb: str  # GB/T 2260 two-digit prefix, e.g. "11"
    zh: str
    en: str


_PROVINCES = (
    Province("CN-BJ", "11", "北京市", "Beijing"),
    Province("CN-TJ", "12", "天津市", "Tianjin"),
    Province("CN-HE", "13", "河北省", "Hebei"),
    Province("CN-SX", "14", "山西省", "Shanxi"),
    Province("CN-NM", "15", "内蒙古自治区", "Inner Mongolia"),
    Province("CN-LN", "21", "辽宁省", "Liaoning"),
    Province("CN-JL", "22", "吉林省", "Jilin"),
    Province("CN-HL", "23", "黑龙江省", "Heilongjiang"),
    Province("CN-SH", "31", "上海市", "Shanghai"),
    Province("CN-JS", "32", "江苏省", "Jiangsu"),
    Province("CN-ZJ", "33", "浙江省", "Zhejiang"),
    Province("CN-AH", "34", "安徽省", "Anhui"),
    Province("CN-FJ", "35", "福建省", "Fujian"),
    Province("CN-JX", "36", "江西省", "Jiangxi"),
    Province("CN-SD", "37", "山东省", "Shandong"),
    Province("CN-HA", "41", "河南省", "Henan"),
    Province("CN-HB", "42", "湖北省", "Hubei"),
    Province("CN-HN", "43", "湖南省", "Hunan"),
    Province("CN-GD", "44", "广东省", "Guangdong"),
    Province("CN-GX", "45", "广西壮族自治区", "Guangxi"),
    Province("CN-HI", "46", "海南省", "Hainan"),
    Province("CN-CQ", "50", "重庆市", "Chongqing"),
    Province("CN-SC", "51", "四川省", "Sichuan"),
    Province("CN-GZ", "52", "贵州省", "Guizhou"),
    Province("CN-YN", "53", "云南省", "Yunnan"),
    Province("CN-XZ", "54", "西藏自治区", "Tibet"),
    Province("CN-SN", "61", "陕西省", "Shaanxi"),
    Province("CN-GS", "62", "甘肃省", "Gansu"),
    Province("CN-QH", "63", "青海省", "Qinghai"),
    Province("CN-NX", "64", "宁夏回族自治区", "Ningxia"),
    Province("CN-XJ", "65", "新疆维吾尔自治区", "Xinjiang"),
)

#: The 31 mainland provincial-level divisions, by ISO 3166-2:CN code.
PROVINCES: dict[str, Province] = {p.code: p for p in _PROVINCES}

#: Provincial-level divisions that are overseas for a Chinese bank, with their country code.
OVERSEAS_DIVISIONS = {"CN-HK": "HK", "CN-MO": "MO", "CN-TW": "TW", "CN-91": "HK",
                      "CN-92": "MO", "CN-71": "TW", "810000": "HK", "820000": "MO",
                      "710000": "TW", "81": "HK", "82": "MO", "71": "TW"}

_BY_GB = {p.gb: p.code for p in _PROVINCES}


def normalize_province(value: str) -> str | None:
    """Return the ``CN-XX`` code of a mainland province, or None if ``value`` names none."""
    v = value.strip().upper()
    if v in PROVINCES:
        return v
    if v.startswith("CN-"):
        v = v[3:]
    if len(v) == 6 and v.isdigit() and v.endswith("0000"):
        v = v[:2]
    if len(v) == 2 and v.isdigit():
        return _BY_GB.get(v)
    code = "CN-" + v
    return code if code in PROVINCES else None


# ISO 3166-1 alpha-2: code -> English short name.
COUNTRIES: dict[str, str] = dict(
    line.split(" ", 1)
    for line in """AD Andorra
AE United Arab Emirates
AF Afghanistan
AG Antigua and Barbuda
AI Anguilla
AL Albania
AM Armenia
AO Angola
AQ Antarctica
AR Argentina
AS American Samoa
AT Austria
AU Australia
AW Aruba
AX Åland Islands
AZ Azerbaijan
BA Bosnia and Herzegovina
BB Barbados
BD Bangladesh
BE Belgium
BF Burkina Faso
BG Bulgaria
BH Bahrain
BI Burundi
BJ Benin
BL Saint Barthélemy
BM Bermuda
BN Brunei
BO Bolivia
BQ Bonaire, Sint Eustatius and Saba
BR Brazil
BS Bahamas
BT Bhutan
BV Bouvet Island
BW Botswana
BY Belarus
BZ Belize
CA Canada
CC Cocos (Keeling) Islands
CD Congo (Democratic Republic)
CF Central African Republic
CG Congo
CH Switzerland
CI Côte d'Ivoire
CK Cook Islands
CL Chile
CM Cameroon
CN China
CO Colombia
CR Costa Rica
CU Cuba
CV Cabo Verde
CW Curaçao
CX Christmas Island
CY Cyprus
CZ Czechia
DE Germany
DJ Djibouti
DK Denmark
DM Dominica
DO Dominican Republic
DZ Algeria
EC Ecuador
EE Estonia
EG Egypt
EH Western Sahara
ER Eritrea
ES Spain
ET Ethiopia
FI Finland
FJ Fiji
FK Falkland Islands
FM Micronesia
FO Faroe Islands
FR France
GA Gabon
GB United Kingdom
GD Grenada
GE Georgia
GF French Guiana
GG Guernsey
GH Ghana
GI Gibraltar
GL Greenland
GM Gambia
GN Guinea
GP Guadeloupe
GQ Equatorial Guinea
GR Greece
GS South Georgia and the South Sandwich Islands
GT Guatemala
GU Guam
GW Guinea-Bissau
GY Guyana
HK Hong Kong
HM Heard Island and McDonald Islands
HN Honduras
HR Croatia
HT Haiti
HU Hungary
ID Indonesia
IE Ireland
IL Israel
IM Isle of Man
IN India
IO British Indian Ocean Territory
IQ Iraq
IR Iran
IS Iceland
IT Italy
JE Jersey
JM Jamaica
JO Jordan
JP Japan
KE Kenya
KG Kyrgyzstan
KH Cambodia
KI Kiribati
KM Comoros
KN Saint Kitts and Nevis
KP North Korea
KR South Korea
KW Kuwait
KY Cayman Islands
KZ Kazakhstan
LA Laos
LB Lebanon
LC Saint Lucia
LI Liechtenstein
LK Sri Lanka
LR Liberia
LS Lesotho
LT Lithuania
LU Luxembourg
LV Latvia
LY Libya
MA Morocco
MC Monaco
MD Moldova
ME Montenegro
MF Saint Martin
MG Madagascar
MH Marshall Islands
MK North Macedonia
ML Mali
MM Myanmar
MN Mongolia
MO Macao
MP Northern Mariana Islands
MQ Martinique
MR Mauritania
MS Montserrat
MT Malta
MU Mauritius
MV Maldives
MW Malawi
MX Mexico
MY Malaysia
MZ Mozambique
NA Namibia
NC New Caledonia
NE Niger
NF Norfolk Island
NG Nigeria
NI Nicaragua
NL Netherlands
NO Norway
NP Nepal
NR Nauru
NU Niue
NZ New Zealand
OM Oman
PA Panama
PE Peru
PF French Polynesia
PG Papua New Guinea
PH Philippines
PK Pakistan
PL Poland
PM Saint Pierre and Miquelon
PN Pitcairn
PR Puerto Rico
PS Palestine
PT Portugal
PW Palau
PY Paraguay
QA Qatar
RE Réunion
RO Romania
RS Serbia
RU Russia
RW Rwanda
SA Saudi Arabia
SB Solomon Islands
SC Seychelles
SD Sudan
SE Sweden
SG Singapore
SH Saint Helena
SI Slovenia
SJ Svalbard and Jan Mayen
SK Slovakia
SL Sierra Leone
SM San Marino
SN Senegal
SO Somalia
SR Suriname
SS South Sudan
ST Sao Tome and Principe
SV El Salvador
SX Sint Maarten
SY Syria
SZ Eswatini
TC Turks and Caicos Islands
TD Chad
TF French Southern Territories
TG Togo
TH Thailand
TJ Tajikistan
TK Tokelau
TL Timor-Leste
TM Turkmenistan
TN Tunisia
TO Tonga
TR Türkiye
TT Trinidad and Tobago
TV Tuvalu
TW Taiwan
TZ Tanzania
UA Ukraine
UG Uganda
UM United States Minor Outlying Islands
US United States
UY Uruguay
UZ Uzbekistan
VA Holy See
VC Saint Vincent and the Grenadines
VE Venezuela
VG Virgin Islands (British)
VI Virgin Islands (U.S.)
VN Viet Nam
VU Vanuatu
WF Wallis and Futuna
WS Samoa
YE Yemen
YT Mayotte
ZA South Africa
ZM Zambia
ZW Zimbabwe""".splitlines()
)

#: Chinese names of the places cardholders pick most; others fall back to the English name.
COUNTRY_NAMES_ZH: dict[str, str] = {
    "CN": "中国", "HK": "中国香港", "MO": "中国澳门", "TW": "中国台湾", "JP": "日本",
    "KR": "韩国", "SG": "新加坡", "TH": "泰国", "MY": "马来西亚", "VN": "越南",
    "ID": "印度尼西亚", "PH": "菲律宾", "US": "美国", "CA": "加拿大", "GB": "英国",
    "FR": "法国", "DE": "德国", "IT": "意大利", "ES": "西班牙", "CH": "瑞士",
    "AU": "澳大利亚", "NZ": "新西兰", "RU": "俄罗斯", "AE": "阿联酋", "IN": "印度",
    "KH": "柬埔寨", "MM": "缅甸", "LA": "老挝", "NL": "荷兰", "BE": "比利时",
    "PT": "葡萄牙", "GR": "希腊", "TR": "土耳其", "EG": "埃及", "ZA": "南非",
    "BR": "巴西", "MX": "墨西哥", "AR": "阿根廷", "MN": "蒙古", "KZ": "哈萨克斯坦",
}


def normalize_country(value: str) -> str | None:
    """Return the ISO 3166-1 alpha-2 code for ``value``, or None if it names no country."""
    v = value.strip().upper()
    return v if v in COUNTRIES else None


def country_code(raw: str, field: str) -> str:
    """The ISO 3166-1 alpha-2 code ``raw`` names: the one check every entry point makes
    (HTTP, ISO 8583, protections, travel); raises :class:`InvalidInput` for ``field``."""
    code = normalize_country(raw)
    if code is None:
        raise InvalidInput(field, f"'{raw.strip()}' is not an ISO 3166-1 country code",
                           "unknown_country")
    return code


def province_code(raw: str, field: str) -> str:
    """The ``CN-XX`` code of the mainland province ``raw`` names (ISO 3166-2:CN letters or
    GB/T 2260 digits); raises :class:`InvalidInput` for ``field``."""
    code = normalize_province(raw)
    if code is None or code not in PROVINCES:
        raise InvalidInput(field, f"'{raw.strip()}' is not a mainland province "
                           "(省/直辖市/自治区); Hong Kong, Macao and Taiwan are overseas",
                           "unknown_province")
    return code


def place_name(code: str, language: str) -> str:
    """A human name for a province (``CN-BJ``) or country (``JP``) in ``language``."""
    if code in PROVINCES:
        p = PROVINCES[code]
        return p.zh if language == "zh-CN" else p.en
    if language == "zh-CN" and code in COUNTRY_NAMES_ZH:
        return COUNTRY_NAMES_ZH[code]
    return COUNTRIES.get(code, code)
