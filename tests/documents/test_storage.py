"""The database storage behaves as Django's storage API says, for the calls the app makes."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from documents.storage import DatabaseStorage

pytestmark = pytest.mark.django_db


def test_save_open_size_list_and_delete():
    storage = DatabaseStorage()
    first = storage.save("imports/2026/a.csv", ContentFile(b"a,b\n"))
    again = storage.save("imports/2026/a.csv", ContentFile(b"c,d\n"))
    assert first == "imports/2026/a.csv" and again != first  # never overwritten: a new name
    with storage.open(first) as stored:
        assert stored.read() == b"a,b\n"
    assert storage.size(again) == 4
    assert storage.exists("imports") and storage.exists("imports/2026/") and not storage.exists("import")
    assert storage.listdir("imports") == (["2026"], [])
    assert storage.listdir("imports/2026") == ([], sorted([first.rsplit("/", 1)[1], again.rsplit("/", 1)[1]]))
    assert storage.get_modified_time(first) == storage.get_created_time(first)
    storage.delete(first)
    assert not storage.exists(first)
    with pytest.raises(FileNotFoundError):
        storage.open(first)
    with pytest.raises(FileNotFoundError):
        storage.size(first)


def test_files_are_not_opened_for_writing():
    storage = DatabaseStorage()
    name = storage.save("a.txt", ContentFile(b"x"))
    with pytest.raises(ValueError, match="save"):
        storage.open(name, "wb")
