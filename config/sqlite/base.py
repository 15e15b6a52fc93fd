"""Django's SQLite backend, told the real limit on a statement's parameters.

Django 5.2 assumes SQLite's old compile-time default of 999 parameters per statement, so a bulk
insert of 3-field rows goes out in batches of 333 and `send_reminders`' record of what it sent
grows by a query per 333 rows. SQLite since 3.32 allows 32,766 and Debian's build 250,000; the
connection says which (`sqlite3.Connection.getlimit`, Python 3.11), and Django batches by that.
"""

from __future__ import annotations

import sqlite3

from django.db.backends.sqlite3 import base, features
from django.utils.functional import cached_property


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self) -> int:
        self.connection.ensure_connection()
        return self.connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
