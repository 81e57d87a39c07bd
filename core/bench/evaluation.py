"""The bench's evaluation: invitations, responses and answers on the programmes' copies of the
shipped questionnaires, exactly the plan's number of answers.

Progress self-assessments, end-of-programme evaluations and mentors' assessments come first,
each within its share; satisfaction after séances takes the exact remainder (two or three
answers a response, so any remainder of two or more is reachable)."""

import datetime

from core.bench import texts
from core.bench.base import CHUNK_SIZE, Context
from evaluation.enums import EntryMode, Phase, SendMoment
from evaluation.models import Answer, Invitation, Response
from seances.enums import AttendanceStatus, SeanceKind
from seances.models import Attendance

SHARES = {"progress": 0.15, "end_of_programme": 0.15, "mentor_assessment": 0.15}
# Invitations sent after a séance and never answered, per answered one.
UNANSWERED = 0.25


class Writer:
    """Buffers invitations, responses and answers; writes them in that order by chunk."""

    def __init__(self, ctx: Context):
        self.ctx = ctx
        self.invitations: list[Invitation] = []
        self.responses: list[tuple[Response, Invitation | None, list[Answer]]] = []
        self.answers = 0
        self.pending = 0

    def token(self) -> str:
        return f"{self.ctx.rng.getrandbits(256):064x}"

    def invitation(self, **fields) -> Invitation:
        invitation = Invitation(token_hash=self.token(), **fields)
        self.invitations.append(invitation)
        return invitation

    def response(self, response: Response, answers: list[Answer], invitation=None) -> None:
        self.responses.append((response, invitation, answers))
        self.answers += len(answers)
        self.pending += len(answers)
        if self.pending >= CHUNK_SIZE:
            self.flush()

    def flush(self) -> None:
        ctx = self.ctx
        ctx.insert(self.invitations)
        for response, invitation, _ in self.responses:
            response.invitation = invitation
        ctx.insert(response for response, _, _ in self.responses)
        rows = []
        for response, _, answers in self.responses:
            for answer in answers:
                answer.response = response
                rows.append(answer)
        ctx.insert(rows)
        self.invitations, self.responses, self.pending = [], [], 0


def seed_evaluation(ctx: Context) -> None:
    rng = ctx.rng
    writer = Writer(ctx)
    total = ctx.plan.answers
    people = sorted(
        {
            (programme_id, beneficiary_id, mentor_id)
            for programme_id, rows in ctx.programme_beneficiaries.items()
            for beneficiary_id, mentor_id in rows
            if ctx.beneficiaries[beneficiary_id].needs
        }
    )
    rng.shuffle(people)
    for key, share in SHARES.items():
        budget = writer.answers + int(total * share)
        for programme_id, beneficiary_id, mentor_id in people:
            made = _about_person(ctx, writer, key, programme_id, beneficiary_id, mentor_id, budget)
            if not made:
                break
    _satisfaction(ctx, writer, total - writer.answers)
    writer.flush()


def _about_person(ctx, writer, key, programme_id, beneficiary_id, mentor_id, budget) -> bool:
    """Write this person's responses for `key` if they fit in the budget."""
    rng = ctx.rng
    questionnaire_id, questions = ctx.questionnaires[(programme_id, key)]
    beneficiary = ctx.beneficiaries[beneficiary_id]
    needs = beneficiary.needs
    if key == "end_of_programme":
        sizes = [5]
    elif key == "progress":
        sizes = [len(needs) + 1, len(needs) + 1]
    else:
        sizes = [len(needs) + 1]
    if writer.answers + sum(sizes) > budget:
        return False
    if key == "progress":
        start = ctx.past_moment(days_min=300, days_max=600)
        end = ctx.past_moment(days_min=1, days_max=60)
        starts = {theme: rng.randint(1, 3) for theme in needs}
        for phase, at, values in (
            (Phase.START, start, starts),
            (
                Phase.END,
                end,
                {t: min(5, v + rng.choice([0, 1, 1, 2, 3])) for t, v in starts.items()},
            ),
        ):
            invitation = writer.invitation(
                questionnaire_id=questionnaire_id,
                beneficiary_id=beneficiary_id,
                phase=phase,
                moment=SendMoment.MANUAL,
                expires_at=at + datetime.timedelta(days=28),
                answered_at=at,
            )
            answers = [
                Answer(question_id=questions["need_progress"], theme_id=theme, value_number=value)
                for theme, value in values.items()
            ]
            answers.append(
                Answer(question_id=questions["progress_comment"], value_text="Ça avance bien.")
            )
            writer.response(
                _response(ctx, questionnaire_id, programme_id, beneficiary, mentor_id, phase, at),
                answers,
                invitation,
            )
    elif key == "end_of_programme":
        at = ctx.past_moment(days_min=1, days_max=120)
        by_phone = not beneficiary.email
        invitation = None
        if not by_phone:
            invitation = writer.invitation(
                questionnaire_id=questionnaire_id,
                beneficiary_id=beneficiary_id,
                phase=Phase.END,
                moment=SendMoment.PROGRAMME_END,
                expires_at=at + datetime.timedelta(days=28),
                answered_at=at,
            )
        response = _response(
            ctx, questionnaire_id, programme_id, beneficiary, mentor_id, Phase.END, at
        )
        if by_phone:
            response.entry_mode = EntryMode.ON_BEHALF
            response.entered_by_id = mentor_id
        answers = [
            Answer(question_id=questions["nps"], value_number=rng.choice([6, 7, 8, 9, 9, 10, 10])),
            Answer(question_id=questions["objectives_met"], value_number=rng.choice([0, 1, 1, 1])),
            Answer(
                question_id=questions["most_useful"],
                value_choices=[rng.choice(["Rendez-vous individuels", "Ateliers collectifs"])],
            ),
            Answer(question_id=questions["strengths"], value_text=rng.choice(texts.STRENGTHS)),
            Answer(
                question_id=questions["improvements"], value_text=rng.choice(texts.IMPROVEMENTS)
            ),
        ]
        writer.response(response, answers, invitation)
    else:
        at = ctx.past_moment(days_min=1, days_max=90)
        response = _response(
            ctx, questionnaire_id, programme_id, beneficiary, mentor_id, Phase.END, at
        )
        response.entry_mode = EntryMode.MENTOR
        response.entered_by_id = mentor_id
        answers = [
            Answer(
                question_id=questions["mentor_need_progress"],
                theme_id=theme,
                value_number=rng.randint(2, 5),
            )
            for theme in needs
        ]
        answers.append(
            Answer(question_id=questions["mentor_comment"], value_text="Bonne dynamique.")
        )
        writer.response(response, answers)
    return True


def _response(ctx, questionnaire_id, programme_id, beneficiary, mentor_id, phase, at) -> Response:
    return Response(
        questionnaire_id=questionnaire_id,
        programme_id=programme_id,
        beneficiary_id=beneficiary.pk,
        mentor_id=mentor_id,
        phase=phase,
        entry_mode=EntryMode.ACCOUNT if beneficiary.user_id else EntryMode.LINK,
        submitted_at=at,
    )


def _satisfaction(ctx: Context, writer: Writer, remaining: int) -> None:
    """Satisfaction after séances the person attended: a share of them answered through the
    link sent after the séance, some links left unanswered; exactly `remaining` answers."""
    rng = ctx.rng
    programme_ids = [programme.pk for programme in ctx.programmes]
    candidates = Attendance.objects.filter(
        seance__offer__programme_id__in=programme_ids,
        seance__starts_at__lt=ctx.now,
        seance__kind__in=[SeanceKind.INDIVIDUAL, SeanceKind.GROUP, SeanceKind.CODEVELOPMENT],
        status=AttendanceStatus.PRESENT,
    )
    count = candidates.count()
    probability = min(1.0, 1.2 * remaining / 2.4 / max(1, count))
    rows = candidates.values_list(
        "beneficiary_id", "seance_id", "seance__starts_at", "seance__mentor_id",
        "seance__offer__programme_id",
    ).order_by("pk")  # fmt: skip
    left_out = []
    for row in rows.iterator(chunk_size=CHUNK_SIZE):
        if remaining <= 0:
            break
        if rng.random() >= probability:
            if len(left_out) < 4 * CHUNK_SIZE:
                left_out.append(row)
            continue
        remaining -= _satisfaction_response(ctx, writer, row, remaining)
    for row in left_out:
        if remaining <= 0:
            break
        remaining -= _satisfaction_response(ctx, writer, row, remaining)
    if remaining:
        raise ValueError(f"Not enough attended séances for {remaining} more answers")


def _satisfaction_response(ctx: Context, writer: Writer, row, remaining: int) -> int:
    rng = ctx.rng
    beneficiary_id, seance_id, starts_at, mentor_id, programme_id = row
    questionnaire_id, questions = ctx.questionnaires[(programme_id, "satisfaction")]
    beneficiary = ctx.beneficiaries[beneficiary_id]
    at = min(ctx.now, starts_at + datetime.timedelta(hours=rng.randint(3, 48)))
    invitation_fields = {
        "questionnaire_id": questionnaire_id,
        "beneficiary_id": beneficiary_id,
        "seance_id": seance_id,
        "moment": SendMoment.AFTER_SEANCE,
        "expires_at": starts_at + datetime.timedelta(days=30),
    }
    if rng.random() < UNANSWERED / (1 + UNANSWERED):
        writer.invitation(**invitation_fields)
        return 0
    # Two or three answers, never leaving a remainder of one.
    size = 3 if remaining == 3 or (remaining >= 5 and rng.random() < 0.4) else 2
    invitation = writer.invitation(answered_at=at, **invitation_fields)
    response = _response(
        ctx, questionnaire_id, programme_id, beneficiary, mentor_id, Phase.NONE, at
    )
    response.seance_id = seance_id
    answers = [
        Answer(
            question_id=questions["satisfaction_overall"], value_number=rng.choice([3, 4, 4, 5, 5])
        ),
        Answer(
            question_id=questions["satisfaction_useful"], value_number=rng.choice([2, 3, 4, 5, 5])
        ),
    ]
    if size == 3:
        answers.append(
            Answer(
                question_id=questions["satisfaction_comment"],
                value_text=rng.choice(texts.SATISFACTION_COMMENTS),
            )
        )
    writer.response(response, answers, invitation)
    return size
