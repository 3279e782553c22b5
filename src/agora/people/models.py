"""User accounts and the people data is about.

A User is whoever signs in (resident, staff member, operator). A Person is the
data subject: a resident that organisations hold records about, who may or may not
have an account yet. Keeping them apart lets an agency register a resident before
that resident ever signs in.
"""

import uuid

from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """A sign-in account, identified by email. `is_staff` marks a platform operator."""

    username = None
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    email = models.EmailField("email address", unique=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


class Household(models.Model):
    """People living at one address; benefits and housing are often decided per household."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    address_line = models.CharField(max_length=200)
    town = models.CharField(max_length=100)
    postcode = models.CharField(max_length=16)
    tenure = models.CharField(
        max_length=20,
        choices=[
            ("owner", "Owner occupier"),
            ("private_rent", "Private renting"),
            ("social_rent", "Social housing tenant"),
            ("temporary", "Temporary accommodation"),
            ("other", "Other"),
        ],
        default="other",
    )

    class Meta:
        ordering = ["postcode", "address_line"]

    def __str__(self) -> str:
        return f"{self.address_line}, {self.town} {self.postcode}"


class Person(models.Model):
    """The data subject: a resident whose information organisations hold."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.OneToOneField(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="person"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=32, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    household_role = models.CharField(
        max_length=20,
        blank=True,
        choices=[
            ("head", "Head of household"),
            ("partner", "Partner"),
            ("child", "Child"),
            ("relative", "Relative"),
            ("lodger", "Lodger"),
        ],
    )
    national_id_hash = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        unique=True,
        help_text="Keyed hash (HMAC-SHA256) of the national identifier; never the number.",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"
