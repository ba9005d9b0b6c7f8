/* tds_fault: injected faults and the batch log of the test server. */
#include "tds_fault.h"
#include "tds_buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void tds_fault_init(struct tds_fault *f)
{
	memset(f, 0, sizeof(*f));
	f->batch_log_fd = -1;
	pthread_mutex_init(&f->lock, NULL);
}

void tds_fault_release(struct tds_fault *f)
{
	if (f->batch_log_fd >= 0)
		close(f->batch_log_fd);
	f->batch_log_fd = -1;
	pthread_mutex_destroy(&f->lock);
}

int tds_fault_batch_error(struct tds_fault *f, const char *batch)
{
	int number = 0;

	if (!f->fail_pattern || !*f->fail_pattern || !strstr(batch, f->fail_pattern))
		return 0;
	pthread_mutex_lock(&f->lock);
	if (f->fail_used < f->fail_count) {
		f->fail_used++;
		number = f->fail_error;
	}
	pthread_mutex_unlock(&f->lock);
	return number;
}

int tds_fault_trickles(const struct tds_fault *f, const char *batch)
{
	if (f->trickle_ms <= 0)
		return 0;
	return !f->trickle_pattern || !*f->trickle_pattern || strstr(batch, f->trickle_pattern);
}

int tds_fault_drop_commit(struct tds_fault *f)
{
	int drop = 0;

	pthread_mutex_lock(&f->lock);
	if (f->commits_dropped < f->drop_after_commit) {
		f->commits_dropped++;
		drop = 1;
	}
	pthread_mutex_unlock(&f->lock);
	return drop;
}

int tds_fault_login_refused(struct tds_fault *f)
{
	int refuse;

	pthread_mutex_lock(&f->lock);
	f->logins_seen++;
	refuse = f->refuse_login_after > 0 && f->logins_seen > f->refuse_login_after;
	pthread_mutex_unlock(&f->lock);
	return refuse;
}

void tds_fault_log_batch(const struct tds_fault *f, unsigned conn, const char *batch)
{
	struct tds_buf b = {0};
	char num[16];
	const char *p;
	size_t off = 0;

	if (f->batch_log_fd < 0)
		return;
	snprintf(num, sizeof(num), "%u\t", conn);
	tds_buf_adds(&b, num);
	for (p = batch; *p; p++) {
		switch (*p) {
		case '\\':
			tds_buf_adds(&b, "\\\\");
			break;
		case '\n':
			tds_buf_adds(&b, "\\n");
			break;
		case '\r':
			tds_buf_adds(&b, "\\r");
			break;
		case '\t':
			tds_buf_adds(&b, "\\t");
			break;
		default:
			tds_buf_addc(&b, *p);
		}
	}
	tds_buf_addc(&b, '\n');
	/* O_APPEND: one write is one record, even with other connections logging */
	while (off < b.len) {
		ssize_t r = write(f->batch_log_fd, b.data + off, b.len - off);

		if (r <= 0)
			break;
		off += (size_t)r;
	}
	tds_buf_release(&b);
}

const char *tds_fault_error_text(int number, int spid, char *buf, size_t size, int *severity)
{
	switch (number) {
	case 1205:
		*severity = 13;
		snprintf(
		    buf, size,
		    "Transaction (Process ID %d) was deadlocked on lock resources with another "
		    "process and has been chosen as the deadlock victim. Rerun the transaction.",
		    spid);
		break;
	case 1222:
		*severity = 16;
		snprintf(buf, size, "Lock request time out period exceeded.");
		break;
	case 229:
		*severity = 14;
		snprintf(buf, size, "The SELECT permission was denied on the object.");
		break;
	case 300:
		/* what a login without VIEW DATABASE STATE gets from sys.dm_db_index_physical_stats */
		*severity = 14;
		snprintf(buf, size, "VIEW DATABASE STATE permission denied in database 'SUSDB'.");
		break;
	case 297:
		*severity = 16;
		snprintf(buf, size, "The user does not have permission to perform this action.");
		break;
	default:
		*severity = 16;
		snprintf(buf, size, "Injected error %d.", number);
		break;
	}
	return buf;
}
