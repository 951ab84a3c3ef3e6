"""``manage.py check_data [--campaign CODE] [--language vi|en] [--rescore]``: stored data against today's rules.

Lists every stored value of the criterion results that today's rules refuse (data written before the rules:
an unknown level, a value out of range, points above the maximum, N/A with a level, ...), one line each with
the campaign, the unit, the criterion, the field and what is wrong; then the stored scores that are missing or
differ from what the results give now. Exits 1 when it finds anything, 0 otherwise, so it can run from cron.
Reads in chunks, assessment by assessment: memory stays constant whatever the size of the database.

The pages never fail on such values: they count them as not answered and flag them. ``--rescore`` recomputes
the scores of the campaigns it lists (and of assessments waiting for rescoring); the values themselves are
corrected by the unit through the pages (or an import), which apply today's rules.
"""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from tincay.assessments import selectors
from tincay.assessments.models import Campaign
from tincay.assessments.services.scores import campaign_rescore_bulk


class Command(BaseCommand):
    help = (
        "List stored values that break today's rules (campaign, unit, criterion, field, message) and stored scores "
        "that are missing or out of date; exit code 1 when any is found."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--campaign", metavar="CODE", help="check only this campaign (its code)")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            default=settings.LANGUAGE_CODE,
            help="language of the messages (Vietnamese by default)",
        )
        parser.add_argument(
            "--rescore",
            action="store_true",
            help="recompute the scores of the campaigns with missing, out-of-date or waiting scores",
        )

    def handle(self, *args, **options) -> None:
        with translation.override(options["language"]):
            self._check(options["campaign"], options["rescore"])

    def _check(self, code: str | None, rescore: bool) -> None:
        if code and not Campaign.objects.filter(code=code).exists():
            raise CommandError(
                _("No campaign with the code “%(code)s”. Check the code on the campaigns page.") % {"code": code}
            )
        values = scores = 0
        to_rescore: set[str] = set()
        header = [_("campaign"), _("unit"), _("criterion"), _("field"), _("problem")]
        for problem in selectors.data_problems(code):
            if not values + scores:
                self.stdout.write("\t".join(header))
            self.stdout.write(
                "\t".join([problem.campaign, problem.unit, problem.criterion or "—", problem.field, problem.message])
            )
            if problem.criterion:
                values += 1
            else:
                scores += 1
                to_rescore.add(problem.campaign)
        waiting = selectors.scores_waiting(code)
        waiting_count = waiting.count()
        if waiting_count:
            self.stdout.write(
                _(
                    "%(n)s assessments wait for rescoring: the pages recompute their scores when they show them "
                    "(or run with --rescore)."
                )
                % {"n": waiting_count}
            )
        if rescore:
            to_rescore |= set(waiting.values_list("campaign__code", flat=True).distinct())
            for campaign in Campaign.objects.filter(code__in=to_rescore).order_by("code"):
                count = campaign_rescore_bulk(campaign.pk)
                self.stdout.write(
                    _("Rescored %(n)s assessments of %(campaign)s.") % {"n": count, "campaign": campaign.code}
                )
        if rescore:
            scores = 0  # recomputed above
        if values or scores:
            raise CommandError(
                _(
                    "%(values)s stored values break today's rules (they count as not answered until the unit "
                    "corrects them); %(scores)s stored scores are missing or out of date."
                )
                % {"values": values, "scores": scores}
            )
        self.stdout.write(
            self.style.SUCCESS(_("Every stored value keeps today's rules; the stored scores match the results."))
        )
