/*
 * The store API: open and unlock (fail closed, §5.3), changes under the lock
 * with re-read, full verification and an atomic replace (§5.4), rekey (§5.6).
 * Keys and key material sit in sodium_malloc regions that are inaccessible
 * (PROT_NONE) between calls, while a wizard waits on a screen.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "paths.h"
#include "store_crypto.h"
#include "store_error.h"
#include "store_format.h"
#include "store_lock.h"
#include "store_params.h"
#include "store_perm.h"

#define MIB (UINT64_C(1) << 20)

struct store {
	char *path;
	const struct store_params *params;
	struct store_file *file;    /* the last verified state, or the new one */
	struct store_keys *keys;    /* NULL until unlocked */
	struct secbuf *material;    /* re-derives the key after another process's rekey */
	bool on_disk;               /* false: created here, not written yet */
	int lock_fd;
	struct store_file *txn;     /* the working state of a transaction, or NULL */
	struct store_keys *txn_keys;
	const char *notice;
};

static const struct store_params store_production = {
	.bounds = { 2, 10, 64 * MIB, 1024 * MIB },
	.ops_default = crypto_pwhash_argon2id_OPSLIMIT_MODERATE,
	.mem_default = crypto_pwhash_argon2id_MEMLIMIT_MODERATE,
	.ops_fallback = crypto_pwhash_argon2id_OPSLIMIT_INTERACTIVE,
	.mem_fallback = crypto_pwhash_argon2id_MEMLIMIT_INTERACTIVE,
	.lock_timeout_ms = 5000,
	.kdf = store_crypto_argon2id,
};

static const struct store_params store_test = {
	.bounds = { STORE_TEST_OPS_MIN, 10, STORE_TEST_MEM_MIN, 1024 * MIB },
	.ops_default = STORE_TEST_OPS_MIN,
	.mem_default = STORE_TEST_MEM_MIN,
	.ops_fallback = STORE_TEST_OPS_MIN,
	.mem_fallback = STORE_TEST_MEM_MIN,
	.lock_timeout_ms = 5000,
	.kdf = store_crypto_argon2id,
};

const struct store_params *store_params_production(void)
{
	return &store_production;
}

const struct store_params *store_params_test(void)
{
	return &store_test;
}

/* ---- memory protection around every call ---- */

static void store_protect(struct store *s, bool open)
{
	int (*prot)(void *) = open ? sodium_mprotect_readwrite : sodium_mprotect_noaccess;

	if (s->keys)
		prot(s->keys);
	if (s->txn_keys)
		prot(s->txn_keys);
	if (s->material)
		prot(s->material->data);
}

/* ---- checks ---- */

bool store_value_valid(enum store_kind kind, const unsigned char *value, size_t len)
{
	if (len == 0 || len > STORE_VALUE_MAX)
		return false;
	if (kind == STORE_KIND_SSH_PRIVATE_KEY)
		return true;
	/* Text secrets travel through git's line-based credential protocol. */
	for (size_t i = 0; i < len; i++)
		if (value[i] == '\n' || value[i] == '\r' || value[i] == '\0')
			return false;
	return true;
}

static enum store_status store_material_check(enum store_method method, const struct secbuf *key,
                                              struct store_error *err)
{
	if (method == STORE_METHOD_PASSPHRASE && key->len == 0)
		return store_fail(err, STORE_INVALID, "an empty passphrase is not allowed");
	if (method != STORE_METHOD_PASSPHRASE && key->len < STORE_KEY_FILE_MIN)
		return store_fail(err, STORE_INVALID, "a key file must hold at least %d bytes",
		                  STORE_KEY_FILE_MIN);
	if (key->len > STORE_KEY_MATERIAL_MAX)
		return store_fail(err, STORE_INVALID, "the %s is longer than %d bytes",
		                  method == STORE_METHOD_PASSPHRASE ? "passphrase" : "key file",
		                  STORE_KEY_MATERIAL_MAX);
	return STORE_OK;
}

static bool store_params_ok(const struct store_params *p)
{
	return p->bounds.ops_min >= STORE_TEST_OPS_MIN && p->bounds.mem_min >= STORE_TEST_MEM_MIN &&
	       p->ops_fallback >= p->bounds.ops_min && p->mem_fallback >= p->bounds.mem_min &&
	       p->ops_default <= p->bounds.ops_max && p->mem_default <= p->bounds.mem_max && p->kdf;
}

/* ---- reading ---- */

/* Open, check and parse the file at path into f. */
static enum store_status store_read(const char *path, const struct store_params *p, struct store_file *f,
                                    struct store_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	enum store_status st;
	/* O_NONBLOCK: a FIFO planted there is refused below, not waited on. */
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);

	if (fd < 0) {
		if (errno == ENOENT)
			return store_fail(err, STORE_NO_STORE, "there is no secret store at %s yet", path);
		return store_perm_open_error(errno, path, "secret store", true, err);
	}
	if ((st = store_perm_file(fd, path, "secret store", true, err)) == STORE_OK &&
	    (st = store_perm_dirs(path, err)) == STORE_OK && fileio_read_fd(fd, STORE_FILE_MAX, &buf, &len) != 0)
		st = errno == EFBIG ? store_fail(err, STORE_CORRUPT, "the secret store %s is larger than "
		                                 "%d bytes", path, STORE_FILE_MAX)
		                    : store_fail(err, STORE_IO, "cannot read the secret store %s: %s", path,
		                                 strerror(errno));
	close(fd);
	if (st == STORE_OK)
		st = store_format_parse(buf, len, &p->bounds, f, err);
	free(buf);
	return st;
}

/* Whether the key derived for known is also the key of f (same KDF input). */
static bool store_same_unlock(const struct store_file *f, const struct store_file *known)
{
	const struct store_unlock_hdr *a = &f->unlock, *b = &known->unlock;

	if (a->method != b->method)
		return false;
	if (a->method != STORE_METHOD_PASSPHRASE)
		return memcmp(f->store_id, known->store_id, STORE_ID_BYTES) == 0;
	return a->opslimit == b->opslimit && a->memlimit == b->memlimit &&
	       memcmp(a->salt, b->salt, STORE_SALT_BYTES) == 0;
}

static const char *store_wrong_key_message(enum store_method method)
{
	switch (method) {
	case STORE_METHOD_PASSPHRASE:
		return "wrong passphrase for the secret store";
	case STORE_METHOD_KEYFILE:
		return "wrong key file for the secret store";
	case STORE_METHOD_CREDENTIAL:
		break;
	}
	return "wrong key for the secret store (the systemd credential " STORE_CREDENTIAL_NAME ")";
}

/*
 * Derive f's keys into k (reusing known's when f has the same KDF input) and
 * authenticate f: key check, data key, MAC. Optionally decrypt every secret.
 */
static enum store_status store_authenticate(const struct store *s, const struct store_file *f,
                                            const struct secbuf *material, const struct store_file *known,
                                            const struct store_keys *known_keys, bool all,
                                            struct store_keys *k, struct store_error *err)
{
	enum store_status st;

	if (known && store_same_unlock(f, known)) {
		memcpy(k->master, known_keys->master, sizeof(k->master));
		memcpy(k->kek, known_keys->kek, sizeof(k->kek));
		memcpy(k->check, known_keys->check, sizeof(k->check));
	} else if ((st = store_crypto_master(f, material->data, material->len, s->params->kdf, k, err)) != STORE_OK) {
		return st;
	}
	if (!store_crypto_check_ok(f, k))
		return store_fail(err, STORE_WRONG_KEY, "%s", store_wrong_key_message(f->unlock.method));
	if ((st = store_crypto_open(f, k, err)) != STORE_OK)
		return st;
	for (size_t i = 0; all && i < f->count; i++) {
		struct secbuf *v = NULL;

		if ((st = store_crypto_decrypt(f, i, k, &v, err)) != STORE_OK)
			return st;
		secbuf_free(v);
	}
	return STORE_OK;
}

static struct store *store_new(const char *path, const struct store_params *p)
{
	struct store *s = calloc(1, sizeof(*s));

	if (!s)
		return NULL;
	s->path = strdup(path);
	s->file = calloc(1, sizeof(*s->file));
	s->params = p;
	s->lock_fd = -1;
	if (!s->path || !s->file) {
		free(s->path);
		free(s->file);
		free(s);
		return NULL;
	}
	return s;
}

enum store_status store_load_params(const char *path, const struct store_params *params,
                                    struct store **out, struct store_error *err)
{
	struct store *s;
	enum store_status st;

	*out = NULL;
	if (!store_params_ok(params))
		return store_fail(err, STORE_INVALID, "store parameters below the test floor");
	if (sodium_init() < 0)
		return store_fail(err, STORE_NO_MEMORY, "libsodium cannot start");
	if (!(s = store_new(path, params)))
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	st = store_read(path, params, s->file, err);
	if (st != STORE_OK) {
		store_close(s);
		return st;
	}
	s->on_disk = true;
	*out = s;
	return STORE_OK;
}

enum store_status store_load(const char *path, struct store **out, struct store_error *err)
{
	return store_load_params(path, &store_production, out, err);
}

enum store_method store_method(const struct store *s)
{
	return s->file->unlock.method;
}

static enum store_status store_unlock_impl(struct store *s, const struct secbuf *key, struct store_error *err)
{
	struct store_keys *k;
	struct secbuf *m;
	enum store_status st;

	if (s->keys)
		return STORE_OK;
	if (key->len > STORE_KEY_MATERIAL_MAX)
		return store_fail(err, STORE_WRONG_KEY, "%s", store_wrong_key_message(store_method(s)));
	k = store_keys_new();
	m = secbuf_dup(key->data, key->len);
	if (!k || !m) {
		store_keys_free(k);
		secbuf_free(m);
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	}
	st = store_authenticate(s, s->file, m, NULL, NULL, false, k, err);
	if (st != STORE_OK) {
		store_keys_free(k);
		secbuf_free(m);
		return st;
	}
	s->keys = k;
	s->material = m;
	return STORE_OK;
}

enum store_status store_unlock(struct store *s, const struct secbuf *key, struct store_error *err)
{
	enum store_status st;

	store_protect(s, true);
	st = store_unlock_impl(s, key, err);
	store_protect(s, false);
	return st;
}

/* A new unlock header for method: a fresh salt and the current KDF limits. */
static void store_new_unlock(struct store *s, enum store_method method, struct store_unlock_hdr *u)
{
	const struct store_params *p = s->params;
	uint64_t avail;

	memset(u, 0, sizeof(*u));
	u->method = method;
	if (method != STORE_METHOD_PASSPHRASE)
		return;
	u->kdf_alg = STORE_KDF_ARGON2ID13;
	u->opslimit = p->ops_default;
	u->memlimit = p->mem_default;
	/* Leave room for the rest of the system; below that, the lighter preset. */
	if (store_crypto_mem_available(&avail) && avail < p->mem_default + 64 * MIB) {
		u->opslimit = p->ops_fallback;
		u->memlimit = p->mem_fallback;
		s->notice = "little memory is available: the store's passphrase key derivation uses "
		            "Argon2id's interactive limits instead of the moderate ones";
	}
	randombytes_buf(u->salt, STORE_SALT_BYTES);
}

enum store_status store_create_params(const char *path, const struct store_params *params,
                                      enum store_method method, const struct secbuf *key,
                                      struct store **out, struct store_error *err)
{
	struct store *s;
	enum store_status st;

	*out = NULL;
	if (!store_params_ok(params))
		return store_fail(err, STORE_INVALID, "store parameters below the test floor");
	if ((st = store_material_check(method, key, err)) != STORE_OK)
		return st;
	if (sodium_init() < 0)
		return store_fail(err, STORE_NO_MEMORY, "libsodium cannot start");
	if (!(s = store_new(path, params)) || !(s->keys = store_keys_new()) ||
	    !(s->material = secbuf_dup(key->data, key->len))) {
		store_close(s);
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	}
	randombytes_buf(s->file->store_id, STORE_ID_BYTES);
	store_new_unlock(s, method, &s->file->unlock);
	st = store_crypto_master(s->file, key->data, key->len, params->kdf, s->keys, err);
	if (st != STORE_OK) {
		store_close(s);
		return st;
	}
	store_crypto_new_dek(s->keys);
	store_protect(s, false);
	*out = s;
	return STORE_OK;
}

enum store_status store_create(const char *path, enum store_method method, const struct secbuf *key,
                               struct store **out, struct store_error *err)
{
	return store_create_params(path, &store_production, method, key, out, err);
}

const char *store_notice(const struct store *s)
{
	return s->notice;
}

size_t store_count(const struct store *s)
{
	return s->keys ? s->file->count : 0; /* nothing before authentication */
}

bool store_info(const struct store *s, size_t i, struct store_info *info)
{
	const struct store_entry *e;

	if (i >= store_count(s))
		return false;
	e = &s->file->entries[i];
	info->id = e->id;
	info->kind = e->kind;
	info->created = (int64_t)e->created;
	info->updated = (int64_t)e->updated;
	return true;
}

bool store_find(const struct store *s, const char *id, struct store_info *info)
{
	int i = s->keys ? store_format_find(s->file, id) : -1; /* nothing before authentication */

	return i >= 0 && store_info(s, (size_t)i, info);
}

bool store_txn_has(const struct store *s, const char *id)
{
	return store_txn_kind(s, id, NULL);
}

bool store_txn_kind(const struct store *s, const char *id, enum store_kind *kind)
{
	int i = s->txn ? store_format_find(s->txn, id) : -1;

	if (i >= 0 && kind)
		*kind = s->txn->entries[i].kind;
	return i >= 0;
}

uint64_t store_generation(const struct store *s)
{
	return s->file->generation;
}

/* ---- transactions ---- */

static void store_txn_end(struct store *s)
{
	if (s->txn) {
		store_format_clear(s->txn);
		free(s->txn);
		s->txn = NULL;
	}
	store_keys_free(s->txn_keys);
	s->txn_keys = NULL;
	store_lock_release(&s->lock_fd);
}

static enum store_status store_mkdir(const char *path, struct store_error *err)
{
	const char *slash = strrchr(path, '/');
	char *dir;
	int rc;

	if (!slash || slash == path)
		return STORE_OK;
	if (!(dir = strndup(path, (size_t)(slash - path))))
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	rc = paths_mkdir(dir);
	if (rc != 0)
		store_fail(err, STORE_IO, "cannot create the folder %s: %s", dir, strerror(errno));
	free(dir);
	return rc == 0 ? STORE_OK : STORE_IO;
}

enum store_status store_prepare_dir(const char *path, struct store_error *err)
{
	const char *base;
	char *dir = fileio_dir(path, &base);
	/* Judged before anything is made: a refused home (another user's) is left as it was. */
	enum store_status st = dir ? store_perm_dir_usable(dir, STORE_PERM_STORE_TO, STORE_PERM_STORE_RISK, err)
	                           : store_fail(err, STORE_NO_MEMORY, "out of memory");

	free(dir);
	if (st == STORE_OK)
		st = store_mkdir(path, err);
	if (st == STORE_OK)
		st = store_perm_dirs(path, err);
	return st == STORE_OK ? store_perm_dir_writable(path, err) : st;
}

/* Take the lock, clean stale temp files, re-read and fully verify the store. */
static enum store_status store_begin_impl(struct store *s, struct store_error *err)
{
	enum store_status st;
	struct store_file *t;

	if (!s->keys)
		return store_fail(err, STORE_INVALID, "the secret store is not unlocked");
	if (s->txn)
		return store_fail(err, STORE_INVALID, "a change of the secret store is already in progress");
	if (!s->on_disk && (st = store_prepare_dir(s->path, err)) != STORE_OK)
		return st;
	/* A read-only home: its chmod, not a lock file or temp file that cannot be made. */
	if (s->on_disk && (st = store_perm_dir_writable(s->path, err)) != STORE_OK)
		return st;
	if ((st = store_lock_take(s->path, s->params->lock_timeout_ms, &s->lock_fd, err)) != STORE_OK)
		return st;
	fileio_clean_temps(s->path, 0);
	t = calloc(1, sizeof(*t));
	s->txn_keys = store_keys_new();
	s->txn = t;
	if (!t || !s->txn_keys) {
		store_txn_end(s);
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	}
	st = store_read(s->path, s->params, t, err);
	if (!s->on_disk && st == STORE_NO_STORE) {
		*t = *s->file; /* new and empty: no ciphertexts to share */
		*s->txn_keys = *s->keys;
		return STORE_OK;
	}
	if (!s->on_disk && st == STORE_OK) {
		/* Made meanwhile by another run (two first runs at once): used instead when our key opens it. */
		st = store_authenticate(s, t, s->material, NULL, NULL, true, s->txn_keys, err);
		if (st == STORE_OK)
			s->on_disk = true;
		else if (st == STORE_WRONG_KEY)
			st = store_fail(err, STORE_BUSY, "another process created the secret store %s meanwhile, "
			                "with another %s; run the command again", s->path,
			                t->unlock.method == STORE_METHOD_PASSPHRASE ? "passphrase" : "key");
	} else if (st == STORE_NO_STORE)
		st = store_fail(err, STORE_NO_STORE, "the secret store %s was removed while in use", s->path);
	else if (st == STORE_OK)
		st = store_authenticate(s, t, s->material, s->file, s->keys, true, s->txn_keys, err);
	/* The key that opened it a moment ago: another run changed the key meanwhile, nothing is lost. */
	if (st == STORE_WRONG_KEY && s->on_disk && !store_same_unlock(t, s->file))
		st = store_fail(err, STORE_BUSY, "another run changed the key of the secret store %s (secret rekey) "
		                "since this one opened it: nothing was changed; run it again with the new key", s->path);
	/* Writers only count up: a lower generation is an older copy put back (restored, or planted). */
	if (st == STORE_OK && s->on_disk && t->generation < s->file->generation)
		st = store_fail(err, STORE_TAMPERED, "the secret store %s was replaced by an older copy while in use "
		                "(generation %llu, was %llu): nothing was changed; look at who restored it",
		                s->path, (unsigned long long)t->generation, (unsigned long long)s->file->generation);
	if (st != STORE_OK)
		store_txn_end(s);
	return st;
}

enum store_status store_hold_lock(const char *path, int *fd, struct store_error *err)
{
	return store_lock_take(path, store_production.lock_timeout_ms, fd, err);
}

void store_release_lock(int *fd)
{
	store_lock_release(fd);
}

enum store_status store_begin(struct store *s, struct store_error *err)
{
	enum store_status st;

	store_protect(s, true);
	st = store_begin_impl(s, err);
	store_protect(s, false);
	return st;
}

/* What the read-back check of a written file compares against. */
struct store_written {
	const struct store *s;
	const char *json;
	const struct store_file *next;
	const struct store_keys *keys;
	const struct secbuf *material;
	bool rekey;
};

/* The temp file as read back must be our bytes and open with the key it is
 * meant for: after a rekey, derived again from the new key material. */
static int store_verify_written(const void *data, size_t len, void *user)
{
	const struct store_written *w = user;
	struct store_file *f = calloc(1, sizeof(*f));
	struct store_keys *k = store_keys_new();
	int ok = f && k && memcmp(data, w->json, len) == 0 &&
	         store_format_parse(data, len, &w->s->params->bounds, f, NULL) == STORE_OK &&
	         store_authenticate(w->s, f, w->material, w->rekey ? NULL : w->next, w->keys, true, k,
	                            NULL) == STORE_OK &&
	         f->generation == w->next->generation;

	if (f)
		store_format_clear(f);
	free(f);
	store_keys_free(k);
	return ok ? 0 : -1;
}

/*
 * Write the transaction's state as generation + 1: every secret re-encrypted
 * with a fresh nonce (the generation is in its AD). With new_material, a
 * rekey: new unlock header, key and data key. Ends the transaction.
 */
static enum store_status store_commit_with(struct store *s, enum store_method method,
                                           const struct secbuf *new_material, struct store_error *err)
{
	const struct store_file *t = s->txn;
	struct store_file *next = calloc(1, sizeof(*next));
	struct store_keys *nk = store_keys_new();
	struct store_written w = { .s = s, .material = new_material ? new_material : s->material,
	                           .rekey = new_material != NULL };
	char *json = NULL;
	size_t len = 0;
	enum store_status st = STORE_OK;

	if (!next || !nk) {
		st = store_fail(err, STORE_NO_MEMORY, "out of memory");
		goto out;
	}
	if (t->generation >= STORE_NUMBER_MAX) {
		st = store_fail(err, STORE_INVALID, "the store's generation counter is exhausted");
		goto out;
	}
	memcpy(next->store_id, t->store_id, STORE_ID_BYTES);
	next->generation = t->generation + 1;
	next->unlock = t->unlock;
	*nk = *s->txn_keys;
	if (new_material) {
		store_new_unlock(s, method, &next->unlock);
		if ((st = store_crypto_master(next, new_material->data, new_material->len, s->params->kdf, nk,
		                              err)) != STORE_OK)
			goto out;
		store_crypto_new_dek(nk);
	}
	for (size_t i = 0; i < t->count; i++) {
		struct secbuf *v = NULL;
		struct store_entry *e = &next->entries[i];

		memcpy(e->id, t->entries[i].id, sizeof(e->id));
		e->kind = t->entries[i].kind;
		e->created = t->entries[i].created;
		e->updated = t->entries[i].updated;
		next->count = i + 1;
		if ((st = store_crypto_decrypt(t, i, s->txn_keys, &v, err)) != STORE_OK)
			goto out;
		int rc = store_crypto_encrypt(next, i, nk, v->data, v->len);
		secbuf_free(v);
		if (rc != 0) {
			st = store_fail(err, STORE_NO_MEMORY, "out of memory");
			goto out;
		}
	}
	store_crypto_seal(next, nk);
	if (store_format_serialize(next, &json, &len) != 0) {
		st = store_fail(err, STORE_NO_MEMORY, "out of memory");
		goto out;
	}
	if (len > STORE_FILE_MAX) {
		st = store_fail(err, STORE_INVALID, "the secret store would grow beyond %d bytes; remove "
		                "secrets you no longer need", STORE_FILE_MAX);
		goto out;
	}
	w.json = json;
	w.next = next;
	w.keys = nk;
	int wrc = fileio_write_atomic(s->path, json, len, store_verify_written, &w);
	/* In place, its folder not synced: the store as it is now, with the warning. */
	if (wrc == -2) {
		st = store_fail(err, STORE_IO, "the secret store %s was written, but syncing its folder failed (%s): "
		                "after a power loss it may be the old one", s->path, strerror(errno));
		if (err)
			err->written = true;
	} else if (wrc != 0) {
		if (errno == EBADMSG)
			st = store_fail(err, STORE_IO, "the new secret store did not verify when read back; "
			                "the store is unchanged");
		else
			st = store_fail(err, STORE_IO, "cannot write the secret store %s: %s; the store is "
			                "unchanged", s->path, strerror(errno));
		goto out;
	}
	store_format_clear(s->file);
	free(s->file);
	s->file = next;
	next = NULL;
	store_keys_free(s->keys);
	s->keys = nk;
	nk = NULL;
	s->on_disk = true;
out:
	free(json);
	if (next)
		store_format_clear(next);
	free(next);
	store_keys_free(nk);
	store_txn_end(s);
	return st;
}

enum store_status store_commit(struct store *s, struct store_error *err)
{
	enum store_status st;

	store_protect(s, true);
	st = s->txn ? store_commit_with(s, store_method(s), NULL, err)
	            : store_fail(err, STORE_INVALID, "no change of the secret store is in progress");
	store_protect(s, false);
	return st;
}

enum store_status store_commit_held(struct store *s, int *fd, struct store_error *err)
{
	*fd = s->txn ? s->lock_fd : -1;
	s->lock_fd = -1;
	return store_commit(s, err);
}

void store_abort(struct store *s)
{
	store_protect(s, true);
	store_txn_end(s);
	store_protect(s, false);
}

/* ---- reading and changing secrets ---- */

static enum store_status store_get_impl(struct store *s, const char *id, struct secbuf **value,
                                        struct store_error *err)
{
	const struct store_file *f = s->txn ? s->txn : s->file;
	const struct store_keys *k = s->txn ? s->txn_keys : s->keys;
	int i;

	if (!k)
		return store_fail(err, STORE_INVALID, "the secret store is not unlocked");
	i = store_format_find(f, id);
	if (i < 0)
		return store_fail(err, STORE_NOT_FOUND, "no secret '%.64s' in the store", id);
	return store_crypto_decrypt(f, (size_t)i, k, value, err);
}

enum store_status store_get(struct store *s, const char *id, struct secbuf **value, struct store_error *err)
{
	enum store_status st;

	*value = NULL;
	store_protect(s, true);
	st = store_get_impl(s, id, value, err);
	store_protect(s, false);
	return st;
}

bool store_holds(struct store *s, const char *id, enum store_kind kind, const struct secbuf *value)
{
	/* The view store_get reads: the transaction's, else the file's (nothing before authentication). */
	const struct store_file *f = s->txn ? s->txn : s->file;
	int i = (s->txn ? s->txn_keys : s->keys) ? store_format_find(f, id) : -1;
	struct secbuf *have = NULL;
	struct store_error err;
	bool same = i >= 0 && f->entries[i].kind == kind && store_get(s, id, &have, &err) == STORE_OK &&
	            secbuf_equal(have, value);

	secbuf_free(have);
	return same;
}

static uint64_t store_now(void)
{
	time_t t = time(NULL);

	return t > 0 ? (uint64_t)t : 0;
}

static enum store_status store_put_txn(struct store *s, const char *id, enum store_kind kind,
                                       const struct secbuf *value, struct store_error *err)
{
	struct store_file *t = s->txn;
	int found = store_format_find(t, id);
	size_t i = 0;
	struct store_entry *e;

	if (found >= 0) {
		i = (size_t)found;
	} else {
		if (t->count == STORE_MAX_ENTRIES)
			return store_fail(err, STORE_INVALID, "the store holds %d secrets at most",
			                  STORE_MAX_ENTRIES);
		while (i < t->count && strcmp(t->entries[i].id, id) < 0)
			i++;
		memmove(&t->entries[i + 1], &t->entries[i], (t->count - i) * sizeof(t->entries[0]));
		t->count++;
		e = &t->entries[i];
		memset(e, 0, sizeof(*e));
		strcpy(e->id, id);
		e->created = store_now();
	}
	e = &t->entries[i];
	e->kind = kind;
	e->updated = store_now();
	if (e->updated < e->created)
		e->updated = e->created; /* the clock went back */
	if (store_crypto_encrypt(t, i, s->txn_keys, value->data, value->len) != 0)
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	return STORE_OK;
}

static enum store_status store_delete_txn(struct store *s, const char *id, struct store_error *err)
{
	struct store_file *t = s->txn;
	int i = store_format_find(t, id);

	if (i < 0)
		return store_fail(err, STORE_NOT_FOUND, "no secret '%.64s' in the store", id);
	free(t->entries[i].ct);
	memmove(&t->entries[i], &t->entries[i + 1], (t->count - (size_t)i - 1) * sizeof(t->entries[0]));
	t->count--;
	return STORE_OK;
}

/* Run one change inside the open transaction, or as its own transaction. */
static enum store_status store_change(struct store *s, const char *id, enum store_kind kind,
                                      const struct secbuf *value, struct store_error *err)
{
	bool own = !s->txn;
	enum store_status st;

	if (own && (st = store_begin_impl(s, err)) != STORE_OK)
		return st;
	st = value ? store_put_txn(s, id, kind, value, err) : store_delete_txn(s, id, err);
	if (own && st == STORE_OK)
		return store_commit_with(s, store_method(s), NULL, err);
	if (own)
		store_txn_end(s);
	return st;
}

enum store_status store_value_check(enum store_kind kind, const struct secbuf *value, struct store_error *err)
{
	if ((unsigned)kind >= STORE_KIND_COUNT)
		return store_fail(err, STORE_INVALID, "unknown kind of secret");
	if (!store_value_valid(kind, value->data, value->len))
		return store_fail(err, STORE_INVALID, "a %s must be 1 byte to 64 KiB%s", store_kind_name(kind),
		                  kind == STORE_KIND_SSH_PRIVATE_KEY ? "" : ", without newlines or NUL bytes");
	return STORE_OK;
}

enum store_status store_put(struct store *s, const char *id, enum store_kind kind,
                            const struct secbuf *value, struct store_error *err)
{
	enum store_status st;

	if (!store_id_valid(id))
		return store_fail(err, STORE_INVALID, "'%.70s' is not a valid secret id: 1 to 64 of a-z, 0-9, "
		                  "'.', '_', '-', starting with a letter or digit, without '..'", id);
	if ((st = store_value_check(kind, value, err)) != STORE_OK)
		return st;
	store_protect(s, true);
	st = store_change(s, id, kind, value, err);
	store_protect(s, false);
	return st;
}

enum store_status store_delete(struct store *s, const char *id, struct store_error *err)
{
	enum store_status st;

	store_protect(s, true);
	st = store_change(s, id, STORE_KIND_TOKEN, NULL, err);
	store_protect(s, false);
	return st;
}

static enum store_status store_rekey_impl(struct store *s, enum store_method method, const struct secbuf *key,
                                          struct store_error *err)
{
	struct secbuf *m;
	enum store_status st;

	if ((st = store_material_check(method, key, err)) != STORE_OK)
		return st;
	if (s->txn)
		return store_fail(err, STORE_INVALID, "a change of the secret store is in progress");
	if (s->material && method == store_method(s) && secbuf_equal(key, s->material))
		return store_fail(err, STORE_INVALID, "the new %s is the same as the current one: nothing was "
		                  "changed (give another %s)", method == STORE_METHOD_PASSPHRASE ? "passphrase" : "key",
		                  method == STORE_METHOD_PASSPHRASE ? "passphrase" : "key file");
	if (!(m = secbuf_dup(key->data, key->len)))
		return store_fail(err, STORE_NO_MEMORY, "out of memory");
	if ((st = store_begin_impl(s, err)) == STORE_OK)
		st = store_commit_with(s, method, m, err);
	/* In place (its folder maybe not synced): the store is under the new key now. */
	if (st == STORE_OK || (st == STORE_IO && err && err->written)) {
		secbuf_free(s->material);
		s->material = m;
		return st;
	}
	secbuf_free(m);
	return st;
}

enum store_status store_rekey(struct store *s, enum store_method method, const struct secbuf *key,
                              struct store_error *err)
{
	enum store_status st;

	store_protect(s, true);
	st = store_rekey_impl(s, method, key, err);
	store_protect(s, false);
	return st;
}

void store_close(struct store *s)
{
	if (!s)
		return;
	store_protect(s, true);
	store_txn_end(s);
	if (s->file)
		store_format_clear(s->file);
	free(s->file);
	store_keys_free(s->keys);
	secbuf_free(s->material);
	free(s->path);
	free(s);
	sodium_stackzero(16384);
}

enum store_status store_reset(const char *path, char *moved, size_t movedlen, struct store_error *err)
{
	struct stat st;
	int fd = -1;
	enum store_status s;

	/* Nothing there, not even its folder: no lock to take either. */
	if (lstat(path, &st) != 0 && errno == ENOENT)
		return store_fail(err, STORE_NOT_FOUND, "there is no secret store %s: nothing to reset", path);
	if ((s = store_perm_dir_writable(path, err)) != STORE_OK)
		return s;
	if ((s = store_lock_take(path, store_production.lock_timeout_ms, &fd, err)) != STORE_OK)
		return s;
	if (lstat(path, &st) != 0) {
		s = errno == ENOENT ? store_fail(err, STORE_NOT_FOUND, "there is no secret store %s: nothing "
		                                 "to reset", path)
		                    : store_fail(err, STORE_IO, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		s = store_fail(err, STORE_PERMISSIONS, "%s is not a regular file: look at it and move it "
		               "away by hand", path);
		goto out;
	}
	int rc = fileio_rename_aside(path, "corrupt", moved, movedlen);
	if (rc == -1)
		s = store_fail(err, errno == EEXIST ? STORE_BUSY : STORE_IO, "cannot move %s aside: %s", path,
		               errno == EEXIST ? "a copy of this second exists, try again" : strerror(errno));
	else if (rc == -2)
		s = store_fail(err, STORE_IO, "%s was moved to %s, but syncing its folder failed (%s): after "
		               "a power loss it may be back", path, moved, strerror(errno));
out:
	store_lock_release(&fd);
	return s;
}
