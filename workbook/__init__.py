"""workbook: turn a guide and its fill-in worksheets into print PDFs and EPUBs."""

__version__ = "0.1.0"
