# History: the audit store (--store, `susaudit history`) and the BITS fix (`susaudit fix`).
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/bitsfix.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_fix.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_history.c
  ${CMAKE_CURRENT_LIST_DIR}/history.c
  ${CMAKE_CURRENT_LIST_DIR}/history_prune.c)
