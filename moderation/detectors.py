"""Built-in detectors for confidential data: payment cards, IBANs, national ID numbers, secrets.

Each detector finds candidates with one RE2 expression (linear time, whatever the text) and keeps only
those that pass the number's own check (Luhn, mod 97, the national check letter or digit), so an order
number or a phone number is not taken for a card. What a detector reports is masked: the review queue
shows that a card number was there, not the card number.
"""

import re as std_re
from collections.abc import Callable
from dataclasses import dataclass

import re2

_OPTIONS = re2.Options()
_OPTIONS.log_errors = False


def _compile(pattern: str):
    return re2.compile(pattern, _OPTIONS)


@dataclass(frozen=True)
class Finding:
    detector: str  # "card", "iban", "national_id", "secret"
    label: str  # what it is, for people: "payment card number", "IBAN (DE)", "US Social Security number"
    masked: str  # the match with most of it hidden


def mask(value: str, *, keep: int = 4) -> str:
    compact = "".join(value.split())
    if len(compact) <= keep + 2:
        return "•" * len(compact)
    return compact[:2] + "•" * (len(compact) - keep - 2) + compact[-keep:]


def _digits(value: str) -> str:
    return "".join(ch for ch in value if ch.isdigit())


# --- Payment cards ------------------------------------------------------------------------------

# \b, not a consumed boundary character: two numbers one space apart are both found.
_CARD = _compile(r"\b(\d(?:[ -]?\d){12,18})\b")
# Issuer prefixes of the card schemes people paste (Visa, Mastercard, Amex, Discover, JCB, Diners,
# UnionPay, Maestro): a Luhn-valid digit string with another prefix is more likely a reference number.
_CARD_PREFIX = std_re.compile(r"^(?:4|5[1-5]|2[2-7]|3[47]|3[0689]|6011|6[245]|50|5[6-8]|67)")


def luhn_valid(number: str) -> bool:
    total = 0
    for position, ch in enumerate(reversed(number)):
        d = int(ch)
        if position % 2 == 1:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def cards_find(text: str) -> list[Finding]:
    found = []
    for match in _CARD.finditer(text):
        number = _digits(match.group(1))
        if 13 <= len(number) <= 19 and _CARD_PREFIX.match(number) and luhn_valid(number):
            found.append(Finding("card", "payment card number", mask(number)))
    return found


# --- IBAN ---------------------------------------------------------------------------------------

# Lengths by country (the SWIFT IBAN registry); a wrong length is no IBAN whatever its checksum.
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24,
    "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21,
    "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28,
    "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MR": 27,
    "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24,
    "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "TN": 24, "TR": 26, "UA": 29,
    "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip
# Groups of four, as banks print them (or none): a free run of characters would swallow the next word.
_IBAN = _compile(r"(?i)\b([A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?)\b")


def iban_valid(iban: str) -> bool:
    iban = iban.upper()
    if IBAN_LENGTHS.get(iban[:2]) != len(iban) or not iban.isalnum():
        return False
    rearranged = iban[4:] + iban[:4]
    return int("".join(str(int(ch, 36)) for ch in rearranged)) % 97 == 1


def ibans_find(text: str) -> list[Finding]:
    found = []
    for match in _IBAN.finditer(text):
        compact = "".join(match.group(1).split()).upper()
        if iban_valid(compact):
            found.append(Finding("iban", f"IBAN ({compact[:2]})", mask(compact)))
    return found


# --- National ID numbers, by country ------------------------------------------------------------


def _us_ssn(value: str) -> bool:
    area, group, serial = value[:3], value[3:5], value[5:]
    return area not in ("000", "666") and not area.startswith("9") and group != "00" and serial != "0000"


def _gb_nino(value: str) -> bool:
    return value[:2] not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")


def _fr_nir(value: str) -> bool:
    body, key = value[:13], int(value[13:])
    body = body.replace("2A", "19").replace("2B", "18")  # Corsica's departments
    return 97 - int(body) % 97 == key


_DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es_dni(value: str) -> bool:
    number = value[:-1]
    if number[0] in "XYZ":  # NIE: the letter stands for a leading digit
        number = str("XYZ".index(number[0])) + number[1:]
    return _DNI_LETTERS[int(number) % 23] == value[-1]


def _nl_bsn(value: str) -> bool:
    total = sum(int(d) * w for d, w in zip(value[:8], range(9, 1, -1), strict=True)) - int(value[8])
    return total % 11 == 0 and value != "000000000"


def _se_personnummer(value: str) -> bool:
    return luhn_valid(value[-10:])


_CF_ODD = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23]


def _it_codice_fiscale(value: str) -> bool:
    total = 0
    for position, ch in enumerate(value[:15]):
        index = int(ch) if ch.isdigit() else ord(ch) - ord("A")
        total += _CF_ODD[index] if position % 2 == 0 else index
    return chr(ord("A") + total % 26) == value[15]


@dataclass(frozen=True)
class NationalId:
    country: str
    label: str
    pattern: str  # RE2; group 1 is the number, separators allowed where people write them
    check: Callable[[str], bool]  # on the number without separators, upper case


NATIONAL_IDS = {
    "US": NationalId("US", "US Social Security number", r"\b(\d{3}[- ]\d{2}[- ]\d{4})\b", _us_ssn),
    "GB": NationalId(
        "GB",
        "UK National Insurance number",
        r"(?i)\b([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\d{2} ?\d{2} ?\d{2} ?[A-D])\b",
        _gb_nino,
    ),
    "FR": NationalId(
        "FR",
        "French social security number (NIR)",
        r"(?i)\b([12] ?\d{2} ?(?:0[1-9]|1[0-2]) ?(?:\d{2}|2[AB]) ?\d{3} ?\d{3} ?\d{2})\b",
        _fr_nir,
    ),
    "ES": NationalId(
        "ES",
        "Spanish DNI/NIE",
        r"(?i)\b([XYZ]?\d{7,8}-?[A-Z])\b",
        lambda v: len(v) == 9 and _es_dni(v),
    ),
    "NL": NationalId("NL", "Dutch citizen service number (BSN)", r"\b(\d{4}\.?\d{2}\.?\d{3})\b", _nl_bsn),
    "SE": NationalId(
        "SE",
        "Swedish personal identity number",
        r"\b((?:19|20)?\d{6}[-+]\d{4})\b",
        _se_personnummer,
    ),
    "IT": NationalId(
        "IT",
        "Italian fiscal code",
        r"(?i)\b([A-Z]{6}\d{2}[ABCDEHLMPRST]\d{2}[A-Z]\d{3}[A-Z])\b",
        _it_codice_fiscale,
    ),
}
_NATIONAL_COMPILED = {code: _compile(nid.pattern) for code, nid in NATIONAL_IDS.items()}
NATIONAL_ID_COUNTRIES = sorted(NATIONAL_IDS)


def national_ids_find(text: str, *, countries: list[str]) -> list[Finding]:
    found = []
    for code in countries or NATIONAL_ID_COUNTRIES:
        nid = NATIONAL_IDS.get(code)
        if nid is None:
            continue
        for match in _NATIONAL_COMPILED[code].finditer(text):
            value = "".join(ch for ch in match.group(1) if ch.isalnum()).upper()
            if nid.check(value):
                found.append(Finding("national_id", nid.label, mask(value, keep=2)))
    return found


# --- Secrets ------------------------------------------------------------------------------------

SECRET_SHAPES = [
    ("private key", r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY(?: BLOCK)?-----"),
    ("AWS access key", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    ("GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})\b"),
    ("Slack token", r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"),
    ("Stripe secret key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{20,}\b"),
    ("Google API key", r"\bAIza[0-9A-Za-z_-]{35}\b"),
    ("OpenAI API key", r"\bsk-(?:proj-|svcacct-)?[A-Za-z0-9_-]{32,}\b"),
    ("JSON Web Token", r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"),
    ("Azure storage key", r"AccountKey=[A-Za-z0-9+/]{80,}={0,2}"),
]
_SECRETS = [(label, _compile(pattern)) for label, pattern in SECRET_SHAPES]


def secrets_find(text: str) -> list[Finding]:
    found = []
    for label, pattern in _SECRETS:
        for match in pattern.finditer(text):
            found.append(Finding("secret", label, mask(match.group(0), keep=2)))
    return found


DETECTORS = {
    "card": "Payment card numbers (Luhn-checked)",
    "iban": "IBANs (checksum-checked)",
    "national_id": "National ID numbers (choose countries)",
    "secret": "Secrets: private keys, API keys and tokens",
}


def detector_run(name: str, text: str, *, countries: list[str] | None = None) -> list[Finding]:
    if name == "card":
        return cards_find(text)
    if name == "iban":
        return ibans_find(text)
    if name == "national_id":
        return national_ids_find(text, countries=countries or [])
    if name == "secret":
        return secrets_find(text)
    raise ValueError(f"Unknown detector {name!r}")
