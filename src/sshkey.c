#include <config.h>

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "msg.h"
#include "paths.h"
#include "sshkey.h"
#include "sshkey_pem.h"
#include "store.h"

/* Never ask: without this, a key that needs a passphrase makes OpenSSL prompt on the terminal. */
static int sshkey_no_prompt(const char *prompt, char *buf, size_t len, int echo, int verify, void *user)
{
	(void)prompt;
	(void)buf;
	(void)len;
	(void)echo;
	(void)verify;
	(void)user;
	return -1;
}

/* A 32-bit big-endian number of an OpenSSH key's header. */
static uint32_t sshkey_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/*
 * The start of an OpenSSH-format key's header, nothing secret: the cipher and
 * KDF names, the salt and the bcrypt rounds, and the type of its (first) public
 * key. False when text is not that format (or is damaged there); else whether a
 * passphrase protects the key, the rounds it asks for (0: not bcrypt), read
 * before libssh spends them (a damaged count costs hours), and the key's type
 * into type ("" when not read).
 */
static bool sshkey_openssh_header(const char *text, bool *encrypted, uint32_t *rounds, char *type, size_t typelen)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	const char *b = strstr(text, begin);
	char b64[344 + 1];
	unsigned char bin[260];
	size_t n = 0, len = 0, at = 15, kdf = 0, kdflen = 0;
	bool ok = false;

	*encrypted = false;
	*rounds = 0;
	*type = '\0';
	if (!b)
		return false;
	for (b += strlen(begin); *b && *b != '-' && n < sizeof(b64) - 1; b++)
		if (!strchr(" \t\r\n", *b))
			b64[n++] = *b;
	n -= n % 4;
	b64[n] = '\0';
	if (sodium_base642bin(bin, sizeof(bin), b64, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len < at || memcmp(bin, "openssh-key-v1", at) != 0)
		goto out;
	/* string ciphername, string kdfname, string kdfoptions { string salt, uint32 rounds } */
	for (int i = 0; i < 4; i++) {
		if (len - at < 4)
			goto out;
		uint32_t l = i == 2 ? 0 : sshkey_be32(bin + at); /* kdfoptions: only its length, then inside */
		at += 4;
		if (l > len - at)
			goto out;
		if (i == 0)
			*encrypted = !(l == 4 && memcmp(bin + at, "none", 4) == 0);
		if (i == 1) {
			kdf = at;
			kdflen = l;
		}
		at += l;
	}
	if (kdflen == 6 && memcmp(bin + kdf, "bcrypt", 6) == 0 && len - at >= 4)
		*rounds = sshkey_be32(bin + at);
	ok = true;
	/* After the three strings: uint32 number of keys, string public key { string type, ... }. */
	int i = 0;
	for (at = 15; i < 3 && len - at >= 4 && sshkey_be32(bin + at) <= len - at - 4; i++)
		at += 4 + sshkey_be32(bin + at);
	if (i == 3 && len - at >= 12) {
		uint32_t l = sshkey_be32(bin + at + 8);
		if (l < typelen && l <= len - at - 12)
			snprintf(type, typelen, "%.*s", (int)l, (const char *)bin + at + 12);
	}
out:
	/* What follows the header is the key itself (in clear when no passphrase protects it). */
	sodium_memzero(b64, sizeof(b64));
	sodium_memzero(bin, sizeof(bin));
	return ok;
}

/*
 * Does the key's text say a passphrase protects it (the OpenSSH header, or PEM's)? With the
 * bcrypt rounds asked, and an OpenSSH key's type ("" for another form).
 */
static bool sshkey_encrypted(const char *text, uint32_t *rounds, char *type, size_t typelen)
{
	bool encrypted;

	if (!sshkey_openssh_header(text, &encrypted, rounds, type, typelen))
		encrypted = strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || strstr(text, "Proc-Type: 4,ENCRYPTED");
	return encrypted;
}

enum sshkey_form sshkey_form(const struct secbuf *key)
{
	const char *text = (const char *)key->data;
	char type[64];
	uint32_t rounds;

	if (strstr(text, "-----BEGIN RSA PRIVATE KEY-----"))
		return SSHKEY_FORM_PEM;
	return sshkey_encrypted(text, &rounds, type, sizeof(type)) ? SSHKEY_FORM_ENCRYPTED : SSHKEY_FORM_OTHER;
}

const char *sshkey_misgiven(const char *text)
{
	static const struct {
		const char *start, *what;
	} kinds[] = {
		{ "ssh-", "a public key: give the private key (the file without .pub)" },
		{ "ecdsa-", "a public key: give the private key (the file without .pub)" },
		{ "-----BEGIN PUBLIC KEY", "a public key: give the private key" },
		{ "-----BEGIN RSA PUBLIC KEY", "a public key: give the private key" },
		{ "---- BEGIN SSH2 PUBLIC KEY", "a public key: give the private key" },
		{ "PuTTY-User-Key-File-", "a PuTTY key (.ppk): convert it with "
		                          "'puttygen KEY.ppk -O private-openssh -o KEY' and give KEY" },
		{ "---- BEGIN SSH2 ENCRYPTED PRIVATE KEY", "an ssh.com key: convert it with "
		                                          "'ssh-keygen -i -f KEY > KEY.openssh' and give that" },
	};

	text += strspn(text, " \t\r\n");
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (strncmp(text, kinds[i].start, strlen(kinds[i].start)) == 0)
			return kinds[i].what;
	return NULL;
}

int sshkey_import(const struct secbuf *key, const struct secbuf *passphrase, ssh_key *out,
                  char *msg, size_t msglen)
{
	ssh_key k = NULL;

	*out = NULL;
	if (!key || key->len == 0 || strlen((const char *)key->data) != key->len) {
		snprintf(msg, msglen, "no SSH private key given: give the key file's text (PEM or OpenSSH format)");
		return -1;
	}
	const char *text = (const char *)key->data;
	char type[64];
	uint32_t rounds;
	bool encrypted = sshkey_encrypted(text, &rounds, type, sizeof(type));
	/* Known from the header: never handed to libssh, which would free its decoded copy unwiped. */
	if (*type && strcmp(type, "ssh-rsa") != 0) {
		snprintf(msg, msglen, "the SSH key is %s: Azure DevOps accepts only RSA keys" SSHKEY_RSA_ADVICE, type);
		return -3;
	}
	if (rounds > SSHKEY_MAX_KDF_ROUNDS) {
		snprintf(msg, msglen, "the key's passphrase protection asks for %u bcrypt rounds (a damaged key, or "
		         "hours of work; at most %d are done here): protect it again with "
		         "'ssh-keygen -p -a 100 -f KEY'", (unsigned)rounds, SSHKEY_MAX_KDF_ROUNDS);
		return -1;
	}
	uint64_t iter = sshkey_pem_pbkdf2_iterations(text);
	if (iter > SSHKEY_MAX_PBKDF2_ITERATIONS) {
		snprintf(msg, msglen, "the key's passphrase protection asks for %llu PBKDF2 iterations (a damaged "
		         "key, or hours of work; at most %d are done here): protect it again with 'ssh-keygen -p -f KEY'",
		         (unsigned long long)iter, SSHKEY_MAX_PBKDF2_ITERATIONS);
		return -1;
	}
	/* (A key pasted without the newline after its END line reads as well: test_sshkey.) */
	const struct secbuf *in = key;
	/*
	 * libssh frees the decoded blob of an OpenSSH key unwiped: an unencrypted one goes in as the
	 * PEM made of it in locked memory (OpenSSL reads that). Any other goes in as it is.
	 */
	struct secbuf *pem = !encrypted && strstr(text, "-----BEGIN OPENSSH PRIVATE KEY-----")
	                     ? sshkey_pem_from((const char *)in->data) : NULL;
	if (pem)
		in = pem;
	int rc = ssh_pki_import_privkey_base64((const char *)in->data,
	                                       passphrase && passphrase->len ? (const char *)passphrase->data : NULL,
	                                       sshkey_no_prompt, NULL, &k);
	secbuf_free(pem);
	if (rc != SSH_OK) {
		const char *what = sshkey_misgiven(text);
		if (what) {
			snprintf(msg, msglen, "the SSH key given is %s", what);
			return -1;
		}
		/* Without the armour it is no key at all, whatever the passphrase. */
		if (!strstr(text, "-----BEGIN ") || !strstr(text, "PRIVATE KEY-----")) {
			/* Given as a file or pasted: the file ssh-keygen wrote, named as a person finds it. */
			snprintf(msg, msglen, "the SSH key given is not a private key (whose text starts with "
			         "-----BEGIN ... PRIVATE KEY-----): give the private key, the file ssh-keygen wrote "
			         "beside its .pub (such as ~/.ssh/id_rsa)");
			return -1;
		}
		/* Only a key that says it is encrypted is the passphrase's trouble: else it is damaged. */
		if (!encrypted) {
			snprintf(msg, msglen, "cannot read the SSH private key: its text is damaged or not a "
			         "private key in PEM or OpenSSH format: give the whole file, from -----BEGIN "
			         "to -----END");
			return -1;
		}
		if (passphrase && passphrase->len)
			snprintf(msg, msglen, "cannot read the SSH private key: wrong passphrase");
		else
			snprintf(msg, msglen, "cannot read the SSH private key: it needs a passphrase (the "
			                      "SSH key passphrase field, or --ssh-key-passphrase-file F)");
		return -2;
	}
	/* (A PEM key's type is known only now.) */
	enum ssh_keytypes_e read = ssh_key_type(k);
	if (read != SSH_KEYTYPE_RSA) {
		snprintf(msg, msglen, "the SSH key is %s: Azure DevOps accepts only RSA keys" SSHKEY_RSA_ADVICE,
		         ssh_key_type_to_char(read));
		ssh_key_free(k);
		return -3;
	}
	*out = k;
	return 0;
}

void sshkey_fingerprint(const ssh_key key, char *out, size_t outlen)
{
	unsigned char *hash = NULL;
	size_t hlen = 0;
	char *fp;

	out[0] = '\0';
	if (ssh_get_publickey_hash(key, SSH_PUBLICKEY_HASH_SHA256, &hash, &hlen) != 0)
		return;
	fp = ssh_get_fingerprint_hash(SSH_PUBLICKEY_HASH_SHA256, hash, hlen);
	if (fp)
		snprintf(out, outlen, "%s", fp);
	ssh_string_free_char(fp);
	ssh_clean_pubkey_hash(&hash);
}

bool sshkey_pub_fingerprint(const char *pub, char *out, size_t outlen)
{
	const char *sp = strchr(pub, ' ');
	char type[64], *b64 = sp ? strndup(sp + 1, strcspn(sp + 1, " ")) : NULL;
	ssh_key key = NULL;

	out[0] = '\0';
	if (b64 && (size_t)(sp - pub) < sizeof(type)) {
		snprintf(type, sizeof(type), "%.*s", (int)(sp - pub), pub);
		if (ssh_pki_import_pubkey_base64(b64, ssh_key_type_from_name(type), &key) == SSH_OK)
			sshkey_fingerprint(key, out, outlen);
	}
	ssh_key_free(key);
	free(b64);
	return *out != '\0';
}

bool sshkey_pub_line(const ssh_key key, char *out, size_t outlen)
{
	char *b64 = NULL;
	int n = -1;

	if (ssh_pki_export_pubkey_base64(key, &b64) == SSH_OK)
		n = snprintf(out, outlen, "%s %s", ssh_key_type_to_char(ssh_key_type(key)), b64);
	ssh_string_free_char(b64);
	if (n < 0 || (size_t)n >= outlen) {
		out[0] = '\0';
		return false;
	}
	return true;
}

/* The private key of key, without a passphrase, in the PEM form of Harness: 0 with *pem, or -1 with a message. */
static int sshkey_export_pem(ssh_key key, struct secbuf **pem, char *msg, size_t msglen)
{
	char *b64 = NULL;

	*pem = NULL;
	if (ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) != SSH_OK) {
		snprintf(msg, msglen, "libssh cannot write the key");
		return -1;
	}
	if (!(*pem = sshkey_pem_from(b64)))
		snprintf(msg, msglen, "libssh wrote the key in a form not known here");
	/* libssh's copy of the private key text is plain heap memory: wiped before it goes back. */
	sodium_memzero(b64, strlen(b64));
	ssh_string_free_char(b64);
	return *pem ? 0 : -1;
}

int sshkey_to_pem(const struct secbuf *key, struct secbuf **pem, char *msg, size_t msglen)
{
	ssh_key k, again = NULL;
	int rc;

	*pem = NULL;
	/* Harness's form already, with its passphrase or not. */
	if (sshkey_form(key) == SSHKEY_FORM_PEM) {
		if (!(*pem = secbuf_dup(key->data, key->len)))
			snprintf(msg, msglen, "out of memory");
		return *pem ? 0 : -1;
	}
	if ((rc = sshkey_import(key, NULL, &k, msg, msglen)) != 0)
		return rc;
	/* What is written must be the very key: read back, the same. */
	if (!(*pem = sshkey_pem_from((const char *)key->data)) ||
	    ssh_pki_import_privkey_base64((const char *)(*pem)->data, NULL, sshkey_no_prompt, NULL, &again) != SSH_OK ||
	    ssh_key_cmp(k, again, SSH_KEY_CMP_PRIVATE) != 0) {
		snprintf(msg, msglen, "cannot write the key in PEM form: convert it with "
		         "'ssh-keygen -p -m PEM -f FILE'");
		secbuf_free(*pem);
		*pem = NULL;
		rc = -1;
	}
	ssh_key_free(again);
	ssh_key_free(k);
	return rc;
}

int sshkey_generate(struct secbuf **priv, char *pub, size_t publen, const char *who, char *msg, size_t msglen)
{
	ssh_key key = NULL;
	char host[128] = "", why[128];
	int rc = -1;
	size_t n;

	*priv = NULL;
	if (ssh_pki_generate(SSH_KEYTYPE_RSA, SSHKEY_GENERATE_BITS, &key) != SSH_OK ||
	    !sshkey_pub_line(key, pub, publen)) {
		snprintf(msg, msglen, "cannot make an RSA key (libssh)");
		goto out;
	}
	if (sshkey_export_pem(key, priv, why, sizeof(why)) != 0) {
		snprintf(msg, msglen, "cannot make an RSA key: %s", why);
		goto out;
	}
	/* In Azure's list of SSH keys, the comment says what uses the key, on which host. */
	gethostname(host, sizeof(host) - 1);
	n = strlen(pub);
	snprintf(pub + n, publen - n, " " AZ_PROGRAM ":%s@%s", who, *host ? host : "localhost");
	rc = 0;
out:
	ssh_key_free(key);
	return rc;
}

const char *sshkey_pub_path(const char *dir, const char *sid, char *path, size_t pathlen)
{
	int n = snprintf(path, pathlen, "%s/%s.pub", dir, sid);

	/* A path cut short names another file: it is neither written nor removed. */
	if (n < 0 || (size_t)n >= pathlen) {
		errno = ENAMETOOLONG;
		return NULL;
	}
	return path;
}

int sshkey_write_pub(const char *dir, const char *sid, const char *pub, char *path, size_t pathlen)
{
	char line[SSHKEY_PUB_MAX + 1];

	/* The id becomes a file name: never one with '/' or "..", as a store id never has. */
	if (!store_id_valid(sid)) {
		sshkey_pub_path(dir, sid, path, pathlen);
		errno = EINVAL;
		return -1;
	}
	if (!sshkey_pub_path(dir, sid, path, pathlen))
		return -1;
	snprintf(line, sizeof(line), "%s\n", pub);
	if (paths_mkdir(dir) != 0)
		return -1;
	return fileio_write_atomic(path, line, strlen(line), NULL, NULL) == 0 ? 0 : -1;
}

bool sshkey_pub_forget(const char *dir, const char *sid, const struct secbuf *key, const struct secbuf *passphrase,
                       char *path, size_t pathlen)
{
	char *line = NULL, *b64 = NULL;
	size_t len = 0;
	ssh_key k = NULL;
	char msg[64];

	if (!store_id_valid(sid) || !sshkey_pub_path(dir, sid, path, pathlen) ||
	    fileio_read_path(path, SSHKEY_PUB_MAX, &line, &len) != 0)
		return false;
	/* "ssh-rsa <base64> <comment>": the key's own base64, whole, between the spaces. A key not
	 * read here (its passphrase not given) cannot be told apart: its file stays. */
	bool known = sshkey_import(key, passphrase, &k, msg, sizeof(msg)) == 0 &&
	             ssh_pki_export_pubkey_base64(k, &b64) == 0;
	const char *at = known ? strchr(line, ' ') : NULL;
	size_t n = b64 ? strlen(b64) : 0;
	bool same = at && strncmp(at + 1, b64, n) == 0 && (at[1 + n] == ' ' || at[1 + n] == '\n' || !at[1 + n]);
	ssh_string_free_char(b64);
	ssh_key_free(k);
	free(line);
	return known && !same && unlink(path) == 0;
}

int sshkey_check(const struct secbuf *key, const struct secbuf *passphrase, char *msg, size_t msglen)
{
	ssh_key k;
	int rc = sshkey_import(key, passphrase, &k, msg, msglen);

	if (rc == 0)
		ssh_key_free(k);
	return rc;
}
