"""Public information: advice, advocacy and dispute services (loaded from
data/advice_services.json, the names in RULES.md section 8), authorities' statements and schools'
offers."""

import json
from pathlib import Path

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models

import stagewise.plausible

DATA = Path(__file__).resolve().parent.parent / "data" / "advice_services.json"


def load_advice_services(apps, schema_editor):
    Nation = apps.get_model("organisations", "Nation")
    AdviceService = apps.get_model("organisations", "AdviceService")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    for order, entry in enumerate(data["services"]):
        AdviceService.objects.update_or_create(
            key=entry["key"],
            defaults={
                "nation": Nation.objects.get(code=entry["nation"]),
                "name": entry["name"],
                "name_cy": entry["name_cy"],
                "description": entry["description"],
                "description_cy": entry["description_cy"],
                "helps_with": entry["helps_with"],
                "telephone": entry.get("telephone", ""),
                "details_confirmed": entry["details_confirmed"],
                "order": order,
            },
        )


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0005_service_manager"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="AdviceService",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("name", stagewise.plausible.CharField(max_length=200, verbose_name="name")),
                (
                    "name_cy",
                    stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                ("key", models.SlugField(unique=True, verbose_name="key")),
                (
                    "description",
                    stagewise.plausible.TextField(
                        max_length=1000, verbose_name="what the service does"
                    ),
                ),
                (
                    "description_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=1000, verbose_name="what the service does, in Welsh"
                    ),
                ),
                ("helps_with", models.JSONField(default=list, verbose_name="helps with")),
                (
                    "telephone",
                    stagewise.plausible.CharField(
                        blank=True, max_length=40, verbose_name="telephone"
                    ),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "details_confirmed",
                    models.BooleanField(default=False, verbose_name="details confirmed"),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                (
                    "authority",
                    models.ForeignKey(
                        blank=True,
                        help_text="Leave empty for a service to the whole nation.",
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="advice_services",
                        to="organisations.localauthority",
                    ),
                ),
                (
                    "nation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="advice_services",
                        to="organisations.nation",
                    ),
                ),
            ],
            options={
                "verbose_name": "advice, advocacy or dispute service",
                "verbose_name_plural": "advice, advocacy and dispute services",
                "ordering": ["order", "name"],
            },
        ),
        migrations.CreateModel(
            name="AuthorityStatement",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "how_to_ask",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="how to ask for help"
                    ),
                ),
                (
                    "how_to_ask_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="how to ask for help, in Welsh"
                    ),
                ),
                (
                    "plans_kept",
                    stagewise.plausible.TextField(
                        blank=True,
                        max_length=3000,
                        verbose_name="statutory plans the authority keeps",
                    ),
                ),
                (
                    "plans_kept_cy",
                    stagewise.plausible.TextField(
                        blank=True,
                        max_length=3000,
                        verbose_name="statutory plans the authority keeps, in Welsh",
                    ),
                ),
                (
                    "post_16",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="post-16 strategy"
                    ),
                ),
                (
                    "post_16_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="post-16 strategy, in Welsh"
                    ),
                ),
                (
                    "mediation",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="mediation arrangements"
                    ),
                ),
                (
                    "mediation_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="mediation arrangements, in Welsh"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last changed")),
                (
                    "authority",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="public_statement",
                        to="organisations.localauthority",
                    ),
                ),
            ],
            options={
                "verbose_name": "authority's public statement",
                "verbose_name_plural": "authorities' public statements",
            },
        ),
        migrations.CreateModel(
            name="HistoricalAdviceService",
            fields=[
                (
                    "id",
                    models.BigIntegerField(
                        auto_created=True, blank=True, db_index=True, verbose_name="ID"
                    ),
                ),
                ("name", stagewise.plausible.CharField(max_length=200, verbose_name="name")),
                (
                    "name_cy",
                    stagewise.plausible.CharField(
                        blank=True,
                        help_text="Leave blank if the same.",
                        max_length=200,
                        verbose_name="name in Welsh",
                    ),
                ),
                ("key", models.SlugField(verbose_name="key")),
                (
                    "description",
                    stagewise.plausible.TextField(
                        max_length=1000, verbose_name="what the service does"
                    ),
                ),
                (
                    "description_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=1000, verbose_name="what the service does, in Welsh"
                    ),
                ),
                ("helps_with", models.JSONField(default=list, verbose_name="helps with")),
                (
                    "telephone",
                    stagewise.plausible.CharField(
                        blank=True, max_length=40, verbose_name="telephone"
                    ),
                ),
                (
                    "email",
                    models.EmailField(blank=True, max_length=254, verbose_name="email address"),
                ),
                ("website", models.URLField(blank=True, verbose_name="website")),
                (
                    "details_confirmed",
                    models.BooleanField(default=False, verbose_name="details confirmed"),
                ),
                ("order", models.PositiveSmallIntegerField(default=0, verbose_name="order")),
                ("history_id", models.AutoField(primary_key=True, serialize=False)),
                ("history_date", models.DateTimeField(db_index=True)),
                ("history_change_reason", models.CharField(max_length=100, null=True)),
                (
                    "history_type",
                    models.CharField(
                        choices=[("+", "Created"), ("~", "Changed"), ("-", "Deleted")], max_length=1
                    ),
                ),
                (
                    "authority",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        help_text="Leave empty for a service to the whole nation.",
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisations.localauthority",
                    ),
                ),
                (
                    "history_user",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "nation",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="organisations.nation",
                    ),
                ),
            ],
            options={
                "verbose_name": "historical advice, advocacy or dispute service",
                "verbose_name_plural": "historical advice, advocacy and dispute services",
                "ordering": ("-history_date", "-history_id"),
                "get_latest_by": ("history_date", "history_id"),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name="SchoolOffer",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "statement",
                    stagewise.plausible.TextField(
                        max_length=3000, verbose_name="the school's statement"
                    ),
                ),
                (
                    "statement_cy",
                    stagewise.plausible.TextField(
                        blank=True, max_length=3000, verbose_name="the school's statement, in Welsh"
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True, verbose_name="last changed")),
                (
                    "setting",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="offer",
                        to="organisations.setting",
                    ),
                ),
            ],
            options={
                "verbose_name": "school's offer",
                "verbose_name_plural": "schools' offers",
            },
        ),
        migrations.CreateModel(
            name="ProvisionItem",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("order", models.PositiveSmallIntegerField(verbose_name="order")),
                (
                    "description",
                    stagewise.plausible.CharField(max_length=300, verbose_name="provision"),
                ),
                (
                    "description_cy",
                    stagewise.plausible.CharField(
                        blank=True, max_length=300, verbose_name="provision, in Welsh"
                    ),
                ),
                (
                    "offer",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="items",
                        to="organisations.schooloffer",
                    ),
                ),
            ],
            options={
                "verbose_name": "provision item",
                "verbose_name_plural": "provision items",
                "ordering": ["offer", "order"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("offer", "order"), name="provision_item_unique_order"
                    )
                ],
            },
        ),
        migrations.RunPython(load_advice_services, migrations.RunPython.noop),
    ]
