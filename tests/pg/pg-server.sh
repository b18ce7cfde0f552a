#!/bin/sh
# A throwaway PostgreSQL server for the tests, from the Debian packages.
#
#   pg-server.sh start DIR   initdb in DIR/data, start the server listening on a
#                            unix socket in DIR only (no TCP), create the
#                            database "radar", and print its URI on stdout
#   pg-server.sh primary DIR the same, for a server that streams to standbys
#                            (full_page_writes on, which base backups need)
#   pg-server.sh standby PRIMARY DIR
#                            a hot standby of the server in PRIMARY (started
#                            with primary): pg_basebackup -R into DIR/data, the
#                            server on a socket in DIR only, port 5433, read-only
#                            queries allowed while it replays; prints its URI
#   pg-server.sh stop DIR    stop that server (DIR is left for the caller to remove)
#   pg-server.sh bindir      print the folder of the server programs, or exit 77
#                            with a message when the server packages are absent
#
# DIR must be short (a unix socket path is at most 107 bytes) and empty or new.
# The server refuses to run as root, so when the tests run as root it runs as
# the postgres user (made by the Debian package) with DIR given to that user.
# Exit status 77 (the tests' "skipped") when the server packages are absent.
set -eu

bindir() {
    if [ -n "${RADAR_PG_BINDIR:-}" ] && [ -x "$RADAR_PG_BINDIR/initdb" ]; then
        echo "$RADAR_PG_BINDIR"
        return 0
    fi
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
        if [ -x "$d/initdb" ] && [ -x "$d/pg_ctl" ] && [ -x "$d/postgres" ]; then
            echo "$d"
            return 0
        fi
    done
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"
        return 0
    fi
    echo "pg-server: no PostgreSQL server here (initdb, pg_ctl: Debian package postgresql; scripts/install-deps installs it)" >&2
    return 77
}

# as_owner CMD...: run CMD as the user that owns the server's files
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

# own_dir DIR: DIR made, and given to the server's user when run as root
own_dir() {
    mkdir -p "$1"
    if [ "$(id -u)" -eq 0 ]; then
        if ! id postgres >/dev/null 2>&1; then
            echo "pg-server: running as root, and no postgres user to run the server as" >&2
            exit 77
        fi
        chown postgres "$1"
        chmod 700 "$1"
        if ! runuser -u postgres -- test -w "$1"; then
            echo "pg-server: the postgres user cannot reach $1 (a folder above it is closed to other users)" >&2
            exit 1
        fi
    fi
}

cmd=${1:-}
case "$cmd" in
bindir)
    bindir || exit $?
    ;;
start | primary)
    dir=${2:?usage: pg-server.sh $cmd DIR}
    bin=$(bindir) || exit $?
    own_dir "$dir"
    dir=$(cd "$dir" && pwd)
    # a base backup needs whole pages in the WAL
    fpw=off
    [ "$cmd" = primary ] && fpw=on
    user=$(as_owner id -un)
    as_owner "$bin/initdb" -D "$dir/data" -U "$user" --auth=trust --encoding=UTF8 --locale=C.UTF-8 \
        >"$dir/initdb.log" 2>&1 || {
        echo "pg-server: initdb failed:" >&2
        cat "$dir/initdb.log" >&2
        exit 1
    }
    # a unix socket in DIR only; small, fast, and nothing of it outlives a test
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -c fsync=off -c synchronous_commit=off -c full_page_writes=$fpw" \
        start >/dev/null || {
        echo "pg-server: the server did not start:" >&2
        cat "$dir/server.log" >&2
        exit 1
    }
    as_owner "$bin/createdb" -h "$dir" -U "$user" radar || exit 1
    echo "postgresql:///radar?host=$dir&user=$user"
    ;;
standby)
    primary=${2:?usage: pg-server.sh standby PRIMARY DIR}
    dir=${3:?usage: pg-server.sh standby PRIMARY DIR}
    bin=$(bindir) || exit $?
    primary=$(cd "$primary" && pwd)
    own_dir "$dir"
    dir=$(cd "$dir" && pwd)
    user=$(as_owner id -un)
    # -R: standby.signal and primary_conninfo (the primary's socket) in the copy
    as_owner "$bin/pg_basebackup" -h "$primary" -U "$user" -D "$dir/data" -R -X stream -c fast \
        >"$dir/basebackup.log" 2>&1 || {
        echo "pg-server: pg_basebackup failed:" >&2
        cat "$dir/basebackup.log" >&2
        exit 1
    }
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses='' -k $dir -p 5433 -c fsync=off -c hot_standby=on" \
        start >/dev/null || {
        echo "pg-server: the standby did not start:" >&2
        cat "$dir/server.log" >&2
        exit 1
    }
    echo "postgresql:///radar?host=$dir&port=5433&user=$user"
    ;;
stop)
    dir=${2:?usage: pg-server.sh stop DIR}
    bin=$(bindir) || exit $?
    [ -d "$dir/data" ] || exit 0
    as_owner "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    ;;
*)
    echo "usage: pg-server.sh start DIR | primary DIR | standby PRIMARY DIR | stop DIR | bindir" >&2
    exit 2
    ;;
esac
