from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tincay.audit import services as audit
from tincay.feedback.services.templates import DATA_DIR, FORMAT, SurveyTemplateError, survey_template_load


class Command(BaseCommand):
    help = "Load survey templates (YAML). Idempotent; a template used by a survey that changed is refused."

    def add_arguments(self, parser) -> None:
        parser.add_argument("paths", nargs="*", help="YAML files; default: the templates in feedback/data/")

    def handle(self, *args, paths: list[str], **options) -> None:
        files = [Path(p) for p in paths] or [
            p for p in sorted(DATA_DIR.glob("*.yaml")) if f"format: {FORMAT}" in p.read_text(encoding="utf-8")
        ]
        if not files:
            raise CommandError(f"Không có tệp mẫu phiếu khảo sát nào trong {DATA_DIR} / no survey template files found")
        for path in files:
            try:
                template, outcome = survey_template_load(path)
            except OSError as exc:
                raise CommandError(f"{path}: {exc}") from None
            except SurveyTemplateError as exc:
                problems = "\n".join(f"  {where}: {'; '.join(map(str, msgs))}" for where, msgs in exc.errors.items())
                raise CommandError(f"{path}: tệp không hợp lệ / invalid file:\n{problems}") from None
            if outcome != "unchanged":
                audit.record(
                    actor="load_survey_templates",
                    action=f"feedback.survey_template_{outcome}",
                    obj=template,
                    after={"code": template.code, "version": template.version},
                )
            count = template.questions.count()
            self.stdout.write(f"{template.code} v{template.version}: {outcome} ({count} questions)")
