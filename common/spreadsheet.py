"""Text people typed, written into a CSV that someone opens in a spreadsheet."""

# Excel, LibreOffice and Google Sheets read a cell starting with one of these as a formula (CSV injection).
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_text(value: str | None) -> str:
    """`value` as a cell a spreadsheet shows as text: a leading formula character gets a quote before it."""
    value = value or ""
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
