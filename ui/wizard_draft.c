/*
 * The draft (DESIGN.md §3): the values typed so far, secrets never among
 * them, kept as each field is left; offered at the next start when a run did
 * not finish, and removed by the run that saves.
 */
#include <config.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "connector.h"
#include "connector_file.h"
#include "exitcode.h"
#include "fileio.h"
#include "ident.h"
#include "paths.h"
#include "validate.h"
#include "wizard_int.h"

/* A short sum of a draft's text: which run's draft the file holds. */
static void wizard_draft_sum(const char *text, size_t len, unsigned char sum[WIZARD_DRAFT_SUM])
{
	crypto_generichash(sum, WIZARD_DRAFT_SUM, (const unsigned char *)text, len, NULL, 0);
}

/* Does the draft file hold what this run wrote (or took up) last? Its inode in *ino (if ino). */
static bool wizard_draft_ours(const struct wizard *w, ino_t *ino)
{
	unsigned char now[WIZARD_DRAFT_SUM];
	char *text = NULL;
	size_t len = 0;
	struct stat st;
	bool ours = w->draft_ours && fileio_read_path_st(w->draft, CONNECTOR_FILE_MAX, &text, &len, &st) == 0;

	if (ours)
		wizard_draft_sum(text, len, now);
	free(text);
	if (ino)
		*ino = ours ? st.st_ino : 0;
	return ours && sodium_memcmp(now, w->draft_sum, WIZARD_DRAFT_SUM) == 0;
}

/* Another run holds the draft: said, with the way to go on from what that one keeps. */
static void wizard_draft_held(struct wizard *w)
{
	char pid[32] = "", stop[96] = "";

	/* One stopped with Ctrl-Z ends only once continued: kill alone would leave it there. */
	if (w->draft_held_by > 0) {
		snprintf(pid, sizeof(pid), " (pid %ld)", w->draft_held_by);
		snprintf(stop, sizeof(stop), " (Ctrl-C there, or kill %ld; if it was stopped with Ctrl-Z, kill -CONT "
		         "%ld too)", w->draft_held_by, w->draft_held_by);
	}
	snprintf(w->status, sizeof(w->status), "another wizard%s is using the draft %s: this run keeps none; "
	         "to go on from that one's, end it%s and start again", pid, w->draft, stop);
}

void wizard_draft_lock(struct wizard *w)
{
	char pid[32] = "", *path = NULL;
	int fd = -1;

	if (!w->start->dry_run && paths_mkdir(w->ctx->paths.state_dir) == 0 && (path = paths_lock_file(w->draft)))
		fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	free(path);
	if (fd < 0)
		return; /* the draft's own write says what is wrong there */
	int locked = flock(fd, LOCK_EX | LOCK_NB);
	/* A folder without locks (ENOLCK): as before them, no run stopped from keeping its draft. */
	if (locked != 0 && errno != EWOULDBLOCK) {
		close(fd);
		return;
	}
	if (locked == 0) {
		/* The pid, for a run that finds it held (one not written: that one names none). */
		int n = snprintf(pid, sizeof(pid), "%ld\n", (long)getpid());
		if (ftruncate(fd, 0) == 0)
			fileio_write_all(fd, pid, (size_t)n);
		w->draft_lock = fd;
		return;
	}
	ssize_t got = read(fd, pid, sizeof(pid) - 1);
	char *end;
	pid[got > 0 ? got : 0] = '\0';
	w->draft_held_by = strtol(pid, &end, 10);
	if (w->draft_held_by <= 0 || *end != '\n')
		w->draft_held_by = -1;
	close(fd);
	wizard_draft_held(w);
}

bool wizard_draft_kept(const struct wizard *w)
{
	return !w->start->dry_run && !w->draft_held_by && !w->draft_off;
}

void wizard_draft_drop(struct wizard *w)
{
	struct stat st;
	ino_t ino;

	/* Another run's draft (another wizard on this connector, written since) is that one's to remove. */
	if (wizard_draft_ours(w, &ino) && lstat(w->draft, &st) == 0 && st.st_ino == ino)
		unlink(w->draft);
	w->draft_ours = false;
}

/*
 * Where this run is, for the next one to come back to. The test page is kept
 * as the review: its result goes with this run, and the review, one Enter
 * from the test, shows the values taken up before it runs again; the last
 * form page instead would send back one who had finished the form.
 */
static struct connector_draft_at wizard_draft_where(const struct wizard *w)
{
	struct wizard_item items[FIELD_COUNT * 2];
	struct connector_draft_at at = { .page = CONNECTOR_FILE_DRAFT_REVIEW, .field = -1 };

	if (w->page >= FIELD_PAGE_COUNT)
		return at;
	at.page = w->page;
	if (w->focus < (int)wizard_items(w, w->page, items)) {
		at.field = (int)items[w->focus].id;
		at.sid = items[w->focus].sid;
	}
	return at;
}

/* Has field id of c a value, other than its default? */
static bool wizard_draft_set(const struct connector *c, int id)
{
	return connector_get(c, id) && !(fields_at(id)->def && connector_is(c, id, fields_at(id)->def));
}

/*
 * The values a draft keeps: this run's, without anything a secret may hide in (a URL holding
 * credentials, a store id against the rules, any value holding what looks like a token).
 */
static struct connector *wizard_draft_values(const struct wizard *w)
{
	struct connector *d = connector_dup(w->c);
	char msg[FIELD_MSG_MAX];

	for (int id = 0; d && id < FIELD_COUNT; id++) {
		const char *v = connector_get(d, id);
		if (v && (wizard_url_credentials(id, v) || ident_looks_like_token(v) ||
		          validate_looks_like_key_text(v) ||
		          (fields_at(id)->kind == FIELD_SECRET && !ident_check_secret_id(v, msg, sizeof(msg)))))
			connector_put(d, id, NULL);
	}
	return d;
}

/* A key given by its file: the path a draft keeps (the key is read again from it), or NULL. */
static const char *wizard_draft_key_file(struct wizard *w)
{
	char key_path[WIZARD_TEXT_MAX + 64];
	struct stat st;

	if (!fields_applies(w->c, FIELD_SSH_KEY) || !wizard_key_file(w, FIELD_SSH_KEY))
		return NULL;
	const char *key_file = input_text(&w->in[FIELD_SSH_KEY]);
	/* Only a path that names a file: a line that names none may be a secret pasted there. */
	if (ident_looks_like_token(key_file) || !wizard_home_path(key_file, key_path, sizeof(key_path)) ||
	    stat(key_path, &st) != 0 || !S_ISREG(st.st_mode))
		return NULL;
	return key_file;
}

/* Are d's values only defaults (what was typed was a secret, never kept, or looked like one)? */
static bool wizard_draft_defaults_only(const struct connector *d)
{
	for (int id = 0; id < FIELD_COUNT; id++)
		if (wizard_draft_set(d, id))
			return false;
	return true;
}

/*
 * Would a draft of values d hold nothing to come back to: an edit's values as saved, a new
 * connector's defaults only?
 */
static bool wizard_draft_empty(const struct wizard *w, const struct connector *d, const char *key_file)
{
	if (key_file || *w->pub_id || *w->ca_file)
		return false;
	return w->start->editing ? connector_file_same(w->start->base, d) : wizard_draft_defaults_only(d);
}

bool wizard_draft_has_values(struct wizard *w)
{
	struct connector *d = wizard_draft_values(w);
	bool any = d && !wizard_draft_empty(w, d, wizard_draft_key_file(w));

	connector_free(d);
	return any;
}

bool wizard_draft_save(struct wizard *w)
{
	const struct az_paths *p = &w->ctx->paths;
	char *text;

	if (!w->dirty || !wizard_draft_kept(w))
		return false;
	struct connector_draft_at at = wizard_draft_where(w);
	bool moved = at.page != w->draft_at.page || at.field != w->draft_at.field || at.sid != w->draft_at.sid;
	/* Written before, still there (not removed by another run meanwhile) and at this place: kept. */
	if (!w->undrafted && !moved && wizard_draft_ours(w, NULL))
		return true;
	w->undrafted = false;
	struct connector *d = wizard_draft_values(w);
	const char *key_file = wizard_draft_key_file(w);
	/* An edit's draft names the connector it changes: offered again only on that one. */
	char sum[CONNECTOR_FILE_SUM_LEN + 1];
	struct connector_draft x = {
		.key_file = (char *)key_file,
		.key_made = *w->pub_id ? w->pub_id : NULL,
		.base = w->start->base && connector_file_sum(w->start->base, sum) ? sum : NULL,
		.base_values = (struct connector *)w->start->base,
		/* --ca-file too: a run resumed without it trusts that CA again (a CA alone is no draft). */
		.ca_file = *w->ca_file ? w->ca_file : (char *)w->start->check.ca_file,
		.at = at,
	};
	text = d && (!w->start->base || x.base) ? connector_file_draft_text(d, &x) : NULL;
	/* Only a secret typed (never in a draft): nothing to keep, nor to offer the next run. */
	bool nothing = d && wizard_draft_empty(w, d, key_file);
	connector_free(d);
	bool kept = false;
	if (nothing)
		wizard_draft_drop(w);
	else if (!text || paths_mkdir(p->state_dir) != 0 ||
	         fileio_write_atomic(w->draft, text, strlen(text), NULL, NULL) == -1) /* -2: written */
		snprintf(w->status, sizeof(w->status), "cannot keep the draft in %s: %s", w->draft,
		         strerror(errno));
	else {
		wizard_draft_sum(text, strlen(text), w->draft_sum);
		w->draft_at = at;
		w->draft_ours = kept = true;
	}
	free(text);
	return kept;
}

static bool wizard_same_value(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

bool wizard_rebase(struct wizard *w, char *both, size_t bothlen)
{
	const struct connector *was = w->start->base;
	struct connector *now = NULL;
	char msg[512];
	size_t at = 0;

	*both = '\0';
	if (!w->start->editing || !was ||
	    connector_file_load(w->ctx->paths.connectors_dir, w->start->editing, &now, msg, sizeof(msg)) !=
	    CONNECTOR_FILE_OK || connector_file_same(was, now)) {
		connector_free(now);
		return false;
	}
	for (int id = 0; id < FIELD_COUNT; id++) {
		const char *base = connector_get(was, id), *mine = connector_get(w->c, id), *theirs = connector_get(now, id);

		if (wizard_same_value(base, mine)) {
			if (!wizard_same_value(mine, theirs) &&
			    (connector_put(w->c, id, theirs) != 0 || wizard_model_show(w, id, theirs) != 0)) {
				connector_free(now);
				return false;
			}
		} else if (!wizard_same_value(mine, theirs) && !wizard_same_value(base, theirs) && at < bothlen) {
			at += (size_t)snprintf(both + at, bothlen - at, "%s%s", at ? ", " : "", fields_at(id)->label);
		}
	}
	connector_free(w->rebased);
	w->start->base = w->s.base = w->rebased = now;
	/* The draft names the connector as it is now: the next edit offers it. */
	w->undrafted = true;
	wizard_draft_save(w);
	return true;
}

/*
 * Ctrl-C, or Esc, at the offer of the draft: quit at once and leave the draft
 * as it is. Esc too, as Back: nothing is before this box but the shell, and a
 * blank form instead would put the draft at risk of being written over.
 */
static void wizard_draft_resume_quit(struct wizard *w)
{
	w->quit = true;
	w->rc = AZ_EXIT_CANCELLED;
	snprintf(w->done, sizeof(w->done), "cancelled: nothing was saved; the draft stays in %s for the next %s",
	         w->draft, w->start->editing ? "edit of this connector" : "run");
}

/*
 * Was field id given for this run (--answers, flags): a value, not the default; an edit's, one
 * other than the saved one?
 */
static bool wizard_draft_given(const struct wizard *w, int id)
{
	if (w->start->editing)
		return !wizard_same_value(connector_get(w->c, id), connector_get(w->start->base, id));
	return wizard_draft_set(w->c, id);
}

/*
 * The values of a draft into the form, but not over those given for this run; an edit's replace
 * the saved ones, also where the draft has none.
 */
static void wizard_draft_resume_values(struct wizard *w, const struct connector *d, const struct connector_draft *x,
                                       const bool given[FIELD_COUNT])
{
	for (int id = 0; id < FIELD_COUNT; id++) {
		const char *v = connector_get(d, id);
		if (given[id] || (!v && !(w->start->editing && fields_applies(d, id))))
			continue;
		if (wizard_model_show(w, id, v) == 0)
			wizard_changed(w, id);
	}
	if (x->key_file && !given[FIELD_SSH_KEY] && input_set(&w->in[FIELD_SSH_KEY], x->key_file, strlen(x->key_file)) == 0)
		wizard_changed(w, FIELD_SSH_KEY);
	if (x->ca_file && !w->start->check.ca_file)
		snprintf(w->ca_file, sizeof(w->ca_file), "%s", x->ca_file);
	w->ident_typed = w->start->editing || wizard_ident_own(w);
}

/*
 * A draft's changes resumed on a connector another run saved since: over what it saved, as the
 * draft's base (was) to merge from (wizard_rebase); the fields both changed are said.
 */
static void wizard_draft_resume_merge(struct wizard *w, const struct connector *was)
{
	const struct connector *found = w->start->base;
	char both[256]; /* the labels of the fields both changed: a few at most */

	w->start->base = was;
	if (!wizard_rebase(w, both, sizeof(both))) {
		w->start->base = found;
		return;
	}
	if (*both)
		snprintf(w->status, sizeof(w->status), "changed by the other run too, the draft's values kept: %s", both);
}

/*
 * Back where the draft was left (an older draft says nowhere: the first page, as then), but never
 * past a page with something to fix (a saved connector has that identifier now; a secret, never
 * in a draft, is to be given again): on that one then, its messages shown, as F10 does. The page
 * left with something to fix shows its messages too, the focus on the first unless it was on that
 * field (its value or store id row) already.
 */
static void wizard_draft_resume_at(struct wizard *w, struct connector_draft_at at)
{
	struct wizard_item items[FIELD_COUNT * 2];
	int first;

	if (at.page < 0)
		return;
	/* Not wizard_goto: nothing to keep on the way, the draft is what this run starts from. */
	w->page = wizard_page_to_fix(w, at.page, &first);
	if (w->page != at.page) {
		w->focus = first;
		return;
	}
	size_t n = w->page < FIELD_PAGE_COUNT ? wizard_items(w, w->page, items) : 0;
	for (size_t i = 0; i < n; i++)
		if ((int)items[i].id == at.field && items[i].sid == at.sid)
			w->focus = (int)i;
	if (w->page < FIELD_PAGE_COUNT && !wizard_page_ok(w, w->page, &first)) {
		w->tried[w->page] = true;
		if ((int)items[first].id != at.field)
			w->focus = first;
	}
}

/*
 * A draft this version cannot read (a newer one's, one cut short) is never written over: it may
 * hold all that a run typed. Moved out of this run's way, why said (its first fault, without the
 * draft's path: the status is one message); one that cannot be moved: this run keeps no draft.
 */
static void wizard_draft_aside(struct wizard *w, const char *why)
{
	char moved[PATH_MAX];
	size_t n = strlen(w->draft);

	if (strncmp(why, w->draft, n) == 0 && strncmp(why + n, ": ", 2) == 0)
		why += n + 2;
	if (fileio_rename_aside(w->draft, "unused", moved, sizeof(moved)) == -1) {
		w->draft_off = true;
		snprintf(w->status, sizeof(w->status), "the draft %.200s is not offered: %.*s; nor can it be moved aside "
		         "(%s): this run keeps no draft", w->draft, (int)strcspn(why, "\n"), why, strerror(errno));
		return;
	}
	snprintf(w->status, sizeof(w->status), "the draft is not offered, and was moved to %.200s (rename it back to "
	         "take it up): %.*s", moved, (int)strcspn(why, "\n"), why);
}

void wizard_draft_resume(struct wizard *w)
{
	const char *path = w->draft;
	char *text = NULL, msg[384], when[64] = "", question[1400], sum[CONNECTOR_FILE_SUM_LEN + 1], lost[400] = "";
	unsigned char read_sum[WIZARD_DRAFT_SUM];
	size_t len = 0;
	struct connector_draft extra;
	struct stat st;
	bool given[FIELD_COUNT], any_given = false;

	if (!wizard_draft_kept(w))
		return;
	/* Temp files of a run killed while it wrote the draft (no lock: not one another run writes now). */
	fileio_clean_temps(path, FILEIO_TEMP_STALE_S);
	/*
	 * A draft another user could have written may name any host for a stored token: not offered.
	 * Nor one this run cannot read (made by a run as root): said, with the chown that gives it
	 * back, and not written over meanwhile.
	 */
	enum connector_file_rc rc = connector_file_read(path, &text, &len, &st, msg, sizeof(msg));
	if (rc != CONNECTOR_FILE_OK) {
		free(text);
		if (rc != CONNECTOR_FILE_MISSING) {
			w->draft_off = true;
			snprintf(w->status, sizeof(w->status), "the draft is not offered: %s; this run keeps no draft, "
			         "so as not to write over it", msg);
		}
		return;
	}
	wizard_draft_sum(text, len, read_sum);
	struct connector *d = connector_file_parse_draft(text, len, path, &extra, msg, sizeof(msg));
	free(text);
	if (!d) {
		wizard_draft_aside(w, msg);
		return;
	}
	for (int id = 0; id < FIELD_COUNT; id++)
		any_given |= given[id] = wizard_draft_given(w, id);
	/* A new connector's draft of defaults only (what was typed looked like a secret): nothing to offer. */
	if (!w->start->editing && !extra.key_file && !extra.key_made && !extra.ca_file &&
	    wizard_draft_defaults_only(d)) {
		connector_file_draft_free(&extra);
		connector_free(d);
		return;
	}
	struct tm tm;
	if (localtime_r(&st.st_mtime, &tm))
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M", &tm);
	/* A key file or CA file given for this run is the one used. */
	const char *key_file = given[FIELD_SSH_KEY] ? NULL : extra.key_file, *name = connector_get(d, FIELD_NAME),
	           *ca_file = w->start->check.ca_file ? NULL : extra.ca_file;
	/* Lost with that run whatever the answer: said, as its public key may be in Azure DevOps. */
	if (extra.key_made)
		snprintf(lost, sizeof(lost), " The SSH key made with F3 in that run is lost: if its public key was added "
		         "in Azure DevOps, remove it there (%.250s).", extra.key_made);
	bool moved = w->start->editing && !(extra.base && connector_file_sum(w->start->base, sum) &&
	                                    strcmp(extra.base, sum) == 0);
	/* The connector as that run found it: its changes can go over what was saved since. */
	bool mergeable = moved && extra.base_values && connector_file_sum(extra.base_values, sum) &&
	                 strcmp(extra.base, sum) == 0;
	if (moved && !mergeable) {
		/* Changes to what the connector was then (an older draft has no values of it) would undo what was saved since. */
		snprintf(w->status, sizeof(w->status), "changes to this connector typed %s%s were not saved, "
		         "and it was changed since: not offered (they stay in %s until this edit keeps its own).%s",
		         *when ? "on " : "before", when, path, lost);
	} else {
		snprintf(question, sizeof(question), "%s%s%s%s (draft%s%s)%s. Go on with %s? %s%s%.200s%s.%s%s%.200s%s%s",
		         w->start->editing ? "Changes to this connector were not saved" : "A connector",
		         !w->start->editing && name ? " '" : "", !w->start->editing && name ? name : "",
		         w->start->editing ? "" : name ? "' was not finished" : " was not finished", *when ? " of " : "", when,
		         mergeable ? ", and another run saved it since: they go over what it saved (its values "
		                     "where they changed nothing)" : "",
		         w->start->editing ? "them" : "it",
		         w->start->editing ? "Secrets typed then are not in the draft: the stored ones are used unless "
		                             "given again"
		                           : "Secrets are never in the draft: they are asked again",
		         key_file ? " (the SSH key is read again from " : "", key_file ? key_file : "", key_file ? ")" : "",
		         any_given ? " The values given for this run (flags, --answers) go over the draft's." : "",
		         ca_file ? " The test trusts the CA file " : "", ca_file ? ca_file : "", ca_file ? " again." : "",
		         lost);
		/* Esc is not "no" here: a draft is never thrown away by a key that means "back". */
		enum dialog_answer a = dialog_ask(w, "Resume", question, "y yes   n no, start anew   Esc quit, draft kept");
		if (a == DIALOG_QUIT || a == DIALOG_CTRL_C)
			wizard_draft_resume_quit(w);
		if (a == DIALOG_YES) {
			wizard_draft_resume_values(w, d, &extra, given);
			/* Taken up: this run's now, removed once saved. */
			memcpy(w->draft_sum, read_sum, WIZARD_DRAFT_SUM);
			w->draft_ours = true;
			if (mergeable)
				wizard_draft_resume_merge(w, extra.base_values);
			wizard_draft_resume_at(w, extra.at);
		}
	}
	connector_file_draft_free(&extra);
	connector_free(d);
}
