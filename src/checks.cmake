# The model of the hierarchy (snapshot -> memory), the check registry and every check.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/model.c
  ${CMAKE_CURRENT_LIST_DIR}/model_load.c
  ${CMAKE_CURRENT_LIST_DIR}/model_health.c
  ${CMAKE_CURRENT_LIST_DIR}/model_connection.c
  ${CMAKE_CURRENT_LIST_DIR}/model_open.c
  ${CMAKE_CURRENT_LIST_DIR}/model_plan.c
  ${CMAKE_CURRENT_LIST_DIR}/checks.c
  ${CMAKE_CURRENT_LIST_DIR}/check_approvals.c
  ${CMAKE_CURRENT_LIST_DIR}/check_content.c
  ${CMAKE_CURRENT_LIST_DIR}/check_maintenance.c
  ${CMAKE_CURRENT_LIST_DIR}/check_server.c
  ${CMAKE_CURRENT_LIST_DIR}/check_source.c
  ${CMAKE_CURRENT_LIST_DIR}/check_sync.c
  ${CMAKE_CURRENT_LIST_DIR}/check_freshness.c
  ${CMAKE_CURRENT_LIST_DIR}/check_updates.c)
