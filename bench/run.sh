#!/usr/bin/env bash
# bench/run.sh: generates a large WSUS hierarchy, serves it over TDS and measures collect, the
# bsqldb reference, the audit, the sqlite3 shell's EXCEPT, scaling and breadth (bench/README.md).
set -euo pipefail

usage() {
	cat <<'EOF'
usage: bench/run.sh [--smoke] [--runs N] [--json FILE] [--build DIR] [--out DIR]
                    [--updates N] [--scale-updates N] [--skip-scaling] [--skip-breadth]
                    [--baseline DIR]
  --smoke         a tiny hierarchy (1,000 updates per server): proves the benchmark works
  --runs N        runs of the audit, sqlite3 and bsqldb figures; the median is reported
                  (default 5)
  --collect-runs N  runs of each whole-hierarchy collect (default 1; 3 for a median when
                  time allows)
  --json FILE     also write the figures as JSON
  --build DIR     a Release build of susaudit (default build-bench, configured and built
                  when missing)
  --out DIR       generated SUSDBs and snapshots (cached between runs, keyed on the
                  generator and susaudit binaries; stale entries are removed) and work files
                  (default bench/out)
  --updates N     updates per SUSDB of the 16-server hierarchy (default 50000, which keeps
                  the default run under 10 minutes on 2 cores; 250000 is the size figure of
                  issue 13 and takes about 12 minutes more; files, approvals scale with it)
  --scale-updates N  updates per SUSDB of the scaling chain at 1x (default 100000; 2x and 4x
                  are twice and four times that)
  --baseline DIR  also measure a Release build of an earlier susaudit in DIR (DIR/src/susaudit)
                  in the same run: its collect --jobs 1, snapshot size, audit, and store growth
                  (the before column of a format change)
EOF
}

# the whole run, build included, is what "the default run takes" means
BENCH_START=$EPOCHREALTIME
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# median of numbers on stdin
median() { sort -g | awk '{v[NR]=$1} END {if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2]+v[NR/2+1])/2}'; }
calc() { awk "BEGIN {printf \"%.${2:-2}f\", $1}"; }
log() { echo "bench: [$(calc "$EPOCHREALTIME - $BENCH_START" 0) s] $*" >&2; }
BUILD=$ROOT/build-bench
OUT=$ROOT/bench/out
RUNS=5
COLLECT_RUNS=1
JSON=
SMOKE=0
UPDATES=50000
SCALE_UPDATES=100000
SCALING=1
BREADTH=1
BASELINE=
while [ $# -gt 0 ]; do
	case $1 in
	--smoke) SMOKE=1 ;;
	--runs) RUNS=$2; shift ;;
	--collect-runs) COLLECT_RUNS=$2; shift ;;
	--json) JSON=$2; shift ;;
	--build) BUILD=$2; shift ;;
	--out) OUT=$2; shift ;;
	--updates) UPDATES=$2; shift ;;
	--scale-updates) SCALE_UPDATES=$2; shift ;;
	--skip-scaling) SCALING=0 ;;
	--skip-breadth) BREADTH=0 ;;
	--baseline) BASELINE=$2; shift ;;
	-h | --help) usage; exit 0 ;;
	*) echo "bench: unknown option '$1'" >&2; usage >&2; exit 1 ;;
	esac
	shift
done
BREADTH_UPDATES=50000
BREADTH_SERVERS=200
if [ $SMOKE = 1 ]; then
	UPDATES=1000
	SCALE_UPDATES=1000
	BREADTH_UPDATES=500
	BREADTH_SERVERS=30
	RUNS=1
fi
for tool in bsqldb sqlite3 /usr/bin/time cmake; do
	command -v $tool >/dev/null || { echo "bench: '$tool' is missing (apt-get install -y freetds-bin sqlite3 time cmake)" >&2; exit 1; }
done

# --- build ---------------------------------------------------------------------------------
# always built: an incremental build is quick, and figures of a stale binary would mislead
log "building a Release susaudit in $BUILD"
[ -f "$BUILD/CMakeCache.txt" ] || cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build "$BUILD" -j2 --target susaudit susdb-tds-server susdb-gen bench-queries >/dev/null
SUSAUDIT=$BUILD/src/susaudit
GEN=$BUILD/tests/susdb-gen
TDS=$BUILD/tests/tdsserver/susdb-tds-server
QUERIES=$BUILD/tests/bench-queries

mkdir -p "$OUT"
# Cached files are keyed on the binaries that made them: SUSDBs on the generator (its schema
# is compiled in), snapshots on the generator and susaudit. A cache of another build gave
# figures of data the current code would not write; such entries are removed, not reused.
GEN_KEY=$(md5sum <"$GEN" | cut -c1-8)
SNAP_KEY=$GEN_KEY$(md5sum <"$SUSAUDIT" | cut -c1-8)
# Only the names this script gives are touched: --out may be a folder that holds other files.
for stale in "$OUT"/susdb-* "$OUT"/snapshot-*.db "$OUT"/v1ref-*.db "$OUT"/chain-*.db \
	"$OUT"/breadth-*.db; do
	[ -e "$stale" ] || continue
	case ${stale##*/} in
	susdb-$GEN_KEY-* | *-$SNAP_KEY.db) ;;
	*) log "removing ${stale##*/} from the cache (made by another build)"; rm -rf "$stale" ;;
	esac
done
WORK=$(mktemp -d "$OUT/work.XXXXXX")
PIDS=()
cleanup() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	rm -rf "$WORK"
}
trap cleanup EXIT
export SUSAUDIT_BENCH_PASSWORD=Bench-Secret-123

# --- the hierarchy: CAS, P01-P03 (sup1 first, sup2 replica, web internet replica), S01-S06 ---
# name role upstream replica approval-seed
SERVERS=(
	"cas-sup1.contoso.com top - 0 10"
	"p01-sup1.contoso.com first cas-sup1.contoso.com:8531:ssl 0 11"
	"p01-sup2.contoso.com other p01-sup1.contoso.com:8530 1 11"
	"p01-web.contoso.com internet p01-sup1.contoso.com:8530 1 11"
	"s01-sup1.contoso.com secondary p01-sup1.contoso.com:8530 1 11"
	"s02-sup1.contoso.com secondary p01-sup1.contoso.com:8530 1 11"
	"p02-sup1.contoso.com first cas-sup1.contoso.com:8531:ssl 0 12"
	"p02-sup2.contoso.com other p02-sup1.contoso.com:8530 1 12"
	"p02-web.contoso.com internet p02-sup1.contoso.com:8530 1 12"
	"s03-sup1.contoso.com secondary p02-sup1.contoso.com:8530 1 12"
	"s04-sup1.contoso.com secondary p02-sup1.contoso.com:8530 1 12"
	"p03-sup1.contoso.com first cas-sup1.contoso.com:8531:ssl 0 13"
	"p03-sup2.contoso.com other p03-sup1.contoso.com:8530 1 13"
	"p03-web.contoso.com internet p03-sup1.contoso.com:8530 1 13"
	"s05-sup1.contoso.com secondary p03-sup1.contoso.com:8530 1 13"
	"s06-sup1.contoso.com secondary p03-sup1.contoso.com:8530 1 13"
)

# A deterministic ServerID per server name.
server_id() {
	local h
	h=$(printf '%s' "$1" | md5sum | tr a-f A-F)
	echo "${h:0:8}-${h:8:4}-4${h:13:3}-8${h:17:3}-${h:20:12}"
}

# gen_susdb NAME UPSTREAM REPLICA APPROVAL_SEED UPDATES OUTFILE
gen_susdb() {
	local name=$1 up=$2 replica=$3 aseed=$4 n=$5 file=$6 args=()
	if [ -s "$file" ]; then return 0; fi
	args=(--out "$file" --seed 5 --approval-seed "$aseed" --updates "$n"
		--files $((n * 8 / 5)) --approvals $((n * 3 / 25)) --groups 10 --languages 20
		--enabled-languages en,ja --server-name "$name" --server-id "$(server_id "$name")"
		--now '2026-11-22 00:00:00' --sync-days 30 --quiet)
	if [ "$up" = - ]; then
		args+=(--upstream none)
	else
		# a downstream holds 95% of the catalogue, nested inside its upstream's
		args+=(--upstream "$up" --subset-pct 95)
	fi
	if [ "$replica" = 1 ]; then args+=(--replica); fi
	local s other oname oup orepl
	for s in "${SERVERS[@]}"; do
		read -r oname _ oup orepl _ <<<"$s"
		other=${oup%%:*}
		if [ "$other" = "$name" ]; then
			args+=(--downstream "$oname:$(server_id "$oname")$(if [ "$orepl" = 1 ]; then echo :replica; fi)")
		fi
	done
	"$GEN" "${args[@]}"
}

# generate SCALE_DIR N NAMES...: the SUSDBs of the named servers (two at a time)
generate() {
	local dir=$1 n=$2 s name role up replica aseed p gpids=()
	shift 2
	mkdir -p "$dir"
	for s in "${SERVERS[@]}"; do
		read -r name role up replica aseed <<<"$s"
		case " $* " in *" $name "*) ;; *) continue ;; esac
		[ -s "$dir/$name.db" ] && continue
		gen_susdb "$name" "$up" "$replica" "$aseed" "$n" "$dir/$name.db" &
		gpids+=($!)
		if [ ${#gpids[@]} -ge 2 ]; then
			wait "${gpids[0]}"
			gpids=("${gpids[@]:1}")
		fi
	done
	for p in "${gpids[@]}"; do wait "$p"; done
}

# serve DIR NAMES...: starts one TDS server per SUSDB; sets PORT_<index>
declare -A PORT
serve() {
	local dir=$1 name pf
	shift
	for name in "$@"; do
		pf=$WORK/$name.port
		rm -f "$pf"
		"$TDS" --db "$dir/$name.db" --port-file "$pf" --password-env SUSAUDIT_BENCH_PASSWORD \
			>"$WORK/$name.tds.log" 2>&1 &
		PIDS+=($!)
		while [ ! -s "$pf" ]; do sleep 0.1; done
		PORT[$name]=$(cat "$pf")
	done
}

stop_servers() {
	local p
	for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
	PIDS=()
}

# hierarchy_xml NAMES...: the hierarchy file of those servers (sites as in SERVERS)
hierarchy_xml() {
	local want=" $* " s name role up site
	echo '<?xml version="1.0" encoding="UTF-8"?>'
	echo '<hierarchy xmlns="urn:susaudit:hierarchy:1" name="Bench">'
	echo '  <defaults database="SUSDB" user="susaudit" password-env="SUSAUDIT_BENCH_PASSWORD"'
	echo '            encryption="off" login-timeout="10" query-timeout="900"/>'
	echo '  <site code="CAS" type="cas">'
	for s in "${SERVERS[@]}"; do
		read -r name role up _ <<<"$s"
		case $want in *" $name "*) ;; *) continue ;; esac
		case $role in
		top) echo "    <server name=\"$name\" port=\"8531\" ssl=\"true\" wsus-version=\"10.0.17763.1\" sql=\"127.0.0.1:${PORT[$name]}\"/>" ;;
		first)
			if [ -n "${site:-}" ]; then echo "    </site>"; fi
			site=P${name:1:2}
			echo "    <site code=\"$site\" type=\"primary\">"
			echo "      <server name=\"$name\" port=\"8530\" sql=\"127.0.0.1:${PORT[$name]}\"/>" ;;
		other) echo "      <server name=\"$name\" port=\"8530\" sql=\"127.0.0.1:${PORT[$name]}\"/>" ;;
		internet) echo "      <server name=\"$name\" port=\"8531\" ssl=\"true\" internet=\"true\" sql=\"127.0.0.1:${PORT[$name]}\"/>" ;;
		secondary)
			echo "      <site code=\"S${name:1:2}\" type=\"secondary\">"
			echo "        <server name=\"$name\" port=\"8530\" sql=\"127.0.0.1:${PORT[$name]}\"/>"
			echo "      </site>" ;;
		esac
	done
	if [ -n "${site:-}" ]; then echo "    </site>"; fi
	echo '  </site>'
	echo '</hierarchy>'
}

# timed FILE CMD...: runs CMD under /usr/bin/time; FILE gets "wall user sys maxrss_kb". The
# wall time is bash's microsecond clock around it: time's %e has 10 ms steps, too coarse for
# an audit of 0.05 s
timed() {
	local f=$1 rc=0 t0 t1 u s m
	shift
	t0=$EPOCHREALTIME
	/usr/bin/time -f "%e %U %S %M" -o "$f" "$@" || rc=$?
	t1=$EPOCHREALTIME
	# the audit exits 2 when it has findings: that is a completed run
	if [ $rc -ne 0 ] && [ $rc -ne 2 ]; then
		log "failed ($rc): $*"
		tail -5 "$f" >&2
		return 1
	fi
	read -r _ u s m < <(tail -1 "$f")
	echo "$(calc "$t1 - $t0" 4) $u $s $m" >"$f"
}


# snapshot_rows SNAPSHOT: rows the collector read (all servers of the latest run)
snapshot_rows() { sqlite3 "$1" "SELECT SUM(rows_read) FROM server WHERE run_id = (SELECT MAX(run_id) FROM run)"; }

# collect_bench HIERARCHY JOBS PREFIX: median rows/s and client CPU s per million rows
collect_bench() {
	local h=$1 jobs=$2 p=$3 i snap rows wall cpu
	: >"$WORK/$p.walls"
	: >"$WORK/$p.cpus"
	for i in $(seq "$COLLECT_RUNS"); do
		snap=$WORK/$p.db
		rm -f "$snap" "$snap-wal" "$snap-shm"
		timed "$WORK/$p.t" "$SUSAUDIT" collect "$h" -o "$snap" --jobs "$jobs" 2>>"$WORK/collect.log"
		rows=$(snapshot_rows "$snap")
		read -r wall u s _ <"$WORK/$p.t"
		echo "$wall" >>"$WORK/$p.walls"
		calc "($u + $s) * 1000000 / $rows" 3 >>"$WORK/$p.cpus"
		echo >>"$WORK/$p.cpus"
	done
	echo "$rows $(median <"$WORK/$p.walls") $(median <"$WORK/$p.cpus")"
}

# bsqldb_bench NAMES...: the collect queries through bsqldb for every server, two at a time;
# prints the median client CPU (user+sys of all bsqldb processes) per million rows
bsqldb_bench() {
	local rows=$1 name i total p
	shift
	"$QUERIES" >"$WORK/queries.sql"
	: >"$WORK/bsqldb.cpus"
	for i in $(seq "$RUNS"); do
		local bpids=()
		for name in "$@"; do
			printf '[bench]\n\thost = 127.0.0.1\n\tport = %s\n\ttds version = 7.4\n\tclient charset = UTF-8\n' \
				"${PORT[$name]}" >"$WORK/$name.conf"
			# the password on standard input, never on the command line
			(printf '%s\n' "$SUSAUDIT_BENCH_PASSWORD" |
				FREETDSCONF=$WORK/$name.conf /usr/bin/time -f "%e %U %S %M" -o "$WORK/$name.bt" \
					bsqldb -q -t '\t' -S bench -U susaudit -D SUSDB -i "$WORK/queries.sql" \
					>/dev/null 2>"$WORK/$name.berr") &
			bpids+=($!)
			# two at a time; wait for our own children only (the TDS servers run too)
			if [ ${#bpids[@]} -ge 2 ]; then
				wait "${bpids[0]}"
				bpids=("${bpids[@]:1}")
			fi
		done
		for p in "${bpids[@]}"; do wait "$p"; done
		total=0
		for name in "$@"; do
			read -r _ u s _ < <(tail -1 "$WORK/$name.bt")
			total=$(calc "$total + $u + $s" 3)
		done
		calc "$total * 1000000 / $rows" 3 >>"$WORK/bsqldb.cpus"
		echo >>"$WORK/bsqldb.cpus"
	done
	median <"$WORK/bsqldb.cpus"
}

# audit_bench SNAPSHOT PREFIX: median wall seconds and peak RSS (MiB) of a whole audit
# audit_once SNAPSHOT PREFIX: one audit; appends its wall seconds and peak RSS (MiB) to
# PREFIX.walls and PREFIX.rss
audit_once() {
	local snap=$1 p=$2 wall rss
	timed "$WORK/$p.t" "$SUSAUDIT" audit --snapshot "$snap" --format json -o "$WORK/$p.json" --quiet
	read -r wall _ _ rss <"$WORK/$p.t"
	echo "$wall" >>"$WORK/$p.walls"
	calc "$rss / 1024" 1 >>"$WORK/$p.rss"
	echo >>"$WORK/$p.rss"
}

# audit_medians PREFIX: the median wall seconds and peak RSS of the runs audit_once recorded
audit_medians() { echo "$(median <"$WORK/$1.walls") $(median <"$WORK/$1.rss")"; }

audit_bench() {
	local snap=$1 p=$2 i
	: >"$WORK/$p.walls"
	: >"$WORK/$p.rss"
	for i in $(seq "$RUNS"); do audit_once "$snap" "$p"; done
	audit_medians "$p"
}

# except_sql SNAPSHOT: one EXCEPT query per upstream/downstream link of the hierarchy
except_sql() {
	local snap=$1 s name up
	for s in "${SERVERS[@]}"; do
		read -r name _ up _ <<<"$s"
		[ "$up" = - ] && continue
		up=${up%%:*}
		cat <<EOF
SELECT '$name', COUNT(*) FROM (
  SELECT u.update_guid FROM update_revision u
  WHERE u.server_key = (SELECT server_key FROM server WHERE name = '$name' AND run_id = (SELECT MAX(run_id) FROM run))
    AND u.declined = 0
    AND (u.state IN (4, 7, 8) OR EXISTS (SELECT 1 FROM approval a WHERE a.server_key = u.server_key
         AND a.update_guid = u.update_guid AND a.action_id IN (0, 1)))
  EXCEPT
  SELECT v.update_guid FROM update_revision v
  WHERE v.server_key = (SELECT server_key FROM server WHERE name = '$up' AND run_id = (SELECT MAX(run_id) FROM run)));
EOF
	done
}

except_bench() {
	local snap=$1 i
	except_sql "$snap" >"$WORK/except.sql"
	: >"$WORK/except.walls"
	for i in $(seq "$RUNS"); do
		timed "$WORK/except.t" sqlite3 "$snap" ".read $WORK/except.sql" >"$WORK/except.out"
		read -r wall _ _ _ <"$WORK/except.t"
		echo "$wall" >>"$WORK/except.walls"
	done
	median <"$WORK/except.walls"
}

# v1_reference SNAPSHOT OUT: format 1's update_revision and approval tables (the columns the
# EXCEPT reads) from a format-2 snapshot, through `susaudit snapshot show`: the sqlite3 shell
# cannot read packs, and the DBA's query is measured on the layout it was written for
v1_reference() {
	local snap=$1 out=$2
	rm -f "$out"
	sqlite3 "$snap" ".backup '$out'"
	if [ "$(sqlite3 "$out" "SELECT COUNT(*) FROM sqlite_master WHERE name = 'update_revision'")" = 1 ]; then
		return 0 # a format-1 snapshot already
	fi
	"$SUSAUDIT" snapshot show "$snap" update_revision | tail -n +2 | cut -f1-5 >"$WORK/ur.tsv"
	"$SUSAUDIT" snapshot show "$snap" approval | tail -n +2 | cut -f1,2,6 >"$WORK/ap.tsv"
	sqlite3 "$out" <<EOF
CREATE TABLE ur_in (name TEXT, update_guid TEXT, revision_number INTEGER, declined INTEGER, state);
CREATE TABLE ap_in (name TEXT, update_guid TEXT, action_id INTEGER);
.mode tabs
.import $WORK/ur.tsv ur_in
.import $WORK/ap.tsv ap_in
CREATE TABLE update_revision (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL,
  revision_number INTEGER NOT NULL, declined INTEGER NOT NULL, state INTEGER,
  PRIMARY KEY (server_key, update_guid)) WITHOUT ROWID;
CREATE TABLE approval (server_key INTEGER NOT NULL, update_guid TEXT NOT NULL, action_id INTEGER NOT NULL);
INSERT INTO update_revision SELECT s.server_key, u.update_guid, u.revision_number, u.declined,
  CASE WHEN u.state = '\N' THEN NULL ELSE CAST(u.state AS INTEGER) END
  FROM ur_in u JOIN server s ON s.name = u.name AND s.run_id = (SELECT MAX(run_id) FROM run);
INSERT INTO approval SELECT s.server_key, a.update_guid, a.action_id
  FROM ap_in a JOIN server s ON s.name = a.name AND s.run_id = (SELECT MAX(run_id) FROM run);
CREATE INDEX approval_by_server ON approval (server_key, update_guid);
DROP TABLE ur_in; DROP TABLE ap_in;
VACUUM;
EOF
	rm -f "$WORK/ur.tsv" "$WORK/ap.tsv"
}

# file_mib FILE: its size in MiB (after a checkpoint, so the WAL is in it)
file_mib() {
	sqlite3 "$1" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	calc "$(stat -c %s "$1") / 1048576" 1
}

# store_growth BINARY HIERARCHY PREFIX: "first_mib second_mib growth_pct" of two audits
# --store of an unchanged hierarchy
store_growth() {
	local bin=$1 h=$2 p=$3 st=$WORK/$3.store.db a b
	rm -f "$st" "$st-wal" "$st-shm"
	"$bin" audit "$h" --store "$st" --format json -o "$WORK/$p.1.json" --quiet --jobs 2 2>>"$WORK/collect.log" || [ $? = 2 ]
	sqlite3 "$st" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	a=$(stat -c %s "$st")
	"$bin" audit "$h" --store "$st" --format json -o "$WORK/$p.2.json" --quiet --jobs 2 2>>"$WORK/collect.log" || [ $? = 2 ]
	sqlite3 "$st" "PRAGMA wal_checkpoint(TRUNCATE);" >/dev/null
	b=$(stat -c %s "$st")
	echo "$(calc "$a / 1048576" 1) $(calc "$b / 1048576" 1) $(calc "($b - $a) * 100 / $a" 1)"
	rm -f "$st" "$st-wal" "$st-shm"
}

# --- 1. the default hierarchy -----------------------------------------------------------------
ALL=()
for s in "${SERVERS[@]}"; do ALL+=("${s%% *}"); done
DIR1=$OUT/susdb-$GEN_KEY-$UPDATES
log "generating ${#ALL[@]} SUSDBs of $UPDATES updates in $DIR1 (cached)"
generate "$DIR1" "$UPDATES" "${ALL[@]}"
serve "$DIR1" "${ALL[@]}"
hierarchy_xml "${ALL[@]}" >"$WORK/hierarchy.xml"

log "collect --jobs 1, $COLLECT_RUNS run(s)"
collect_bench "$WORK/hierarchy.xml" 1 c1 >"$WORK/r"
read -r ROWS C1_WALL C1_CPU <"$WORK/r"
log "collect --jobs 4, $COLLECT_RUNS run(s)"
collect_bench "$WORK/hierarchy.xml" 4 c4 >"$WORK/r"
read -r _ C4_WALL C4_CPU <"$WORK/r"
SNAP=$OUT/snapshot-$UPDATES-$SNAP_KEY.db
mv -f "$WORK/c4.db" "$SNAP"
SIZE=$(file_mib "$SNAP")
rm -f "$WORK"/c1.db*
log "bsqldb reference, $RUNS run(s)"
bsqldb_bench "$ROWS" "${ALL[@]}" >"$WORK/r"
read -r B_CPU <"$WORK/r"
if [ -n "$BASELINE" ]; then
	log "baseline $BASELINE: collect --jobs 1, $COLLECT_RUNS run(s)"
	CUR=$SUSAUDIT
	SUSAUDIT=$BASELINE/src/susaudit
	collect_bench "$WORK/hierarchy.xml" 1 b1 >"$WORK/r"
	read -r _ BL_C1_WALL BL_C1_CPU <"$WORK/r"
	BSNAP=$WORK/baseline-snapshot-$UPDATES.db
	mv -f "$WORK/b1.db" "$BSNAP"
	BL_SIZE=$(file_mib "$BSNAP")
	SUSAUDIT=$CUR
fi
stop_servers

log "audit from the snapshot, $RUNS run(s)"
audit_bench "$SNAP" a1 >"$WORK/r"
read -r A_WALL A_RSS <"$WORK/r"
log "sqlite3 shell, missing-upstream-updates by EXCEPT on format 1's tables, $RUNS run(s)"
# cached like the SUSDBs: the generated data, and so this reference, is the same every run
V1REF=$OUT/v1ref-$UPDATES-$SNAP_KEY.db
if [ ! -s "$V1REF" ]; then
	v1_reference "$SNAP" "$V1REF.tmp"
	mv "$V1REF.tmp" "$V1REF"
fi
except_bench "$V1REF" >"$WORK/r"
read -r E_WALL <"$WORK/r"
if [ -n "$BASELINE" ]; then
	log "baseline: audit from its snapshot, $RUNS run(s)"
	CUR=$SUSAUDIT
	SUSAUDIT=$BASELINE/src/susaudit
	audit_bench "$BSNAP" ba1 >"$WORK/r"
	read -r BL_A_WALL BL_A_RSS <"$WORK/r"
	SUSAUDIT=$CUR
	rm -f "$BSNAP"
fi

# --- 2. scaling: a three-server chain at 1x, 2x, 4x --------------------------------------------
CHAIN=(cas-sup1.contoso.com p01-sup1.contoso.com p01-sup2.contoso.com)
declare -A S_WALL S_RSS
if [ $SCALING = 1 ]; then
	for f in 1 2 4; do
		n=$((SCALE_UPDATES * f))
		log "scaling ${f}x: ${#CHAIN[@]} servers of $n updates"
		generate "$OUT/susdb-$GEN_KEY-$n" "$n" "${CHAIN[@]}"
		ssnap=$OUT/chain-$n-$SNAP_KEY.db
		if [ ! -s "$ssnap" ]; then
			serve "$OUT/susdb-$GEN_KEY-$n" "${CHAIN[@]}"
			hierarchy_xml "${CHAIN[@]}" >"$WORK/chain.xml"
			"$SUSAUDIT" collect "$WORK/chain.xml" -o "$ssnap.tmp" --jobs 2 2>>"$WORK/collect.log"
			mv "$ssnap.tmp" "$ssnap"
			stop_servers
		fi
		if [ "$f" = 1 ]; then
			log "store growth: two audits --store of the unchanged chain"
			serve "$OUT/susdb-$GEN_KEY-$n" "${CHAIN[@]}"
			hierarchy_xml "${CHAIN[@]}" >"$WORK/chain.xml"
			store_growth "$SUSAUDIT" "$WORK/chain.xml" g >"$WORK/r"
			read -r G_FIRST G_SECOND G_PCT <"$WORK/r"
			if [ -n "$BASELINE" ]; then
				store_growth "$BASELINE/src/susaudit" "$WORK/chain.xml" bg >"$WORK/r"
				read -r BL_G_FIRST BL_G_SECOND BL_G_PCT <"$WORK/r"
			fi
			stop_servers
		fi
	done
	# The audits of the chain take 0.03-0.2 s, where one run's page faults and cache misses
	# move a figure by a quarter: each factor runs 2 x --runs + 1 times, the three interleaved
	# so that a slower moment of the machine falls on all of them alike.
	log "scaling: audits of 1x, 2x and 4x, interleaved, $((2 * RUNS + 1)) run(s) each"
	for f in 1 2 4; do : >"$WORK/s$f.walls"; : >"$WORK/s$f.rss"; done
	for i in $(seq $((2 * RUNS + 1))); do
		for f in 1 2 4; do audit_once "$OUT/chain-$((SCALE_UPDATES * f))-$SNAP_KEY.db" "s$f"; done
	done
	for f in 1 2 4; do read -r "S_WALL[$f]" "S_RSS[$f]" < <(audit_medians "s$f"); done
fi

# --- 3. breadth: 2, 20 and 200 servers of BREADTH_UPDATES each -------------------------------
# The 200-server snapshot is built from a collected 2-server snapshot (CAS and one primary) by
# copying the primary's rows to every other server in SQL: collecting 200 SUSDBs would take
# hours, and the audit only reads the snapshot.
declare -A B_WALL B_RSS
breadth_snapshot() {
	local src=$1 n=$2 dst=$3 xml tables scols t cols i name code B36=0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ
	cp "$src" "$dst"
	tables=$(sqlite3 "$dst" "SELECT name FROM sqlite_schema WHERE type = 'table' AND name <> 'server' AND sql LIKE '%server_key%'")
	scols=$(sqlite3 "$dst" "SELECT group_concat(name, ', ') FROM pragma_table_info('server') WHERE name NOT IN ('server_key', 'name')")
	xml=$WORK/breadth-$n.xml
	{
		echo '<?xml version="1.0" encoding="UTF-8"?>'
		echo '<hierarchy xmlns="urn:susaudit:hierarchy:1" name="Breadth">'
		echo '  <defaults database="SUSDB" user="susaudit" password-env="SUSAUDIT_BENCH_PASSWORD" encryption="off"/>'
		echo '  <site code="CAS" type="cas">'
		echo '    <server name="cas-sup1.contoso.com" port="8531" ssl="true" wsus-version="10.0.17763.1" sql="127.0.0.1:1"/>'
		echo '    <site code="P01" type="primary">'
		echo '      <server name="p01-sup1.contoso.com" port="8530" sql="127.0.0.1:1"/>'
		for i in $(seq 3 "$n"); do
			# site codes are three letters or digits
			code=S${B36:$((i / 36)):1}${B36:$((i % 36)):1}
			echo "      <site code=\"$code\" type=\"secondary\"><server name=\"s$i-sup1.contoso.com\" port=\"8530\" sql=\"127.0.0.1:1\"/></site>"
		done
		echo '    </site>'
		echo '  </site>'
		echo '</hierarchy>'
	} >"$xml"
	{
		echo "BEGIN;"
		echo "UPDATE run SET hierarchy_xml = readfile('$xml');"
		for i in $(seq 3 "$n"); do
			name=s$i-sup1.contoso.com
			# every column but the key and the name, so the copy is collected as its source was
			echo "INSERT INTO server (name, $scols) SELECT '$name', $scols FROM server WHERE name = 'p01-sup1.contoso.com';"
			for t in $tables; do
				cols=$(sqlite3 "$dst" "SELECT group_concat(name, ', ') FROM pragma_table_info('$t') WHERE name <> 'server_key'")
				echo "INSERT INTO $t (server_key, $cols) SELECT (SELECT server_key FROM server WHERE name = '$name'), $cols FROM $t WHERE server_key = (SELECT server_key FROM server WHERE name = 'p01-sup1.contoso.com');"
			done
			echo "UPDATE configuration SET upstream_name = 'p01-sup1.contoso.com', upstream_port = 8530, upstream_ssl = 0, replica_mode = 1 WHERE server_key = (SELECT server_key FROM server WHERE name = '$name');"
		done
		echo "COMMIT;"
	} >"$WORK/breadth-$n.sql"
	sqlite3 "$dst" ".read $WORK/breadth-$n.sql"
}
if [ $BREADTH = 1 ]; then
	BDIR=$OUT/susdb-$GEN_KEY-$BREADTH_UPDATES
	PAIR=(cas-sup1.contoso.com p01-sup1.contoso.com)
	generate "$BDIR" "$BREADTH_UPDATES" "${PAIR[@]}"
	bsnap=$OUT/breadth-$BREADTH_UPDATES-2-$SNAP_KEY.db
	if [ ! -s "$bsnap" ]; then
		serve "$BDIR" "${PAIR[@]}"
		hierarchy_xml "${PAIR[@]}" >"$WORK/pair.xml"
		"$SUSAUDIT" collect "$WORK/pair.xml" -o "$bsnap.tmp" --jobs 2 2>>"$WORK/collect.log"
		sqlite3 "$bsnap.tmp" "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;" >/dev/null
		mv "$bsnap.tmp" "$bsnap"
		stop_servers
	fi
	for n in 2 $((BREADTH_SERVERS / 10)) "$BREADTH_SERVERS"; do
		snap=$OUT/breadth-$BREADTH_UPDATES-$n-$SNAP_KEY.db
		if [ "$n" != 2 ] && [ ! -s "$snap" ]; then
			log "breadth: building a $n-server snapshot"
			breadth_snapshot "$bsnap" "$n" "$snap.tmp"
			mv "$snap.tmp" "$snap"
		fi
		log "breadth: audit of $n servers"
		audit_bench "$snap" "b$n" >"$WORK/r"
		read -r "B_WALL[$n]" "B_RSS[$n]" <"$WORK/r"
	done
fi

# --- the table ---------------------------------------------------------------------------------
RATE1=$(calc "$ROWS / $C1_WALL" 0)
RATE4=$(calc "$ROWS / $C4_WALL" 0)
R_CPU1=$(calc "$C1_CPU / $B_CPU")
R_CPU4=$(calc "$C4_CPU / $B_CPU")
R_EXCEPT=$(calc "$E_WALL / $A_WALL")
CPU=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
{
	echo "susaudit benchmark: ${#ALL[@]} servers x $UPDATES updates, $ROWS rows; $(nproc) CPU(s), $CPU; median of $RUNS run(s), collect $COLLECT_RUNS"
	printf '%-58s %14s %s\n' "measure" "value" "target"
	printf '%-58s %14s\n' "collect --jobs 1: rows/s" "$RATE1"
	printf '%-58s %14s\n' "collect --jobs 1: wall s" "$C1_WALL"
	printf '%-58s %14s\n' "collect --jobs 1: client CPU s per 1M rows" "$C1_CPU"
	printf '%-58s %14s\n' "collect --jobs 4: rows/s" "$RATE4"
	printf '%-58s %14s\n' "collect --jobs 4: wall s" "$C4_WALL"
	printf '%-58s %14s\n' "collect --jobs 4: client CPU s per 1M rows" "$C4_CPU"
	printf '%-58s %14s\n' "bsqldb (GUIDs cast to text): client CPU s per 1M rows" "$B_CPU"
	printf '%-58s %14s %s\n' "ratio collect --jobs 1 / bsqldb CPU" "$R_CPU1" "<= 1.5"
	printf '%-58s %14s %s\n' "ratio collect --jobs 4 / bsqldb CPU" "$R_CPU4" "<= 1.5"
	printf '%-58s %14s %s\n' "audit --snapshot, whole catalogue: wall s" "$A_WALL" "< 5"
	printf '%-58s %14s %s\n' "audit --snapshot: peak RSS MiB" "$A_RSS" "< 1024"
	printf '%-58s %14s\n' "sqlite3 shell, EXCEPT per link: wall s" "$E_WALL"
	printf '%-58s %14s %s\n' "ratio sqlite3 EXCEPT / audit wall" "$R_EXCEPT" ">= 5"
	printf '%-58s %14s\n' "snapshot of the default hierarchy: MiB" "$SIZE"
	if [ -n "$BASELINE" ]; then
		printf '%-58s %14s\n' "baseline collect --jobs 1: client CPU s per 1M rows" "$BL_C1_CPU"
		printf '%-58s %14s %s\n' "baseline ratio collect --jobs 1 / bsqldb CPU" "$(calc "$BL_C1_CPU / $B_CPU")" "(before)"
		printf '%-58s %14s\n' "baseline snapshot of the default hierarchy: MiB" "$BL_SIZE"
		printf '%-58s %14s %s\n' "ratio snapshot size / baseline" "$(calc "$SIZE / $BL_SIZE")" "<= 0.25"
		printf '%-58s %14s\n' "baseline audit: wall s / peak RSS MiB" "$BL_A_WALL / $BL_A_RSS"
		printf '%-58s %14s %s\n' "baseline ratio sqlite3 EXCEPT / audit wall" "$(calc "$E_WALL / $BL_A_WALL")" "(before)"
	fi
	if [ $SCALING = 1 ]; then
		for f in 1 2 4; do
			printf '%-58s %14s\n' "scaling ${f}x (3 servers x $((SCALE_UPDATES * f))): audit wall s / RSS MiB" "${S_WALL[$f]} / ${S_RSS[$f]}"
		done
		printf '%-58s %14s %s\n' "scaling 2x/1x: time / memory" "$(calc "${S_WALL[2]} / ${S_WALL[1]}") / $(calc "${S_RSS[2]} / ${S_RSS[1]}")" "<= 2.1"
		printf '%-58s %14s %s\n' "scaling 4x/2x: time / memory" "$(calc "${S_WALL[4]} / ${S_WALL[2]}") / $(calc "${S_RSS[4]} / ${S_RSS[2]}")" "<= 2.1"
		printf '%-58s %14s %s\n' "store, chain 1x: 1st / 2nd audit --store MiB; growth %" "$G_FIRST / $G_SECOND; $G_PCT" "<= 5"
		if [ -n "$BASELINE" ]; then
			printf '%-58s %14s %s\n' "baseline store: 1st / 2nd MiB; growth %" "$BL_G_FIRST / $BL_G_SECOND; $BL_G_PCT" "(before)"
		fi
	fi
	if [ $BREADTH = 1 ]; then
		for n in 2 $((BREADTH_SERVERS / 10)) "$BREADTH_SERVERS"; do
			printf '%-58s %14s\n' "breadth $n servers x $BREADTH_UPDATES updates: audit wall s / RSS MiB" "${B_WALL[$n]} / ${B_RSS[$n]}"
		done
		printf '%-58s %14s %s\n' "breadth RSS $BREADTH_SERVERS / 2 servers" "$(calc "${B_RSS[$BREADTH_SERVERS]} / ${B_RSS[2]}")" "<= 1.5"
		printf '%-58s %14s %s\n' "breadth time per server, $BREADTH_SERVERS vs $((BREADTH_SERVERS / 10))" \
			"$(calc "(${B_WALL[$BREADTH_SERVERS]} / $BREADTH_SERVERS) / (${B_WALL[$((BREADTH_SERVERS / 10))]} / $((BREADTH_SERVERS / 10)))")" "~1 (linear)"
	fi
	printf '%-58s %14s %s\n' "this run of the benchmark: wall s" "$(calc "$EPOCHREALTIME - $BENCH_START" 0)" "< 600 (default run)"
} | tee "$OUT/results.txt"

if [ -n "$JSON" ]; then
	{
		printf '{"format": "susaudit-bench/1", "servers": %d, "updates": %d, "rows": %d, "runs": %d,\n' \
			"${#ALL[@]}" "$UPDATES" "$ROWS" "$RUNS"
		printf ' "machine": {"nproc": %d, "cpu": "%s"},\n' "$(nproc)" "$CPU"
		printf ' "collect": {"jobs1": {"rows_per_s": %s, "wall_s": %s, "cpu_s_per_mrow": %s},\n' "$RATE1" "$C1_WALL" "$C1_CPU"
		printf '             "jobs4": {"rows_per_s": %s, "wall_s": %s, "cpu_s_per_mrow": %s}},\n' "$RATE4" "$C4_WALL" "$C4_CPU"
		printf ' "bsqldb": {"cpu_s_per_mrow": %s, "guids_cast_to_text": true},\n' "$B_CPU"
		printf ' "audit": {"wall_s": %s, "peak_rss_mib": %s},\n' "$A_WALL" "$A_RSS"
		printf ' "sqlite3_except": {"wall_s": %s},\n' "$E_WALL"
		printf ' "snapshot_mib": %s,\n' "$SIZE"
		printf ' "ratios": {"collect1_vs_bsqldb": %s, "collect4_vs_bsqldb": %s, "except_vs_audit": %s}' "$R_CPU1" "$R_CPU4" "$R_EXCEPT"
		if [ $SCALING = 1 ]; then
			printf ',\n "scaling": ['
			sep=
			for f in 1 2 4; do
				printf '%s{"factor": %d, "updates": %d, "wall_s": %s, "peak_rss_mib": %s}' "$sep" "$f" "$((SCALE_UPDATES * f))" "${S_WALL[$f]}" "${S_RSS[$f]}"
				sep=', '
			done
			printf '],\n "store_growth": {"first_mib": %s, "second_mib": %s, "growth_pct": %s}' "$G_FIRST" "$G_SECOND" "$G_PCT"
		fi
		if [ $BREADTH = 1 ]; then
			printf ',\n "breadth": ['
			sep=
			for n in 2 $((BREADTH_SERVERS / 10)) "$BREADTH_SERVERS"; do
				printf '%s{"servers": %d, "updates": %d, "wall_s": %s, "peak_rss_mib": %s}' "$sep" "$n" "$BREADTH_UPDATES" "${B_WALL[$n]}" "${B_RSS[$n]}"
				sep=', '
			done
			printf ']'
		fi
		if [ -n "$BASELINE" ]; then
			printf ',\n "baseline": {"collect1_cpu_s_per_mrow": %s, "snapshot_mib": %s, "audit_wall_s": %s, "audit_peak_rss_mib": %s' \
				"$BL_C1_CPU" "$BL_SIZE" "$BL_A_WALL" "$BL_A_RSS"
			if [ $SCALING = 1 ]; then
				printf ', "store_growth": {"first_mib": %s, "second_mib": %s, "growth_pct": %s}' "$BL_G_FIRST" "$BL_G_SECOND" "$BL_G_PCT"
			fi
			printf '}'
		fi
		printf ',\n "elapsed_s": %s}\n' "$(calc "$EPOCHREALTIME - $BENCH_START" 0)"
	} >"$JSON"
	log "wrote $JSON"
fi
