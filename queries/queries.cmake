# The collector's T-SQL queries, embedded into the binary (one SELECT per file; see README.md).
list(APPEND SUSAUDIT_EMBED_FILES
  queries/schema_columns.sql
  queries/schema_version.sql
  queries/configuration.sql
  queries/languages.sql
  queries/categories.sql
  queries/updates.sql
  queries/update_categories.sql
  queries/update_languages.sql
  queries/approvals.sql
  queries/download_queue.sql
  queries/sync_events.sql
  queries/downstream_servers.sql)
# The BITS fix (`susaudit fix bits-foreground`): its read and its one UPDATE.
list(APPEND SUSAUDIT_EMBED_FILES
  queries/fix_bits_read.sql
  queries/fix_bits_update.sql)
# Maintenance health (issue 16): one SELECT per fact; a missing object or right is recorded.
list(APPEND SUSAUDIT_EMBED_FILES
  queries/superseded_count.sql
  queries/superseded_oldest.sql
  queries/custom_indexes.sql
  queries/index_fragmentation.sql
  queries/database_size.sql
  queries/table_rows.sql
  queries/stale_clients.sql
  queries/database_state.sql)
# Discovery and ConfigMgr's intent: the site database (`susaudit discover`, <configmgr>).
list(APPEND SUSAUDIT_EMBED_FILES
  queries/cm_sites.sql
  queries/cm_sites_table.sql
  queries/cm_sup_servers.sql
  queries/cm_sup_properties.sql
  queries/cm_sup_component.sql)
