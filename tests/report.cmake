# Report writer tests: golden files in tests/golden (regenerate with SUSAUDIT_UPDATE_GOLDEN=1).
susaudit_add_test(test_report_escape
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_escape.c
  LABELS report TIMEOUT 60)
susaudit_add_test(test_report
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_fixture.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_json_check.c
  LABELS report TIMEOUT 120)
# The formats monitoring reads: prometheus golden and syntax, nagios and --quiet.
susaudit_add_test(test_monitoring
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_monitoring.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_fixture.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_json_check.c
  LIBS fixture_support LABELS report TIMEOUT 120)
# Stable finding ids: the documented hash, pinned.
susaudit_add_test(test_finding_id
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_finding_id.c LABELS report TIMEOUT 30)
# The text report at 80 columns, on a terminal, and wrapped at word boundaries.
susaudit_add_test(test_report_width
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_width.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_fixture.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_json_check.c
  LIBS fixture_support LABELS report TIMEOUT 120)
# The HTML report of a plan and of unread servers; evidence tables.
susaudit_add_test(test_report_html_plan
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_html_plan.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_fixture.c
          ${CMAKE_CURRENT_LIST_DIR}/unit/test_report_json_check.c
  LABELS report TIMEOUT 60)
# One cause, one story: findings linked to the finding that explains them.
susaudit_add_test(test_finding_cause
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/unit/test_finding_cause.c
  LIBS fixture_support LABELS report TIMEOUT 120)
