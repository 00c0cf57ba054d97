/* SSH private keys as Azure DevOps takes them: RSA only, from memory. */
#ifndef AZ_SSHKEY_H
#define AZ_SSHKEY_H

#include <stdbool.h>
#include <stddef.h>

#include <libssh/libssh.h>

#include "secbuf.h"

/*
 * Import the private key in key (PEM or OpenSSH text) with its passphrase
 * (NULL: none) straight from memory, never through a file, and require RSA
 * (the only type Azure DevOps takes). 0 with *out set (free with ssh_key_free), or -1 with a
 * message naming the fix; -2 when the passphrase is the trouble (none given for an encrypted
 * key, or a wrong one), -3 when the key is not RSA. libssh copies the key into its own memory while
 * it parses; that copy is freed (not wiped) by libssh.
 */
int sshkey_import(const struct secbuf *key, const struct secbuf *passphrase, ssh_key *out,
                  char *msg, size_t msglen);

/*
 * Text often given for a private key that is not one (a public key, a PuTTY
 * or ssh.com key): what it is and what to give instead, or NULL.
 */
const char *sshkey_misgiven(const char *text);

/*
 * The form of a private key's text, as Harness sees it: its SSH credential
 * takes PEM only ("BEGIN RSA PRIVATE KEY", as 'ssh-keygen -m PEM' writes;
 * "OpenSSH keys are not supported"). OTHER (OpenSSH, PKCS#8) converts with
 * sshkey_to_pem; an ENCRYPTED one only with its passphrase, by ssh-keygen.
 */
enum sshkey_form { SSHKEY_FORM_PEM, SSHKEY_FORM_OTHER, SSHKEY_FORM_ENCRYPTED };
enum sshkey_form sshkey_form(const struct secbuf *key);

/*
 * key in PEM form, into *pem: a copy of a PEM key (with its passphrase or
 * not), else the key rewritten. 0, or what sshkey_import returns, with its
 * message (-2: it has a passphrase, which only ssh-keygen can keep).
 */
int sshkey_to_pem(const struct secbuf *key, struct secbuf **pem, char *msg, size_t msglen);

/* Does key open with passphrase as an RSA key? 0, or what sshkey_import returns, with its message. */
int sshkey_check(const struct secbuf *key, const struct secbuf *passphrase, char *msg, size_t msglen);

/* The end of sshkey_import's message for a key that is not RSA (a front end may offer its own way). */
#define SSHKEY_RSA_ADVICE "; generate one with ssh-keygen -t rsa -b 4096 -m PEM"

/* The bcrypt rounds of an encrypted OpenSSH key computed at most (ssh-keygen's default: 16; ~4 s). */
#define SSHKEY_MAX_KDF_ROUNDS 512

/* The PBKDF2 iterations of an encrypted PKCS#8 key computed at most (OpenSSL's default: 2048; ~5 s). */
#define SSHKEY_MAX_PBKDF2_ITERATIONS 10000000

/* Azure's advice for a new key: RSA, 4096 bits. */
#define SSHKEY_GENERATE_BITS 4096

/* The SHA256:<base64> fingerprint of key (as ssh-keygen -l and Azure DevOps show it), or "". */
void sshkey_fingerprint(const ssh_key key, char *out, size_t outlen);

/* The same of a public key line "<type> <base64> [comment]": false (out "") when it is none. */
bool sshkey_pub_fingerprint(const char *pub, char *out, size_t outlen);

/* The longest public key line sshkey_generate makes (RSA 4096 and its comment). */
#define SSHKEY_PUB_MAX 2048

/*
 * The public key line "<type> <base64>" of key, as Azure DevOps takes it (User settings > SSH
 * public keys): false (out "") when it cannot be written or does not fit.
 */
bool sshkey_pub_line(const ssh_key key, char *out, size_t outlen);

/*
 * Make a new RSA key: the private key in *priv, without a passphrase, in the
 * PEM form Harness asks for (as 'ssh-keygen -m PEM': "BEGIN RSA PRIVATE KEY");
 * the public key line "ssh-rsa AAAA... azrepos-connect:<who>@<host>" in pub
 * (publen >= SSHKEY_PUB_MAX), ready to paste into Azure DevOps, whose list of
 * keys then says what uses each. 0, or -1 with a message.
 */
int sshkey_generate(struct secbuf **priv, char *pub, size_t publen, const char *who, char *msg, size_t msglen);

/*
 * <dir>/<sid>.pub: where the public key of a key made here (stored as sid) is
 * kept. Returns path, or NULL (errno ENAMETOOLONG) when it does not fit.
 */
const char *sshkey_pub_path(const char *dir, const char *sid, char *path, size_t pathlen);

/*
 * Keep the public key line pub of the key stored as sid at sshkey_pub_path
 * (its path in path), dir made if need be. 0, or -1 with errno set.
 */
int sshkey_write_pub(const char *dir, const char *sid, const char *pub, char *path, size_t pathlen);

/*
 * The key stored as sid is now key (its passphrase: NULL if none or not at
 * hand): a public key file kept for sid that is not key's (a key made here,
 * then replaced) is removed, as it would be added to Azure DevOps for nothing.
 * A key that cannot be read here leaves the file. true when removed (its path
 * in path).
 */
bool sshkey_pub_forget(const char *dir, const char *sid, const struct secbuf *key, const struct secbuf *passphrase,
                       char *path, size_t pathlen);

#endif
