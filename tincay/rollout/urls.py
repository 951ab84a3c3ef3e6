"""Pages of the rollout: the tracker and board (urls_board), the preliminary survey and training (urls_preparation)."""

from tincay.rollout import urls_board, urls_preparation

app_name = "rollout"

urlpatterns = [*urls_board.urlpatterns, *urls_preparation.urlpatterns]
