"""The build: one path from a request to files, for every command that makes them.

request (flags over the workbook's settings) → plan (read everything first: the book, the
brand and client files; then the jobs: parts, edition, client copy or handout) → runner
(cache, worker processes, staging, progress), all inside the build's time limit
(pipeline.py). This file imports nothing, so the command line can read `request` at once.
"""
