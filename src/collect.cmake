# Collect: db-lib connections, the snapshot writer and the parallel collector.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/dbsource.c
  ${CMAKE_CURRENT_LIST_DIR}/dbsource_tls.c
  ${CMAKE_CURRENT_LIST_DIR}/dbsource_browser.c
  ${CMAKE_CURRENT_LIST_DIR}/snapshot.c
  ${CMAKE_CURRENT_LIST_DIR}/collect.c
  ${CMAKE_CURRENT_LIST_DIR}/collect_queries.c
  ${CMAKE_CURRENT_LIST_DIR}/progress.c)
