#!/bin/sh
# Entrypoint of the one giamsat image: the first argument picks the role.
#
#   web                 gunicorn serving giamsat.wsgi:app
#   worker [queues…]    RQ worker (no queues: the worker's own default, all queues)
#   scheduler           periodic schedules and the outbox relay
#   migrate             shared + tenant schemas, then every tenant manifest (idempotent)
#   backup [options…]   one archive per tenant (`giamsat tenants backup --all`; Helm CronJob)
#   anything else       run as a command (e.g. `giamsat users create …`, `sh`)
#
# Migrations never run at web start: compose and Helm run `migrate` as a one-shot job.
set -eu

# Manifests baked into the image; compose and Helm may mount others here instead.
TENANTS_DIR="${GIAMSAT_TENANTS_DIR:-/app/tenants}"

run_web() {
    # Trust X-Forwarded-Proto/-For only from the addresses given (Helm: the ingress, so "*").
    if [ -n "${GIAMSAT_FORWARDED_ALLOW_IPS:-}" ]; then
        set -- --forwarded-allow-ips "$GIAMSAT_FORWARDED_ALLOW_IPS"
    fi
    # --worker-tmp-dir: the heartbeat file must live on a memory filesystem, the root is read-only.
    exec gunicorn "$@" \
        --bind "0.0.0.0:${GIAMSAT_WEB_PORT:-8000}" \
        --workers "${GIAMSAT_WEB_WORKERS:-2}" \
        --threads "${GIAMSAT_WEB_THREADS:-4}" \
        --timeout "${GIAMSAT_WEB_TIMEOUT:-60}" \
        --worker-tmp-dir "${GIAMSAT_WEB_TMP_DIR:-/dev/shm}" \
        --access-logfile - \
        --error-logfile - \
        "giamsat.wsgi:app"
}

run_migrate() {
    giamsat db upgrade
    set -- "$TENANTS_DIR"/*.toml
    if [ ! -e "$1" ]; then
        echo "migrate: no tenant manifests in $TENANTS_DIR, nothing to apply"
        return 0
    fi
    giamsat tenants apply "$@"
}

role="${1:-web}"
if [ "$#" -gt 0 ]; then shift; fi

case "$role" in
    web)
        run_web
        ;;
    worker)
        exec giamsat worker "$@"
        ;;
    scheduler)
        exec giamsat scheduler "$@"
        ;;
    migrate)
        run_migrate
        ;;
    backup)
        exec giamsat tenants backup --all "$@"
        ;;
    *)
        exec "$role" "$@"
        ;;
esac
