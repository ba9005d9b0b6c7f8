# Reports: the writers of every --format and the escaping they share.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/report.c
  ${CMAKE_CURRENT_LIST_DIR}/report_csv.c
  ${CMAKE_CURRENT_LIST_DIR}/report_escape.c
  ${CMAKE_CURRENT_LIST_DIR}/report_html.c
  ${CMAKE_CURRENT_LIST_DIR}/report_maintenance.c
  ${CMAKE_CURRENT_LIST_DIR}/report_json.c
  ${CMAKE_CURRENT_LIST_DIR}/report_junit.c
  ${CMAKE_CURRENT_LIST_DIR}/report_nagios.c
  ${CMAKE_CURRENT_LIST_DIR}/report_prometheus.c
  ${CMAKE_CURRENT_LIST_DIR}/report_svg.c
  ${CMAKE_CURRENT_LIST_DIR}/report_text.c
  ${CMAKE_CURRENT_LIST_DIR}/json_write.c
  ${CMAKE_CURRENT_LIST_DIR}/report_connection.c)
