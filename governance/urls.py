from django.urls import path

from documents.history_views import history_urlpatterns
from governance import meeting_views, section_views, views

urlpatterns = [
    path("boards/", views.board_list, name="boards"),
    path("boards/<int:pk>/", views.board_detail, name="board"),
    path("boards/<int:pk>/edit/", views.board_edit, name="board_edit"),
    path("boards/<int:pk>/meetings/", meeting_views.board_meetings, name="board_meetings"),
    *history_urlpatterns("boards/<int:pk>/", "board", views.load_board_document, agreed=False),
    path("boards/<int:pk>/terms/", views.terms_detail, name="terms"),
    path("boards/<int:pk>/terms/edit/", views.terms_edit, name="terms_edit"),
    path("boards/<int:pk>/terms/edit/<slug:section>/", section_views.terms_section_edit, name="terms_section_edit"),
    *history_urlpatterns("boards/<int:pk>/terms/", "terms", views.load_terms_document, agree_route="approve/"),
]

# Included by config/urls.py under the "pdf" namespace, with agreements': "pdf:terms".
pdf_urlpatterns = [
    path("boards/<int:pk>/terms.pdf", views.terms_pdf_download, name="terms"),
]
