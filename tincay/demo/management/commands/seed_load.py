"""``manage.py seed_load --users N --output plan.json``: the load scenario's campaign, accounts, sessions and tokens
(``tincay.demo.load``). Refused in production: it writes sessions for accounts nobody signed in with."""

from __future__ import annotations

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tincay.demo.load import load_plan


class Command(BaseCommand):
    help = "Make the load test's campaign and signed-in accounts; write the plan the scenario reads. Not in production."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--users", type=int, default=300, help="communes, one focal point each (300)")
        parser.add_argument("--output", required=True, help="where to write the plan (JSON)")

    def handle(self, *args, **options) -> None:
        if settings.PRODUCTION:
            raise CommandError(
                "seed_load tạo phiên đăng nhập thử; không chạy trên hệ thống thật / refused in production"
            )
        if not 1 <= options["users"] <= 5000:
            raise CommandError("--users: từ 1 đến 5000 / between 1 and 5000")
        try:
            plan = load_plan(users=options["users"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        Path(options["output"]).write_text(json.dumps(plan, ensure_ascii=False))
        self.stdout.write(f"{len(plan['people'])} people in campaign {plan['campaign']}: {options['output']}")
