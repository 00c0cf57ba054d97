/*
 * The writers' lock: flock on a permanent lock file next to the store
 * ("<store>.lock"). The store file itself is replaced by rename, so a lock on
 * it would guard an inode that disappears; the lock file is never removed.
 */
#ifndef AZ_STORE_LOCK_H
#define AZ_STORE_LOCK_H

#include "store.h"

/* Take the lock of the store at path within timeout_ms (STORE_BUSY after).
 * On success *fd holds it. */
enum store_status store_lock_take(const char *path, int timeout_ms, int *fd, struct store_error *err);

/* Release it (closing the fd drops the flock). */
void store_lock_release(int *fd);

#endif
