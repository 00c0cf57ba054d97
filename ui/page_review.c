/* The review: every value that applies, secrets as their store ids only. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include "connector.h"
#include "export.h"
#include "term.h"
#include "wizard_int.h"

#define REVIEW_LINES (FIELD_COUNT + FIELD_PAGE_COUNT + 2) /* + the test's CA file */
#define REVIEW_VALUE_X 30

/* Up/Down go without saying; the paging keys are named, within 78 columns. */
static const char review_keys[] =
	"Enter test and save  1-4 edit  Esc back  PgUp/PgDn/Home/End scroll  ^C quit";

/* A field with no value, as 'show' says it: one wording for every kind of field. */
static const char review_not_set[] = "(not set)";

/* A secret's value as the review shows any: masked, the same width whatever its length. */
static const char *review_dots(char *buf, size_t len)
{
	const char *m = term_mask();

	snprintf(buf, len, "%s%s%s%s", m, m, m, m);
	return buf;
}

/* Another field given a new value under the store id sid (not id itself): its label, else NULL. */
static const char *review_new_under(struct wizard *w, enum field_id id, const char *sid)
{
	for (int o = 0; o < FIELD_COUNT; o++) {
		char def[128];

		if (o != (int)id && fields_at(o)->kind == FIELD_SECRET && fields_applies(w->c, o) &&
		    *input_text(&w->in[o]) && strcmp(wizard_secret_id(w, o, def, sizeof(def)), sid) == 0)
			return fields_at(o)->label;
	}
	return NULL;
}

/* How a secret shows: never its value. */
static void review_secret(struct wizard *w, enum field_id id, char *out, size_t outlen)
{
	const char *v = input_text(&w->in[id]);
	char def[128];
	const char *sid = wizard_secret_id(w, id, def, sizeof(def));
	const char *sharer = !*v ? review_new_under(w, id, sid) : NULL;
	struct store_info had;
	char dots[32];

	review_dots(dots, sizeof(dots));
	if (id == FIELD_SSH_KEY_PASSPHRASE)
		wizard_key_refresh(w); /* does the key given need one (key_plain)? */
	if (!*v && !*input_text(&w->sid[id]) && !fields_at(id)->required)
		snprintf(out, outlen, "%s", review_not_set);
	else if (wizard_api_shared(w, id))
		snprintf(out, outlen, "the Personal Access Token's secret '%s'", sid);
	/* The same id as a field given a new value here: that new value, not what the store has now. */
	else if (sharer)
		snprintf(out, outlen, "the new value given for %s (the same secret '%s')", sharer, sid);
	/* An edit's new key without a passphrase: the saved one's passphrase is dropped on save (newconn_validate). */
	else if (id == FIELD_SSH_KEY_PASSPHRASE && !*v && w->start->editing && connector_is(w->start->base, id, sid) &&
	         *input_text(&w->in[FIELD_SSH_KEY]) && w->key_plain)
		snprintf(out, outlen, "%s: the new SSH key has no passphrase (the secret '%s' is no longer used)",
		         review_not_set, sid);
	/* With the store open (a test run before, F4), what it holds is said as it is. */
	else if (!*v && w->store && !store_find(w->store, sid, &had))
		snprintf(out, outlen, "the secret '%s', which is NOT in the store: give the value, or another "
		         "store id", sid);
	/* Reused, not typed: masked as a typed one is, a value being there all the same. */
	else if (!*v && w->store)
		snprintf(out, outlen, "%s (already stored as '%s')", dots, sid);
	/* Not looked up yet (the store opens at the test): not said to be there. */
	else if (!*v)
		snprintf(out, outlen, "%s (store id '%s', read at the test)", dots, sid);
	else if (!w->start->editing && w->store && store_find(w->store, sid, &had))
		snprintf(out, outlen, "%s (new, but the store already has '%s': give it another store id)",
		         wizard_key_path_shown(w, id) ? v : dots, sid);
	else {
		/* An edit's new value under an id another connector names replaces it for that one too. */
		char others[512] = "";
		bool path = wizard_key_path_shown(w, id);
		if (w->start->editing)
			newconn_shared_with(w->ctx, w->start->editing, sid, others, sizeof(others));
		/* An edit's new value for the secret it named: that one is replaced, and said so. */
		const char *as = w->start->editing && ((w->store && store_find(w->store, sid, &had)) ||
		                                       connector_is(w->start->base, id, sid))
		                 ? "replacing the stored" : "kept as";
		/* A key made here is known by its fingerprint, as Azure DevOps lists the public keys added. */
		bool made = id == FIELD_SSH_KEY && *w->pub_id && wizard_key_made_here(w);
		int at = path ? snprintf(out, outlen, "from the file %s, %s '%s'", v, as, sid)
		         : made ? snprintf(out, outlen, "made with F3, %s (new, %s '%s'", w->pub_id, as, sid)
		                : snprintf(out, outlen, "%s (new, %s '%s'", dots, as, sid);
		if (at >= 0 && (size_t)at < outlen)
			snprintf(out + at, outlen - (size_t)at, "%s%s%s%s", *others ? "; connector " : "", others,
			         *others ? " uses it too" : "", path ? "" : ")");
	}
}

/* The secret scope, with the references Harness will be given: the store ids typed, or their defaults. */
static void review_scope(struct wizard *w, const char *v, char *out, size_t outlen)
{
	static const enum field_id refs[] = { FIELD_TOKEN, FIELD_SSH_KEY, FIELD_API_TOKEN };
	char sid[3][128], def[128];
	const char *sids[3] = { NULL, NULL, NULL };

	for (size_t i = 0; i < 3; i++)
		if (fields_applies(w->c, refs[i])) {
			snprintf(sid[i], sizeof(sid[i]), "%s", wizard_secret_id(w, refs[i], def, sizeof(def)));
			sids[i] = sid[i];
		}
	export_scope_text(v, sids, out, outlen);
}

/* Room for the longest value a field takes (a description: 4 KiB), its list joined by ", ". */
struct review_line { bool head; char label[64]; char value[8192]; };

/* The rows a line takes, wrapped (at most max). */
static int review_rows(const struct review_line *l, int max)
{
	int rows = l->head ? 1 : wizard_wrap_rows(COLS - REVIEW_VALUE_X - 1, max, l->value);

	return rows > 1 ? rows : 1;
}

void page_review_draw(struct wizard *w)
{
	int top, bottom, n = 0;
	struct review_line *line = calloc(REVIEW_LINES, sizeof(*line));

	wizard_frame(w, review_keys, &top, &bottom);
	/* No field help here: its two rows are the review's, when no status needs the one below. */
	if (!*w->status)
		bottom += 2;
	if (!line) {
		mvaddstr(top, 1, "out of memory");
		return;
	}
	for (int p = 0; p < FIELD_PAGE_COUNT; p++) {
		line[n].head = true;
		snprintf(line[n++].label, sizeof(line[0].label), "%d %s", p + 1, fields_page_title(p));
		for (int id = 0; id < FIELD_COUNT; id++) {
			const struct field *f = fields_at(id);
			const char *v = connector_value(w->c, id);
			char def[128];

			if ((int)f->page != p || !fields_applies(w->c, id))
				continue;
			line[n].head = false;
			snprintf(line[n].label, sizeof(line[0].label), "%s", f->label);
			if (f->kind == FIELD_SECRET)
				review_secret(w, id, line[n].value, sizeof(line[0].value));
			else if (id == FIELD_SECRET_SCOPE && (v || (v = fields_default(w->c, id, def, sizeof(def)))))
				review_scope(w, v, line[n].value, sizeof(line[0].value));
			else if (!v && !(v = fields_default(w->c, id, def, sizeof(def))))
				snprintf(line[n].value, sizeof(line[0].value), "%s", review_not_set);
			else
				fields_human(id, v, line[n].value, sizeof(line[0].value));
			n++;
		}
	}
	/* Not a value of the connector, but what its test will trust: said before the test runs. */
	const char *ca = page_check_ca_file(w);
	if (*ca) {
		line[n].head = true;
		snprintf(line[n++].label, sizeof(line[0].label), "Connection test");
		snprintf(line[n].label, sizeof(line[0].label), "CA file");
		snprintf(line[n++].value, sizeof(line[0].value), "%s (trusted for the test, not part of the connector)",
		         ca);
	}
	mvaddstr(3, 1, "Check the values. Enter runs the connection test, then saves.");
	/* PgDn may go past the end: the last screenful shows, long values wrapped as drawn below. */
	int last = n;
	for (int need = 0; last > 0; last--) {
		need += review_rows(&line[last - 1], bottom - top + 1);
		if (need > bottom - top + 1)
			break;
	}
	if (w->scroll > last)
		w->scroll = last;
	int i = w->scroll, height = bottom - top + 1;
	bool cut = false;
	for (int y = top; i < n && y <= bottom; i++, y++) {
		if (line[i].head) {
			attron(term_style(TERM_TITLE));
			mvaddstr(y, 1, line[i].label);
			attroff(term_style(TERM_TITLE));
			continue;
		}
		mvaddnstr(y, 3, line[i].label, REVIEW_VALUE_X - 4);
		/* A long value (a URL) goes on over the next rows: it is what is checked. */
		cut = review_rows(&line[i], height) > bottom - y + 1;
		int used = wizard_wrap(y, REVIEW_VALUE_X, COLS - REVIEW_VALUE_X - 1, bottom - y + 1,
		                       line[i].value, term_style(TERM_PLAIN));
		y += used > 1 ? used - 1 : 0;
	}
	/* PgDn: to the first line not shown whole; PgUp: back by a screenful of rows. */
	w->page_next = cut && i - 1 > w->scroll ? i - 1 : i;
	w->page_prev = w->scroll;
	for (int rows = 0; w->page_prev > 0 && (rows += review_rows(&line[w->page_prev - 1], height)) <= height;)
		w->page_prev--;
	/* As on the form pages: lines scrolled away above are said too. */
	if (w->scroll > 0)
		mvaddstr(top - 1, COLS - 12, term_ascii() ? "^ more" : "↑ more");
	/* A last value cut at the bottom is more below too. */
	w->below = i < n || cut;
	if (w->below)
		mvaddstr(bottom + 1, COLS - 12, term_ascii() ? "v more" : "↓ more");
	free(line);
}

void page_review_key(struct wizard *w, int type, wint_t ch)
{
	bool code = type == TERM_KEY_CODE, chr = type == TERM_KEY_CHAR;

	w->status[0] = '\0';
	if ((chr && (ch == '\r' || ch == '\n')) || (code && (ch == KEY_ENTER || ch == KEY_F(10))) ||
	    (chr && ch == 24)) {
		wizard_goto(w, WIZARD_CHECK);
		page_check_start(w);
	} else if (chr && ch >= '1' && ch < '1' + FIELD_PAGE_COUNT) {
		wizard_goto(w, (int)(ch - '1'));
	} else if (code && ch == KEY_PPAGE && w->scroll > 0) {
		/* As PgDn came: back up first; at the top, PgUp is the page before, as on the forms. */
		w->scroll = w->page_prev < w->scroll ? w->page_prev : w->scroll - 1;
	} else if ((chr && ch == 27) || (code && ch == KEY_PPAGE)) {
		wizard_goto(w, FIELD_PAGE_DELEGATES);
	} else if (code && ch == KEY_DOWN && w->below) {
		w->scroll++;
	} else if (code && ch == KEY_UP && w->scroll > 0) {
		w->scroll--;
	} else if (code && ch == KEY_NPAGE && w->below) {
		w->scroll = w->page_next > w->scroll ? w->page_next : w->scroll + 1;
	} else if (code && ch == KEY_HOME) {
		w->scroll = 0;
	} else if (code && ch == KEY_END) {
		w->scroll = REVIEW_LINES; /* past any end: the draw takes it back to the last screenful */
	} else if (!(code && (ch == KEY_RESIZE || ch == KEY_UP || ch == KEY_DOWN || ch == KEY_NPAGE))) {
		/* Said, not ignored (F1, a letter typed for a field): the keys this page takes. */
		snprintf(w->status, sizeof(w->status), "not a key of the review: Enter runs the test and saves, "
		         "1-%d edit a page (F1 there helps with each field), Esc goes back", FIELD_PAGE_COUNT);
	}
}
