import uuid

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.enums import OrganizationKind, PartnerKind, Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person who logs in: coordinator, mentor, beneficiary or administrator."""

    username = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = self.email.lower()
        super().save(*args, **kwargs)

    def organization_ids_with_role(self, role: str) -> set[int]:
        """Support structures where this user holds `role` (all roles read in one query, cached
        per instance).

        A membership in a partner structure grants no team role: a partner's staff do not
        read the support structures' records."""
        cache = self.__dict__.get("_role_cache")
        if cache is None:
            # Every role at once: pages ask for several (one query instead of one per role).
            cache = {name: set() for name in Role.values}
            memberships = self.memberships.filter(
                is_active=True, organization__kind=OrganizationKind.SUPPORT
            ).values_list("role", "organization_id")
            for membership_role, organization_id in memberships:
                cache.setdefault(membership_role, set()).add(organization_id)
            self.__dict__["_role_cache"] = cache
        return cache.get(role, set())

    @property
    def is_coordinator(self) -> bool:
        return bool(self.organization_ids_with_role(Role.COORDINATOR))

    @property
    def is_mentor(self) -> bool:
        return bool(self.organization_ids_with_role(Role.MENTOR))

    @property
    def is_beneficiary(self) -> bool:
        return hasattr(self, "beneficiary_profile")


class OrganizationQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OrganizationQuerySet":
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser:
            return self
        return self.filter(memberships__user=user, memberships__is_active=True).distinct()

    def support(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrganizationKind.SUPPORT)

    def partners(self) -> "OrganizationQuerySet":
        return self.filter(kind=OrganizationKind.PARTNER)


class Organization(models.Model):
    """A support structure that runs programmes, or a partner structure of the network."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(
        _("kind"), max_length=20, choices=OrganizationKind.choices, default=OrganizationKind.SUPPORT
    )
    territory = models.CharField(_("territory"), max_length=200, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    # Partner directory: what a partner is and who keeps its entry up to date.
    partner_kind = models.CharField(
        _("partner kind"), max_length=30, choices=PartnerKind.choices, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    contact_name = models.CharField(_("contact person"), max_length=200, blank=True)
    steward = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="stewarded_partners",
        verbose_name=_("maintained by"),
        help_text=_("The support structure that keeps this partner's entry up to date."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    """A user's role in an organisation."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    territory = models.CharField(
        _("territory"), max_length=200, blank=True, help_text=_("Where this mentor works.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organization__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organization", "role"], name="membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.organization}"
