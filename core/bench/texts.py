"""French words the bench dataset is made of: names, places, titles, what people write."""

FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Emma", "Jade", "Louise", "Alice",
    "Nadia", "Amina", "Fatou", "Élodie", "Pauline", "Claire", "Sophie", "Julie", "Aïcha",
    "Mélanie", "Lucas", "Hugo", "Thomas", "Nathan", "Karim", "Youssef", "Mathieu", "Antoine",
    "Julien", "Mamadou", "Nicolas", "Olivier", "Samir", "Bastien", "Kevin", "Rémi", "Théo",
    "Loïc", "Mehdi", "François",
]  # fmt: skip
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert",
    "Bonnet", "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc",
    "Guerin", "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
    "Clement", "Gauthier", "Dumont", "Lopez", "Fontaine", "Chevalier", "Robin", "Masson",
    "Benali", "Haddad", "Diallo", "Amrani", "Traoré", "Nguyen", "Kaya", "Ferreira",
]  # fmt: skip
TERRITORIES = [
    ("Lyon", "69003"), ("Villeurbanne", "69100"), ("Vénissieux", "69200"),
    ("Créteil", "94000"), ("Vitry-sur-Seine", "94400"), ("Ivry-sur-Seine", "94200"),
    ("Marseille", "13003"), ("Lille", "59000"), ("Roubaix", "59100"), ("Nantes", "44000"),
    ("Rennes", "35000"), ("Toulouse", "31000"), ("Montpellier", "34000"),
    ("Strasbourg", "67000"), ("Grenoble", "38000"), ("Bordeaux", "33000"),
    ("Saint-Denis", "93200"), ("Clermont-Ferrand", "63000"), ("Dijon", "21000"),
    ("Besançon", "25000"),
]  # fmt: skip
STRUCTURE_WORDS = [
    "Les Jardins partagés", "Collectif", "Association", "Les Amis", "Atelier", "Maison",
    "Réseau", "Épicerie solidaire", "Ressourcerie", "Compagnie", "Café associatif",
    "Fabrique", "Repair café", "Les Voisins",
]  # fmt: skip
STRUCTURE_TOPICS = [
    "du quartier", "de la gare", "des Pentes", "du Vieux Bourg", "de la Roseraie", "des Tilleuls",
    "du Canal", "des Lilas", "du Plateau", "de la Source", "des Capucins", "du Moulin",
]  # fmt: skip
THEMES = [
    "Gouvernance", "Financement", "Communication", "Gestion de projet", "Bénévolat",
    "Partenariats", "Modèle économique", "Cadre juridique", "Évaluation d'impact",
    "Mobilisation des habitants",
]  # fmt: skip
PROGRAMME_NAMES = [
    "Fabrique des initiatives", "Parcours d'engagement", "Accélérateur solidaire",
    "Incubateur de quartier", "Cap projets", "Tremplin associatif", "Ruche des possibles",
    "Pépinière citoyenne",
]  # fmt: skip
# (kind, mode, title, duration in minutes, capacity); the first three are one-to-one.
OFFERS = [
    ("coaching", "individual", "Coaching de projet", 90, 1),
    ("individual_appointment", "individual", "Rendez-vous conseil", 60, 1),
    ("hotline", "individual", "Permanence téléphonique", 30, 1),
    ("workshop", "group", "Atelier d'échanges", 120, 12),
    ("training", "group", "Formation : monter son budget", 180, 15),
    ("codevelopment", "group", "Groupe de codéveloppement", 120, 8),
]
REASONS = [
    "Faire le point sur l'avancement du projet.",
    "Préparer le dossier de demande de subvention.",
    "Travailler la gouvernance du collectif.",
    "Relire le budget prévisionnel.",
    "Préparer la rencontre avec la mairie.",
    "Trouver des bénévoles pour l'été.",
]
CANCEL_REASONS = [
    "Empêchement de dernière minute",
    "Malade",
    "Conflit avec une réunion du collectif",
]
TOPICS = [
    "Lancement du projet",
    "Budget prévisionnel",
    "Gouvernance et rôles",
    "Recherche de financements",
    "Communication et réseaux",
    "Bilan d'étape",
]
RECORD_CONTENT = [
    "Nous avons listé les postes de dépenses et repéré deux financeurs possibles.",
    "Cartographie des parties prenantes ; la gouvernance reste à discuter.",
    "Argumentaire travaillé, questions probables de la mairie anticipées.",
    "Calendrier des six prochains mois posé, avec les étapes clés.",
]
NEXT_STEPS = [
    "Construire un premier budget prévisionnel sur un an.",
    "Organiser une réunion du collectif sur la gouvernance.",
    "Présenter le projet à l'élue à la vie associative.",
    "Écrire la fiche projet d'une page.",
]
TASK_TITLES = [
    "Écrire la fiche projet d'une page",
    "Appeler la CRESS pour le modèle de budget",
    "Fixer la réunion du collectif",
    "Relire les statuts de l'association",
    "Envoyer le budget avant le prochain rendez-vous",
    "Lister les partenaires à solliciter",
]
HOTLINE_ADVICE = [
    "Orientation vers un rendez-vous conseil.",
    "Explication des démarches de création d'association.",
    "Envoi du guide du budget prévisionnel.",
    "Mise en relation avec un partenaire du territoire.",
]
SATISFACTION_COMMENTS = [
    "Très clair, je repars avec une liste d'actions précises.",
    "J'aurais aimé plus de temps pour parler du budget.",
    "L'accompagnante a su reformuler mon projet mieux que moi.",
    "Les horaires en soirée m'arrangent beaucoup.",
]
STRENGTHS = [
    "L'écoute et la disponibilité de l'accompagnant.",
    "Les ateliers collectifs : on apprend des autres projets.",
    "Le plan d'action, qui m'a obligée à avancer entre les rendez-vous.",
]
IMPROVEMENTS = [
    "Des créneaux le samedi matin.",
    "Plus d'ateliers sur la recherche de financements.",
    "Moins de délai pour le premier rendez-vous.",
]
NOTIFICATION_SUBJECTS = {
    "appointment_confirmed": "Votre rendez-vous est confirmé",
    "appointment_reminder": "Rappel : votre rendez-vous approche",
    "appointment_cancelled": "Votre rendez-vous est annulé",
    "registration_confirmed": "Votre inscription est confirmée",
    "group_session_reminder": "Rappel : votre séance collective approche",
    "closing_report": "Le compte rendu de votre séance",
    "evaluation_invitation": "Votre avis sur l'accompagnement",
}
