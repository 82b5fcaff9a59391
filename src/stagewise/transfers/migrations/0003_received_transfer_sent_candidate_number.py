"""The sending nation's candidate number, kept on a received transfer when the learner has another
number in the receiving nation (moving between Scotland and Wales). Existing rows were imported
within one nation, so blank is right for them."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("transfers", "0002_retention_schedule"),
    ]

    operations = [
        migrations.AddField(
            model_name="receivedtransfer",
            name="sent_candidate_number",
            field=models.CharField(
                blank=True,
                help_text=(
                    "The number the document carried when it is not valid in this nation (a"
                    " Scottish Candidate Number or Welsh Unique Pupil Number); blank when the"
                    " learner kept it."
                ),
                max_length=13,
                verbose_name="candidate number in the sending nation",
            ),
        ),
    ]
