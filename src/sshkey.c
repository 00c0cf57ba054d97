#include <config.h>

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "fileio.h"
#include "msg.h"
#include "paths.h"
#include "sshkey.h"

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
 * KDF names, the salt and the bcrypt rounds. False when text is not that
 * format (or is damaged there); else whether a passphrase protects the key,
 * and the rounds it asks for (0: not bcrypt), read before libssh spends them
 * (a damaged count costs hours).
 */
static bool sshkey_openssh_header(const char *text, bool *encrypted, uint32_t *rounds)
{
	static const char begin[] = "-----BEGIN OPENSSH PRIVATE KEY-----";
	const char *b = strstr(text, begin);
	char b64[344 + 1];
	unsigned char bin[260];
	size_t n = 0, len = 0, at = 15, kdf = 0, kdflen = 0;

	*encrypted = false;
	*rounds = 0;
	if (!b)
		return false;
	for (b += strlen(begin); *b && *b != '-' && n < sizeof(b64) - 1; b++)
		if (!strchr(" \t\r\n", *b))
			b64[n++] = *b;
	n -= n % 4;
	b64[n] = '\0';
	if (sodium_base642bin(bin, sizeof(bin), b64, n, NULL, &len, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    len < at || memcmp(bin, "openssh-key-v1", at) != 0)
		return false;
	/* string ciphername, string kdfname, string kdfoptions { string salt, uint32 rounds } */
	for (int i = 0; i < 4; i++) {
		if (len - at < 4)
			return false;
		uint32_t l = i == 2 ? 0 : sshkey_be32(bin + at); /* kdfoptions: only its length, then inside */
		at += 4;
		if (l > len - at)
			return false;
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
	return true;
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
	/* Whether a passphrase protects the key, as its text says: the OpenSSH header, or PEM's. */
	const char *text = (const char *)key->data;
	bool encrypted;
	uint32_t rounds;
	if (!sshkey_openssh_header(text, &encrypted, &rounds))
		encrypted = strstr(text, "-----BEGIN ENCRYPTED PRIVATE KEY-----") || strstr(text, "Proc-Type: 4,ENCRYPTED");
	if (rounds > SSHKEY_MAX_KDF_ROUNDS) {
		snprintf(msg, msglen, "the key's passphrase protection asks for %u bcrypt rounds (a damaged key, or "
		         "hours of work; at most %d are done here): protect it again with "
		         "'ssh-keygen -p -a 100 -f KEY'", (unsigned)rounds, SSHKEY_MAX_KDF_ROUNDS);
		return -1;
	}
	/* OpenSSL's PEM reader wants the END line ended: a key typed or pasted without it gets one. */
	struct secbuf *ended = NULL;
	const struct secbuf *in = key;
	if (key->data[key->len - 1] != '\n') {
		if (!(ended = secbuf_new(key->len + 1))) {
			snprintf(msg, msglen, "out of memory");
			return -1;
		}
		memcpy(ended->data, key->data, key->len);
		ended->data[key->len] = '\n';
		ended->data[key->len + 1] = '\0';
		ended->len = key->len + 1;
		in = ended;
	}
	int rc = ssh_pki_import_privkey_base64((const char *)in->data,
	                                       passphrase && passphrase->len ? (const char *)passphrase->data : NULL,
	                                       sshkey_no_prompt, NULL, &k);
	secbuf_free(ended);
	if (rc != SSH_OK) {
		const char *what = sshkey_misgiven(text);
		if (what) {
			snprintf(msg, msglen, "the SSH key given is %s", what);
			return -1;
		}
		/* Without the armour it is no key at all, whatever the passphrase. */
		if (!strstr(text, "-----BEGIN ") || !strstr(text, "PRIVATE KEY-----")) {
			snprintf(msg, msglen, "the SSH key given is not a private key (whose text starts with "
			         "-----BEGIN ... PRIVATE KEY-----): give the private key file's text");
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
			snprintf(msg, msglen, "cannot read the SSH private key: it needs a passphrase "
			                      "(give ssh-key-passphrase)");
		return -2;
	}
	enum ssh_keytypes_e type = ssh_key_type(k);
	if (type != SSH_KEYTYPE_RSA) {
		snprintf(msg, msglen, "the SSH key is %s: Azure DevOps accepts only RSA keys" SSHKEY_RSA_ADVICE,
		         ssh_key_type_to_char(type));
		ssh_key_free(k);
		return -3;
	}
	*out = k;
	return 0;
}

/* A DER header at *pos of the wanted tag: its length in *len, *pos past it; false if not one that fits. */
static bool sshkey_der(const unsigned char *p, size_t n, size_t *pos, unsigned char tag, size_t *len)
{
	size_t at = *pos, l, bytes;

	if (n - at < 2 || p[at] != tag)
		return false;
	l = p[at + 1];
	at += 2;
	if (l & 0x80) {
		/* Long form: up to 3 length bytes (16 MiB) is far more than any RSA key. */
		bytes = l & 0x7f;
		if (bytes < 1 || bytes > 3 || n - at < bytes)
			return false;
		for (l = 0; bytes > 0; bytes--)
			l = l << 8 | p[at++];
	}
	if (l > n - at)
		return false;
	*pos = at;
	*len = l;
	return true;
}

/*
 * The RSAPrivateKey in a PKCS#8 PrivateKeyInfo (n bytes of DER): SEQUENCE {
 * INTEGER 0, AlgorithmIdentifier rsaEncryption, OCTET STRING RSAPrivateKey }.
 * Its offset and length, or false.
 */
static bool sshkey_pkcs8_rsa(const unsigned char *p, size_t n, size_t *at, size_t *len)
{
	static const unsigned char rsa_alg[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	                                         0x01, 0x01, 0x01, 0x05, 0x00 };
	size_t pos = 0, l;

	if (!sshkey_der(p, n, &pos, 0x30, &l) || pos + l != n)
		return false;
	if (!sshkey_der(p, n, &pos, 0x02, &l) || l != 1 || p[pos++] != 0)
		return false;
	if (!sshkey_der(p, n, &pos, 0x30, &l) || l != sizeof(rsa_alg) || memcmp(p + pos, rsa_alg, l) != 0)
		return false;
	pos += l;
	if (!sshkey_der(p, n, &pos, 0x04, len) || pos + *len != n)
		return false;
	*at = pos;
	return true;
}

/*
 * libssh 0.10 writes a new RSA key as PKCS#8 ("BEGIN PRIVATE KEY"); Harness
 * asks for the PEM form of 'ssh-keygen -m PEM' ("BEGIN RSA PRIVATE KEY",
 * PKCS#1): the RSAPrivateKey that PKCS#8 wraps, unwrapped here in
 * sodium_malloc memory only. NULL if pem is not that (or out of memory).
 */
static struct secbuf *sshkey_pkcs8_to_pkcs1(const char *pem)
{
	static const char begin8[] = "-----BEGIN PRIVATE KEY-----", end8[] = "-----END PRIVATE KEY-----";
	static const char begin1[] = "-----BEGIN RSA PRIVATE KEY-----\n", end1[] = "-----END RSA PRIVATE KEY-----\n";
	const char *b64 = strstr(pem, begin8), *stop = strstr(pem, end8);
	struct secbuf *der = NULL, *b64out = NULL, *out = NULL;
	size_t n = 0, len, key_at, key_len;

	if (!b64 || !stop || (b64 += sizeof(begin8) - 1) > stop || !(der = secbuf_new((size_t)(stop - b64))))
		return NULL;
	if (sodium_base642bin(der->data, der->cap, b64, (size_t)(stop - b64), "\r\n", &n, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    !sshkey_pkcs8_rsa(der->data, n, &key_at, &key_len))
		goto out;
	len = sodium_base64_ENCODED_LEN(key_len, sodium_base64_VARIANT_ORIGINAL);
	if (!(b64out = secbuf_new(len)) ||
	    !(out = secbuf_new(sizeof(begin1) + len + len / 64 + 1 + sizeof(end1))))
		goto out;
	sodium_bin2base64((char *)b64out->data, len, der->data + key_at, key_len, sodium_base64_VARIANT_ORIGINAL);
	/* The PEM body: lines of 64 characters, as OpenSSL and ssh-keygen write it. */
	memcpy(out->data, begin1, sizeof(begin1) - 1);
	out->len = sizeof(begin1) - 1;
	for (size_t at = 0, total = strlen((char *)b64out->data); at < total; at += 64) {
		size_t line = total - at < 64 ? total - at : 64;
		memcpy(out->data + out->len, b64out->data + at, line);
		out->len += line;
		out->data[out->len++] = '\n';
	}
	memcpy(out->data + out->len, end1, sizeof(end1) - 1);
	out->len += sizeof(end1) - 1;
	out->data[out->len] = '\0';
out:
	secbuf_free(der);
	secbuf_free(b64out);
	return out;
}

int sshkey_generate(struct secbuf **priv, char *pub, size_t publen, const char *who, char *msg, size_t msglen)
{
	ssh_key key = NULL;
	char *b64 = NULL, *pub64 = NULL, host[128] = "";
	int rc = -1;

	*priv = NULL;
	if (ssh_pki_generate(SSH_KEYTYPE_RSA, SSHKEY_GENERATE_BITS, &key) != SSH_OK ||
	    ssh_pki_export_privkey_base64(key, NULL, NULL, NULL, &b64) != SSH_OK ||
	    ssh_pki_export_pubkey_base64(key, &pub64) != SSH_OK) {
		snprintf(msg, msglen, "cannot make an RSA key (libssh)");
		goto out;
	}
	if (!(*priv = sshkey_pkcs8_to_pkcs1(b64))) {
		snprintf(msg, msglen, "cannot make an RSA key: libssh wrote it in a form not known here");
		goto out;
	}
	/* In Azure's list of SSH keys, the comment says what uses the key, on which host. */
	gethostname(host, sizeof(host) - 1);
	snprintf(pub, publen, "ssh-rsa %s " AZ_PROGRAM ":%s@%s", pub64, who, *host ? host : "localhost");
	rc = 0;
out:
	/* libssh's copy of the private key text is plain heap memory: wiped before it goes back. */
	if (b64) {
		sodium_memzero(b64, strlen(b64));
		ssh_string_free_char(b64);
	}
	ssh_string_free_char(pub64);
	ssh_key_free(key);
	return rc;
}

const char *sshkey_pub_path(const char *dir, const char *sid, char *path, size_t pathlen)
{
	snprintf(path, pathlen, "%s/%s.pub", dir, sid);
	return path;
}

int sshkey_write_pub(const char *dir, const char *sid, const char *pub, char *path, size_t pathlen)
{
	char line[SSHKEY_PUB_MAX + 1];

	sshkey_pub_path(dir, sid, path, pathlen);
	snprintf(line, sizeof(line), "%s\n", pub);
	if (paths_mkdir(dir) != 0)
		return -1;
	return fileio_write_atomic(path, line, strlen(line), NULL, NULL) == 0 ? 0 : -1;
}

int sshkey_check(const struct secbuf *key, const struct secbuf *passphrase, char *msg, size_t msglen)
{
	ssh_key k;
	int rc = sshkey_import(key, passphrase, &k, msg, msglen);

	if (rc == 0)
		ssh_key_free(k);
	return rc;
}
