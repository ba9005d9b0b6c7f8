/* collect_queries: binds each embedded query to its snapshot table and its schema needs.
 * The column names are the queries' contract (queries/README.md): db_query() checks them. */
#include "collect_queries.h"

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

static const struct db_column probe_columns[] = {
	{"table_name", DB_KIND_TEXT},
	{"column_name", DB_KIND_TEXT},
};
static const char *const probe_needs[] = {NULL};

const struct collect_query collect_probe = {
	"schema_columns", EMBED_QUERIES_SCHEMA_COLUMNS_SQL, SNAP_TABLE_COUNT, probe_columns,
	COUNT(probe_columns), probe_needs, 1, 0};

static const struct db_column schema_version_columns[] = {
	{"component_name", DB_KIND_TEXT},
	{"build_number", DB_KIND_TEXT},
	{"schema_version", DB_KIND_INT},
};
static const char *const schema_version_needs[] = {
	"tbSchemaVersion.ComponentName", "tbSchemaVersion.BuildNumber",
	"tbSchemaVersion.SchemaVersion", NULL};

static const struct db_column configuration_columns[] = {
	{"server_id", DB_KIND_GUID},
	{"sync_to_mu", DB_KIND_INT},
	{"upstream_name", DB_KIND_TEXT},
	{"upstream_port", DB_KIND_INT},
	{"upstream_ssl", DB_KIND_INT},
	{"replica_mode", DB_KIND_INT},
	{"host_on_mu", DB_KIND_INT},
	{"lazy_sync", DB_KIND_INT},
	{"express_files", DB_KIND_INT},
	{"use_proxy", DB_KIND_INT},
	{"proxy_name", DB_KIND_TEXT},
	{"proxy_port", DB_KIND_INT},
	{"proxy_anonymous", DB_KIND_INT},
	{"proxy_user", DB_KIND_TEXT},
	{"proxy_domain", DB_KIND_TEXT},
	{"proxy_password_set", DB_KIND_INT},
	{"proxy_credentials_non_ssl", DB_KIND_INT},
	{"bits_foreground", DB_KIND_INT},
	{"content_path", DB_KIND_TEXT},
	{"all_languages", DB_KIND_INT},
	{"uss_host_on_mu", DB_KIND_INT},
	{"last_config_change", DB_KIND_TIME},
	{"mu_url", DB_KIND_TEXT},
};
static const char *const configuration_needs[] = {
	"tbConfigurationA.ConfigurationID",
	"tbConfigurationA.ServerID",
	"tbConfigurationA.SyncToMU",
	"tbConfigurationA.UpstreamServerName",
	"tbConfigurationA.ServerPortNumber",
	"tbConfigurationA.UpstreamServerUseSSL",
	"tbConfigurationA.HostOnMu",
	"tbConfigurationA.UseProxy",
	"tbConfigurationA.ProxyName",
	"tbConfigurationA.ProxyServerPort",
	"tbConfigurationA.AnonymousProxyAccess",
	"tbConfigurationA.ProxyUserName",
	"tbConfigurationA.ProxyPassword",
	"tbConfigurationA.LastConfigChange",
	"tbConfigurationB.ConfigurationID",
	"tbConfigurationB.LocalContentCacheLocation",
	"tbConfigurationB.ServerSupportsAllLanguages",
	"tbConfigurationB.MUUrl",
	"tbConfigurationC.ConfigurationID",
	"tbConfigurationC.ReplicaMode",
	"tbConfigurationC.LazySync",
	"tbConfigurationC.DownloadExpressPackages",
	"tbConfigurationC.ProxyUserDomain",
	"tbConfigurationC.AllowProxyCredentialsOverNonSsl",
	"tbConfigurationC.BitsDownloadPriorityForeground",
	"tbSingletonData.ID",
	"tbSingletonData.UssHostOnMu",
	NULL};

static const struct db_column language_columns[] = {
	{"language_id", DB_KIND_INT},
	{"short_language", DB_KIND_TEXT},
	{"enabled", DB_KIND_INT},
	{"uss_enabled", DB_KIND_INT},
};
static const char *const language_needs[] = {"tbLanguage.LanguageID", "tbLanguage.ShortLanguage",
					     "tbLanguage.Enabled", "tbLanguage.UssEnabled", NULL};

static const struct db_column category_columns[] = {
	{"category_guid", DB_KIND_GUID},
	{"category_type", DB_KIND_TEXT},
	{"title", DB_KIND_TEXT},
	{"subscribed", DB_KIND_INT},
};
static const char *const category_needs[] = {
	"tbCategory.CategoryID",
	"tbCategory.CategoryType",
	"tbUpdate.LocalUpdateID",
	"tbUpdate.UpdateID",
	"tbPrecomputedCategoryLocalizedProperty.CategoryID",
	"tbPrecomputedCategoryLocalizedProperty.ShortLanguage",
	"tbPrecomputedCategoryLocalizedProperty.Title",
	"tbCategoryInSubscription.CategoryID",
	NULL};

static const struct db_column update_columns[] = {
	{"update_guid", DB_KIND_GUID}, {"revision_number", DB_KIND_INT}, {"declined", DB_KIND_INT},
	{"state", DB_KIND_INT},	       {"title", DB_KIND_TEXT},		 {"kb", DB_KIND_TEXT},
	{"update_type", DB_KIND_TEXT},
};
/* the revision of each update every update query starts from */
#define LATEST_REVISION_NEEDS                                                                      \
	"tbUpdate.LocalUpdateID", "tbUpdate.UpdateID", "tbRevision.RevisionID",                    \
		"tbRevision.LocalUpdateID", "tbRevision.IsLatestRevision",                         \
		"tbProperty.RevisionID", "tbProperty.UpdateType"
static const char *const update_needs[] = {LATEST_REVISION_NEEDS,
					   "tbUpdate.IsHidden",
					   "tbRevision.RevisionNumber",
					   "tbRevision.State",
					   "tbPreComputedLocalizedProperty.RevisionID",
					   "tbPreComputedLocalizedProperty.ShortLanguage",
					   "tbPreComputedLocalizedProperty.Title",
					   "tbKBArticleForRevision.RevisionID",
					   "tbKBArticleForRevision.KBArticleID",
					   NULL};

static const struct db_column update_category_columns[] = {
	{"update_guid", DB_KIND_GUID},
	{"category_guid", DB_KIND_GUID},
};
static const char *const update_category_needs[] = {
	LATEST_REVISION_NEEDS,	      "tbRevisionInCategory.RevisionID",
	"tbRevisionInCategory.CategoryID", "tbCategory.CategoryID",
	"tbCategory.CategoryType",    NULL};

static const struct db_column update_language_columns[] = {
	{"update_guid", DB_KIND_GUID},
	{"language_id", DB_KIND_INT},
};
static const char *const update_language_needs[] = {
	LATEST_REVISION_NEEDS, "tbRevisionLanguage.RevisionID", "tbRevisionLanguage.LanguageID",
	NULL};

static const struct db_column approval_columns[] = {
	{"update_guid", DB_KIND_GUID},	  {"revision_number", DB_KIND_INT},
	{"group_guid", DB_KIND_GUID},	  {"group_name", DB_KIND_TEXT},
	{"action_id", DB_KIND_INT},	  {"deployment_status", DB_KIND_INT},
	{"deployment_time", DB_KIND_TIME}, {"admin_name", DB_KIND_TEXT},
};
static const char *const approval_needs[] = {
	"tbDeployment.RevisionID",	 "tbDeployment.TargetGroupID",
	"tbDeployment.TargetGroupTypeID", "tbDeployment.ActionID",
	"tbDeployment.DeploymentStatus", "tbDeployment.DeploymentTime",
	"tbDeployment.AdminName",	 "tbRevision.RevisionID",
	"tbRevision.LocalUpdateID",	 "tbRevision.RevisionNumber",
	"tbUpdate.LocalUpdateID",	 "tbUpdate.UpdateID",
	"tbTargetGroup.TargetGroupID",	 "tbTargetGroup.Name",
	NULL};

static const struct db_column download_queue_columns[] = {
	{"files", DB_KIND_INT},
	{"total_bytes", DB_KIND_INT},
	{"downloaded_bytes", DB_KIND_INT},
};
static const char *const download_queue_needs[] = {
	"tbFileDownloadProgress.TotalBytesForDownload", "tbFileDownloadProgress.BytesDownloaded",
	NULL};

static const struct db_column sync_event_columns[] = {
	{"event_id", DB_KIND_INT},    {"time_at_server", DB_KIND_TIME}, {"win32_hresult", DB_KIND_INT},
	{"message", DB_KIND_TEXT},    {"misc_data", DB_KIND_TEXT},
};
static const char *const sync_event_needs[] = {
	"tbEventInstance.EventID",	     "tbEventInstance.EventNamespaceID",
	"tbEventInstance.TimeAtServer",	     "tbEventInstance.Win32HResult",
	"tbEventInstance.ReplacementStrings", "tbEventInstance.MiscData",
	"tbEventInstance.EventOrdinalNumber", NULL};

static const struct db_column downstream_columns[] = {
	{"account_name", DB_KIND_TEXT}, {"account_server_id", DB_KIND_GUID},
	{"version", DB_KIND_TEXT},	{"is_replica", DB_KIND_INT},
	{"last_sync_time", DB_KIND_TIME},
};
static const char *const downstream_needs[] = {
	"tbDownstreamServerTarget.AccountName", "tbDownstreamServerTarget.AccountServerID",
	"tbDownstreamServerTarget.Version",	"tbDownstreamServerTarget.IsReplica",
	"tbDownstreamServerTarget.LastSyncTime", NULL};

/* Maintenance health (issue 16). These read views and catalog views the schema probe does
 * not list (vwMinimalUpdate, PUBLIC_VIEWS, sys.*): a missing object or right is recorded when
 * the query runs instead (collect_query.optional). */
static const char *const no_needs[] = {NULL};

static const struct db_column superseded_count_columns[] = {
	{"superseded", DB_KIND_INT},
	{"oldest_creation", DB_KIND_TIME},
};
static const struct db_column superseded_oldest_columns[] = {
	{"update_guid", DB_KIND_GUID},
	{"creation_date", DB_KIND_TIME},
	{"title", DB_KIND_TEXT},
	{"kb", DB_KIND_TEXT},
};
static const struct db_column custom_index_columns[] = {
	{"table_name", DB_KIND_TEXT},
	{"index_name", DB_KIND_TEXT},
	{"first_column", DB_KIND_TEXT},
};
static const struct db_column fragmentation_columns[] = {
	{"table_name", DB_KIND_TEXT},
	{"index_name", DB_KIND_TEXT},
	{"page_count", DB_KIND_INT},
	{"fragmentation_x100", DB_KIND_INT},
};
static const struct db_column database_size_columns[] = {
	{"data_kb", DB_KIND_INT},
	{"log_kb", DB_KIND_INT},
	{"engine_edition", DB_KIND_INT},
};
static const struct db_column table_rows_columns[] = {
	{"table_name", DB_KIND_TEXT},
	{"row_count", DB_KIND_INT},
};
static const struct db_column stale_clients_columns[] = {
	{"age_days", DB_KIND_INT},
	{"clients", DB_KIND_INT},
};
static const struct db_column database_state_columns[] = {
	{"state", DB_KIND_TEXT},
	{"user_access", DB_KIND_TEXT},
	{"owner_name", DB_KIND_TEXT},
	{"owner_sid_set", DB_KIND_INT},
};

#define QUERY(label, id, table, columns, needs, required)                                          \
	{label, EMBED_QUERIES_##id##_SQL, table, columns, COUNT(columns), needs, required, 0}
#define HEALTH_QUERY(label, id, table, columns)                                                    \
	{label, EMBED_QUERIES_##id##_SQL, table, columns, COUNT(columns), no_needs, 0, 1}

/* Configuration first: without it nothing else is worth reading. Largest results last. */
const struct collect_query collect_queries[] = {
	QUERY("configuration", CONFIGURATION, SNAP_CONFIGURATION, configuration_columns, configuration_needs, 1),
	QUERY("schema_version", SCHEMA_VERSION, SNAP_SCHEMA_VERSION, schema_version_columns, schema_version_needs, 0),
	QUERY("languages", LANGUAGES, SNAP_LANGUAGE, language_columns, language_needs, 0),
	QUERY("categories", CATEGORIES, SNAP_CATEGORY, category_columns, category_needs, 0),
	QUERY("download_queue", DOWNLOAD_QUEUE, SNAP_DOWNLOAD_QUEUE, download_queue_columns, download_queue_needs, 0),
	QUERY("sync_events", SYNC_EVENTS, SNAP_SYNC_EVENT, sync_event_columns, sync_event_needs, 0),
	QUERY("downstream_servers", DOWNSTREAM_SERVERS, SNAP_DOWNSTREAM_SERVER, downstream_columns, downstream_needs, 0),
	QUERY("approvals", APPROVALS, SNAP_APPROVAL, approval_columns, approval_needs, 0),
	QUERY("updates", UPDATES, SNAP_UPDATE_REVISION, update_columns, update_needs, 0),
	QUERY("update_languages", UPDATE_LANGUAGES, SNAP_UPDATE_LANGUAGE, update_language_columns,
	      update_language_needs, 0),
	QUERY("update_categories", UPDATE_CATEGORIES, SNAP_UPDATE_CATEGORY, update_category_columns,
	      update_category_needs, 0),
	HEALTH_QUERY("superseded_count", SUPERSEDED_COUNT, SNAP_HEALTH_SUPERSEDED, superseded_count_columns),
	HEALTH_QUERY("superseded_oldest", SUPERSEDED_OLDEST, SNAP_HEALTH_SUPERSEDED_UPDATE,
		     superseded_oldest_columns),
	HEALTH_QUERY("custom_indexes", CUSTOM_INDEXES, SNAP_HEALTH_INDEX, custom_index_columns),
	HEALTH_QUERY("index_fragmentation", INDEX_FRAGMENTATION, SNAP_HEALTH_FRAGMENTATION,
		     fragmentation_columns),
	HEALTH_QUERY("database_size", DATABASE_SIZE, SNAP_HEALTH_DATABASE_SIZE, database_size_columns),
	HEALTH_QUERY("table_rows", TABLE_ROWS, SNAP_HEALTH_TABLE_ROWS, table_rows_columns),
	HEALTH_QUERY("stale_clients", STALE_CLIENTS, SNAP_HEALTH_CLIENT_AGE, stale_clients_columns),
	HEALTH_QUERY("database_state", DATABASE_STATE, SNAP_HEALTH_DATABASE_STATE, database_state_columns),
};

const size_t collect_nqueries = COUNT(collect_queries);
