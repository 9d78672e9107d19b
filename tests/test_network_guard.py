"""The guard in conftest.py: a test that reaches for the network fails."""

from __future__ import annotations

import socket
import urllib.request

import pytest

from tests.conftest import NetworkUsed


def test_name_lookups_and_connections_fail_under_the_guard():
    with pytest.raises(NetworkUsed):
        socket.getaddrinfo("example.org", 80)
    with pytest.raises(NetworkUsed):
        socket.create_connection(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed), socket.socket() as sock:
        sock.connect(("127.0.0.1", 9))
    with pytest.raises(NetworkUsed):
        urllib.request.urlopen("http://example.org/", timeout=1)


def test_the_output_check_finds_addresses_outside_the_book(tmp_path):
    """conftest.py runs this check on every PDF and EPUB the tests build (hostile-outputs
    folders aside, for files made hostile on purpose)."""
    import zipfile

    from tests.conftest import built_outputs
    from tests.outside_refs import outside_references

    page = (
        '<html xmlns="http://www.w3.org/1999/xhtml"><head><title>t</title>'
        '<meta http-equiv="refresh" content="0;url=https://x.example/"/>'
        '<style>@import/**/"http://x.example/a.css";</style></head><body>'
        '<img alt="" src="https://x.example/p.png"/><a href="java&#9;script:go()">x</a>'
        '<a href="https://help.example/">fine</a><img alt="" src="../images/fine.png"/>'
        "</body></html>"
    )
    folder = tmp_path / "hostile-outputs"
    folder.mkdir()
    with zipfile.ZipFile(folder / "book.epub", "w") as archive:
        archive.writestr("EPUB/text/a.xhtml", page)
        archive.writestr("EPUB/style/book.css", "p { background: url(h\\74 tps://x.example/b) }")
    assert outside_references(folder / "book.epub") == [
        "EPUB/text/a.xhtml: <meta http-equiv=refresh>",
        "EPUB/text/a.xhtml: http://x.example/a.css",
        "EPUB/text/a.xhtml: https://x.example/p.png",
        "EPUB/text/a.xhtml: java\tscript:go()",
        "EPUB/style/book.css: https://x.example/b",
    ]
    assert built_outputs(tmp_path) == []
    (folder / "book.epub").rename(tmp_path / "book.epub")
    assert built_outputs(tmp_path) == [tmp_path / "book.epub"]
    (tmp_path / "book.epub").unlink()  # or the check at the end of the session finds it
