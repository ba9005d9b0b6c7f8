# Data model files embedded into the binary.
list(APPEND SUSAUDIT_EMBED_FILES model/snapshot.sql)
list(APPEND SUSAUDIT_EMBED_FILES model/history.sql)
list(APPEND SUSAUDIT_EMBED_FILES model/hierarchy.xsd model/suppressions.xsd)
list(APPEND SUSAUDIT_EMBED_FILES model/snapshot_v1.sql)
# The export format (wid: servers on the Windows Internal Database, collected offline).
list(APPEND SUSAUDIT_EMBED_FILES model/export.xsd)
