"""Django's storage API over the database: files every app node sees, backed up with the database.

The service runs as several identical app nodes on one PostgreSQL database. A file kept on one
node's disk (an upload waiting for its confirm, the evidence file of an import) is missing on the
others, so the default storage keeps files in the `StoredFile` table instead (docs/deployment.md
says why this and not object storage). Files here are small (uploads are capped at
DATA_UPLOAD_MAX_MEMORY_SIZE) and read whole; they are never served over HTTP, so `url()` is the
admin's download page.
"""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.db.models import Q
from django.urls import reverse
from django.utils.deconstruct import deconstructible


@deconstructible
class DatabaseStorage(Storage):
    @staticmethod
    def _files():
        from documents.models import StoredFile  # storages are built before the apps are ready

        return StoredFile.objects

    def _open(self, name, mode="rb"):
        if "w" in mode or "a" in mode or "+" in mode:
            raise ValueError("Files in the database are written with save(), not opened for writing.")
        content = self._files().filter(name=name).values_list("content", flat=True).first()
        if content is None:
            raise FileNotFoundError(f"No stored file named {name!r}")
        return ContentFile(bytes(content), name=name)

    def _save(self, name, content):
        content.seek(0) if hasattr(content, "seek") else None
        data = b"".join(content.chunks()) if hasattr(content, "chunks") else content.read()
        self._files().create(name=name, content=data, size=len(data))
        return name

    def exists(self, name):
        """A file by that name, or a folder: names under it (as for a folder on disk)."""
        folder = f"{name.rstrip('/')}/"
        return self._files().filter(Q(name=name) | Q(name__startswith=folder)).exists()

    def delete(self, name):
        self._files().filter(name=name).delete()

    def size(self, name):
        size = self._files().filter(name=name).values_list("size", flat=True).first()
        if size is None:
            raise FileNotFoundError(f"No stored file named {name!r}")
        return size

    def listdir(self, path):
        prefix = f"{path.rstrip('/')}/" if path else ""
        directories, files = set(), []
        for name in self._files().filter(name__startswith=prefix).values_list("name", flat=True):
            head, slash, _rest = name[len(prefix):].partition("/")
            if slash:
                directories.add(head)
            else:
                files.append(head)
        return sorted(directories), sorted(files)

    def get_created_time(self, name):
        created = self._files().filter(name=name).values_list("created_at", flat=True).first()
        if created is None:
            raise FileNotFoundError(f"No stored file named {name!r}")
        return created

    get_modified_time = get_created_time

    def url(self, name):
        return reverse("admin:documents_storedfile_download", args=[name])
