# Core: logging, memory, the command line and the pipeline glue.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/arena.c
  ${CMAKE_CURRENT_LIST_DIR}/cli.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_options.c
  ${CMAKE_CURRENT_LIST_DIR}/cli_specs.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_audit.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_checks.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_collect.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_runs.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_validate.c
  ${CMAKE_CURRENT_LIST_DIR}/outfile.c
  ${CMAKE_CURRENT_LIST_DIR}/evidence.c
  ${CMAKE_CURRENT_LIST_DIR}/finding.c
  ${CMAKE_CURRENT_LIST_DIR}/finding_cause.c
  ${CMAKE_CURRENT_LIST_DIR}/log.c
  ${CMAKE_CURRENT_LIST_DIR}/xalloc.c
  ${CMAKE_CURRENT_LIST_DIR}/infile.c
  ${CMAKE_CURRENT_LIST_DIR}/intern.c
  ${CMAKE_CURRENT_LIST_DIR}/signals.c)
