"""Numbers as the page shows them: thousands separators on counts, a real minus sign (U+2212)."""


def number(text):
    """The value of a number shown on the page, e.g. '−0.200', '2,178', '2.55e−5'."""
    return float(text.strip().replace(",", "").replace("\u2212", "-"))
