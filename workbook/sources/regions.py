"""The regions whose helplines a workbook can list (`--region`, a brand's `region`,
helplines.yaml). Its own module so that `workbook --help` loads nothing else for it."""

REGIONS = ("us", "uk", "ca", "au", "ie", "nz")

# Paper by region: Letter in the United States and Canada, A4 in the others.
LETTER_REGIONS = ("us", "ca")
# A language tag's region subtag, as a region of REGIONS ("en-GB": uk).
SUBTAGS = {"us": "us", "gb": "uk", "uk": "uk", "ca": "ca", "au": "au", "ie": "ie", "nz": "nz"}


def paper_for(language: str | None, region: str | None = None) -> str | None:
    """The paper a language's region prints on (en-GB, en-IE, en-AU, en-NZ: A4; en-US, en-CA:
    Letter), or a helplines region's; None when neither says (a plain "en")."""
    if language is not None:
        parts = language.lower().split("-")
        region = SUBTAGS.get(parts[-1]) if len(parts) > 1 else None
    if region is None:
        return None
    return "letter" if region in LETTER_REGIONS else "a4"
