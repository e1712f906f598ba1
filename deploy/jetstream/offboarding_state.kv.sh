# The key-value bucket docspace-offboarding keeps each termination's state in
# (OFFBOARDING_STATE_BUCKET): step checkpoints, results, worker leases and
# cancellations. The same bucket the service creates itself when
# OFFBOARDING_MANAGE_STREAMS=true (History 1, file storage).
#
# apply.sh reads this file; by hand it is:
#   nats kv add offboarding_state --history 1 --storage file --replicas 3 \
#     --description "docspace-offboarding: per-termination checkpoints, results, leases and cancellations"
#
# shellcheck shell=bash disable=SC2034
KV_BUCKET=offboarding_state
KV_DESCRIPTION='docspace-offboarding: per-termination checkpoints, results, leases and cancellations'
# One value per key: every write is a compare-and-set on the latest revision.
KV_HISTORY=1
KV_STORAGE='file'
KV_REPLICAS=3
