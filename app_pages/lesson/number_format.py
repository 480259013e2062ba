"""Numbers as the lesson writes them."""


def num(value: float, digits: int = 4) -> str:
    """A number to ``digits`` significant digits, without a trailing ".0" (LaTeX-safe)."""
    value = float(value)
    if value != 0 and (abs(value) < 1e-3 or abs(value) >= 1e5):
        mant, exp = f"{value:.{digits - 1}e}".split("e")
        return rf"{mant} \times 10^{{{int(exp)}}}"
    text = f"{value:.{digits}g}"
    return "0" if text == "-0" else text
