"""起草部门 (drafting department) beside 发文机构 (issuer), and Chinese labels on the fields the admin shows."""

import django.db.models.deletion
import modelcluster.fields
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def drafting_department_is_issuer(apps, schema_editor):
    """Existing records were drafted by their issuer."""
    Policy = apps.get_model("policies", "Policy")
    Policy.objects.filter(drafting_department=None).update(drafting_department=F("issuer"))


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_calendar"),
        ("policies", "0003_interpretations"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="policy",
            name="drafting_department",
            field=models.ForeignKey(
                blank=True,
                help_text="负责起草、解读和清理的部门，权限随起草部门；外部机关的文件留空",
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="drafted_policies",
                to="core.department",
                verbose_name="起草部门",
            ),
        ),
        migrations.AlterField(
            model_name="cleanupcampaign",
            name="started_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="发起人",
            ),
        ),
        migrations.AlterField(
            model_name="cleanupitem",
            name="campaign",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="items",
                to="policies.cleanupcampaign",
                verbose_name="文件清理",
            ),
        ),
        migrations.AlterField(
            model_name="cleanupitem",
            name="decided_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="确认人",
            ),
        ),
        migrations.AlterField(
            model_name="interpretation",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="创建人",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="content_hash",
            field=models.CharField(
                blank=True, db_index=True, editable=False, max_length=64, verbose_name="内容摘要"
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="created_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="创建人",
            ),
        ),
        migrations.AlterField(
            model_name="policy",
            name="issuer",
            field=models.ForeignKey(
                help_text="以谁的名义印发，例如以区政府名义印发的文件填“区政府”",
                on_delete=django.db.models.deletion.PROTECT,
                related_name="issued_policies",
                to="core.department",
                verbose_name="发文机构",
            ),
        ),
        migrations.AlterField(
            model_name="policyattachment",
            name="policy",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="attachments",
                to="policies.policy",
                verbose_name="政策文件",
            ),
        ),
        migrations.AlterField(
            model_name="policyquestion",
            name="answered_by",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
                verbose_name="答复人",
            ),
        ),
        migrations.AlterField(
            model_name="policyrelation",
            name="policy",
            field=modelcluster.fields.ParentalKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="relations",
                to="policies.policy",
                verbose_name="政策文件",
            ),
        ),
        migrations.AddIndex(
            model_name="policy",
            index=models.Index(fields=["drafting_department", "live"], name="policies_po_draftin_901fef_idx"),
        ),
        migrations.RunPython(drafting_department_is_issuer, migrations.RunPython.noop, elidable=True),
    ]
