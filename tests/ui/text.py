"""What counts as untranslated text on a Chinese page."""

import re

# Latin words a Chinese official reads every day, kept short on purpose.
ALLOWED = {
    "PDF", "Excel", "XLSX", "Rt", "R", "N95", "ID", "QR", "CT", "PCR", "IgM", "IgG", "GB", "T",
    "SMS", "App", "kg", "km", "m", "cm", "ml", "mL", "h", "min", "s", "g", "x", "KN95",
    "APP", "DuckDB", "Apache", "Spark", "Wi", "Fi", "API", "CSV", "UTF", "GBK", "TOTP", "ICU", "ECMO", "Cookie", "No", "KB",
    "XLS", "xlsx", "JSON", "XML", "YY",
}  # fmt: skip
WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*")
SNAKE = re.compile(r"\b[a-z0-9]+(?:_[a-z0-9]+)+\b")


def untranslated(text: str) -> list[str]:
    """Latin words outside the allowlist and snake_case tokens in a page's visible text."""
    found = []
    text = text.replace("°C", "°")  # the unit of a temperature
    for word in WORD.findall(text):
        if "_" in word or word not in ALLOWED:
            found.append(word)
    found.extend(SNAKE.findall(text))
    return sorted(set(found))


def explain(text: str) -> str:
    """Each untranslated word with a little of the text around it, for a test message."""
    out = []
    for word in untranslated(text):
        at = text.find(word)
        out.append(f"{word!r} in …{text[max(0, at - 30) : at + len(word) + 30]!r}…")
    return "\n".join(out)
