"""The four questionnaires shipped with the platform, as data.

They are French content stored in the database (not translated interface strings): every
coordinator reads them and copies them into a programme. Their question codes are stable, so
statistics compare the same question across programmes (see docs: issue 7, shared facts)."""

from typing import Any

# Plain strings rather than the enums: a data migration passes historical models, and the
# stored values are what matters here.
SCALE, NPS, SINGLE, YES_NO, TEXT = "scale", "nps", "single", "yes_no", "text"

DEFAULT_QUESTIONNAIRES: list[dict[str, Any]] = [
    {
        "default_key": "satisfaction",
        "title": "Satisfaction après une séance",
        "introduction": (
            "Quelques secondes pour nous dire comment s'est passée cette séance. "
            "Vos réponses nous aident à améliorer l'accompagnement."
        ),
        "purpose": "satisfaction",
        "send_moment": "after_seance",
        "questions": [
            {
                "code": "satisfaction_overall",
                "kind": SCALE,
                "label": "Dans l'ensemble, êtes-vous satisfait·e de cette séance ?",
                "help_text": "1 = pas du tout satisfait·e, 5 = très satisfait·e",
            },
            {
                "code": "satisfaction_useful",
                "kind": SCALE,
                "label": "Cette séance vous a-t-elle été utile pour votre projet ?",
                "help_text": "1 = pas du tout utile, 5 = très utile",
            },
            {
                "code": "satisfaction_comment",
                "kind": TEXT,
                "label": "Que souhaitez-vous nous dire sur cette séance ?",
                "required": False,
            },
        ],
    },
    {
        "default_key": "progress",
        "title": "Auto-évaluation de vos avancées",
        "introduction": (
            "Pour chacun des besoins identifiés lors de votre diagnostic, dites-nous où vous en "
            "êtes aujourd'hui. Les mêmes questions vous sont posées au début, à mi-parcours et "
            "à la fin de l'accompagnement, pour mesurer le chemin parcouru."
        ),
        "purpose": "progress",
        "send_moment": "manual",
        "questions": [
            {
                "code": "need_progress",
                "kind": SCALE,
                "label": "Où en êtes-vous aujourd'hui sur ce besoin ?",
                "help_text": "1 = pas du tout commencé, 5 = besoin entièrement satisfait",
                "per_need": True,
            },
            {
                "code": "progress_comment",
                "kind": TEXT,
                "label": "Souhaitez-vous ajouter quelque chose sur votre progression ?",
                "required": False,
            },
        ],
    },
    {
        "default_key": "end_of_programme",
        "title": "Évaluation de fin de programme",
        "introduction": (
            "Votre accompagnement se termine : merci de prendre quelques minutes pour nous dire "
            "ce que vous en retenez."
        ),
        "purpose": "end_of_programme",
        "send_moment": "programme_end",
        "questions": [
            {
                "code": "nps",
                "kind": NPS,
                "label": (
                    "Quelle est la probabilité que vous recommandiez ce programme à une "
                    "personne dans votre situation ?"
                ),
                "help_text": "0 = pas du tout probable, 10 = très probable",
            },
            {
                "code": "objectives_met",
                "kind": YES_NO,
                "label": "L'accompagnement a-t-il répondu à vos attentes ?",
            },
            {
                "code": "most_useful",
                "kind": SINGLE,
                "label": "Qu'est-ce qui vous a été le plus utile ?",
                "choices": [
                    "Rendez-vous individuels",
                    "Ateliers collectifs",
                    "Codéveloppement",
                    "Orientations vers des partenaires",
                ],
            },
            {
                "code": "strengths",
                "kind": TEXT,
                "label": "Qu'est-ce qui a le mieux fonctionné ?",
            },
            {
                "code": "improvements",
                "kind": TEXT,
                "label": "Que devrions-nous améliorer ?",
            },
        ],
    },
    {
        "default_key": "mentor_assessment",
        "title": "Appréciation de l'accompagnant·e",
        "introduction": (
            "À remplir par l'accompagnant·e : la progression de la personne accompagnée sur "
            "chacun des besoins identifiés lors de son diagnostic."
        ),
        "purpose": "mentor_assessment",
        "send_moment": "manual",
        "questions": [
            {
                "code": "mentor_need_progress",
                "kind": SCALE,
                "label": "Quelle progression la personne a-t-elle faite sur ce besoin ?",
                "help_text": "1 = aucune avancée, 5 = besoin entièrement satisfait",
                "per_need": True,
            },
            {
                "code": "mentor_comment",
                "kind": TEXT,
                "label": "Commentaire",
                "required": False,
            },
        ],
    },
]

QUESTIONNAIRE_FIELDS = ("title", "introduction", "purpose", "send_moment")


def _question_values(data: dict[str, Any], position: int) -> dict[str, Any]:
    return {
        "position": position,
        "kind": data["kind"],
        "label": data["label"],
        "help_text": data.get("help_text", ""),
        "choices": list(data.get("choices", [])),
        "required": data.get("required", True),
        "per_need": data.get("per_need", False),
    }


def ensure_default_questionnaires(Questionnaire, Question) -> int:
    """Create or bring up to date the shipped defaults; returns how many were created.

    Takes the model classes so a data migration can pass its historical models. Safe to run
    again: defaults are found by `default_key`, their questions by `code`. A question dropped
    from the data is deleted only if nobody answered it (answers protect their question)."""
    created_count = 0
    for data in DEFAULT_QUESTIONNAIRES:
        values = {name: data[name] for name in QUESTIONNAIRE_FIELDS}
        questionnaire = Questionnaire.objects.filter(default_key=data["default_key"]).first()
        if questionnaire is None:
            questionnaire = Questionnaire.objects.create(
                default_key=data["default_key"],
                organization=None,
                programme=None,
                is_active=True,
                **values,
            )
            created_count += 1
        else:
            changed = [
                name for name, value in values.items() if getattr(questionnaire, name) != value
            ]
            for name in changed:
                setattr(questionnaire, name, values[name])
            if questionnaire.organization_id or questionnaire.programme_id:
                # A default belongs to nobody (someone moved it by hand): put it back.
                questionnaire.organization_id = questionnaire.programme_id = None
                changed += ["organization", "programme"]
            if changed:
                questionnaire.save(update_fields=changed)
        existing = {question.code: question for question in questionnaire.questions.all()}
        for position, question_data in enumerate(data["questions"]):
            question_values = _question_values(question_data, position)
            question = existing.pop(question_data["code"], None)
            if question is None:
                Question.objects.create(
                    questionnaire=questionnaire, code=question_data["code"], **question_values
                )
                continue
            changed = [
                name for name, value in question_values.items() if getattr(question, name) != value
            ]
            for name in changed:
                setattr(question, name, question_values[name])
            if changed:
                question.save(update_fields=changed)
        Question.objects.filter(
            pk__in=[question.pk for question in existing.values()], answers__isnull=True
        ).delete()
    return created_count
