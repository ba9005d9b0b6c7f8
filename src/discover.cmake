# Discovery and ConfigMgr's intent (issue 17): the site database, `susaudit discover`, the
# cm_* snapshot tables and the cm-* checks.
list(APPEND SUSAUDIT_LIB_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/site_db.c
  ${CMAKE_CURRENT_LIST_DIR}/discover_draft.c
  ${CMAKE_CURRENT_LIST_DIR}/discover_write.c
  ${CMAKE_CURRENT_LIST_DIR}/discover_compare.c
  ${CMAKE_CURRENT_LIST_DIR}/discover_probe.c
  ${CMAKE_CURRENT_LIST_DIR}/cmd_discover.c
  ${CMAKE_CURRENT_LIST_DIR}/collect_cm.c
  ${CMAKE_CURRENT_LIST_DIR}/model_cm.c
  ${CMAKE_CURRENT_LIST_DIR}/check_configmgr.c)
