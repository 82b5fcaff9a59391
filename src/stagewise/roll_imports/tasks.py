"""The roll import's task, on Django's tasks framework (`stagewise db_worker`, ADR 0052)."""

from django.tasks import task

from stagewise.accounts.actors import Actor
from stagewise.audit.services import audit_session
from stagewise.organisations.models import Membership
from stagewise.roll_imports.models import RollImport, RollImportStatus


@task
def run_roll_import(public_id: str) -> str:
    """Runs a confirmed import as the person who confirmed it, in the role they confirmed it in
    (still held today: a role that has ended imports nothing). Running it again after a worker
    stopped is safe: nothing was saved, or everything was and the file now changes nothing."""
    roll_import = RollImport.objects.select_related("mapping").get(public_id=public_id)
    # Done, or abandoned while it waited (its file deleted by the retention review): nothing to do.
    if roll_import.status in (RollImportStatus.DONE, RollImportStatus.ABANDONED):
        return roll_import.status
    membership = (
        Membership.objects.current()
        .select_related("user", "setting__authority__nation", "authority__nation")
        .filter(pk=roll_import.membership_id)
        .first()
    )
    with audit_session(path="task:run_roll_import"):
        if membership is None:
            roll_import.status = RollImportStatus.FAILED
            roll_import.report = {**roll_import.report, "stopped": "role ended"}
            roll_import.save(update_fields=["status", "report"])
            return roll_import.status
        from stagewise.roll_imports.services import roll_import_run

        actor = Actor(
            user=membership.user,
            role=membership.role,
            key=f"membership:{membership.pk}",
            membership=membership,
        )
        try:
            roll_import_run(actor=actor, roll_import=roll_import)
        except Exception:
            RollImport.objects.filter(pk=roll_import.pk).update(status=RollImportStatus.FAILED)
            raise
    return roll_import.status
