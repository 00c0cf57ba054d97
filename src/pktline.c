#include <config.h>

#include <stdio.h>
#include <string.h>

#include "hex.h"
#include "pktline.h"

enum pktline_kind pktline_next(const char *buf, size_t len, size_t *off,
                               const char **payload, size_t *plen)
{
	size_t n = 0;

	if (len - *off < 4)
		return PKTLINE_NEED_MORE;
	for (int i = 0; i < 4; i++) {
		int v = hex_digit(buf[*off + i]);

		if (v < 0)
			return PKTLINE_BAD;
		n = n * 16 + (size_t)v;
	}
	if (n < 4) {
		static const enum pktline_kind special[] = { PKTLINE_FLUSH, PKTLINE_DELIM, PKTLINE_END };

		if (n == 3)
			return PKTLINE_BAD;
		*off += 4;
		return special[n];
	}
	/* "0004" (an empty data line) is allowed by the grammar but never sent. */
	if (n == 4 || n > PKTLINE_MAX)
		return PKTLINE_BAD;
	if (len - *off < n)
		return PKTLINE_NEED_MORE;
	*payload = buf + *off + 4;
	*plen = n - 4;
	*off += n;
	return PKTLINE_DATA;
}

/* Parser state across the lines of one advertisement. */
struct pktline_adv_state {
	struct pktline_adv *adv;
	bool first;             /* the next ref line is the first (it carries capabilities) */
	bool have_symref;       /* symref=HEAD:... seen: it names the default branch */
	char head_oid[65];      /* HEAD's object id, for servers without symref */
	char *msg;
	size_t msglen;
};

static bool pktline_is_oid(const char *s, size_t n)
{
	if (n != 40 && n != 64)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return true;
}

static bool pktline_has_prefix(const char *s, size_t n, const char *prefix)
{
	size_t pl = strlen(prefix);

	return n >= pl && memcmp(s, prefix, pl) == 0;
}

static void pktline_set_branch(struct pktline_adv *adv, const char *ref, size_t n)
{
	const char *heads = "refs/heads/";
	size_t hl = strlen(heads);

	if (n <= hl || n - hl >= sizeof(adv->default_branch) || memcmp(ref, heads, hl) != 0)
		return;
	memcpy(adv->default_branch, ref + hl, n - hl);
	adv->default_branch[n - hl] = '\0';
}

/* The capability list of the first line: only symref=HEAD:<ref> matters here. */
static void pktline_read_caps(struct pktline_adv_state *st, const char *caps, size_t n)
{
	const char *want = "symref=HEAD:";
	size_t wl = strlen(want);

	for (size_t i = 0; i < n;) {
		size_t j = i;

		while (j < n && caps[j] != ' ')
			j++;
		if (j - i > wl && memcmp(caps + i, want, wl) == 0) {
			st->have_symref = true;
			pktline_set_branch(st->adv, caps + i + wl, j - i - wl);
		}
		i = j + 1;
	}
}

static bool pktline_fail(struct pktline_adv_state *st, const char *what, const char *line, size_t n)
{
	int shown = n > 60 ? 60 : (int)n;

	/* Show the start of the line: what a server sent is what helps most. */
	for (int i = 0; i < shown; i++)
		if ((unsigned char)line[i] < 0x20 || (unsigned char)line[i] >= 0x7f) {
			shown = i;
			break;
		}
	if (shown == 0 && n > 0) {
		/* Binary: its first bytes in hex. */
		const unsigned char *u = (const unsigned char *)line;

		snprintf(st->msg, st->msglen, "%s: bytes %02x %02x %02x %02x", what, u[0], n > 1 ? u[1] : 0,
		         n > 2 ? u[2] : 0, n > 3 ? u[3] : 0);
		return false;
	}
	snprintf(st->msg, st->msglen, "%s: \"%.*s\"", what, shown, line);
	return false;
}

/* One line of the ref list: "<oid> <refname>[\0<capabilities>]\n". */
static bool pktline_read_ref(struct pktline_adv_state *st, const char *p, size_t n)
{
	const char *name, *nul;
	size_t oidlen, namelen;

	if (n > 0 && p[n - 1] == '\n')
		n--;
	if (pktline_has_prefix(p, n, "ERR ")) {
		snprintf(st->msg, st->msglen, "the server refused: %.*s", (int)(n - 4 > 200 ? 200 : n - 4), p + 4);
		return false;
	}
	/* "version 1" (a v1 server) and "shallow <oid>" carry no refs. */
	if ((st->first && n == 9 && memcmp(p, "version 1", 9) == 0) || pktline_has_prefix(p, n, "shallow "))
		return true;
	name = memchr(p, ' ', n);
	if (!name || !pktline_is_oid(p, (size_t)(name - p)))
		return pktline_fail(st, "not a ref advertisement", p, n);
	oidlen = (size_t)(name - p);
	name++;
	nul = memchr(name, '\0', n - oidlen - 1);
	namelen = nul ? (size_t)(nul - name) : n - oidlen - 1;
	if (namelen == 0)
		return pktline_fail(st, "not a ref advertisement", p, n);
	if (nul && st->first)
		pktline_read_caps(st, nul + 1, (size_t)(p + n - nul - 1));
	st->first = false;
	if (namelen == 4 && memcmp(name, "HEAD", 4) == 0) {
		memcpy(st->head_oid, p, oidlen);
		st->head_oid[oidlen] = '\0';
	} else if (pktline_has_prefix(name, namelen, "refs/") &&
	           !(namelen > 3 && memcmp(name + namelen - 3, "^{}", 3) == 0)) {
		st->adv->ref_count++;
		/* No symref capability: the first branch at HEAD's commit. */
		if (!st->have_symref && st->adv->default_branch[0] == '\0' &&
		    strlen(st->head_oid) == oidlen && memcmp(st->head_oid, p, oidlen) == 0)
			pktline_set_branch(st->adv, name, namelen);
	}
	return true;
}

enum pktline_adv_status pktline_parse_adv(const char *buf, size_t len, bool smart_http,
                                          struct pktline_adv *adv, char *msg, size_t msglen)
{
	struct pktline_adv_state st = { .adv = adv, .first = true, .msg = msg, .msglen = msglen };
	bool in_header = smart_http;
	size_t off = 0;
	const char *p = NULL;
	size_t n = 0;

	memset(adv, 0, sizeof(*adv));
	msg[0] = '\0';
	if (smart_http) {
		const char *svc = "# service=git-upload-pack";
		size_t sl = strlen(svc);

		switch (pktline_next(buf, len, &off, &p, &n)) {
		case PKTLINE_NEED_MORE:
			return PKTLINE_ADV_MORE;
		case PKTLINE_DATA:
			if (n >= sl && memcmp(p, svc, sl) == 0 && (n == sl || (n == sl + 1 && p[sl] == '\n')))
				break;
			/* fall through */
		default:
			pktline_fail(&st, "not a Git smart-HTTP answer (expected \"# service=git-upload-pack\")",
			             buf, len);
			return PKTLINE_ADV_ERR;
		}
	}
	for (;;) {
		switch (pktline_next(buf, len, &off, &p, &n)) {
		case PKTLINE_NEED_MORE:
			return PKTLINE_ADV_MORE;
		case PKTLINE_FLUSH:
			if (in_header) {
				in_header = false;
				break;
			}
			return PKTLINE_ADV_DONE;
		case PKTLINE_DATA:
			/* Lines between the service line and its flush are metadata. */
			if (!in_header && !pktline_read_ref(&st, p, n))
				return PKTLINE_ADV_ERR;
			break;
		default:
			pktline_fail(&st, "not a pkt-line", buf + off, len - off);
			return PKTLINE_ADV_ERR;
		}
	}
}
