# Collect: db-lib connections, the snapshot writer and the parallel collector.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/dbsource.c
  ${CMAKE_CURRENT_LIST_DIR}/dbsource_tls.c
  ${CMAKE_CURRENT_LIST_DIR}/dbsource_browser.c
  ${CMAKE_CURRENT_LIST_DIR}/snapshot.c
  ${CMAKE_CURRENT_LIST_DIR}/collect.c
  ${CMAKE_CURRENT_LIST_DIR}/collect_queries.c
  ${CMAKE_CURRENT_LIST_DIR}/progress.c
  ${CMAKE_CURRENT_LIST_DIR}/sha256.c
  ${CMAKE_CURRENT_LIST_DIR}/snapshot_migrate.c
  ${CMAKE_CURRENT_LIST_DIR}/snapshot_pack.c
  ${CMAKE_CURRENT_LIST_DIR}/snapshot_unpack.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_snapshot.c)
# Exports (wid): the offline format, its writer (--export-dir) and its importer (export=).
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/export_value.c
  ${CMAKE_CURRENT_LIST_DIR}/export_write.c
  ${CMAKE_CURRENT_LIST_DIR}/export_read.c
  ${CMAKE_CURRENT_LIST_DIR}/export_snapshot.c)
