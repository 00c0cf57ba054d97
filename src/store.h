/*
 * The encrypted secret store (store-design.md §5, format v1): one file of
 * per-secret XChaCha20-Poly1305 ciphertexts under a random data key, the data
 * key wrapped with a key from the passphrase (Argon2id) or a key file, and a
 * MAC over the whole file. Fail closed: a store that cannot be read is never
 * treated as empty and never overwritten.
 *
 * Use: store_load (cheap checks, no key derivation) then store_unlock with the
 * key material store_method asks for; or store_create for a new one (written
 * by its first change). Changes lock the store, re-read and verify it, and
 * replace the file atomically. Values come and go in struct secbuf only.
 * Every function fills err (when not NULL) on failure; messages never hold
 * secret material.
 */
#ifndef AZ_STORE_H
#define AZ_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "secbuf.h"

enum store_status {
	STORE_OK = 0,
	STORE_WRONG_KEY,      /* wrong passphrase or key */
	STORE_CORRUPT,        /* unparseable, bad lengths, bounds (before any KDF) */
	STORE_TAMPERED,       /* authentication failed with the right key */
	STORE_UNSUPPORTED,    /* a newer format version */
	STORE_PERMISSIONS,    /* insecure mode, owner, link, folder */
	STORE_BUSY,           /* lock not obtained in time, or a concurrent change */
	STORE_IO,             /* read or write failed (the old store is intact) */
	STORE_NOT_FOUND,      /* no secret with that id */
	STORE_KDF_RESOURCES,  /* not enough memory for the key derivation */
	STORE_NO_STORE,       /* there is no store file yet */
	STORE_INVALID,        /* bad id, kind, value or key material given */
	STORE_NO_MEMORY,
};

enum store_method {
	STORE_METHOD_PASSPHRASE,
	STORE_METHOD_KEYFILE,
	STORE_METHOD_CREDENTIAL, /* systemd credential: a key file in $CREDENTIALS_DIRECTORY */
};

/* What a secret is; a closed list (the names are the file's "kind" values). */
enum store_kind {
	STORE_KIND_TOKEN,              /* a PAT, for git over HTTP or the API */
	STORE_KIND_PASSWORD,           /* a git password */
	STORE_KIND_SSH_PRIVATE_KEY,    /* binary-safe */
	STORE_KIND_SSH_KEY_PASSPHRASE,
};
#define STORE_KIND_COUNT 4

#define STORE_ID_MAX 64           /* ^[a-z0-9][a-z0-9._-]{0,63}$, no ".." */
#define STORE_VALUE_MAX 65536     /* a secret is 1 B to 64 KiB */
#define STORE_KEY_MATERIAL_MAX 1024 /* passphrase or key file */
#define STORE_KEY_FILE_MIN 32
#define STORE_CREDENTIAL_NAME "azrepos-connect.key"

struct store_error {
	enum store_status status;
	char message[512];
	bool written; /* STORE_IO of a commit whose file is in place, its folder not synced */
};

/* One secret as listed: never the value. */
struct store_info {
	const char *id;           /* valid until the next change or store_close */
	enum store_kind kind;
	int64_t created;          /* Unix seconds, authenticated */
	int64_t updated;
};

struct store;

/* Check and parse the file (permissions, strict format, bounds); no key
 * derivation. STORE_NO_STORE when path does not exist. */
enum store_status store_load(const char *path, struct store **out, struct store_error *err);

/* How the loaded store is unlocked (which key material store_unlock wants). */
enum store_method store_method(const struct store *s);

/* Derive the key from key (the passphrase, or a key file's bytes) and
 * authenticate everything. May be retried after STORE_WRONG_KEY. */
enum store_status store_unlock(struct store *s, const struct secbuf *key, struct store_error *err);

/*
 * The folder of a store to be made at path: created (0700) when missing, and
 * refused as the store's own checks would (before a key file is made for it).
 */
enum store_status store_prepare_dir(const char *path, struct store_error *err);

/* A new empty store for path, unlocked with method and key (a passphrase:
 * not empty; a key file: at least 32 bytes). Nothing is written before the
 * first change; that fails with STORE_BUSY if a store appeared meanwhile. */
enum store_status store_create(const char *path, enum store_method method,
                               const struct secbuf *key, struct store **out,
                               struct store_error *err);

/* A notice for the user about the store's key derivation (e.g. lower limits
 * because of little memory), or NULL. */
const char *store_notice(const struct store *s);

/* Listing (unlocked store): the secrets, sorted by id. */
size_t store_count(const struct store *s);
bool store_info(const struct store *s, size_t i, struct store_info *info);
/* The secret id as listed (no value), if the store has it. */
bool store_find(const struct store *s, const char *id, struct store_info *info);
/* In a transaction: does the store as it is now have id (another process may have added it)? */
bool store_txn_has(const struct store *s, const char *id);
/* ... and its kind there (kind may be NULL). */
bool store_txn_kind(const struct store *s, const char *id, enum store_kind *kind);
uint64_t store_generation(const struct store *s);

/* The value of id in a new secbuf (the caller frees it with secbuf_free). */
enum store_status store_get(struct store *s, const char *id, struct secbuf **value,
                            struct store_error *err);

/*
 * Does the store (in a transaction: as it is now) hold exactly value, of kind, under id? A
 * write of it would change nothing.
 */
bool store_holds(struct store *s, const char *id, enum store_kind kind, const struct secbuf *value);

/* Can value be kept as kind (what store_put refuses, said before a store is made for it)? */
enum store_status store_value_check(enum store_kind kind, const struct secbuf *value, struct store_error *err);

/* Add or replace id; outside a transaction this is one locked write. */
enum store_status store_put(struct store *s, const char *id, enum store_kind kind,
                            const struct secbuf *value, struct store_error *err);

/* Remove id (STORE_NOT_FOUND if absent); one locked write outside a transaction. */
enum store_status store_delete(struct store *s, const char *id, struct store_error *err);

/*
 * Several changes as one write: begin takes the lock and re-reads the store
 * (get then sees the file as it is now); put/delete change it in memory;
 * commit writes it, abort drops the changes. The lock is held in between.
 */
enum store_status store_begin(struct store *s, struct store_error *err);

/*
 * Hold the writers' lock of the store at path without a change of it, while
 * files that go with it change (a connector deleted: a save in progress
 * waits, then sees it gone). STORE_OK with *fd; store_release_lock(fd).
 */
enum store_status store_hold_lock(const char *path, int *fd, struct store_error *err);
void store_release_lock(int *fd);
enum store_status store_commit(struct store *s, struct store_error *err);
/*
 * Commit, the writers' lock passed to *fd (-1 without a transaction) rather than released: the
 * files that name the secrets are written after the store, still under it. store_release_lock(fd).
 */
enum store_status store_commit_held(struct store *s, int *fd, struct store_error *err);
void store_abort(struct store *s);

/*
 * Put the store at path aside, unread (a forgotten passphrase, a corrupt
 * file): under the writers' lock it becomes <path>.corrupt-<UTC time>
 * (written to moved), never replacing anything; the next write creates a new
 * store. STORE_NOT_FOUND when there is none.
 */
enum store_status store_reset(const char *path, char *moved, size_t movedlen, struct store_error *err);

/* New unlock method and key material, new salt and current KDF limits, a new
 * data key (every secret re-encrypted); verified with the new key before the
 * file is replaced. The same key material as before is refused. */
enum store_status store_rekey(struct store *s, enum store_method method,
                              const struct secbuf *key, struct store_error *err);

/* Wipe and free everything (NULL is fine); a transaction left open is aborted. */
void store_close(struct store *s);

/*
 * Key files: read one (regular, owned by you, mode 0400 or 0600 only, 32 to
 * 1024 bytes; a systemd credential, credential true, may also be root's with
 * a group-read ACL mask), or make a new one of 32 random bytes with mode 0400
 * (never over an existing file; synced before it is used).
 */
enum store_status store_key_file_read(const char *path, bool credential, struct secbuf **key,
                                      struct store_error *err);
enum store_status store_key_file_create(const char *path, struct secbuf **key, struct store_error *err);
/* Could a key file be made at path (its folder is there)? STORE_OK, or STORE_INVALID saying so. */
enum store_status store_key_file_placeable(const char *path, struct store_error *err);

/* The systemd credential's path ($CREDENTIALS_DIRECTORY/azrepos-connect.key)
 * in a malloc'ed string, or NULL when the variable is not set. */
char *store_credential_path(void);

/* Names and checks. */
const char *store_kind_name(enum store_kind kind);
bool store_kind_parse(const char *name, enum store_kind *kind);
const char *store_method_name(enum store_method method);
bool store_id_valid(const char *id);
/* Whether a value is acceptable for kind (size; no newline or NUL in the
 * text kinds, as git's credential protocol requires). */
bool store_value_valid(enum store_kind kind, const unsigned char *value, size_t len);

/* The exit code (exitcode.h) of a status: the one mapping of store errors. */
int store_exit_code(enum store_status status);

#endif
