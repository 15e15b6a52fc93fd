from django.urls import path

from governance import views

urlpatterns = [
    path("boards/", views.board_list, name="boards"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:pk>/history/", views.board_history, name="board_history"),
    path("boards/<int:pk>/compare/", views.board_compare, name="board_compare"),
    path("boards/<int:pk>/as-of/", views.board_as_of, name="board_as_of"),
    path("boards/<int:pk>/restore/<int:revision>/", views.board_restore, name="board_restore"),
    path("boards/<int:pk>/terms/", views.terms_detail, name="terms"),
    path("boards/<int:pk>/terms/edit/", views.terms_edit, name="terms_edit"),
    path("boards/<int:pk>/terms/history/", views.terms_history, name="terms_history"),
    path("boards/<int:pk>/terms/compare/", views.terms_compare, name="terms_compare"),
    path("boards/<int:pk>/terms/versions/<int:version>/", views.terms_version, name="terms_version"),
    path("boards/<int:pk>/terms/as-of/", views.terms_as_of, name="terms_as_of"),
    path("boards/<int:pk>/terms/approve/", views.terms_agree, name="terms_agree"),
    path("boards/<int:pk>/terms/restore/<int:revision>/", views.terms_restore, name="terms_restore"),
]

# Included by config/urls.py under the "pdf" namespace, with agreements': "pdf:terms".
pdf_urlpatterns = [
    path("boards/<int:pk>/terms.pdf", views.terms_pdf_download, name="terms"),
]
