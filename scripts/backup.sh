#!/usr/bin/env bash
# Back up Gonggam: the PostgreSQL database (pg_dump, custom format) and the media directory (files
# received by email), into one folder named by the time, and keep the newest BACKUP_KEEP of them.
#
#   DATABASE_URL=postgres://gonggam:secret@localhost:5432/gonggam MEDIA_ROOT=/srv/gonggam/media \
#     scripts/backup.sh
#
# Environment:
#   DATABASE_URL  required; the app's own setting (postgres://, postgresql://, pgsql://, psql://)
#   MEDIA_ROOT    the app's media directory (default: $VAR_DIR/media, VAR_DIR defaulting to ./var)
#   BACKUP_DIR    where backups go (default: $VAR_DIR/backups)
#   BACKUP_KEEP   how many backups to keep, newest first (default: 14)
#
# A backup is a folder gonggam-<UTC time>/ with database.dump, media.tar.gz, backup.txt and
# SHA256SUMS. It is written as gonggam-<time>.partial/ and renamed when complete, so an
# interrupted run never counts as a backup and never pushes a good one out of the retention.
# The database is dumped first, then the media directory: every file a dumped row names was
# saved before that row committed, so it is in the archive. Prints the new backup's path.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
var_dir="${VAR_DIR:-$root/var}"
media_root="${MEDIA_ROOT:-$var_dir/media}"
backup_dir="${BACKUP_DIR:-$var_dir/backups}"
keep="${BACKUP_KEEP:-14}"

die() { printf 'backup: %s\n' "$*" >&2; exit 1; }

[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (the app's database, postgres://...)."
case "$DATABASE_URL" in
  postgres://* | postgresql://*) url="$DATABASE_URL" ;;
  pgsql://* | psql://*) url="postgresql://${DATABASE_URL#*://}" ;;
  *) die "DATABASE_URL must be a PostgreSQL URL; this script backs up PostgreSQL only." ;;
esac
[[ "$keep" =~ ^[1-9][0-9]*$ ]] || die "BACKUP_KEEP must be a whole number of at least 1, not '$keep'."
command -v pg_dump >/dev/null || die "pg_dump is missing (install the PostgreSQL client tools)."
if [ -e "$media_root" ] && [ ! -d "$media_root" ]; then die "MEDIA_ROOT $media_root is not a directory."; fi

mkdir -p "$backup_dir"
# One backup at a time: a second run waits for the first instead of racing it.
exec 9>"$backup_dir/.lock"
flock 9
# Left by a run that was killed (we hold the lock, so no other run is writing them).
find "$backup_dir" -maxdepth 1 -name 'gonggam-*.partial' -exec rm -rf {} +

name="gonggam-$(date -u +%Y%m%dT%H%M%SZ)"
while [ -e "$backup_dir/$name" ]; do  # two backups within one second
  sleep 1
  name="gonggam-$(date -u +%Y%m%dT%H%M%SZ)"
done
partial="$backup_dir/$name.partial"
mkdir "$partial"

pg_dump --format=custom --file="$partial/database.dump" --dbname="$url"

if [ -d "$media_root" ]; then
  tar -C "$media_root" -czf "$partial/media.tar.gz" .
  media_files="$(find "$media_root" -type f | wc -l | tr -d ' ')"
else
  tar -czf "$partial/media.tar.gz" --files-from=/dev/null
  media_files=0
fi

{
  echo "created_at=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "database=${url##*/}"
  echo "media_root=$media_root"
  echo "media_files=$media_files"
  echo "pg_dump=$(pg_dump --version)"
} >"$partial/backup.txt"
(cd "$partial" && sha256sum database.dump media.tar.gz >SHA256SUMS)
mv "$partial" "$backup_dir/$name"

# Retention: the names sort by time; keep the newest $keep complete backups.
mapfile -t backups < <(find "$backup_dir" -maxdepth 1 -type d -name 'gonggam-*' ! -name '*.partial' -printf '%f\n' | sort)
excess=$((${#backups[@]} - keep))
for ((i = 0; i < excess; i++)); do
  rm -rf "${backup_dir:?}/${backups[$i]}"
done

echo "$backup_dir/$name"
