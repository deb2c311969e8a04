"""`roleplay join ADDRESS`'s address parsing and the device ids it keeps per class address."""

from __future__ import annotations

import os
import stat

import pytest

from roleplay.tui.web.client import DeviceIds, JoinError, parse_address


@pytest.mark.parametrize(("typed", "address"), [
    ("http://192.168.1.20:8000/", "http://192.168.1.20:8000"),
    ("192.168.1.20:8000", "http://192.168.1.20:8000"),
    ("  HTTP://Laptop.local:8000  ", "http://laptop.local:8000"),
    ("https://class.example:443/", "https://class.example:443"),
    ("http://[::1]:8000/", "http://[::1]:8000"),
    ("127.0.0.1", "http://127.0.0.1"),
])
def test_addresses_as_people_copy_them(typed: str, address: str) -> None:
    assert parse_address(typed) == address


@pytest.mark.parametrize(("typed", "said"), [
    ("ftp://x/", "not a class address"), ("", "not a class address"), ("http://", "not a class address"),
    ("http://h:8000/tutor/secret", "not the join address"), ("http://h:8000/?a=1", "not the join address"),
    ("http://me:pw@h:8000/", "not the join address"), ("http://h:99999/", "port"), ("http://h:x/", "port"),
])
def test_other_addresses_are_refused_with_a_reason(typed: str, said: str) -> None:
    with pytest.raises(JoinError, match=said):
        parse_address(typed)


def test_device_ids_are_kept_per_address_for_this_user_only(tmp_path) -> None:
    kept = DeviceIds(tmp_path / "data")
    assert kept.get("http://a:1") is None
    good = "x" * 43
    kept.put("http://a:1", good)
    kept.put("http://b:2", "y" * 43)
    assert kept.get("http://a:1") == good and kept.get("http://b:2") == "y" * 43
    assert stat.S_IMODE(os.stat(kept.path).st_mode) == 0o600
    kept.put("http://a:1", None)
    assert kept.get("http://a:1") is None and kept.get("http://b:2") == "y" * 43
    kept.path.write_text('{"http://b:2": "bad id; with spaces", "http://c:3": 5}')
    assert kept.get("http://b:2") is None and kept.get("http://c:3") is None
    kept.path.write_text("not json")
    assert kept.get("http://b:2") is None
