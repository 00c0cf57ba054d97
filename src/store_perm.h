/*
 * Ownership and mode checks of the store, its folders, its lock and key
 * files, the way OpenSSH judges private keys (sshkey_perm_ok, safe_path).
 * Every refusal says the exact command that fixes it; nothing is fixed
 * automatically.
 */
#ifndef AZ_STORE_PERM_H
#define AZ_STORE_PERM_H

#include <stdbool.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "store.h"

/*
 * An open store (or lock) file, judged by its fd: a regular file owned by
 * the effective user, no group/other permission bits, no other link.
 * what names it in messages ("secret store", "lock file"); other_ok: one of
 * the user's own elsewhere (--home) would do, which a store's lock would not.
 */
enum store_status store_perm_file(int fd, const char *path, const char *what, bool other_ok,
                                  struct store_error *err);

/*
 * The folder of path and every folder above it (symbolic links resolved):
 * owned by the effective user or root; the store's own folder not writable
 * by group or others; a folder above it only if it has the sticky bit
 * (like /tmp), where others cannot rename or remove what is ours.
 */
enum store_status store_perm_dirs(const char *path, struct store_error *err);

/*
 * The same for the folder dir and those above it: dir as an own folder (own),
 * or as one above an own folder yet to be made in it.
 */
enum store_status store_perm_tree(const char *dir, bool own, struct store_error *err);

/*
 * The store's own folder (of path) writable by the effective user, as every
 * change of the store needs (its lock, temp file and rename): a read-only
 * home is said with its chmod (STORE_PERMISSIONS), or a read-only file
 * system (STORE_IO), before anything is asked or made for the change.
 */
enum store_status store_perm_dir_writable(const char *path, struct store_error *err);

/* What the secret store's folder is for, and what others could do where they can write, as said. */
#define STORE_PERM_STORE_TO "keep the secret store"
#define STORE_PERM_STORE_RISK "(others could replace the secret store there)"

/*
 * Can files be made in dir (made if need be) and read back: dir, or the
 * folder it would be made in, and those above, folders writable by no one
 * else, and writable by the effective user? Only looks: nothing is made.
 * Else why, with the fix, in err: "cannot <to> in <dir>: ..." for what the
 * user cannot do, a folder others could write followed by risk (NULL: none).
 */
enum store_status store_perm_dir_usable(const char *dir, const char *to, const char *risk,
                                        struct store_error *err);

/*
 * A file whose contents are trusted (a connector names the host its token goes to, known_hosts
 * the host keys): owned by the effective user (or root, root_ok), writable by no one else, its
 * folders as store_perm_dirs judges them. What another could do with it is said in each refusal.
 */
struct store_perm_trust {
	bool root_ok;
	const char *owner_risk; /* "whoever owns it could ..." */
	const char *write_risk; /* "they could ..." */
	const char *write_fix;  /* before the chmod: "" or "check its lines, then " */
	const char *dirs_risk;  /* "others could ..." */
};

/* st: the file's, as opened. false: why, with the fix, in msg. */
bool store_perm_trusted(const char *path, const struct stat *st, const struct store_perm_trust *t, char *msg,
                        size_t msglen);

/* An open key file: regular, owned by the effective user, mode 0400 or 0600
 * exactly; a systemd credential (credential true) may also belong to root
 * and have a group-read ACL mask, never other bits. */
enum store_status store_perm_key(int fd, const char *path, bool credential, struct store_error *err);

/* The status and message for a failed open(2) of path (ELOOP: a symbolic link); what and other_ok as for
 * store_perm_file. */
enum store_status store_perm_open_error(int errnum, const char *path, const char *what, bool other_ok,
                                        struct store_error *err);

#endif
