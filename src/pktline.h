/*
 * Git pkt-lines (gitprotocol-common(5)) and the protocol v0 ref advertisement
 * of git-upload-pack, as read by the git-http and git-ssh probes.
 */
#ifndef AZ_PKTLINE_H
#define AZ_PKTLINE_H

#include <stdbool.h>
#include <stddef.h>

/* Largest pkt-line, length prefix included (LARGE_PACKET_MAX in git). */
#define PKTLINE_MAX 65520

enum pktline_kind {
	PKTLINE_DATA,      /* a data line: *payload, *plen set */
	PKTLINE_FLUSH,     /* "0000" */
	PKTLINE_DELIM,     /* "0001" (protocol v2) */
	PKTLINE_END,       /* "0002" (protocol v2 response-end) */
	PKTLINE_NEED_MORE, /* buf ends inside a pkt-line: *off unchanged */
	PKTLINE_BAD,       /* not a pkt-line (bad hex, length 3 or 4, too long) */
};

/*
 * The pkt-line at buf[*off] (buf holds len bytes). On DATA, FLUSH, DELIM and
 * END *off moves past it; a DATA payload is returned in place, not copied.
 */
enum pktline_kind pktline_next(const char *buf, size_t len, size_t *off,
                               const char **payload, size_t *plen);

/* What a ref advertisement says. */
struct pktline_adv {
	int ref_count;            /* refs under refs/ (peeled "^{}" entries not counted) */
	char default_branch[256]; /* branch HEAD points to ("main"), "" when unknown */
};

enum pktline_adv_status {
	PKTLINE_ADV_DONE,  /* the whole advertisement was read */
	PKTLINE_ADV_MORE,  /* valid so far, incomplete: read more and call again */
	PKTLINE_ADV_ERR,   /* not an advertisement, or the server sent "ERR": see msg */
};

/*
 * Parse the advertisement in buf (all bytes received so far). With smart_http,
 * it must start with the "# service=git-upload-pack" line and a flush, as
 * answers to GET info/refs do; over SSH it starts with the refs. Parsing is
 * from the start each call (advertisements are small; the caller caps them).
 * On ERR, msg holds one line saying what is wrong.
 */
enum pktline_adv_status pktline_parse_adv(const char *buf, size_t len, bool smart_http,
                                          struct pktline_adv *adv, char *msg, size_t msglen);

#endif
