import datetime

import factory
from factory.django import DjangoModelFactory

from accounts.enums import OrganizationKind, Role
from accounts.models import Membership, Organization, User
from beneficiaires.enums import BeneficiaryKind, EnrollmentStatus, Situation
from beneficiaires.models import Beneficiary, Enrollment
from programmes.enums import OfferKind, OfferMode, ProgrammeStatus
from programmes.models import Offer, Programme, Theme


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@example.org")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password("un-mot-de-passe-solide")


class OrganizationFactory(DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Structure d'appui {n}")
    kind = OrganizationKind.SUPPORT
    territory = "Rhône"

    class Params:
        partner = factory.Trait(kind=OrganizationKind.PARTNER, partner_kind="association")


class MembershipFactory(DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Role.MENTOR


class ThemeFactory(DjangoModelFactory):
    class Meta:
        model = Theme

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda n: f"Thème {n}")


class ProgrammeFactory(DjangoModelFactory):
    class Meta:
        model = Programme

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Programme d'accompagnement {n}")
    description = "Accompagner les porteurs de projets du territoire."
    territory = "Lyon"
    start_date = datetime.date(2026, 9, 1)
    end_date = datetime.date(2027, 6, 30)
    status = ProgrammeStatus.OPEN


class OfferFactory(DjangoModelFactory):
    class Meta:
        model = Offer

    programme = factory.SubFactory(ProgrammeFactory)
    kind = OfferKind.COACHING
    title = factory.Sequence(lambda n: f"Offre {n}")
    mode = OfferMode.INDIVIDUAL
    capacity = 1
    duration_minutes = 60

    class Params:
        group = factory.Trait(kind=OfferKind.WORKSHOP, mode=OfferMode.GROUP, capacity=10)


class BeneficiaryFactory(DjangoModelFactory):
    class Meta:
        model = Beneficiary

    organization = factory.SubFactory(OrganizationFactory)
    kind = BeneficiaryKind.INDIVIDUAL
    name = factory.Faker("name", locale="fr_FR")
    email = factory.Sequence(lambda n: f"beneficiaire{n}@example.org")
    postal_code = "69003"
    situation = Situation.WANTS_TO_ACT


class EnrollmentFactory(DjangoModelFactory):
    class Meta:
        model = Enrollment

    beneficiary = factory.SubFactory(BeneficiaryFactory)
    offer = factory.SubFactory(OfferFactory)
    status = EnrollmentStatus.ACTIVE
    started_on = datetime.date(2026, 9, 15)
