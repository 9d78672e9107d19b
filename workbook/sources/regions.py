"""The regions whose helplines a workbook can list (`--region`, a brand's `region`,
helplines.yaml). Its own module so that `workbook --help` loads nothing else for it."""

REGIONS = ("us", "uk", "ca", "au", "ie", "nz")
