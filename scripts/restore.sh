#!/usr/bin/env bash
# Restore a backup made by scripts/backup.sh: the database into DATABASE_URL, the media files
# into MEDIA_ROOT. Stop web, worker and beat first.
#
#   DATABASE_URL=postgres://gonggam:secret@localhost:5432/gonggam MEDIA_ROOT=/srv/gonggam/media \
#     scripts/restore.sh var/backups/gonggam-20261201T020000Z
#
# Environment: DATABASE_URL (required), MEDIA_ROOT (default: $VAR_DIR/media, VAR_DIR defaulting
# to ./var). The checksums are verified before anything is touched. The target database and
# media directory must be empty (a fresh `createdb` and a new directory) unless --clean is given:
# then the database's existing objects are dropped and the media directory is emptied first.
# The database is restored in one transaction: it either holds the whole backup or is unchanged.
# Afterwards run `python manage.py migrate` (a no-op unless the code is newer than the backup).
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
var_dir="${VAR_DIR:-$root/var}"
media_root="${MEDIA_ROOT:-$var_dir/media}"

die() { printf 'restore: %s\n' "$*" >&2; exit 1; }
usage() { die "usage: scripts/restore.sh [--clean] BACKUP_FOLDER"; }

clean=0
backup=""
for arg in "$@"; do
  case "$arg" in
    --clean) clean=1 ;;
    -*) usage ;;
    *) [ -z "$backup" ] || usage; backup="$arg" ;;
  esac
done
[ -n "$backup" ] || usage
[ -d "$backup" ] || die "$backup is not a backup folder."
for file in database.dump media.tar.gz SHA256SUMS; do
  [ -f "$backup/$file" ] || die "$backup has no $file (an incomplete or foreign backup)."
done

[ -n "${DATABASE_URL:-}" ] || die "DATABASE_URL is not set (the database to restore into, postgres://...)."
case "$DATABASE_URL" in
  postgres://* | postgresql://*) url="$DATABASE_URL" ;;
  pgsql://* | psql://*) url="postgresql://${DATABASE_URL#*://}" ;;
  *) die "DATABASE_URL must be a PostgreSQL URL." ;;
esac
command -v pg_restore >/dev/null && command -v psql >/dev/null \
  || die "pg_restore and psql are missing (install the PostgreSQL client tools)."

(cd "$backup" && sha256sum --check --quiet SHA256SUMS) || die "$backup does not match its checksums."

tables="$(psql --dbname="$url" --no-psqlrc --tuples-only --no-align --command \
  "SELECT count(*) FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')")"
if [ "$tables" != 0 ] && [ "$clean" = 0 ]; then
  die "the database already has $tables tables; restore into a fresh one, or pass --clean to replace them."
fi
if [ -d "$media_root" ] && [ -n "$(ls -A "$media_root")" ] && [ "$clean" = 0 ]; then
  die "MEDIA_ROOT $media_root is not empty; restore into a new directory, or pass --clean to replace it."
fi

options=(--no-owner --no-privileges --exit-on-error --single-transaction)
[ "$clean" = 0 ] || options+=(--clean --if-exists)
pg_restore "${options[@]}" --dbname="$url" "$backup/database.dump"

mkdir -p "$media_root"
if [ "$clean" = 1 ]; then
  find "$media_root" -mindepth 1 -delete
fi
tar -C "$media_root" -xzf "$backup/media.tar.gz"

echo "restored $backup into ${url##*/} and $media_root"
