/*
 * The PEM form a Harness SSH credential takes ("BEGIN RSA PRIVATE KEY",
 * PKCS#1, as 'ssh-keygen -m PEM' writes), made from the two other forms of an
 * RSA key without a passphrase: PKCS#8, which wraps it (what libssh writes),
 * and OpenSSH's, which holds its numbers but two. libssh 0.10 cannot write a
 * key it read in OpenSSH form (OpenSSL wants those two), so they are computed
 * here. Everything in sodium_malloc memory; DER is canonical, so the result
 * is byte for byte ssh-keygen's.
 */
#include <config.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "sshkey_pem.h"

/* No RSA key is larger (OpenSSH's own limit is 16384 bits). */
#define PEM_RSA_MAX_BYTES (16384 / 8)

/* The bytes between the lines "-----BEGIN <what>-----" and "-----END <what>-----", decoded, or NULL. */
static struct secbuf *pem_unarmour(const char *text, const char *what)
{
	char begin[64], end[64];
	const char *b, *stop;
	struct secbuf *der;
	size_t n;

	snprintf(begin, sizeof(begin), "-----BEGIN %s-----", what);
	snprintf(end, sizeof(end), "-----END %s-----", what);
	if (!(b = strstr(text, begin)) || !(stop = strstr(b += strlen(begin), end)) ||
	    !(der = secbuf_new((size_t)(stop - b))))
		return NULL;
	if (sodium_base642bin(der->data, der->cap, b, (size_t)(stop - b), " \t\r\n", &n, NULL,
	                      sodium_base64_VARIANT_ORIGINAL) != 0) {
		secbuf_free(der);
		return NULL;
	}
	der->len = n;
	return der;
}

/* The PKCS#1 DER der as PEM text: lines of 64 characters, as OpenSSL and ssh-keygen write it. */
static struct secbuf *pem_armour(const unsigned char *der, size_t derlen)
{
	static const char begin[] = "-----BEGIN RSA PRIVATE KEY-----\n", end[] = "-----END RSA PRIVATE KEY-----\n";
	size_t len = sodium_base64_ENCODED_LEN(derlen, sodium_base64_VARIANT_ORIGINAL);
	struct secbuf *b64 = secbuf_new(len), *out = secbuf_new(sizeof(begin) + len + len / 64 + 1 + sizeof(end));

	if (!b64 || !out) {
		secbuf_free(b64);
		secbuf_free(out);
		return NULL;
	}
	sodium_bin2base64((char *)b64->data, len, der, derlen, sodium_base64_VARIANT_ORIGINAL);
	memcpy(out->data, begin, sizeof(begin) - 1);
	out->len = sizeof(begin) - 1;
	for (size_t at = 0, total = strlen((char *)b64->data); at < total; at += 64) {
		size_t line = total - at < 64 ? total - at : 64;
		memcpy(out->data + out->len, b64->data + at, line);
		out->len += line;
		out->data[out->len++] = '\n';
	}
	memcpy(out->data + out->len, end, sizeof(end) - 1);
	out->len += sizeof(end) - 1;
	out->data[out->len] = '\0';
	secbuf_free(b64);
	return out;
}

/* A DER header at *pos of the wanted tag: its length in *len, *pos past it; false if not one that fits. */
static bool pem_der(const unsigned char *p, size_t n, size_t *pos, unsigned char tag, size_t *len)
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
 * PKCS#8 PrivateKeyInfo: SEQUENCE { INTEGER 0, AlgorithmIdentifier
 * rsaEncryption, OCTET STRING RSAPrivateKey }: the RSAPrivateKey, in PEM.
 */
static struct secbuf *pem_from_pkcs8(const char *text)
{
	static const unsigned char rsa_alg[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d,
	                                         0x01, 0x01, 0x01, 0x05, 0x00 };
	struct secbuf *der = pem_unarmour(text, "PRIVATE KEY"), *out = NULL;
	size_t pos = 0, l, n;
	const unsigned char *p;

	if (!der)
		return NULL;
	p = der->data;
	n = der->len;
	if (!pem_der(p, n, &pos, 0x30, &l) || pos + l != n ||
	    !pem_der(p, n, &pos, 0x02, &l) || l != 1 || p[pos++] != 0 ||
	    !pem_der(p, n, &pos, 0x30, &l) || l != sizeof(rsa_alg) || memcmp(p + pos, rsa_alg, l) != 0)
		goto out;
	pos += l;
	if (pem_der(p, n, &pos, 0x04, &l) && pos + l == n)
		out = pem_armour(p + pos, l);
out:
	secbuf_free(der);
	return out;
}

/* A big-endian unsigned number. */
struct pem_num {
	const unsigned char *p;
	size_t len;
};

/* An SSH wire string at *at (a uint32 length, then the bytes); false if it does not fit. */
static bool pem_ssh_string(const struct secbuf *b, size_t *at, struct pem_num *s)
{
	if (b->len - *at < 4)
		return false;
	uint32_t l = (uint32_t)b->data[*at] << 24 | (uint32_t)b->data[*at + 1] << 16 |
	             (uint32_t)b->data[*at + 2] << 8 | b->data[*at + 3];
	*at += 4;
	if (l > b->len - *at)
		return false;
	s->p = b->data + *at;
	s->len = l;
	*at += l;
	return true;
}

/* An SSH mpint, positive and at most max bytes: its magnitude, leading zeros dropped. */
static bool pem_ssh_mpint(const struct secbuf *b, size_t *at, size_t max, struct pem_num *v)
{
	if (!pem_ssh_string(b, at, v) || (v->len && v->p[0] & 0x80))
		return false;
	while (v->len && v->p[0] == 0)
		v->p++, v->len--;
	return v->len > 0 && v->len <= max;
}

/*
 * r = a mod m (m.len bytes into r), a bit of a at a time: the remainder w
 * stays below m, so 2w + 1 < 2m fits in one byte more than m, and one
 * subtraction brings it back. w: m.len + 1 bytes of room. Not constant
 * time: it runs once, on this host, when its user asks for the key.
 */
static void pem_mod(struct pem_num a, struct pem_num m, unsigned char *r, unsigned char *w)
{
	size_t n = m.len + 1;

	memset(w, 0, n);
	for (size_t i = 0; i < a.len * 8; i++) {
		unsigned carry = a.p[i / 8] >> (7 - i % 8) & 1;
		for (size_t j = n; j-- > 0;) {
			unsigned v = (unsigned)w[j] << 1 | carry;
			carry = v >> 8;
			w[j] = (unsigned char)v;
		}
		/* w >= m (m read with a leading zero byte)? */
		int cmp = w[0] ? 1 : memcmp(w + 1, m.p, m.len);
		if (cmp >= 0) {
			unsigned borrow = 0;
			for (size_t j = n; j-- > 0;) {
				unsigned sub = (j ? m.p[j - 1] : 0) + borrow;
				borrow = w[j] < sub;
				w[j] = (unsigned char)(w[j] - sub);
			}
		}
	}
	memcpy(r, w + 1, m.len);
}

/* The length of a DER header for content of len bytes. */
static size_t pem_der_header(size_t len)
{
	return len < 0x80 ? 2 : len < 0x100 ? 3 : len < 0x10000 ? 4 : 5;
}

/* Write a DER header at out: its size. */
static size_t pem_der_put_header(unsigned char *out, unsigned char tag, size_t len)
{
	size_t h = pem_der_header(len);

	out[0] = tag;
	if (h == 2) {
		out[1] = (unsigned char)len;
		return 2;
	}
	out[1] = (unsigned char)(0x80 | (h - 2));
	for (size_t i = 0; i < h - 2; i++)
		out[h - 1 - i] = (unsigned char)(len >> (8 * i));
	return h;
}

/* The DER INTEGER of v (leading zeros dropped): its size, written at out unless out is NULL. */
static size_t pem_der_integer(unsigned char *out, struct pem_num v)
{
	while (v.len && v.p[0] == 0)
		v.p++, v.len--;
	/* Zero is one 0 byte; a high bit set would read as negative: a 0 byte before. */
	size_t pad = v.len == 0 || v.p[0] & 0x80, len = v.len + pad, h = pem_der_header(len);

	if (out) {
		pem_der_put_header(out, 0x02, len);
		if (pad)
			out[h] = 0;
		memcpy(out + h + pad, v.p, v.len);
	}
	return h + len;
}

/*
 * openssh-key-v1 without a passphrase: "openssh-key-v1\0", string "none"
 * (cipher), string "none" (KDF), string "" (its options), uint32 1 (keys),
 * string public key, string private part: uint32 check, uint32 check, string
 * "ssh-rsa", mpint n, e, d, iqmp, p, q, string comment, padding. PKCS#1:
 * SEQUENCE { 0, n, e, d, p, q, d mod (p-1), d mod (q-1), iqmp }.
 */
static struct secbuf *pem_from_openssh(const char *text)
{
	static const char magic[] = "openssh-key-v1";
	struct secbuf *b = pem_unarmour(text, "OPENSSH PRIVATE KEY"), *work = NULL, *der = NULL, *out = NULL;
	struct pem_num s, priv, num[8]; /* n, e, d, p, q, d mod (p-1), d mod (q-1), iqmp */
	size_t at = sizeof(magic), len = 0;

	if (!b || b->len < at || memcmp(b->data, magic, at) != 0)
		goto out;
	for (int i = 0; i < 3; i++)
		if (!pem_ssh_string(b, &at, &s) || s.len != (i < 2 ? 4 : 0) || (i < 2 && memcmp(s.p, "none", 4) != 0))
			goto out;
	if (b->len - at < 4 || memcmp(b->data + at, "\0\0\0\1", 4) != 0)
		goto out;
	at += 4;
	if (!pem_ssh_string(b, &at, &s) || !pem_ssh_string(b, &at, &priv))
		goto out;
	/* The rest is read within the private part. */
	b->len = (size_t)(priv.p - b->data) + priv.len;
	at = (size_t)(priv.p - b->data);
	if (priv.len < 8 || memcmp(priv.p, priv.p + 4, 4) != 0)
		goto out;
	at += 8;
	if (!pem_ssh_string(b, &at, &s) || s.len != 7 || memcmp(s.p, "ssh-rsa", 7) != 0)
		goto out;
	/* In the file: n, e, d, iqmp, p, q. */
	static const int slot[] = { 0, 1, 2, 7, 3, 4 };
	for (size_t i = 0; i < sizeof(slot) / sizeof(slot[0]); i++)
		if (!pem_ssh_mpint(b, &at, PEM_RSA_MAX_BYTES, &num[slot[i]]))
			goto out;
	/* d mod (p-1), d mod (q-1): p and q are odd, so p-1 is p with its last bit cleared. */
	if (!(work = secbuf_new(4 * (PEM_RSA_MAX_BYTES + 1))))
		goto out;
	unsigned char *pm1 = work->data, *w = pm1 + PEM_RSA_MAX_BYTES + 1;
	unsigned char *dp = w + PEM_RSA_MAX_BYTES + 1, *dq = dp + PEM_RSA_MAX_BYTES + 1;
	for (int i = 0; i < 2; i++) {
		struct pem_num f = num[3 + i];
		unsigned char *r = i ? dq : dp;
		if (!(f.p[f.len - 1] & 1))
			goto out;
		memcpy(pm1, f.p, f.len);
		pm1[f.len - 1] &= 0xfe;
		pem_mod(num[2], (struct pem_num){ pm1, f.len }, r, w);
		num[5 + i] = (struct pem_num){ r, f.len };
	}
	len = pem_der_integer(NULL, (struct pem_num){ (const unsigned char *)"", 0 });
	for (int i = 0; i < 8; i++)
		len += pem_der_integer(NULL, num[i]);
	if (!(der = secbuf_new(pem_der_header(len) + len)))
		goto out;
	at = pem_der_put_header(der->data, 0x30, len);
	at += pem_der_integer(der->data + at, (struct pem_num){ (const unsigned char *)"", 0 });
	for (int i = 0; i < 8; i++)
		at += pem_der_integer(der->data + at, num[i]);
	out = pem_armour(der->data, at);
out:
	secbuf_free(b);
	secbuf_free(work);
	secbuf_free(der);
	return out;
}

uint64_t sshkey_pem_pbkdf2_iterations(const char *text)
{
	/* The OIDs 1.2.840.113549.1.5.13 (PBES2) and .12 (PBKDF2), as DER writes them. */
	static const unsigned char pbes2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0d };
	static const unsigned char pbkdf2[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x05, 0x0c };
	struct secbuf *der = pem_unarmour(text, "ENCRYPTED PRIVATE KEY");
	size_t pos = 0, l = 0, n;
	uint64_t iter = 0;
	const unsigned char *p;

	if (!der)
		return 0;
	p = der->data;
	n = der->len;
	/*
	 * EncryptedPrivateKeyInfo { AlgorithmIdentifier { PBES2, PBES2-params { AlgorithmIdentifier
	 * { PBKDF2, PBKDF2-params { OCTET STRING salt, INTEGER iterationCount, ... } }, ... } }, ... }
	 */
	if (pem_der(p, n, &pos, 0x30, &l) && pem_der(p, n, &pos, 0x30, &l) &&
	    pem_der(p, n, &pos, 0x06, &l) && l == sizeof(pbes2) && memcmp(p + pos, pbes2, l) == 0 &&
	    (pos += l, pem_der(p, n, &pos, 0x30, &l)) && pem_der(p, n, &pos, 0x30, &l) &&
	    pem_der(p, n, &pos, 0x06, &l) && l == sizeof(pbkdf2) && memcmp(p + pos, pbkdf2, l) == 0 &&
	    (pos += l, pem_der(p, n, &pos, 0x30, &l)) && pem_der(p, n, &pos, 0x04, &l) &&
	    (pos += l, pem_der(p, n, &pos, 0x02, &l))) {
		/* More than 8 bytes (after a leading 0) is more than any count: the most there is. */
		iter = l > 9 || (l == 9 && p[pos]) ? UINT64_MAX : 0;
		for (size_t i = 0; i < l && iter != UINT64_MAX; i++)
			iter = iter << 8 | p[pos + i];
	}
	secbuf_free(der);
	return iter;
}

struct secbuf *sshkey_pem_from(const char *text)
{
	if (strstr(text, "-----BEGIN RSA PRIVATE KEY-----"))
		return secbuf_dup(text, strlen(text));
	if (strstr(text, "-----BEGIN OPENSSH PRIVATE KEY-----"))
		return pem_from_openssh(text);
	return pem_from_pkcs8(text);
}
