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
