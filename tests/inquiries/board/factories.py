import factory

from inquiries.board.models import LostReason


class LostReasonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = LostReason

    name_en = factory.Sequence(lambda n: f"Reason {n}")
    name_ko = factory.Sequence(lambda n: f"사유 {n}")
    position = factory.Sequence(lambda n: n)
