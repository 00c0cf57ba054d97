/* The four pages of the field table (Overview, Details, Credentials, Delegates): one form each. */
#include <config.h>

#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "azure_url.h"
#include "connector.h"
#include "ident.h"
#include "term.h"
#include "utf8.h"
#include "validate.h"
#include "wizard_int.h"

#define FORM_LABEL_X 2
#define FORM_VALUE_X 31
#define FORM_MSG_ROWS 5 /* a URL message names the URL to use: room for it whole */
#define FORM_MSG_ROWS_FOCUSED 9 /* ... the focused field's, its fixes in turn too */

/*
 * A key file's path is shown; a pasted key and every other secret are hidden, and so is a
 * token typed where it does not go, or a URL holding a password (their messages say so).
 */
static bool form_hides(const struct wizard *w, struct wizard_item it, const char *v)
{
	bool secret = !it.sid && fields_at(it.id)->kind == FIELD_SECRET && !wizard_key_path_shown(w, it.id);

	return secret || ident_looks_like_token(v) || validate_looks_like_key_text(v) ||
	       (!it.sid && wizard_url_credentials(it.id, v));
}

/*
 * The keys of a page: Esc only where there is a page before; F2 where there is
 * something hidden, saying what it will do; a secret's own keys (F3, F4) on it,
 * where the row has room for them.
 */
static void form_keys(const struct wizard *w, const struct wizard_item *items, size_t n, bool fix, char *out,
                      size_t outlen)
{
	bool masked = false;

	/* A value there to show: an empty secret field masks nothing. */
	for (size_t i = 0; i < n && !masked; i++) {
		const char *v = input_text(items[i].sid ? &w->sid[items[i].id] : &w->in[items[i].id]);
		masked = *v && form_hides(w, items[i], v);
	}
	const struct wizard_item *it = w->focus >= 0 && (size_t)w->focus < n ? &items[w->focus] : NULL;
	const char *own = !it || fields_at(it->id)->kind != FIELD_SECRET ? ""
	                : it->id == FIELD_SSH_KEY && !it->sid ? "F3 new  F4 list  " : "F4 list  ";
	/*
	 * F5 when the focused field's message offers a fix: otherwise found only by reading that
	 * message. Too long a row loses the secret's own keys, then "Tab move" (known to all).
	 */
	for (int drop = 0; drop <= 2; drop++) {
		int len = snprintf(out, outlen, "%sEnter next  %sF1 help  %s%s%sF10 review  ^C quit",
		                   drop < 2 ? "Tab move  " : "", w->page > 0 ? "Esc back  " : "", fix ? "F5 fix  " : "",
		                   drop < 1 ? own : "",
		                   !masked ? "" : w->show_secrets ? "F2 hide secrets  " : "F2 show secrets  ");
		if (len <= COLS - 2)
			break;
	}
}

static int form_width(void)
{
	return COLS - FORM_VALUE_X - 2;
}

/* Has the item a value (a choice: one made, not its default)? */
static bool form_filled(struct wizard *w, struct wizard_item it)
{
	enum field_kind kind = fields_at(it.id)->kind;

	if (it.sid)
		return *input_text(&w->sid[it.id]) != '\0';
	if (kind == FIELD_CHOICE || kind == FIELD_TOGGLE)
		return connector_get(w->c, it.id) != NULL;
	return *input_text(&w->in[it.id]) != '\0';
}

/*
 * The message of an item when it should show: touched, Next tried on the page, or a value there
 * that is not being typed (an edit's, a draft's, a flag's, or one that another field's change made
 * wrong: the URL once SSH is chosen), said at once rather than at Next.
 */
static bool form_shown_msg(struct wizard *w, struct wizard_item it, bool focused, char *msg, size_t msglen)
{
	/*
	 * The identifier made from the name answers for it, the passphrase for the key it does not
	 * open: their messages show once the name's or the key's would.
	 */
	bool derived = it.id == FIELD_IDENTIFIER && !w->ident_typed;
	bool touched = w->touched[it.id] || (!derived && !(focused && w->typing) && form_filled(w, it)) ||
	               (it.id == FIELD_IDENTIFIER && !w->ident_typed && w->touched[FIELD_NAME]) ||
	               (it.id == FIELD_SSH_KEY_PASSPHRASE && !it.sid && w->key_msg_pass &&
	                w->touched[FIELD_SSH_KEY]);

	if (!touched && !w->tried[w->page])
		return false;
	if (wizard_item_msg(w, it, msg, msglen))
		return false;
	/* Drawn under the field, unmasked: a token quoted by any message is not said (see msg.c). */
	ident_redact_tokens(msg);
	return true;
}

/* A note under a value that passes, which blocks nothing: a token cut short (the mask shows its length anyway). */
static bool form_note(const struct wizard *w, struct wizard_item it, bool focused, char *msg, size_t msglen)
{
	const struct secbuf *b = w->in[it.id].buf;

	return !it.sid && (it.id == FIELD_TOKEN || it.id == FIELD_API_TOKEN) && !(focused && w->typing) && b &&
	       validate_token_short(b->len, msg, msglen);
}

static void form_choices(const struct wizard *w, enum field_id id, int y, bool focused)
{
	const struct field *f = fields_at(id);
	char buf[128];
	const char *v = wizard_choice_value(w, id, buf, sizeof(buf));
	int x = FORM_VALUE_X;

	if (f->kind == FIELD_TOGGLE) {
		bool on = v && strcmp(v, "true") == 0;
		attron(focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		mvaddstr(y, x, on ? "[x] Yes" : "[ ] No");
		attroff(focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		return;
	}
	int total = 0, n = 0, at = 0;
	for (const struct field_choice *ch = f->choices; ch->value; ch++, n++) {
		total += 4 + (int)strlen(ch->label) + 3;
		if (v && strcmp(v, ch->value) == 0)
			at = n;
	}
	/* Too many to show side by side: the chosen one, and how to change it. */
	if (total > form_width()) {
		attron(focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		mvprintw(y, x, "< %s >", f->choices[at].label);
		attroff(focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		attron(term_style(TERM_DIM));
		printw("  %d of %d", at + 1, n);
		attroff(term_style(TERM_DIM));
		return;
	}
	for (const struct field_choice *ch = f->choices; ch->value; ch++) {
		bool on = v && strcmp(v, ch->value) == 0;
		const char *mark = on ? (term_ascii() ? "(*) " : "(•) ") : "( ) ";

		attron(on && focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		mvaddstr(y, x, mark);
		addstr(ch->label);
		attroff(on && focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN));
		x += 4 + (int)strlen(ch->label) + 3;
	}
}

/*
 * The value the message msg of item it names for it to take, into fix: a URL
 * or test repository the message quotes; a store id's own in lower case, when
 * its capitals are all that is wrong with it.
 */
static bool form_suggestion(struct wizard *w, struct wizard_item it, const char *msg, char *fix, size_t fixlen)
{
	char why[FIELD_MSG_MAX];
	const char *sid = input_text(&w->sid[it.id]), *pointed, *because, *chosen;

	if (it.sid)
		return *msg && ident_lower(sid, fix, fixlen) && strcmp(fix, sid) != 0 &&
		       ident_check_secret_id(fix, why, sizeof(why));
	/* A choice not made that the URL points to (a repository's URL: Repository): the one its message names. */
	if (fields_at(it.id)->kind == FIELD_CHOICE &&
	    (!(chosen = wizard_choice_value(w, it.id, why, sizeof(why))) || !*chosen) &&
	    (pointed = fields_pointed_choice(w->c, it.id, &because)) != NULL) {
		snprintf(fix, fixlen, "%s", pointed);
		return true;
	}
	return fields_suggestion(w->c, it.id, msg, &w->env, fix, fixlen);
}

/* F5: the value the message suggests replaces the one typed. */
static void form_take_suggestion(struct wizard *w, struct wizard_item it)
{
	char fix[FIELD_MSG_MAX], msg[FIELD_MSG_MAX];
	bool repo_to_test = false;

	if (wizard_item_msg(w, it, msg, sizeof(msg)) || !form_suggestion(w, it, msg, fix, sizeof(fix))) {
		snprintf(w->status, sizeof(w->status), "F5 puts in a value a field's message offers: "
		         "none here");
		return;
	}
	if (it.sid) {
		input_set(&w->sid[it.id], fix, strlen(fix));
		wizard_changed(w, it.id);
		snprintf(w->status, sizeof(w->status), "the store id is in lower case now; Tab goes on");
		return;
	}
	if (fields_at(it.id)->kind == FIELD_CHOICE) {
		input_set(&w->in[it.id], fix, strlen(fix));
		wizard_changed(w, it.id);
		snprintf(w->status, sizeof(w->status), "%s: %s, as the URL reads; Tab goes on", fields_at(it.id)->label,
		         fields_choice_label(it.id, fix));
		return;
	}
	/*
	 * A repository URL given for a Project: its repository is a good one to test with. A browser's
	 * address (a file view) names it too, before its query.
	 */
	char *repo = it.id == FIELD_URL && fields_applies(w->c, FIELD_TEST_REPO) &&
	             !*input_text(&w->in[FIELD_TEST_REPO]) ? azure_url_repo_named(input_text(&w->in[it.id])) : NULL;
	if (repo && input_set(&w->in[FIELD_TEST_REPO], repo, strlen(repo)) == 0) {
		wizard_changed(w, FIELD_TEST_REPO);
		repo_to_test = true;
	}
	free(repo);
	input_set(&w->in[it.id], fix, strlen(fix));
	wizard_changed(w, it.id);
	w->touched[it.id] = true;
	snprintf(w->status, sizeof(w->status), "%s: the suggested value is in%s; Tab goes on",
	         fields_at(it.id)->label, repo_to_test ? ", and its repository is the test repository" : "");
}

/* A placeholder cut with an ellipsis when it does not fit the value's width (hints are ASCII). */
static void form_hint_fit(char *hint, size_t hintlen)
{
	int width = form_width();

	if ((int)strlen(hint) > width && width > 1)
		snprintf(hint + width - 1, hintlen - (size_t)width + 1, "%s", term_more());
}

/* Masked unless F2 (see form_hides). */
static bool form_masked(const struct wizard *w, struct wizard_item it, const struct input *in)
{
	return !w->show_secrets && form_hides(w, it, input_text(in));
}

/* A text, list or secret value (or a store id), with its placeholder when empty. */
static void form_text(struct wizard *w, struct wizard_item it, int y, bool focused, int *cursor_x)
{
	const struct field *f = fields_at(it.id);
	struct input *in = it.sid ? &w->sid[it.id] : &w->in[it.id];
	char view[1024], hint[256], def[128];

	hint[0] = '\0';
	if (!*input_text(in)) {
		if (it.sid)
			snprintf(hint, sizeof(hint), "%s (default)", wizard_secret_id(w, it.id, def, sizeof(def)));
		else if (wizard_api_shared(w, it.id))
			snprintf(hint, sizeof(hint), "the Personal Access Token above (default)");
		else if (f->kind == FIELD_SECRET && *input_text(&w->sid[it.id]))
			snprintf(hint, sizeof(hint), "the stored secret of the store id below");
		else if (it.id == FIELD_SSH_KEY)
			snprintf(hint, sizeof(hint), "a file (~/.ssh/id_rsa), paste it, F3 makes one");
		else if (f->kind == FIELD_SECRET)
			snprintf(hint, sizeof(hint), "paste it here (kept encrypted, never shown)");
		else if (f->example)
			snprintf(hint, sizeof(hint), "e.g. %s", fields_example(w->c, it.id));
		form_hint_fit(hint, sizeof(hint));
	}
	in->masked = form_masked(w, it, in);
	int cur = 0;
	if (focused)
		input_view(in, form_width(), term_input_marks(), view, sizeof(view), &cur);
	else
		input_view_start(in, form_width(), term_input_marks(), view, sizeof(view));
	if (*hint && !focused) {
		attron(term_style(TERM_DIM));
		mvaddstr(y, FORM_VALUE_X, hint);
		attroff(term_style(TERM_DIM));
	} else {
		attr_t a = focused ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN);
		attron(a);
		mvhline(y, FORM_VALUE_X, ' ', form_width());
		mvaddstr(y, FORM_VALUE_X, view);
		attroff(a);
		/* Empty and focused: the placeholder stays, dimmed, until the first character. */
		if (*hint) {
			attron(a | A_DIM);
			mvaddstr(y, FORM_VALUE_X, hint);
			attroff(a | A_DIM);
		}
	}
	if (focused)
		*cursor_x = FORM_VALUE_X + cur;
	sodium_memzero(view, sizeof(view)); /* a secret shown with F2 */
}

/* Does msg quote one value only, and that one value? */
static bool form_quotes_only(const char *msg, const char *value)
{
	const char *open = strchr(msg, '\''), *close = open ? strchr(open + 1, '\'') : NULL;

	return close && !strchr(close + 1, '\'') && (size_t)(close - open - 1) == strlen(value) &&
	       strncmp(open + 1, value, strlen(value)) == 0;
}

void page_form_draw(struct wizard *w)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n = wizard_items(w, w->page, items);
	int top, bottom, cursor_x = -1, cursor_y = 0;
	char msgs[FIELD_COUNT * 2][FIELD_MSG_MAX], fix[FIELD_MSG_MAX];
	bool note[FIELD_COUNT * 2] = { false };

	if (w->focus >= (int)n)
		w->focus = n ? (int)n - 1 : 0;
	/* The messages once for this drawing: they validate, some fields against the disk. */
	for (size_t i = 0; i < n; i++)
		if (!form_shown_msg(w, items[i], (int)i == w->focus, msgs[i], sizeof(msgs[i])) &&
		    !(note[i] = form_note(w, items[i], (int)i == w->focus, msgs[i], sizeof(msgs[i]))))
			msgs[i][0] = '\0';
	/*
	 * The message shown says what F5 puts in (worked out from that message, not again): of several
	 * values it quotes, which one F5 takes is not left to guess. The keys list F5 then.
	 */
	bool has_fix = n > 0 && *msgs[w->focus] && !note[w->focus] &&
	               form_suggestion(w, items[w->focus], msgs[w->focus], fix, sizeof(fix));
	if (has_fix) {
		struct wizard_item it = items[w->focus];
		size_t len = strlen(msgs[w->focus]);
		if (!it.sid && fields_at(it.id)->kind == FIELD_CHOICE)
			snprintf(msgs[w->focus] + len, sizeof(msgs[0]) - len, "; F5 chooses %s",
			         fields_choice_label(it.id, fix));
		else if (form_quotes_only(msgs[w->focus], fix)) /* the one value it quotes: not said twice */
			snprintf(msgs[w->focus] + len, sizeof(msgs[0]) - len, "; F5 puts it here");
		else
			snprintf(msgs[w->focus] + len, sizeof(msgs[0]) - len, "; F5 puts '%s' here", fix);
	}
	char keys[128];
	form_keys(w, items, n, has_fix, keys, sizeof(keys));
	wizard_frame(w, keys, &top, &bottom);
	/*
	 * Each item's rows (its line and its message), once for this drawing. A message longer than
	 * its rows under the value (a URL's fixes in turn) takes the page's width: its last URL shows.
	 */
	int item_rows[FIELD_COUNT * 2], msg_x[FIELD_COUNT * 2], need = 0;
	for (size_t i = 0; i < n; i++) {
		int cap = (int)i == w->focus ? FORM_MSG_ROWS_FOCUSED : FORM_MSG_ROWS;
		bool wide = wizard_wrap_rows(form_width(), FORM_MSG_ROWS + 1, msgs[i]) > FORM_MSG_ROWS;
		msg_x[i] = wide ? FORM_LABEL_X + 4 : FORM_VALUE_X; /* past a store id's label: never read as one */
		need += item_rows[i] = 1 + wizard_wrap_rows(COLS - msg_x[i] - 2, cap, msgs[i]);
	}
	/* A page taller than the screen keeps its last row for "↓ more": the help's row is not free. */
	if (top + need - 1 > bottom)
		bottom--;
	/* Scroll so that the focused item and its message are on the screen. */
	if (w->scroll > w->focus)
		w->scroll = w->focus;
	for (;;) {
		int rows = 0;
		for (int i = w->scroll; i <= w->focus && i < (int)n; i++)
			rows += item_rows[i];
		if (top + rows - 1 <= bottom || w->scroll == w->focus)
			break;
		w->scroll++;
	}
	int y = top, last = w->scroll - 1;
	bool cut = false; /* the last item drawn lost rows of its message */
	for (int i = w->scroll; i < (int)n && y <= bottom; i++, last++) {
		const struct field *f = fields_at(items[i].id);
		bool focused = i == w->focus;
		char label[64];

		if (items[i].sid)
			snprintf(label, sizeof(label), "  store id");
		else
			snprintf(label, sizeof(label), "%s%s", f->label, f->required ? " *" : "");
		attron(focused ? term_style(TERM_FOCUS) : items[i].sid ? term_style(TERM_DIM) : term_style(TERM_PLAIN));
		mvaddstr(y, FORM_LABEL_X, label);
		attroff(focused ? term_style(TERM_FOCUS) : items[i].sid ? term_style(TERM_DIM) : term_style(TERM_PLAIN));
		if (focused)
			mvaddstr(y, 0, term_ascii() ? ">" : "›");
		if (!items[i].sid && (f->kind == FIELD_CHOICE || f->kind == FIELD_TOGGLE))
			form_choices(w, items[i].id, y, focused);
		else
			form_text(w, items[i], y, focused, &cursor_x);
		if (focused)
			cursor_y = y;
		y++;
		int room = bottom - y + 1 < item_rows[i] - 1 ? bottom - y + 1 : item_rows[i] - 1;
		int shown = y <= bottom ? wizard_wrap(y, msg_x[i], COLS - msg_x[i] - 2, room, msgs[i],
		                                      term_style(note[i] ? TERM_PLAIN : TERM_ERROR)) : 0;
		cut = shown < item_rows[i] - 1;
		y += shown;
	}
	if (w->scroll > 0)
		mvaddstr(top - 1, COLS - 12, term_ascii() ? "^ more" : "↑ more");
	if (last < (int)n - 1 || cut)
		mvaddstr(bottom + 1, COLS - 12, term_ascii() ? "v more" : "↓ more");
	if (n) {
		wizard_wrap(wizard_help_y(w), 1, COLS - 2, 2, wizard_item_help(w, items[w->focus]), term_style(TERM_DIM));
	}
	if (cursor_x >= 0) {
		move(cursor_y, cursor_x);
		curs_set(1);
	}
}

/* Next: only when the page is right; otherwise show every message and go to the first. */
static void form_next(struct wizard *w)
{
	int first;

	wizard_key_refresh(w);
	if (!wizard_page_ok(w, w->page, &first)) {
		struct wizard_item items[FIELD_COUNT * 2];
		size_t n = wizard_items(w, w->page, items);

		w->tried[w->page] = true;
		w->focus = first;
		/* One row at 80 columns, the longest label too: a second one would hide the page's help. */
		const char *label = first < (int)n ? fields_at(items[first].id)->label : "a field";
		const char *sid = first < (int)n && items[first].sid ? "'s store id" : "";
		if (snprintf(w->status, sizeof(w->status), "page not done: fix %s%s first (see its message)", label,
		             sid) > COLS - 2)
			snprintf(w->status, sizeof(w->status), "page not done: fix %s%s first", label, sid);
		/* Keys typed ahead for the next page would land in this field (a token in clear): dropped. */
		beep();
		term_flush_input();
		return;
	}
	wizard_goto(w, w->page + 1);
}

/* F10: to the review when every page is right, else to the first thing to fix. */
static void form_finish(struct wizard *w)
{
	int first, page = wizard_page_to_fix(w, WIZARD_REVIEW, &first);

	wizard_goto(w, page);
	if (page != WIZARD_REVIEW)
		w->focus = first;
}

/*
 * Left/Right/Space on a choice: the next or previous one. The fields a choice
 * brings or takes away come after it, so the focus stays where it is.
 */
static void form_choose(struct wizard *w, enum field_id id, int step)
{
	const struct field *f = fields_at(id);
	char buf[128];
	const char *v = wizard_choice_value(w, id, buf, sizeof(buf));
	int n = 0, at = -1;

	for (const struct field_choice *ch = f->choices; ch->value; ch++, n++)
		if (v && strcmp(v, ch->value) == 0)
			at = n;
	at = at < 0 ? 0 : (at + step + n) % n;
	input_set(&w->in[id], f->choices[at].value, strlen(f->choices[at].value));
	wizard_changed(w, id);
}

/*
 * Text typed or pasted on a choice (a URL on its way to the next field) is
 * said, not dropped without a word; the choice stays as it was, whatever
 * letters the text holds.
 */
static void form_not_text(struct wizard *w, enum field_id id, int type)
{
	snprintf(w->status, sizeof(w->status), "%s: %s is a choice: Space or Left/Right changes it",
	         type == TERM_KEY_PASTE ? "not pasted" : "not typed", fields_at(id)->label);
	if (type != TERM_KEY_PASTE)
		w->refusing = REFUSING_ON_CHOICE;
}

/* The blanks a pasted value loses at its ends. */
static bool form_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* Key text whose armour is begun and not yet ended. */
static bool form_key_open(const char *text)
{
	const char *begin = strstr(text, "-----BEGIN ");

	return begin && !strstr(begin, "-----END ");
}

/*
 * A key pasted from an indented block (YAML, a mail quoted): the indentation of its -----BEGIN line
 * goes from every line that has it. The copy (a secret: sodium memory), or NULL when there is none.
 */
static struct secbuf *form_key_dedent(const struct secbuf *paste)
{
	const char *s = (const char *)paste->data, *begin = strstr(s, "-----BEGIN ");
	const char *line = begin;

	while (line && line > s && (line[-1] == ' ' || line[-1] == '\t'))
		line--;
	if (!begin || line == begin || (line > s && line[-1] != '\n'))
		return NULL;
	size_t ind = (size_t)(begin - line);
	struct secbuf *out = secbuf_new(paste->len);
	if (!out)
		return NULL;
	for (const char *p = s; p < s + paste->len;) {
		const char *end = memchr(p, '\n', (size_t)(s + paste->len - p));
		size_t len = end ? (size_t)(end - p) + 1 : (size_t)(s + paste->len - p);
		size_t skip = len >= ind && strncmp(p, line, ind) == 0 ? ind : 0;

		memcpy(out->data + out->len, p + skip, len - skip);
		out->len += len - skip;
		p += len;
	}
	out->data[out->len] = '\0';
	return out;
}

/* Does a paste hold control characters a field leaves out (ESC, BEL, ...; not a tab or a line's end)? */
static bool form_paste_controls(const struct secbuf *paste)
{
	const char *s = (const char *)paste->data;

	for (size_t i = 0, c; i < paste->len; i += c ? c : 1)
		if ((c = utf8_control_len(s + i)) && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
			return true;
	return false;
}

/* An editing key or a paste on a text field or store id. */
static void form_edit(struct wizard *w, struct wizard_item it, int type, wint_t ch, const struct secbuf *paste)
{
	bool multiline = it.id == FIELD_SSH_KEY && !it.sid;
	struct input *in = it.sid ? &w->sid[it.id] : &w->in[it.id];
	/* A value not seen cannot be edited: a paste over it (a token pasted again) takes its place. */
	bool replace = type == TERM_KEY_PASTE && *input_text(in) && form_masked(w, it, in);
	/* The paste is the whole value: what was meant, as far as can be told (a character lost before is not in it). */
	bool whole = type == TERM_KEY_PASTE && (replace || !*input_text(in));
	struct secbuf view;
	size_t cut = 0, lines;

	/* A token pasted where it would show: never drawn, never in the draft. */
	if (type == TERM_KEY_PASTE && (it.sid || fields_at(it.id)->kind != FIELD_SECRET) &&
	    ident_looks_like_token((const char *)paste->data)) {
		snprintf(w->status, sizeof(w->status), "not pasted: that looks like a Personal Access Token, "
		         "which %s would show: paste it in its own field (masked)",
		         it.sid ? "the store id" : fields_at(it.id)->label);
		return;
	}
	/* Lines joined into one would make a value nobody meant (two URLs, two tokens). */
	if (type == TERM_KEY_PASTE && !multiline && (lines = input_lines(paste->data, paste->len)) > 1) {
		snprintf(w->status, sizeof(w->status), "not pasted: %zu lines; paste one line", lines);
		return;
	}
	/*
	 * A value copied from a web page often brings spaces or a newline along: not part of it. A key
	 * keeps its end as pasted, but loses blank lines before it (else it would pass for a file name).
	 */
	struct secbuf *dedented = type == TERM_KEY_PASTE && multiline ? form_key_dedent(paste) : NULL;
	if (dedented)
		paste = dedented;
	if (type == TERM_KEY_PASTE && (!*input_text(in) || replace)) {
		view = *paste;
		/* A final newline goes without a word, as in a multi-line field. */
		if (!multiline && view.len > 0 && view.data[view.len - 1] == '\n')
			view.len--;
		if (!multiline && view.len > 0 && view.data[view.len - 1] == '\r')
			view.len--;
		size_t before = view.len;
		while (view.len > 0 && form_blank(view.data[0]))
			view.data++, view.len--;
		while (!multiline && view.len > 0 && form_blank(view.data[view.len - 1]))
			view.len--;
		cut = before - view.len;
		paste = &view;
		if (view.len == 0) {
			snprintf(w->status, sizeof(w->status), "the pasted text was only spaces");
			secbuf_free(dedented);
			return;
		}
	}
	/* The key made with F3 goes only when asked: its public key may be in Azure DevOps already. */
	bool ask = multiline && *w->pub_id && wizard_key_made_here(w);
	struct input was = *in;
	/* A copy as large as the field's editor: the one kept (No) takes what is typed next. */
	was.buf = ask ? secbuf_new(in->buf->cap) : NULL;
	if (was.buf) {
		memcpy(was.buf->data, in->buf->data, in->buf->len + 1);
		was.buf->len = in->buf->len;
	}
	if (ask && !was.buf) {
		snprintf(w->status, sizeof(w->status), "out of memory: the SSH key made with F3 is kept as it was");
		secbuf_free(dedented);
		return;
	}
	int changed = replace ? input_replace(in, (const char *)paste->data, paste->len, multiline)
	                      : wizard_edit_key(in, type, ch, paste, multiline);

	/* The editor's room is not the field's rule (a name has 64 characters at most): not quoted as one. */
	if (type == TERM_KEY_PASTE && changed == 0 && paste->len > in->buf->cap - in->buf->len)
		snprintf(w->status, sizeof(w->status), "not pasted: %s%zu bytes is far too long for %s",
		         paste->len >= TERM_PASTE_MAX ? "over " : "", paste->len >= TERM_PASTE_MAX ? (size_t)STORE_VALUE_MAX :
		         paste->len, it.sid ? "a store id" : fields_at(it.id)->label);
	else if (type == TERM_KEY_PASTE && changed == 0)
		snprintf(w->status, sizeof(w->status), "not pasted: the text holds only control characters");
	else if (replace)
		snprintf(w->status, sizeof(w->status), "the pasted value replaced the one there%s",
		         cut > 0 ? ", without the spaces around it" : "");
	else if (type == TERM_KEY_PASTE && form_paste_controls(paste))
		snprintf(w->status, sizeof(w->status), "the control characters in the pasted text (such as ESC) "
		         "were left out: check what is left");
	else if (dedented && changed == 1)
		snprintf(w->status, sizeof(w->status), "the pasted key's indentation was left out");
	else if (cut > 0)
		snprintf(w->status, sizeof(w->status), "the spaces around the pasted text were left out");
	secbuf_free(dedented);
	if (was.buf && changed == 1) {
		/* Asked with the key as it was behind the question: the change is not seen before it is agreed to. */
		struct input edited = *in;
		char said[sizeof(w->status)];
		memcpy(said, w->status, sizeof(said));
		w->status[0] = '\0';
		*in = was;
		if (wizard_made_key_may_go(w, "Change the SSH key made with F3?")) {
			was = *in;
			*in = edited;
			memcpy(w->status, said, sizeof(said));
		} else {
			was = edited;
			changed = 0;
		}
	}
	secbuf_free(was.buf);
	if (changed == 1 && whole && !it.sid)
		w->lost[it.id] = false;
	if (changed == 1)
		wizard_changed(w, it.id);
	/* A paste is a whole value: what is wrong with it shows at once, not when the field is left. */
	if (type == TERM_KEY_PASTE && changed == 1)
		w->touched[it.id] = true;
	/* The key and its passphrase are read again at a pause, also once their message shows. */
	else if (changed == 1 && (!w->touched[it.id] || it.id == FIELD_SSH_KEY || it.id == FIELD_SSH_KEY_PASSPHRASE))
		w->typing = true;
}

/*
 * Tab in a key file's path that names no file yet: completed as a shell does, the focus kept
 * while there is more added or several names to choose from (listed); else Tab moves on.
 */
static bool form_complete_key_path(struct wizard *w)
{
	struct input *in = &w->in[FIELD_SSH_KEY];
	char before[WIZARD_TEXT_MAX + 1];

	/* Only what is typed as a path is looked up: a token pasted there never is. */
	if (!wizard_key_file(w, FIELD_SSH_KEY) || !wizard_path_typed(input_text(in)) || wizard_is_file(input_text(in)))
		return false;
	snprintf(before, sizeof(before), "%s", input_text(in));
	int n = wizard_complete_path(in, w->status, sizeof(w->status));
	bool added = strcmp(before, input_text(in)) != 0;
	if (added) {
		wizard_changed(w, FIELD_SSH_KEY);
		w->typing = true; /* the key is read at the pause, as when typed */
	}
	if (added || n > 1)
		return true;
	w->status[0] = '\0'; /* nothing to add: the field's own message says what is wrong, as it is left */
	return false;
}

void page_form_pause(struct wizard *w)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n = wizard_items(w, w->page, items);

	if (w->typing && w->focus < (int)n)
		w->touched[items[w->focus].id] = true;
	w->typing = false;
	w->refusing = REFUSING_NONE;
	wizard_key_refresh(w);
}

void page_form_refused(struct wizard *w)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n = wizard_items(w, w->page, items);

	/* A value shown lacks it in plain sight (the status says why); a masked one would pass for what was typed. */
	if (w->focus < (int)n && !items[w->focus].sid && fields_at(items[w->focus].id)->kind == FIELD_SECRET &&
	    form_masked(w, items[w->focus], &w->in[items[w->focus].id])) {
		w->lost[items[w->focus].id] = true;
		w->touched[items[w->focus].id] = true;
	}
}

void page_form_key(struct wizard *w, int type, wint_t ch, struct secbuf *paste)
{
	struct wizard_item items[FIELD_COUNT * 2];
	size_t n = wizard_items(w, w->page, items);
	bool code = type == TERM_KEY_CODE, chr = type == TERM_KEY_CHAR;

	if (n == 0)
		return;
	struct wizard_item it = items[w->focus];
	const struct field *f = fields_at(it.id);
	bool choice = !it.sid && (f->kind == FIELD_CHOICE || f->kind == FIELD_TOGGLE);

	/* Typing on after a refusal: its word stays; any other key ends it. */
	bool typed = chr && ch >= ' ' && ch != 127;
	if (!typed)
		w->refusing = REFUSING_NONE;
	if (!w->refusing)
		w->status[0] = '\0';
	/* Moving in the value being typed is still typing: its message waits for the pause as before. */
	bool moves = (code && (ch == KEY_LEFT || ch == KEY_RIGHT || ch == KEY_HOME || ch == KEY_END)) ||
	             (chr && (ch == 1 || ch == 5));
	if (!moves || choice)
		w->typing = false;
	/*
	 * A key pasted where the terminal has no bracketed paste comes as typed lines: within its
	 * -----BEGIN ... -----END armour, Enter is a line break of the key, not the next field.
	 */
	bool enter = (chr && (ch == '\r' || ch == '\n')) || (code && ch == KEY_ENTER);
	if (enter && it.id == FIELD_SSH_KEY && !it.sid && form_key_open(input_text(&w->in[it.id]))) {
		if (input_newline(&w->in[it.id]))
			wizard_changed(w, it.id);
		return;
	}
	if (chr && ch == '\t' && it.id == FIELD_SSH_KEY && !it.sid && form_complete_key_path(w))
		return;
	/* Leaving a field keeps the draft up to date: a dropped SSH session loses one field at most. */
	bool leaves = (chr && (ch == '\t' || ch == '\r' || ch == '\n')) ||
	              (code && (ch == KEY_DOWN || ch == KEY_UP || ch == KEY_BTAB || ch == KEY_ENTER));
	bool leaves_page = (code && (ch == KEY_NPAGE || ch == KEY_PPAGE || ch == KEY_F(10))) ||
	                   (chr && (ch == 27 || ch == 24));
	if (it.id == FIELD_IDENTIFIER && !it.sid && (leaves || leaves_page))
		wizard_ident_refill(w);
	if (leaves)
		wizard_draft_save(w);
	if ((chr && ch == '\t') || (code && ch == KEY_DOWN)) {
		w->touched[it.id] = true;
		w->focus = (w->focus + 1) % (int)n;
	} else if ((code && ch == KEY_BTAB) || (code && ch == KEY_UP)) {
		w->touched[it.id] = true;
		w->focus = (w->focus + (int)n - 1) % (int)n;
	} else if ((chr && (ch == '\r' || ch == '\n')) || (code && ch == KEY_ENTER)) {
		w->touched[it.id] = true;
		if (w->focus + 1 < (int)n)
			w->focus++;
		else
			form_next(w);
	} else if (code && ch == KEY_NPAGE) {
		form_next(w);
	} else if ((chr && ch == 27) || (code && ch == KEY_PPAGE)) {
		if (w->page > 0)
			wizard_goto(w, w->page - 1);
		else
			snprintf(w->status, sizeof(w->status), "this is the first page (Ctrl-C quits)");
	} else if (code && ch == KEY_F(1)) {
		dialog_help(w, it);
	} else if (code && ch == KEY_F(2)) {
		w->show_secrets = !w->show_secrets;
	} else if (code && ch == KEY_F(3) && it.id == FIELD_SSH_KEY && !it.sid) {
		secret_tools_generate_key(w);
	} else if (code && ch == KEY_F(4) && f->kind == FIELD_SECRET) {
		secret_tools_pick(w, it.id);
	} else if (code && (ch == KEY_F(3) || ch == KEY_F(4))) {
		/* Said, not ignored: the key is right, the field is not. */
		snprintf(w->status, sizeof(w->status), ch == KEY_F(3)
		         ? "F3 makes a new SSH key: it works on the SSH private key field"
		         : "F4 picks a stored secret: it works on a secret's field (a token, a key, a passphrase)");
	} else if (code && ch == KEY_F(5)) {
		form_take_suggestion(w, it);
	} else if ((code && ch == KEY_F(10)) || (chr && ch == 24)) {
		form_finish(w);
	} else if (choice && ((code && ch == KEY_RIGHT) || (chr && ch == ' ' && w->refusing != REFUSING_ON_CHOICE))) {
		form_choose(w, it.id, 1);
	} else if (choice && code && ch == KEY_LEFT) {
		form_choose(w, it.id, -1);
	} else if (choice && (type == TERM_KEY_PASTE || typed)) {
		form_not_text(w, it.id, type);
	} else if (!choice && it.id == FIELD_IDENTIFIER && w->start->editing) {
		if (type == TERM_KEY_PASTE || (chr && ch >= 32) || (code && (ch == KEY_BACKSPACE || ch == KEY_DC)))
			snprintf(w->status, sizeof(w->status), "the identifier cannot change once saved: make a "
			         "new connector instead");
	} else if (!choice) {
		form_edit(w, it, type, ch, paste);
	}
	/* The key's message as its field is left or a value pasted, not at every key (see wizard_key_refresh). */
	if (leaves || type == TERM_KEY_PASTE)
		wizard_key_refresh(w);
}
