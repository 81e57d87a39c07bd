from evaluation.routes import answers, dashboard, questionnaires

app_name = "evaluation"

urlpatterns = questionnaires.urlpatterns + answers.urlpatterns + dashboard.urlpatterns
