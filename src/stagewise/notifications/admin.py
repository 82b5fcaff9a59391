from django.contrib import admin
from django_tasks_db.models import DBTaskResult

# The task queue's rows are the worker's business, not configuration: the configuration admin
# site holds only audited rule tables and read-only lists (tests/test_admin_site.py). Operators
# follow tasks in the worker's log.
if admin.site.is_registered(DBTaskResult):
    admin.site.unregister(DBTaskResult)
