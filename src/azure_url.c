/*
 * Azure DevOps Git URLs (azure-facts.md §1.3, §3, §5): a careful hand parser,
 * because the forms mix URLs and scp syntax and the messages must quote the
 * exact part to change.
 */
#include <config.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "azure_name.h"
#include "hex.h"
#include "ident.h"
#include "msg.h"
#include "nearest.h"
#include "strbuf.h"
#include "azure_url.h"
#include "azure_url_text.h"

#define AZ_URL_MAX_SEGS 16

/* One path segment: where it is in the text, and its decoded value. */
struct seg {
	const char *at;
	size_t len;
	char *name;
};

struct parse {
	const char *text;
	size_t textlen;     /* without a trailing '/' */
	const char *path;   /* start of the path in text (after '/' or ':') */
	struct seg segs[AZ_URL_MAX_SEGS];
	size_t nseg;
	size_t proj;        /* index of the project segment */
	size_t repo;        /* index of the repo segment, or nseg */
	bool slash;         /* the path starts with '/' */
	bool tfs;           /* Server path starts with tfs/ */
	size_t org;         /* segment indexes, SIZE_MAX if none */
	size_t collection;
	bool org_host;      /* the organization is the host's first label */
	bool org_user;      /* ... is the user (vs-ssh DefaultCollection form) */
	bool v3;            /* SSH v3/{org}/{project}[/{repo}] path */
	bool dotgit;        /* the path ends in ".git" */
	char *lowered;      /* the text with its scheme and host in lower case, when they were not */
	bool any_case;      /* the case of the scheme and host set aside (what type a URL reads as) */
	const struct az_want *w; /* what the check wants (NULL: a plain parse) */
	char *msg;
	size_t msglen;
};

/* What azure_url_check wants of the URL (NULL for a plain parse). */
struct az_want {
	enum az_url_type type;
	enum az_connection conn;
	bool allow_http;
};

static bool url_and_then(const char *fixed, const struct az_want *w, char *msg, size_t msglen);

/* url_host's refusal of a host that is not Azure DevOps at all: no other fix of the URL matters then. */
#define URL_FOREIGN_HOST (-8)

static bool seg_is(const struct seg *s, const char *word)
{
	return strcasecmp(s->name, word) == 0;
}

static bool az_host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.';
}

/* Well-known Git hosts that are not Azure DevOps (an on-premises server may have any other name). */
static const char *url_other_forge(const char *host)
{
	static const struct {
		const char *domain, *name;
	} forges[] = {
		{ "github.com", "GitHub" }, { "gitlab.com", "GitLab" }, { "bitbucket.org", "Bitbucket" },
	};
	size_t len = strlen(host);

	for (size_t i = 0; i < sizeof(forges) / sizeof(forges[0]); i++) {
		size_t dlen = strlen(forges[i].domain);
		if (len >= dlen && strcmp(host + len - dlen, forges[i].domain) == 0 &&
		    (len == dlen || host[len - dlen - 1] == '.'))
			return forges[i].name;
	}
	return NULL;
}

/* Host name or [IPv6] in [h, end), then :port when the syntax allows one. */
/*
 * A Services host mistyped (dev.azrue.com, contoso.visualstudio.con): the one meant, else NULL.
 * No server is named so, and DNS would only say it cannot resolve it.
 */
static const char *url_services_typo(const char *host, char *buf, size_t buflen)
{
	static const char *const hosts[] = { "dev.azure.com", "ssh.dev.azure.com", "vs-ssh.visualstudio.com" };
	const char *dot = strchr(host, '.'), *meant;
	struct nearest n;

	nearest_start(&n, host, strlen(host));
	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++) {
		if (strcmp(host, hosts[i]) == 0)
			return NULL;
		nearest_offer(&n, hosts[i]);
	}
	if ((meant = nearest_found(&n)))
		return meant;
	/* {org}.visualstudio.com: its organization kept. */
	if (!dot || strcmp(dot + 1, "visualstudio.com") == 0)
		return NULL;
	nearest_start(&n, dot + 1, strlen(dot + 1));
	nearest_offer(&n, "visualstudio.com");
	if (!nearest_found(&n))
		return NULL;
	snprintf(buf, buflen, "%.*s.visualstudio.com", (int)(dot - host), host);
	return buf;
}

/* Microsoft's web pages an Azure DevOps URL is often taken from by mistake: none serves Git. */
static const char *url_microsoft_page(const char *host)
{
	static const struct {
		const char *host, *what;
	} pages[] = {
		{ "portal.azure.com", "the Azure portal" },
		{ "aex.dev.azure.com", "Azure DevOps's page of your profile and organizations" },
		{ "vssps.dev.azure.com", "Azure DevOps's sign-in service" },
		{ "status.dev.azure.com", "Azure DevOps's status page" },
		{ "marketplace.visualstudio.com", "the Visual Studio Marketplace" },
		{ "learn.microsoft.com", "Microsoft's documentation" },
	};

	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
		if (strcmp(host, pages[i].host) == 0)
			return pages[i].what;
	return NULL;
}

static int url_host(struct azure_url *u, const char *h, const char *end, bool port_ok,
                    char *msg, size_t msglen)
{
	const char *hend = h, *p;
	long port = 0;

	if (h < end && *h == '[') {
		for (hend = h + 1; hend < end && (hex_digit(*hend) >= 0 || *hend == ':' || *hend == '.');
		     hend++)
			;
		if (hend == end || *hend != ']' || hend == h + 1)
			return msg_fail(msg, msglen, "'%.*s' is not a host name or [IPv6] address",
			                (int)(end - h), h);
		/* "[host:port]" (git takes it in its scp form): a port, which goes in an ssh:// URL. */
		char addr[INET6_ADDRSTRLEN + 1];
		unsigned char bin[sizeof(struct in6_addr)];
		int alen = snprintf(addr, sizeof(addr), "%.*s", (int)(hend - h - 1), h + 1);
		if (alen < 0 || (size_t)alen >= sizeof(addr) || inet_pton(AF_INET6, addr, bin) != 1)
			return msg_fail(msg, msglen, "'%.*s' is not an [IPv6] address%s%s%s", (int)(hend + 1 - h), h,
			                strchr(addr, ':') ? ": a host and port are written ssh://<user>@<host>:<port>/<path>"
			                : ": write the host without brackets ('", strchr(addr, ':') ? "" : addr,
			                strchr(addr, ':') ? "" : "')");
		hend++;
	} else {
		while (hend < end && az_host_char(*hend))
			hend++;
	}
	if (hend == h || (hend < end && (*hend != ':' || !port_ok)))
		return msg_fail(msg, msglen, "'%.*s' is not a host name", (int)(end - h), h);
	/* "ssh.dev.azure.com." is that host for DNS, but not for its pinned key, known_hosts or TLS. */
	if (hend[-1] == '.' && *h != '[')
		return msg_fail(msg, msglen, "the host '%.*s' ends with a dot: remove it ('%.*s')", (int)(hend - h), h,
		                (int)(hend - h - 1), h);
	if (hend < end) {
		for (p = hend + 1; p < end && *p >= '0' && *p <= '9' && port <= 65535; p++)
			port = port * 10 + (*p - '0');
		if (end - hend > 2 && strncmp(hend + 1, "v3", 2) == 0)
			return msg_fail(msg, msglen, "in an ssh:// URL a '/' follows the host, not ':': write "
			                "'ssh://git@ssh.dev.azure.com/v3/...', or without ssh:// "
			                "'git@ssh.dev.azure.com:v3/...'");
		if (p != end || p == hend + 1 || port < 1 || port > 65535)
			return msg_fail(msg, msglen, "the port '%.*s' is not a number from 1 to 65535",
			                (int)(end - hend - 1), hend + 1);
	}
	u->port = (int)port;
	u->host = strndup(h, (size_t)(hend - h));
	if (!u->host)
		return msg_fail(msg, msglen, "out of memory");
	for (char *c = u->host; *c; c++)
		if (*c >= 'A' && *c <= 'Z')
			*c = (char)(*c - 'A' + 'a');
	const char *forge = url_other_forge(u->host);
	if (forge) {
		msg_fail(msg, msglen, "%s is %s, not Azure DevOps: this tool sets up Azure Repos connectors "
		         "(Harness has a %s connector for that host)", u->host, forge, forge);
		return URL_FOREIGN_HOST;
	}
	const char *page = url_microsoft_page(u->host);
	if (page) {
		msg_fail(msg, msglen, "%s is %s, not a Git server: use your project's URL on dev.azure.com, "
		         "https://dev.azure.com/<org>/<project> (a repository's: .../_git/<repo>)", u->host, page);
		return URL_FOREIGN_HOST;
	}
	return 0;
}

static bool url_is_vs_host(const char *host)
{
	size_t len = strlen(host);

	return len > 17 && strcmp(host + len - 17, ".visualstudio.com") == 0;
}

/* An Azure DevOps Services host (lower case)? */
static bool url_is_services(const char *host)
{
	return strcmp(host, "dev.azure.com") == 0 || strcmp(host, "www.dev.azure.com") == 0 ||
	       strcmp(host, "ssh.dev.azure.com") == 0 || url_is_vs_host(host);
}

/*
 * Harness takes a scheme only in lower case, and knows the Services' hosts
 * only so: refused with the URL whose scheme (text up to scheme_len) and host
 * [host, hend) are lowered.
 */
static int url_case(struct parse *p, size_t scheme_len, const char *host, const char *hend)
{
	size_t h0 = (size_t)(host - p->text), h1 = (size_t)(hend - p->text);
	bool scheme = false, hostu = false;
	char *fixed = strdup(p->text);

	if (!fixed)
		return msg_fail(p->msg, p->msglen, "out of memory");
	for (size_t i = 0; fixed[i]; i++) {
		if ((i < scheme_len || (i >= h0 && i < h1)) && fixed[i] >= 'A' && fixed[i] <= 'Z') {
			fixed[i] = (char)(fixed[i] - 'A' + 'a');
			scheme |= i < scheme_len;
			hostu |= i >= h0;
		}
	}
	if ((!scheme && !hostu) || p->any_case) {
		free(fixed);
		return 0;
	}
	msg_fail(p->msg, p->msglen, "write the %s in lower case, as Harness takes it: '%s'",
	         scheme && hostu ? "scheme and host" : scheme ? "scheme" : "host", fixed);
	p->lowered = fixed; /* url_parse says what else is wrong with it */
	return -1;
}

/* Scheme or scp syntax, user-info, host, port; leaves p->path. */
static int url_authority(struct parse *p, struct azure_url *u)
{
	const char *text = p->text, *end = text + strlen(text);
	const char *sep = strstr(text, "://"), *slash = strchr(text, '/');
	const char *auth, *limit, *at = NULL, *hostp, *hend;

	if (sep && sep + 1 == slash) {
		int n = (int)(sep - text);

		if (n == 5 && strncasecmp(text, "https", 5) == 0)
			u->transport = AZURE_HTTPS;
		else if (n == 4 && strncasecmp(text, "http", 4) == 0)
			u->transport = AZURE_HTTP;
		else if (n == 3 && strncasecmp(text, "ssh", 3) == 0)
			u->transport = AZURE_SSH;
		else
			return msg_fail(p->msg, p->msglen, "use an https:// URL or an SSH URL "
			                "(git@ssh.dev.azure.com:v3/...), not '%.*s://'", n, text);
		auth = sep + 3;
		limit = strchr(auth, '/');
		if (!limit)
			limit = end;
	} else {
		const char *colon = strchr(text, ':');

		/* A path alone (a base URL left out, "$BASE" unset): the host is what is missing. */
		if (*text == '/')
			return msg_fail(p->msg, p->msglen, "add the scheme and host: 'https://<host>%s' (or "
			                "git@ssh.dev.azure.com:v3/... for SSH)", text);
		if (!colon || (slash && slash < colon))
			return msg_fail(p->msg, p->msglen, "add the scheme: 'https://%s' (or "
			                "git@ssh.dev.azure.com:v3/... for SSH)", text);
		u->transport = AZURE_SSH;
		u->scp = true;
		auth = text;
		limit = slash ? slash : end;
	}
	for (const char *c = auth; c < limit; c++)
		if (*c == '@')
			at = c;
	hostp = auth;
	if (at) {
		/* No ':' before the '@': azure_url_precheck refused a password. */
		if (at == auth)
			return msg_fail(p->msg, p->msglen, "put the user name before '@', or remove the '@'");
		u->user = azure_name_decode(auth, (size_t)(at - auth));
		if (!u->user)
			return msg_fail(p->msg, p->msglen, "the user name '%.*s' has a bad %%-escape",
			                (int)(at - auth), auth);
		hostp = at + 1;
	}
	if (u->scp) {
		hend = memchr(hostp, *hostp == '[' ? ']' : ':', (size_t)(limit - hostp));
		if (hend && *hend == ']')
			hend++;
		if (!hend || hend >= limit || *hend != ':')
			return msg_fail(p->msg, p->msglen, "add ':' after the SSH host, as in "
			                "'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'");
		p->path = hend + 1;
	} else {
		hend = limit;
		p->path = limit;
	}
	int rc = url_host(u, hostp, hend, !u->scp, p->msg, p->msglen);
	if (rc < 0)
		return rc;
	if (url_case(p, u->scp ? 0 : (size_t)(sep - text), hostp, url_is_services(u->host) ? hend : hostp) < 0)
		return -1;
	char buf[256], fixed[AZ_URL_MAX_LEN + 256];
	const char *meant = url_services_typo(u->host, buf, sizeof(buf));
	if (meant) {
		snprintf(fixed, sizeof(fixed), "%.*s%s%s", (int)(hostp - text), text, meant, hostp + strlen(u->host));
		msg_fail(p->msg, p->msglen, "the host '%s' is mistyped: Azure DevOps's is '%s'", u->host, meant);
		if (url_and_then(fixed, p->w, p->msg, p->msglen))
			snprintf(p->msg + strlen(p->msg), p->msglen - strlen(p->msg), " ('%s')", fixed);
		return -1;
	}
	p->slash = *p->path == '/';
	if (p->slash)
		p->path++;
	return 0;
}

/* Split the path into decoded segments; a single trailing '/' is dropped. */
static int url_segments(struct parse *p)
{
	const char *end = p->text + p->textlen;

	if (end > p->path && end[-1] == '/')
		return msg_fail(p->msg, p->msglen, "remove the extra '/' from the path ('//')");
	for (const char *s = p->path; s < end;) {
		const char *e = memchr(s, '/', (size_t)(end - s));
		struct seg *g;

		if (!e)
			e = end;
		if (e == s)
			return msg_fail(p->msg, p->msglen, "remove the extra '/' from the path ('//')");
		if (p->nseg == AZ_URL_MAX_SEGS)
			return msg_fail(p->msg, p->msglen, "the URL path is too long: a repository URL "
			                "ends at the repository name");
		g = &p->segs[p->nseg++];
		g->at = s;
		g->len = (size_t)(e - s);
		g->name = azure_name_decode(s, g->len);
		if (!g->name)
			return msg_fail(p->msg, p->msglen, "'%.*s' has a bad %%-escape (a space is %%20)",
			                (int)g->len, s);
		if (azure_name_utf16_len(g->name) < 0)
			return msg_fail(p->msg, p->msglen, "'%.*s' is not valid UTF-8 once decoded",
			                (int)g->len, s);
		if (strcmp(g->name, ".") == 0 || strcmp(g->name, "..") == 0)
			return msg_fail(p->msg, p->msglen, "remove '/%s' from the path", g->name);
		s = e + 1;
	}
	if (p->nseg) {
		const struct seg *last = &p->segs[p->nseg - 1];

		p->dotgit = last->len > 4 && strncasecmp(last->at + last->len - 4, ".git", 4) == 0;
	}
	return 0;
}

static int url_dotgit(const struct parse *p)
{
	const struct seg *last = &p->segs[p->nseg - 1];
	char *fixed = strndup(p->text, (size_t)(last->at + last->len - 4 - p->text));

	msg_fail(p->msg, p->msglen, "remove the '.git' suffix: Azure reads it as part of the repository "
	         "name ('%s')", fixed ? fixed : "");
	url_and_then(fixed, p->w, p->msg, p->msglen);
	free(fixed);
	return -1;
}

/* The length of the text up to at, for "%.*s" (azure_url_precheck bounds the text). */
static int url_upto(const struct parse *p, const char *at)
{
	return (int)(at - p->text);
}

/* Is g the segment that comes before the repository name in this layout? */
static const char *url_marker(const struct azure_url *u, const struct seg *g)
{
	if (seg_is(g, "_git"))
		return "_git";
	if (u->transport == AZURE_SSH && seg_is(g, "_ssh"))
		return "_ssh";
	return NULL;
}

static int url_missing_project(const struct parse *p, const struct az_want *w, bool v3)
{
	const char *text = p->text;
	int n = url_upto(p, text + p->textlen);

	if (w && w->type == AZ_URL_REPO)
		return msg_fail(p->msg, p->msglen, "add the project and repository: '%.*s/<project>/%s<repo>'",
		                n, text, v3 ? "" : "_git/");
	return msg_fail(p->msg, p->msglen, "add the project: '%.*s/<project>'", n, text);
}

/*
 * From segment i on: project [/_git/ repo], _git/ repo (the shorthand), or
 * for v3 paths project [/ repo]. Sets p->proj, p->repo, u->marker, u->shorthand.
 */
static int url_tail(struct parse *p, struct azure_url *u, const struct az_want *w, size_t i,
                    bool v3)
{
	const struct seg *g = p->segs;
	size_t n = p->nseg, next;

	if (i >= n)
		return url_missing_project(p, w, v3);
	if (v3) {
		for (size_t k = i; k < n; k++) {
			/* A Project's URL ends at the project: what follows the marker is a repository. */
			if (url_marker(u, &g[k]) && w && w->type == AZ_URL_PROJECT && k == i + 1)
				return msg_fail(p->msg, p->msglen, "remove '/%.*s': the SSH URL of a Project ends with "
				                "the project ('%.*s')", (int)(p->text + p->textlen - g[k].at), g[k].at,
				                url_upto(p, g[k].at - 1), p->text);
			/* v3/<org>/_git/<repo>: the shorthand, whose project is the repository's name. */
			if (url_marker(u, &g[k]) && k == i && k + 2 == n)
				return msg_fail(p->msg, p->msglen, "v3/ SSH URLs have no '/%.*s' and name the project: write "
				                "'%.*s/%s%s%s'", (int)g[k].len, g[k].at, url_upto(p, g[k].at - 1), p->text,
				                g[k + 1].name, w && w->type == AZ_URL_PROJECT ? "" : "/",
				                w && w->type == AZ_URL_PROJECT ? "" : g[k + 1].name);
			if (url_marker(u, &g[k]))
				return msg_fail(p->msg, p->msglen, "remove '/%.*s': v3/ SSH URLs have none "
				                "('%.*s%.*s')", (int)g[k].len, g[k].at, url_upto(p, g[k].at - 1),
				                p->text, (int)(p->text + p->textlen - g[k].at - g[k].len),
				                g[k].at + g[k].len);
		}
		p->proj = i;
		p->repo = i + 1 < n ? i + 1 : n;
		next = i + 2;
	} else {
		u->marker = url_marker(u, &g[i]);
		if (u->marker) {
			u->shorthand = true;
			p->proj = i + 1;
			p->repo = i + 1;
		} else {
			/* Where the project goes, an organization's page or API: no project to fix it to. */
			static const char *const org_pages[] = { "_apis", "_settings", "_usersSettings", "_projects",
			                                          "_admin", "_home", NULL };
			if (azure_name_in(g[i].name, org_pages))
				return msg_fail(p->msg, p->msglen, "'%s' is %s of the %s, not a project: use '%.*s/"
				                "<project>'%s", g[i].name,
				                strcasecmp(g[i].name, "_apis") == 0 ? "the REST API" : "a web page",
				                u->server ? "collection" : "organization",
				                url_upto(p, g[i].at - 1), p->text,
				                w && w->type == AZ_URL_REPO ? ", or a repository's Clone URL" : "");
			p->proj = i;
			p->repo = n;
			if (i + 1 < n) {
				u->marker = url_marker(u, &g[i + 1]);
				if (!u->marker && g[i + 1].name[0] == '_')
					return msg_fail(p->msg, p->msglen, "'%s' is %s, not a Git "
					                "repository: use '%.*s' or '%.*s/_git/<repo>'", g[i + 1].name,
					                strcmp(g[i + 1].name, "_apis") == 0 ? "the REST API" : "an Azure web page",
					                url_upto(p, g[i + 1].at - 1), p->text,
					                url_upto(p, g[i + 1].at - 1), p->text);
				/* A Project's URL ends at the project: its repositories go in Test repository. */
				if (!u->marker && w && w->type == AZ_URL_PROJECT)
					return msg_fail(p->msg, p->msglen, "remove '/%.*s': a Project URL ends at the project "
					                "('%.*s'; a repository goes in Test repository)",
					                (int)(p->text + p->textlen - g[i + 1].at), g[i + 1].at,
					                url_upto(p, g[i + 1].at - 1), p->text);
				if (!u->marker && i + 2 < n)
					return msg_fail(p->msg, p->msglen, "not a repository URL: it is "
					                "'%.*s/_git/<repo>'", url_upto(p, g[i + 1].at - 1), p->text);
				if (!u->marker)
					return msg_fail(p->msg, p->msglen, "insert '_git/' before the repository "
					                "name: '%.*s_git/%s'", url_upto(p, g[i + 1].at),
					                p->text, g[i + 1].at);
				p->repo = i + 2;
			}
		}
		if (u->marker && p->repo >= n)
			return msg_fail(p->msg, p->msglen, "add the repository name after '%s/'", u->marker);
		next = p->repo + 1;
	}
	if (next < n && p->repo < n) {
		const char *cut = g[p->repo].at + g[p->repo].len;

		return msg_fail(p->msg, p->msglen, "remove '%.*s': a repository URL ends at the "
		                "repository name ('%.*s')", (int)(p->text + p->textlen - cut), cut,
		                url_upto(p, cut), p->text);
	}
	return 0;
}

/* Azure DevOps Server paths: [tfs/]{collection}/... */
static int url_server_prefix(struct parse *p, size_t *i)
{
	if (*i < p->nseg && seg_is(&p->segs[*i], "tfs")) {
		p->tfs = true;
		(*i)++;
	}
	if (*i >= p->nseg)
		return msg_fail(p->msg, p->msglen, "add the collection and project: '%.*s/<collection>/<project>'",
		                url_upto(p, p->text + p->textlen), p->text);
	/* "_git", "_apis": Azure's own path words, never a collection's name (no name starts with '_'). */
	if (p->segs[*i].name[0] == '_')
		return msg_fail(p->msg, p->msglen, "add the collection before '%s' (e.g. '%.*s/DefaultCollection/...')",
		                p->segs[*i].name, url_upto(p, p->segs[*i].at - 1), p->text);
	p->org = *i;
	p->collection = (*i)++;
	return 0;
}

/*
 * An ssh.dev.azure.com URL with its user or its v3/ wrong: what was wrong, and
 * the URL to use, made from the path given (F5 takes it), or a pattern without one.
 */
static int url_ssh_fix(struct parse *p, const char *what)
{
	const char *path = p->path, *end = p->text + p->textlen;

	if (end - path >= 2 && strncasecmp(path, "v3", 2) == 0 && (end - path == 2 || path[2] == '/'))
		path += end - path == 2 ? 2 : 3;
	if (path >= end)
		return msg_fail(p->msg, p->msglen, "%s: use 'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'", what);
	return msg_fail(p->msg, p->msglen, "%s: use 'git@ssh.dev.azure.com:v3/%.*s'", what, (int)(end - path), path);
}

/* Which host, which path layout: organization, collection, then url_tail. */
static int url_layout(struct parse *p, struct azure_url *u, const struct az_want *w)
{
	const char *host = u->host;
	bool dev = strcmp(host, "dev.azure.com") == 0 || strcmp(host, "www.dev.azure.com") == 0;
	bool ssh = strcmp(host, "ssh.dev.azure.com") == 0;
	bool vsssh = strcmp(host, "vs-ssh.visualstudio.com") == 0;
	bool vs = !vsssh && url_is_vs_host(host);
	size_t i = 0;

	p->org = p->collection = SIZE_MAX;
	/* Azure DevOps Services listens on 443 (HTTPS) and 22 (SSH) only; the REST calls use those. */
	if ((dev || ssh || vsssh || vs) && u->port && u->port != (u->transport == AZURE_SSH ? 22 : 443))
		return msg_fail(p->msg, p->msglen, "%s takes no port %d: remove ':%d'", host, u->port, u->port);
	if (strcmp(host, "visualstudio.com") == 0 || strcmp(host, "azure.com") == 0)
		return msg_fail(p->msg, p->msglen, "%s is not a repository host: use 'https://dev.azure.com/<org>/"
		                "<project>/...'", host);
	if (u->transport != AZURE_SSH) {
		if (ssh || vsssh)
			return msg_fail(p->msg, p->msglen, "%s is the SSH host: use https://dev.azure.com/"
			                "<org>/... with HTTP, or git@ssh.dev.azure.com:v3/... with SSH", host);
		if (dev) {
			if (p->nseg == 0)
				return msg_fail(p->msg, p->msglen, "add the organization%s: 'https://dev.azure.com/<org>/"
				                "<project>%s'", w && w->type == AZ_URL_REPO ? ", project and repository"
				                : " and project", w && w->type == AZ_URL_REPO ? "/_git/<repo>" : "");
			/* A collection is {org}.visualstudio.com's; dev.azure.com's organization is that. */
			if (p->nseg > 2 && seg_is(&p->segs[1], "DefaultCollection"))
				return msg_fail(p->msg, p->msglen, "remove 'DefaultCollection/': dev.azure.com URLs have "
				                "none ('%.*s%s')", url_upto(p, p->segs[1].at), p->text,
				                p->segs[1].at + p->segs[1].len + 1);
			p->org = i++;
		} else if (vs) {
			if (strchr(host, '.') < host + strlen(host) - 17)
				return msg_fail(p->msg, p->msglen, "%s is not a repository host: use "
				                "https://dev.azure.com/<org>/<project>/...", host);
			p->org_host = true;
			if (p->nseg && seg_is(&p->segs[0], "DefaultCollection"))
				p->collection = i++;
		} else {
			u->server = true;
			if (url_server_prefix(p, &i) < 0)
				return -1;
		}
		return url_tail(p, u, w, i, false);
	}
	const char *path_end = p->text + p->textlen;
	bool v3 = p->nseg && strcmp(p->segs[0].name, "v3") == 0;
	/* A v3/ path on the web host: the same path on the SSH host. */
	if ((dev || vs) && v3) {
		char fixed[AZ_URL_MAX_LEN + 64];

		snprintf(fixed, sizeof(fixed), "git@ssh.dev.azure.com:%.*s", (int)(path_end - p->path), p->path);
		msg_fail(p->msg, p->msglen, "the SSH host is ssh.dev.azure.com, not %s: use '%s'", host, fixed);
		url_and_then(fixed, w, p->msg, p->msglen);
		return -1;
	}
	if (dev || vs)
		return msg_fail(p->msg, p->msglen, "the SSH host is ssh.dev.azure.com, not %s: use "
		                "'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'", host);
	if (ssh && (!u->user || strcmp(u->user, "git") != 0))
		return url_ssh_fix(p, "the SSH user for ssh.dev.azure.com is 'git'");
	/*
	 * vs-ssh's user is the organization, which makes its scp form one Harness refuses (not
	 * "git@"): the same repository on the SSH host of today, in the form Harness takes.
	 */
	if (vsssh && v3 && (u->scp || !u->user || p->nseg < 2 || strcmp(u->user, p->segs[1].name) != 0)) {
		char fixed[AZ_URL_MAX_LEN + 64];

		/* That URL quoted last only when the field takes it (F5): else what is also wrong (HTTP chosen). */
		snprintf(fixed, sizeof(fixed), "git@ssh.dev.azure.com:%.*s", (int)(path_end - p->path), p->path);
		msg_fail(p->msg, p->msglen, "the SSH user for vs-ssh.visualstudio.com is the organization, a form "
		         "Harness does not take: use the same repository on ssh.dev.azure.com");
		if (url_and_then(fixed, w, p->msg, p->msglen))
			snprintf(p->msg + strlen(p->msg), p->msglen - strlen(p->msg), ", '%s'", fixed);
		return -1;
	}
	/* The old form without its collection ({org}@.../{project}/_ssh/{repo}): the repository it names. */
	if (vsssh && !v3 && !u->scp && u->user && p->nseg == 3 && seg_is(&p->segs[1], "_ssh")) {
		bool project = w && w->type == AZ_URL_PROJECT;
		char fixed[AZ_URL_MAX_LEN + 64];

		snprintf(fixed, sizeof(fixed), "git@ssh.dev.azure.com:v3/%s/%.*s%s%.*s", u->user, (int)p->segs[0].len,
		         p->segs[0].at, project ? "" : "/", project ? 0 : (int)p->segs[2].len, p->segs[2].at);
		msg_fail(p->msg, p->msglen, "use the same %s on ssh.dev.azure.com", project ? "project" : "repository");
		if (url_and_then(fixed, w, p->msg, p->msglen))
			snprintf(p->msg + strlen(p->msg), p->msglen - strlen(p->msg), ", '%s'", fixed);
		return -1;
	}
	if (vsssh && !v3 && (u->scp || !(p->nseg && seg_is(&p->segs[0], "DefaultCollection"))))
		return msg_fail(p->msg, p->msglen, "the SSH path starts with 'v3/': write "
		                "'git@ssh.dev.azure.com:v3/<org>/<project>/<repo>'");
	/* "host:22/path", or "[host]:22:path": a port, which only the ssh:// form takes (any user). */
	size_t digits = u->scp && p->nseg ? strspn(p->segs[0].name, "0123456789") : 0;
	if (digits && digits == p->segs[0].len)
		return msg_fail(p->msg, p->msglen, "a port needs the ssh:// form: 'ssh://%.*s'",
		                url_upto(p, p->text + p->textlen), p->text);
	if (digits && p->segs[0].at[digits] == ':')
		return msg_fail(p->msg, p->msglen, "a port needs the ssh:// form: 'ssh://%.*s/%.*s'",
		                url_upto(p, p->segs[0].at + digits), p->text,
		                (int)(p->text + p->textlen - (p->segs[0].at + digits + 1)), p->segs[0].at + digits + 1);
	/* Harness saves an scp-style URL only as "git@host:path": another user needs ssh://. */
	if (u->scp && (!u->user || strcmp(u->user, "git") != 0))
		return msg_fail(p->msg, p->msglen, "Harness takes this form only with the user 'git': write it "
		                "'ssh://%s%s%s/%.*s'", u->user ? u->user : vsssh ? "<org>" : "",
		                u->user || vsssh ? "@" : "", host, (int)(path_end - p->path), p->path);
	u->server = !ssh && !vsssh;
	if (v3) {
		if (p->nseg < 2)
			return msg_fail(p->msg, p->msglen, "add the organization and project after 'v3/': "
			                "'%.*s/<org>/<project>'", url_upto(p, p->text + p->textlen), p->text);
		p->org = 1;
		p->v3 = true;
		if (u->server)
			p->collection = 1;
		return url_tail(p, u, w, 2, true);
	}
	if (ssh)
		return url_ssh_fix(p, "the SSH path starts with 'v3/'");
	if (vsssh) {
		if (!u->user)
			return msg_fail(p->msg, p->msglen, "put the organization as the user: "
			                "'ssh://<org>@vs-ssh.visualstudio.com:22/DefaultCollection/...'");
		p->org_user = true;
		p->collection = i++;
	} else if (url_server_prefix(p, &i) < 0) {
		return -1;
	}
	return url_tail(p, u, w, i, false);
}

static int url_names(const struct parse *p, const struct azure_url *u)
{
	const char *org = p->org < p->nseg ? p->segs[p->org].name : p->org_user ? u->user : NULL;
	size_t len = org ? strlen(org) : 0;

	if (!azure_name_rules(p->segs[p->proj].name, AZURE_NAME_PROJECT, p->msg, p->msglen))
		return -1;
	if (p->repo < p->nseg &&
	    !azure_name_rules(p->segs[p->repo].name, AZURE_NAME_REPO, p->msg, p->msglen))
		return -1;
	if (u->server || !org)
		return 0;
	for (size_t i = 0; i < len; i++)
		if (!az_host_char(org[i]) || org[i] == '.' || org[0] == '-' || org[len - 1] == '-')
			return msg_fail(p->msg, p->msglen, "the organization name '%s' can only contain "
			                "letters, digits and '-' (not first or last)", org);
	return 0;
}

static char *url_dup(const char *s, size_t n, bool *oom)
{
	char *d = strndup(s, n);

	*oom |= d == NULL;
	return d;
}

static int url_fill(const struct parse *p, struct azure_url *u)
{
	const struct seg *g = p->segs;
	size_t first = u->shorthand ? p->proj - 1 : p->proj;
	struct strbuf b = { 0 };
	bool oom = false;

	u->text = url_dup(p->text, p->textlen, &oom);
	if (p->org_host)
		u->org = url_dup(u->host, (size_t)(strchr(u->host, '.') - u->host), &oom);
	else if (p->org_user)
		u->org = url_dup(u->user, strlen(u->user), &oom);
	else
		u->org = url_dup(g[p->org].name, strlen(g[p->org].name), &oom);
	if (p->collection < p->nseg)
		u->collection = url_dup(g[p->collection].name, strlen(g[p->collection].name), &oom);
	u->project = url_dup(g[p->proj].name, strlen(g[p->proj].name), &oom);
	if (p->repo < p->nseg)
		u->repo = url_dup(g[p->repo].name, strlen(g[p->repo].name), &oom);
	u->tfs = p->tfs;
	strbuf_addn(&b, "", 0);
	for (size_t k = 0; k < first; k++) {
		if (k || p->slash)
			strbuf_add(&b, "/");
		azure_name_encode_to(&b, g[k].name);
	}
	u->root = b.s;
	if (oom || !u->root)
		return msg_fail(p->msg, p->msglen, "out of memory");
	return 0;
}

/* The Services' URL of the same project or repository over SSH or HTTPS, in the form Harness reads best. */
static char *url_canonical(const struct azure_url *u, bool ssh)
{
	struct strbuf b = { 0 };

	if (u->server)
		return NULL;
	strbuf_add(&b, ssh ? "git@ssh.dev.azure.com:v3/" : "https://dev.azure.com/");
	azure_name_encode_to(&b, u->org);
	strbuf_add(&b, "/");
	azure_name_encode_to(&b, u->project);
	if (u->repo) {
		strbuf_add(&b, ssh ? "/" : "/_git/");
		azure_name_encode_to(&b, u->repo);
	}
	return b.s;
}

/* The URL against the URL type, the connection type and --allow-http. */
static int url_want(const struct parse *p, const struct azure_url *u, const struct az_want *w)
{
	bool ssh = u->transport == AZURE_SSH;
	int all = url_upto(p, p->text + p->textlen);

	if (ssh != (w->conn == AZ_CONN_SSH)) {
		char *other = url_canonical(u, !ssh);

		/* (A Project's URL is no clone URL: "the SSH URL" fits both.) */
		msg_fail(p->msg, p->msglen, "this is an %s URL but the connection type is %s: choose "
		         "%s (--connection %s), or use the %s URL%s%s%s", ssh ? "SSH" : "HTTPS", ssh ? "HTTP" : "SSH",
		         ssh ? "SSH" : "HTTP", ssh ? "ssh" : "http", ssh ? "HTTPS" : "SSH", other ? " '" : " of the ",
		         other ? other : w->type == AZ_URL_PROJECT ? "project" : "repository", other ? "'" : "");
		/* What else is wrong with the same URL is wrong with that one too (a Project's with a repository). */
		url_and_then(other, w, p->msg, p->msglen);
		free(other);
		return -1;
	}
	if (u->transport == AZURE_HTTP && (!u->server || !w->allow_http)) {
		char https[AZ_URL_MAX_LEN + 2];

		/* The https:// URL to use, and what else is wrong with it: the URL quoted last is one to take (F5). */
		snprintf(https, sizeof(https), "https%.*s", all - 4, p->text + 4);
		if (!u->server)
			msg_fail(p->msg, p->msglen, "Azure DevOps Services needs https://: use '%s'", https);
		else
			msg_fail(p->msg, p->msglen, "plain http:// sends the token unencrypted: use '%s' (for a lab "
			         "server: turn on 'Allow plain http://' (--allow-http true))", https);
		url_and_then(https, w, p->msg, p->msglen);
		return -1;
	}
	if (w->type == AZ_URL_PROJECT && ssh && !p->v3) {
		/* The Services' old vs-ssh form: today's v3 form of the project takes '/<repo>'. */
		struct azure_url project = *u;
		project.repo = NULL;
		char *v3 = url_canonical(&project, true);

		msg_fail(p->msg, p->msglen, "Harness appends '/<repo>' to an SSH project URL, but this server "
		         "wants '.../%s/<repo>': %s%s%schoose URL type Repository and give the repository's SSH URL",
		         p->repo < p->nseg ? u->marker : strcmp(u->host, "vs-ssh.visualstudio.com") == 0 ? "_ssh" : "_git",
		         v3 ? "use the project's URL in today's form '" : "", v3 ? v3 : "", v3 ? "', or " : "");
		free(v3);
		return -1;
	}
	if (w->type == AZ_URL_PROJECT && u->repo) {
		const struct seg *proj = &p->segs[p->proj];

		if (u->shorthand)
			return msg_fail(p->msg, p->msglen, "remove '%s/': a Project URL ends at the project "
			                "('%.*s%.*s'); or choose URL type Repository", u->marker, url_upto(p, proj[-1].at), p->text,
			                (int)proj->len, proj->at);
		return msg_fail(p->msg, p->msglen, "remove '%.*s': a Project URL ends at the project "
		                "('%.*s'); or choose URL type Repository", all - url_upto(p, proj->at + proj->len), proj->at + proj->len,
		                url_upto(p, proj->at + proj->len), p->text);
	}
	if (w->type == AZ_URL_REPO && !u->repo)
		return msg_fail(p->msg, p->msglen, "add the repository: '%.*s/%s<repo>' (or choose URL "
		                "type Project)", all, p->text, p->v3 ? "" :
		                strcmp(u->host, "vs-ssh.visualstudio.com") == 0 ? "_ssh/" : "_git/");
	return 0;
}

static int url_parse(const char *text, struct azure_url *u, const struct az_want *w,
                     char *msg, size_t msglen);

/* text with each raw space as %20, into b. */
static void url_encode_spaces(struct strbuf *b, const char *text)
{
	for (const char *p = text; *p; p++)
		strbuf_addn(b, *p == ' ' ? "%20" : p, *p == ' ' ? 3 : 1);
}

/* The authority, the path's segments and their layout: the URL's shape (p->text checked before). */
static int url_shape(struct parse *p, struct azure_url *u, const struct az_want *w)
{
	int rc;

	p->textlen = strlen(p->text);
	if (p->text[p->textlen - 1] == '/')
		p->textlen--;
	rc = url_authority(p, u);
	if (rc == 0)
		rc = url_segments(p);
	if (rc == 0)
		rc = url_layout(p, u, w);
	return rc;
}

static void url_parse_free(struct parse *p)
{
	for (size_t k = 0; k < p->nseg; k++)
		free(p->segs[k].name);
	free(p->lowered);
}

/*
 * After msg's fix (the URL fixed), what is still wrong with that URL, as ", and then ..."
 * (the URL quoted last is then one the field takes: F5). Whether fixed is right as it is
 * (false too when there is no room left to say more).
 */
static bool url_and_then(const char *fixed, const struct az_want *w, char *msg, size_t msglen)
{
	struct azure_url u;
	char more[1024]; /* as long as a field's message: its last URL is not cut here */
	size_t room;

	if (!msg || !msglen || !fixed)
		return false;
	/*
	 * Only what fits after msg can be said: each fix of a fix ("'\"'\"...") gets less room, which
	 * also bounds how deep they go (not by the stack).
	 */
	room = msglen - strlen(msg);
	if (room < 64)
		return false;
	int rc = url_parse(fixed, &u, w, more, room < sizeof(more) ? room : sizeof(more));
	if (rc == 0) {
		azure_url_free(&u);
		return true;
	}
	if (rc == URL_FOREIGN_HOST) /* moot, msg's fix: the host is all there is to say */
		snprintf(msg, msglen, "%s", more);
	else
		snprintf(msg + strlen(msg), msglen - strlen(msg), ", and then %s", more);
	return false;
}

/* A slip at the URL's start (azure_url_slip): the URL meant, and what else is wrong with it. Always -1. */
static int url_slipped(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	char fixed[AZ_URL_MAX_LEN + 8];
	int kind = azure_url_slip(text, fixed, sizeof(fixed));

	/* Never quoted with what must not be in a URL (a password, a user that may be a token). */
	if (azure_url_text_credentials(fixed, msg, msglen))
		return -1;
	if (ident_looks_like_token(fixed))
		return msg_fail(msg, msglen, "the start of the URL is mistyped, and a token seems to stand in it (not "
		                "shown): remove it, and revoke it if it was shown or logged; the URL starts 'https://' or "
		                "'git@ssh.dev.azure.com:v3/'");
	msg_fail(msg, msglen, kind == 1 ? "the scheme is mistyped: write '%s'"
	                            : "after the SSH host comes ':', not '/': write '%s'", fixed);
	url_and_then(fixed, w, msg, msglen);
	return -1;
}

/*
 * A URL with raw spaces: the %20 form to use, and what else is wrong with it,
 * so that one edit fixes all. Always -1.
 */
static int url_spaces(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	struct strbuf b = { 0 };

	url_encode_spaces(&b, text);
	msg_fail(msg, msglen, "the URL has a raw space: use '%s'", b.s ? b.s : "%20");
	url_and_then(b.s, w, msg, msglen);
	free(b.s);
	return -1;
}

/*
 * A URL with a query or fragment (a browser's address of a file or a pull request): the URL
 * without it when that one is right, else what is also wrong with it, so that the URL quoted
 * last is one the field takes (F5). Always -1.
 */
static int url_query(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	const char *q = strpbrk(text, "?#");
	char *base = strndup(text, (size_t)(q - text));

	msg_fail(msg, msglen, "remove '%s': use the URL without a query or fragment", q);
	if (url_and_then(base, w, msg, msglen))
		snprintf(msg + strlen(msg), msglen - strlen(msg), " ('%s')", base);
	free(base);
	return -1;
}

/*
 * A user name before '@' that is not the organization: the URL without it when that one is
 * right, else what is also wrong with it, so that the URL quoted last is one the field takes
 * (F5). (A token there was refused unquoted before.) Always -1.
 */
static int url_username(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	bool org_host = false;
	size_t len;
	const char *user = azure_url_http_user(text, &len, &org_host);
	char fixed[AZ_URL_MAX_LEN + 1];

	snprintf(fixed, sizeof(fixed), "%.*s%s", (int)(user - text), text, user + len + 1);
	msg_fail(msg, msglen, "remove the user name '%.*s@' from the URL: %sthe user name goes in the Username field "
	         "(--username)", (int)len, user,
	         org_host ? "only the organization may stand there (as in the clone URLs Azure gives); " : "");
	if (url_and_then(fixed, w, msg, msglen))
		snprintf(msg + strlen(msg), msglen - strlen(msg), " ('%s')", fixed);
	return -1;
}

/* text without the spaces around it (AZ_URL_MAX_LEN at most, azure_url_precheck's bound). */
static void url_trim(const char *text, char *out, size_t outlen)
{
	size_t a = strspn(text, " "), b = strlen(text);

	while (b > a && text[b - 1] == ' ')
		b--;
	snprintf(out, outlen, "%.*s", (int)(b - a), text + a);
}

/*
 * Spaces before or after the URL: the URL without them when that one is right (so never one
 * with a password), else what is also wrong with it, so that the URL quoted last is one the
 * field takes (F5). Always -1.
 */
static int url_trimmed(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	char trimmed[AZ_URL_MAX_LEN + 1];

	url_trim(text, trimmed, sizeof(trimmed));
	msg_fail(msg, msglen, "remove the spaces before and after the URL");
	if (url_and_then(trimmed, w, msg, msglen))
		snprintf(msg + strlen(msg), msglen - strlen(msg), ": '%s'", trimmed);
	return -1;
}

/*
 * A URL between quotes or angle brackets (copied from a chat or a document): the URL inside when
 * that one is right (never one with a password), else what is also wrong with it. Always -1.
 */
static int url_unwrapped(const char *text, const struct az_want *w, char *msg, size_t msglen)
{
	char inner[AZ_URL_MAX_LEN + 1], next[AZ_URL_MAX_LEN + 1];
	const char *what = "", *again;

	azure_url_unwrap(text, inner, sizeof(inner), &what);
	/* ""...""  (quoted twice over): said once. */
	while (azure_url_unwrap(inner, next, sizeof(next), &again) && strcmp(again, what) == 0)
		memcpy(inner, next, strlen(next) + 1);
	if (azure_url_text_credentials(inner, msg, msglen))
		return -1;
	msg_fail(msg, msglen, "remove %s around the URL", what);
	if (url_and_then(inner, w, msg, msglen))
		snprintf(msg + strlen(msg), msglen - strlen(msg), ": '%s'", inner);
	return -1;
}

static int url_parse(const char *text, struct azure_url *u, const struct az_want *w,
                     char *msg, size_t msglen)
{
	struct parse p = { .text = text ? text : "", .w = w, .msg = msg, .msglen = msglen };
	int rc;

	memset(u, 0, sizeof(*u));
	rc = azure_url_precheck(p.text, msg, msglen);
	if (rc == -2)
		rc = url_spaces(p.text, w, msg, msglen);
	if (rc == -3)
		rc = url_query(p.text, w, msg, msglen);
	if (rc == -4)
		rc = url_slipped(p.text, w, msg, msglen);
	if (rc == -5)
		rc = url_trimmed(p.text, w, msg, msglen);
	if (rc == -6)
		rc = url_username(p.text, w, msg, msglen);
	if (rc == -7)
		rc = url_unwrapped(p.text, w, msg, msglen);
	if (rc == 0)
		rc = url_shape(&p, u, w);
	/* In lower case, what else is wrong. */
	if (rc != 0 && p.lowered && w)
		url_and_then(p.lowered, w, msg, msglen);
	/*
	 * Not on the repository of a Project URL: url_want has that part removed whole, '.git'
	 * too (the _git/{repo} shorthand keeps the name, as its project's).
	 */
	if (rc == 0 && p.dotgit &&
	    !(w && w->type == AZ_URL_PROJECT && p.repo == p.nseg - 1 && !u->shorthand))
		rc = url_dotgit(&p);
	if (rc == 0)
		rc = url_names(&p, u);
	if (rc == 0)
		rc = url_fill(&p, u);
	if (rc == 0 && w)
		rc = url_want(&p, u, w);
	url_parse_free(&p);
	if (rc)
		azure_url_free(u);
	return rc;
}

int azure_url_parse(const char *text, struct azure_url *u, char *msg, size_t msglen)
{
	return url_parse(text, u, NULL, msg, msglen) == 0 ? 0 : -1;
}

bool azure_url_type_of(const char *text, enum az_url_type *type)
{
	struct strbuf b = { 0 };
	struct parse p = { .text = "", .any_case = true };
	struct azure_url u = { 0 };
	bool ok;

	/* Raw spaces, a query, '.git' and case aside, as the check's messages set them aside. */
	url_encode_spaces(&b, text ? text : "");
	if (b.s) {
		b.s[strcspn(b.s, "?#")] = '\0';
		p.text = b.s;
	}
	ok = azure_url_precheck(p.text, NULL, 0) == 0 && url_shape(&p, &u, NULL) == 0;
	if (ok)
		*type = p.repo < p.nseg ? AZ_URL_REPO : AZ_URL_PROJECT;
	url_parse_free(&p);
	azure_url_free(&u);
	free(b.s);
	return ok;
}

char *azure_url_repo_named(const char *text)
{
	char trimmed[AZ_URL_MAX_LEN + 1];
	struct strbuf b = { 0 };
	struct azure_url u;
	char *repo = NULL;
	size_t n;

	if (!text || strlen(text) > AZ_URL_MAX_LEN)
		return NULL;
	url_trim(text, trimmed, sizeof(trimmed));
	trimmed[strcspn(trimmed, "?#")] = '\0';
	n = strlen(trimmed);
	if (n > 4 && strcasecmp(trimmed + n - 4, ".git") == 0)
		trimmed[n - 4] = '\0';
	url_encode_spaces(&b, trimmed);
	if (b.s && azure_url_parse(b.s, &u, NULL, 0) == 0) {
		repo = u.repo ? strdup(u.repo) : NULL;
		azure_url_free(&u);
	}
	free(b.s);
	return repo;
}

bool azure_url_check(const char *text, enum az_url_type type, enum az_connection conn,
                     bool allow_http, char *msg, size_t msglen)
{
	struct az_want w = { type, conn, allow_http };
	struct azure_url u;

	if (url_parse(text, &u, &w, msg, msglen) < 0)
		return false;
	azure_url_free(&u);
	return true;
}

bool azure_url_api_ok(const char *text, char *msg, size_t msglen)
{
	struct azure_url u;
	bool ok = true;

	/* What is wrong with a URL that does not parse is azure_url_check's to say. */
	if (azure_url_parse(text, &u, NULL, 0) != 0)
		return true;
	/* (Harness's cuts: SSH, the path after the first '/'; HTTPS, between ".com/" and "/_git/".) */
	if (!u.server && u.transport == AZURE_SSH)
		ok = u.scp && strcmp(u.host, "ssh.dev.azure.com") == 0 && strstr(u.text, "ssh.dev.azure.com:v3/");
	else if (!u.server)
		ok = !u.port && !u.shorthand && (u.collection || strcmp(u.host, "dev.azure.com") == 0 ||
		                                 strcmp(u.host, "www.dev.azure.com") == 0);
	if (!ok) {
		char *fix = url_canonical(&u, u.transport == AZURE_SSH);
		msg_fail(msg, msglen, "with API access on, Harness reads the organization and project from the URL, "
		         "and cannot from this form: use '%s' (the same %s)", fix ? fix : "", u.repo ? "repository" : "project");
		free(fix);
	}
	azure_url_free(&u);
	return ok;
}

void azure_url_free(struct azure_url *u)
{
	if (!u)
		return;
	free(u->text);
	free(u->host);
	free(u->user);
	free(u->org);
	free(u->collection);
	free(u->project);
	free(u->repo);
	free(u->root);
	memset(u, 0, sizeof(*u));
}
