"""`python manage.py purge_recovery_documents [--days N]`: what the daily beat task does, on demand."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from recovery import rules
from recovery.services.housekeeping import purge_documents


class Command(BaseCommand):
    help = (
        "Delete the document files of recovery cases closed more than 90 days ago (or --days). The case "
        "rows and their timelines stay."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=rules.DOCUMENTS_KEPT_FOR.days,
            help="Delete the files of cases closed more than this many days ago (default 90, at least 1).",
        )

    def handle(self, *args, days: int, **options):
        if days < 1:
            raise CommandError(
                "--days must be at least 1: the files of a case that just closed stay a while."
            )
        purged = purge_documents(older_than=timedelta(days=days))
        files = "file" if purged == 1 else "files"
        self.stdout.write(f"Deleted {purged} document {files} of cases closed over {days} days ago.")
