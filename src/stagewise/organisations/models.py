"""Nations, local authorities, settings (schools, nurseries, colleges), agencies and memberships.

A membership is a person's role at one organisation; it is what access to learners is derived from.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from stagewise import plausible


class BilingualName(models.Model):
    """An organisation name with its Welsh form, shown in the reader's language."""

    name = plausible.CharField(_("name"), max_length=200)
    name_cy = plausible.CharField(
        _("name in Welsh"), max_length=200, blank=True, help_text=_("Leave blank if the same.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.name_cy and (get_language() or "").startswith("cy"):
            return self.name_cy
        return self.name


class Nation(BilingualName):
    SCOTLAND = "scotland"
    WALES = "wales"

    code = models.SlugField(_("code"), unique=True)
    jurisdiction = models.CharField(_("governing legislation"), max_length=300)
    jurisdiction_cy = models.CharField(_("governing legislation in Welsh"), max_length=300)

    class Meta:
        ordering = ["name"]
        verbose_name = _("nation")
        verbose_name_plural = _("nations")

    @property
    def display_jurisdiction(self) -> str:
        if (get_language() or "").startswith("cy"):
            return self.jurisdiction_cy
        return self.jurisdiction


class LocalAuthority(BilingualName):
    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="authorities")
    code = models.SlugField(_("code"), unique=True)
    # How old a wellbeing assessment may grow before staff are asked to assess again: the
    # authority's own practice, so data; a year unless the authority says otherwise.
    wellbeing_refresh_months = models.PositiveSmallIntegerField(
        _("months before a wellbeing assessment is due again"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("local authority")
        verbose_name_plural = _("local authorities")


class SettingType(models.TextChoices):
    EARLY_LEARNING = "early_learning", _("Nursery, early learning and childcare")
    PRIMARY = "primary", _("Primary school")
    SECONDARY = "secondary", _("Secondary school")
    ALL_THROUGH = "all_through", _("All-through school")
    SPECIAL = "special", _("Special school")
    FURTHER_EDUCATION = "further_education", _("Further education college")


class LanguageMedium(models.TextChoices):
    ENGLISH = "english", _("English")
    WELSH = "welsh", _("Welsh")
    GAELIC = "gaelic", _("Gaelic")


class Setting(BilingualName):
    """A place where learners learn: a nursery, school or college."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="settings")
    setting_type = models.CharField(_("type"), max_length=30, choices=SettingType.choices)
    language_medium = models.CharField(
        _("language medium"),
        max_length=20,
        choices=LanguageMedium.choices,
        default=LanguageMedium.ENGLISH,
    )
    reference_number = plausible.CharField(
        _("reference number"),
        max_length=20,
        blank=True,
        help_text=_("SEED code in Scotland, school number in Wales."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("setting")
        verbose_name_plural = _("settings")
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="setting_unique_name")
        ]

    @property
    def nation(self) -> Nation:
        return self.authority.nation


class AgencyType(models.TextChoices):
    EDUCATIONAL_PSYCHOLOGY = "educational_psychology", _("Educational psychology")
    SPEECH_AND_LANGUAGE_THERAPY = "speech_and_language_therapy", _("Speech and language therapy")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational therapy")
    CAMHS = "camhs", _("Child and adolescent mental health services (CAMHS)")
    SOCIAL_WORK = "social_work", _("Social work")
    HEALTH_VISITING = "health_visiting", _("Health visiting")
    THIRD_SECTOR = "third_sector", _("Third sector")


class Agency(BilingualName):
    """A partner agency serving one local authority area."""

    authority = models.ForeignKey(LocalAuthority, on_delete=models.PROTECT, related_name="agencies")
    agency_type = models.CharField(_("type"), max_length=40, choices=AgencyType.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        constraints = [
            models.UniqueConstraint(fields=["authority", "name"], name="agency_unique_name")
        ]


class NationalBodyKind(models.TextChoices):
    """What kind of national body (or collective) an action plan names as responsible."""

    GOVERNMENT = "government", _("Government")
    LOCAL_GOVERNMENT = "local_government", _("Local government")
    PROFESSIONAL_ASSOCIATION = "professional_association", _("Professional association")
    NATIONAL_AGENCY = "national_agency", _("National agency")
    ADVICE_SERVICE = "advice_service", _("Advice service")
    ADVISORY_GROUP = "advisory_group", _("Advisory group")
    PROGRAMME_BOARD = "programme_board", _("Programme board")


class NationalBody(BilingualName):
    """A body that works across a nation rather than in one authority's area (a government, a
    national agency, an association of authorities, a board): those the national action plans
    make responsible for their actions (actionplans/). "Local authorities" acting together is one
    body of kind local government, as the plans name them together."""

    nation = models.ForeignKey(Nation, on_delete=models.PROTECT, related_name="national_bodies")
    code = models.SlugField(_("code"), unique=True)
    kind = models.CharField(_("kind"), max_length=40, choices=NationalBodyKind.choices)

    class Meta:
        ordering = ["name"]
        verbose_name = _("national body")
        verbose_name_plural = _("national bodies")


class Role(models.TextChoices):
    CLASS_TEACHER = "class_teacher", _("Class teacher")
    SUPPORT_FOR_LEARNING_LEAD = "support_for_learning_lead", _("Support-for-learning lead")
    HEAD_TEACHER = "head_teacher", _("Head teacher")
    LOCAL_AUTHORITY_OFFICER = "local_authority_officer", _("Local authority officer")
    EDUCATIONAL_PSYCHOLOGIST = "educational_psychologist", _("Educational psychologist")
    AGENCY_PRACTITIONER = "agency_practitioner", _("Agency practitioner")
    SERVICE_MANAGER = "service_manager", _("Service manager")
    NATIONAL_ANALYST = "national_analyst", _("National analyst")
    SYSTEM_ADMINISTRATOR = "system_administrator", _("System administrator")
    # An authority's data protection officer: answers subject access requests about the
    # authority's learners and reviews what is due under its retention schedules.
    DATA_PROTECTION_OFFICER = "data_protection_officer", _("Data protection officer")
    # Tracks the national action plans for a national body (actionplans/): progress updates,
    # status, evidence and measures of the actions the body is responsible for, or of every
    # action when the body is the government.
    POLICY_OFFICER = "policy_officer", _("Policy officer")
    PARENT_CARER = "parent_carer", _("Parent or carer")
    YOUNG_PERSON = "young_person", _("Young person")


# Roles held through a membership of an organisation (or, for administrators, of none); the
# other two are a family's relationship to a learner. Which organisation each is held at is in
# the policy table (stagewise.policy).
FAMILY_ROLES = frozenset({Role.PARENT_CARER, Role.YOUNG_PERSON})
STAFF_ROLES = frozenset(Role) - FAMILY_ROLES


def role_label(role: str, nation_code: str | None) -> str:
    """The role's name as people in that nation say it: the ALNCo in Wales (stagewise.policy)."""
    from stagewise.policy import nation_policy  # the policy table reads this module's roles

    title = nation_policy(nation_code).support_for_learning_lead_title
    if role == Role.SUPPORT_FOR_LEARNING_LEAD and title is not None:
        return str(title)
    return str(Role(role).label)


class MembershipQuerySet(models.QuerySet["Membership"]):
    def current(self) -> "MembershipQuerySet":
        today = timezone.localdate()
        return self.filter(
            models.Q(started_on__lte=today),
            models.Q(ended_on__isnull=True) | models.Q(ended_on__gte=today),
        )


class Membership(models.Model):
    """A person's staff role at one organisation, which fixes what learners they may see."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=40, choices=[(r.value, r.label) for r in Role if r in STAFF_ROLES]
    )
    setting = models.ForeignKey(
        Setting, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    authority = models.ForeignKey(
        LocalAuthority, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    nation = models.ForeignKey(
        Nation, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships"
    )
    national_body = models.ForeignKey(
        NationalBody,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("national body"),
    )
    started_on = plausible.DateField(
        _("started on"), within=plausible.STAFF_ROLE, default=timezone.localdate
    )
    ended_on = plausible.DateField(
        _("ended on"), within=plausible.STAFF_ROLE, null=True, blank=True
    )

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["user__email", "role"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        organisation = self.organisation
        if organisation is None:
            return self.role_label
        return f"{self.role_label}, {organisation}"

    def clean(self) -> None:
        required = self.organisation_field_for_role(self.role)
        # Whole sentences per field, so that each translates properly.
        missing = {
            "setting": _("Choose the school, nursery or college."),
            "authority": _("Choose the local authority."),
            "agency": _("Choose the agency."),
            "nation": _("Choose the nation."),
            "national_body": _("Choose the national body."),
        }
        not_held = {
            "setting": _("This role is not held at a school, nursery or college: leave it empty."),
            "authority": _("This role is not held at a local authority: leave it empty."),
            "agency": _("This role is not held at an agency: leave it empty."),
            "nation": _("Only national analysts work for a nation: leave it empty."),
            "national_body": _("Only policy officers work for a national body: leave it empty."),
        }
        for field in missing:
            value = getattr(self, f"{field}_id")
            if field == required and value is None:
                raise ValidationError({field: missing[field]})
            if field != required and value is not None:
                raise ValidationError({field: not_held[field]})
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            raise ValidationError(
                {"ended_on": _("The end date must be the same as or after the start date.")}
            )

    @staticmethod
    def organisation_field_for_role(role: str) -> str | None:
        """The organisation a membership in this role is held at, from the policy table."""
        from stagewise.policy import role_policy  # the policy table reads this module's roles

        return role_policy(role).organisation or None

    @property
    def organisation(self) -> Setting | LocalAuthority | Agency | Nation | NationalBody | None:
        return self.setting or self.authority or self.agency or self.nation or self.national_body

    @property
    def nation_code(self) -> str | None:
        if self.setting_id:
            return self.setting.authority.nation.code  # type: ignore[union-attr]
        if self.authority_id:
            return self.authority.nation.code  # type: ignore[union-attr]
        if self.agency_id:
            return self.agency.authority.nation.code  # type: ignore[union-attr]
        if self.nation_id:
            return self.nation.code  # type: ignore[union-attr]
        if self.national_body_id:
            return self.national_body.nation.code  # type: ignore[union-attr]
        return None

    @property
    def role_label(self) -> str:
        return role_label(self.role, self.nation_code)

    @property
    def has_ended(self) -> bool:
        """Whether the last day in the role has passed."""
        return self.ended_on is not None and self.ended_on < timezone.localdate()


# Public information (advice services, authorities' statements, schools' offers) is kept in its
# own module; imported here so that Django finds its models. Import them from that module.
from stagewise.organisations import public_information_models  # noqa: E402, F401
