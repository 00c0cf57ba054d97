/* Boxes over the page: a yes/no question, a field's help, the store passphrase. */
#include <config.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "term.h"
#include "utf8.h"
#include "wizard_int.h"

#define DIALOG_WIDTH 64

/*
 * The page and over it a cleared, framed box of rows text rows in the middle of the screen (the
 * rows it takes cleared whole): its first row and column. False when the terminal is too small:
 * the notice shows instead.
 */
static bool dialog_box(struct wizard *w, const char *title, int rows, int *y, int *x)
{
	int h = rows + 4, wd = DIALOG_WIDTH;

	if (term_too_small()) {
		char see[160];
		/* The first box of a run closes by quitting: the draft it offers stays for the next run. */
		bool first = strcmp(title, "Resume") == 0;
		snprintf(see, sizeof(see), "the box '%s'", title);
		wizard_small_notice(see, first ? "Ctrl-C quits (the draft is kept)." : "Ctrl-C closes the box.");
		return false;
	}
	wizard_draw(w);
	/* The page's keys do not work while the box is up: it says its own. */
	move(LINES - 1, 0);
	clrtoeol();
	curs_set(0);
	*y = (LINES - h) / 2;
	*x = (COLS - wd) / 2;
	/* Its rows cleared across the screen: no cut-off piece of the page's text beside the frame. */
	for (int r = 0; r < h; r++)
		mvhline(*y + r, 0, ' ', COLS);
	/* Box drawing as Unicode (WACS_*), which every UTF-8 terminal shows; '-' and '|' otherwise. */
	if (term_ascii()) {
		mvhline(*y, *x, '-', wd);
		mvhline(*y + h - 1, *x, '-', wd);
		mvvline(*y, *x, '|', h);
		mvvline(*y, *x + wd - 1, '|', h);
		mvaddch(*y, *x, '+');
		mvaddch(*y, *x + wd - 1, '+');
		mvaddch(*y + h - 1, *x, '+');
		mvaddch(*y + h - 1, *x + wd - 1, '+');
	} else {
		mvhline_set(*y, *x, WACS_HLINE, wd);
		mvhline_set(*y + h - 1, *x, WACS_HLINE, wd);
		mvvline_set(*y, *x, WACS_VLINE, h);
		mvvline_set(*y, *x + wd - 1, WACS_VLINE, h);
		mvadd_wch(*y, *x, WACS_ULCORNER);
		mvadd_wch(*y, *x + wd - 1, WACS_URCORNER);
		mvadd_wch(*y + h - 1, *x, WACS_LLCORNER);
		mvadd_wch(*y + h - 1, *x + wd - 1, WACS_LRCORNER);
	}
	attron(term_style(TERM_TITLE));
	mvprintw(*y, *x + 2, " %s ", title);
	attroff(term_style(TERM_TITLE));
	*y += 2;
	*x += 2;
	return true;
}

/*
 * The next key for a dialog (a paste too, when paste is not NULL). A box not shown gets no key
 * but Ctrl-C: term_getkey holds the others until it can be (a held one comes as KEY_RESIZE).
 */
static enum term_key dialog_key(wint_t *ch, struct secbuf **paste)
{
	struct secbuf *p = NULL;
	enum term_key k = term_getkey(ch, &p);

	/* Ctrl-Z suspends here too; the box is drawn again when the job is resumed. */
	if (k == TERM_KEY_CHAR && *ch == 26) {
		term_suspend();
		*ch = KEY_RESIZE;
		k = TERM_KEY_CODE;
	}
	if (paste)
		*paste = p;
	else
		secbuf_free(p);
	return k;
}

enum dialog_answer dialog_ask(struct wizard *w, const char *title, const char *question, const char *keys)
{
	term_flush_input();
	for (;;) {
		int y, x;
		wint_t ch;
		/* As tall as the question (a long path in it is shown whole), then a blank row. */
		int rows = wizard_wrap_rows(DIALOG_WIDTH - 4, LINES - 8, question);

		rows = rows < 1 ? 1 : rows;
		if (dialog_box(w, title, rows + 2, &y, &x)) {
			wizard_wrap(y, x, DIALOG_WIDTH - 4, rows, question, term_style(TERM_PLAIN));
			attron(term_style(TERM_KEY));
			mvaddnstr(y + rows + 1, x, keys ? keys : "y yes   n no", DIALOG_WIDTH - 4);
			attroff(term_style(TERM_KEY));
			refresh();
		}
		enum term_key k = dialog_key(&ch, NULL);
		if (k == TERM_KEY_CHAR && (ch == 'y' || ch == 'Y'))
			return DIALOG_YES;
		if (k == TERM_KEY_CHAR && (ch == 'n' || ch == 'N'))
			return DIALOG_NO;
		if (k == TERM_KEY_CHAR && (ch == 27 || ch == 3))
			return ch == 3 ? DIALOG_CTRL_C : DIALOG_QUIT;
		/* Text typed on, not meant for the box (a URL with an 's', then a 'y'): a no, never a yes. */
		if (!keys && (k == TERM_KEY_CHAR || k == TERM_KEY_PASTE))
			return DIALOG_NO;
	}
}

bool dialog_confirm(struct wizard *w, const char *title, const char *question)
{
	return dialog_ask(w, title, question, NULL) == DIALOG_YES;
}

void dialog_message(struct wizard *w, const char *title, const char *text, const char *footer, int rows)
{
	wint_t ch;

	do {
		int y, x;
		if (dialog_box(w, title, rows + 2, &y, &x)) {
			wizard_wrap(y, x, DIALOG_WIDTH - 4, rows, text, term_style(TERM_PLAIN));
			attron(term_style(TERM_KEY));
			mvaddnstr(y + rows + 1, x, footer, DIALOG_WIDTH - 4);
			attroff(term_style(TERM_KEY));
			refresh();
		}
	} while (dialog_key(&ch, NULL) == TERM_KEY_CODE && ch == KEY_RESIZE);
}

/* The help's rules: its default, when it applies, and how a script gives it. */
static void dialog_help_rules(FILE *out, const struct wizard *w, struct wizard_item it, const char *def)
{
	const struct field *f = fields_at(it.id);
	char buf[256];

	if (it.sid) {
		fields_secret_id(w->c, it.id, buf, sizeof(buf));
		fprintf(out, "\nDefault: %s", buf);
	} else if (f->def_secret) {
		fprintf(out, "\nDefault: %s; otherwise %s.", f->def_secret, f->required ? "required" : "none");
	} else {
		fprintf(out, "\n%s%s", def ? "Default: " : "", def ? def : f->required ? "Required." : "Optional.");
	}
	if (f->when)
		fprintf(out, "\nOnly with %s.", f->when);
	/* The wizard's own ways first: the keys that fill a secret are named nowhere else on the page. */
	if (f->kind == FIELD_SECRET && !it.sid)
		fprintf(out, "\nHere: %s; F4 uses a secret already stored%s.",
		        it.id == FIELD_SSH_KEY ? "type the key file's path (Tab completes it), or paste the key's text; F3 makes a new "
		                                 "RSA 4096 key" : "paste it, or type it",
		        w->start->editing ? "; left empty, the stored one stays" : "");
	else if (it.sid)
		fprintf(out, "\nHere: the store id the value is kept under; F4 lists the secrets already stored.");
	/* Scripts give a secret from a file or stdin (or the store), never as a value (cmd_new.c). */
	if (it.sid)
		fprintf(out, "\nIn scripts: --%s-secret ID", f->key);
	else if (f->kind == FIELD_SECRET)
		fprintf(out, "\nIn scripts: --%s-file F or --%s-stdin", f->key, f->key);
	else if (f->choices)
		fprintf(out, "\nIn scripts: --%s VALUE, one of: %s", f->key,
		        fields_choices_text(it.id, false, ", ", buf, sizeof(buf)));
	else if (f->kind == FIELD_LIST)
		fprintf(out, "\nIn scripts: --%s A,B (or the flag once for each)", f->key);
	else
		fprintf(out, "\nIn scripts: --%s VALUE", f->key);
}

void dialog_help(struct wizard *w, struct wizard_item it)
{
	const struct field *f = fields_at(it.id);
	/* An edit's identifier has no example, default nor flag: it is the connector's, for good. */
	bool fixed = !it.sid && it.id == FIELD_IDENTIFIER && w->start->editing;
	const char *example = it.sid || fixed ? NULL : fields_example(w->c, it.id);
	const char *def = NULL;
	char text[1536] = "", title[96], buf[256], human[256];
	/* A stream on text: a long value is cut short, never written past it. */
	FILE *out = fmemopen(text, sizeof(text) - 1, "w");

	if (!out)
		return;
	if (!it.sid && f->kind != FIELD_SECRET && (def = fields_default(w->c, it.id, buf, sizeof(buf))))
		def = fields_human(it.id, def, human, sizeof(human));
	snprintf(title, sizeof(title), "%s%s", f->label, it.sid ? ": store id" : "");
	/* The status line shows the first paragraph already; this adds what the rules are. */
	fprintf(out, "%s\n", wizard_item_help(w, it));
	if (example)
		fprintf(out, "\nExample: %s", example);
	if (fixed)
		fprintf(out, "\nA saved connector's identifier cannot change (for another, make a new connector).");
	else
		dialog_help_rules(out, w, it, def);
	fclose(out);
	dialog_message(w, title, text, "Any key closes.", wizard_wrap_rows(DIALOG_WIDTH - 4, LINES - 8, text));
}

int dialog_pick(struct wizard *w, const char *title, const char *const *items, size_t n, size_t at)
{
	enum { ROWS = 10 };
	size_t top = 0;

	for (;;) {
		int y, x;
		wint_t ch;

		if (at < top)
			top = at;
		if (at >= top + ROWS)
			top = at - ROWS + 1;
		if (dialog_box(w, title, ROWS + 2, &y, &x)) {
			for (size_t i = top; i < n && i < top + ROWS; i++) {
				attr_t a = i == at ? term_style(TERM_FOCUS) : term_style(TERM_PLAIN);
				attron(a);
				mvhline(y + (int)(i - top), x, ' ', DIALOG_WIDTH - 4);
				mvaddnstr(y + (int)(i - top), x, items[i], DIALOG_WIDTH - 4);
				/* Cut (a long list of connectors using it): said by its last cell. */
				if (utf8_count(items[i]) > DIALOG_WIDTH - 4)
					mvaddstr(y + (int)(i - top), x + DIALOG_WIDTH - 5, term_more());
				attroff(a);
			}
			attron(term_style(TERM_KEY));
			mvaddstr(y + ROWS + 1, x, "Up/Down choose   Enter take   Esc keep as it was");
			attroff(term_style(TERM_KEY));
			refresh();
		}
		enum term_key k = dialog_key(&ch, NULL);
		if (k == TERM_KEY_CODE && ch == KEY_UP && at > 0)
			at--;
		else if (k == TERM_KEY_CODE && ch == KEY_DOWN && at + 1 < n)
			at++;
		else if (k == TERM_KEY_CHAR && (ch == '\r' || ch == '\n'))
			return (int)at;
		else if (k == TERM_KEY_CHAR && (ch == 27 || ch == 3))
			return -1;
	}
}

/*
 * One line typed in a dialog (masked for a secret; a path completed with Tab), starting from
 * start (NULL: empty): the text, or NULL with errno (ECANCELED: Esc).
 */
static struct secbuf *dialog_input(struct wizard *w, const char *title, const char *prompt, size_t max,
                                   bool masked, bool path, const char *start)
{
	struct input in;
	struct secbuf *out = NULL;
	/* What was said last (a slip, or a note) shows in the box, above the prompt, not under it too. */
	char said[sizeof(w->status)], note[sizeof(w->status)] = "";
	/* Masked, a character not taken is not seen missing: the value is not the one typed. */
	bool lost = false;

	snprintf(said, sizeof(said), "%s", w->status);
	w->status[0] = '\0';
	/* A note (a new store's: nothing recovers its passphrase), alone or under a slip, comes back
	 * once a slip is over. */
	const char *noted = strncmp(said, "note: ", 6) == 0 ? said : strstr(said, "\n\nnote: ");
	if (noted)
		snprintf(note, sizeof(note), "%s", noted + strspn(noted, "\n"));
	if (input_init(&in, max, masked) != 0) {
		errno = ENOMEM;
		return NULL;
	}
	if (start)
		input_set(&in, start, strlen(start));
	for (;;) {
		struct secbuf *paste = NULL;
		char view[1024];
		int y, x, cur;
		wint_t ch;
		/* A slip in the error style, a note plain (a new store's, with its path, whole); one blank before the prompt. */
		int rows = *said ? wizard_wrap_rows(DIALOG_WIDTH - 4, LINES - 12, said) + 1 : 0;

		/* What was said, the prompt, the value, a blank and the keys: the box's one blank above, as a question's. */
		if (dialog_box(w, title, rows + 4, &y, &x)) {
			if (*said)
				wizard_wrap(y, x, DIALOG_WIDTH - 4, rows - 1, said,
				            term_style(strncmp(said, "note: ", 6) == 0 ? TERM_PLAIN : TERM_ERROR));
			y += rows;
			mvaddnstr(y, x, prompt, DIALOG_WIDTH - 4);
			input_view(&in, DIALOG_WIDTH - 4, term_input_marks(), view, sizeof(view), &cur);
			attron(term_style(TERM_FOCUS));
			mvhline(y + 1, x, ' ', DIALOG_WIDTH - 4);
			mvaddstr(y + 1, x, view);
			attroff(term_style(TERM_FOCUS));
			attron(term_style(TERM_KEY));
			mvaddstr(y + 3, x, masked ? "Enter done   Esc cancel   (masked)"
			                   : path ? "Enter done   Tab complete   Esc cancel" : "Enter done   Esc cancel");
			attroff(term_style(TERM_KEY));
			move(y + 1, x + cur);
			curs_set(1);
			refresh();
		}
		enum term_key k = dialog_key(&ch, &paste);
		/* Not dropped silently: a passphrase typed twice without it would lock the store with another. */
		if (k == TERM_KEY_CHAR && term_char_refused(ch)) {
			snprintf(said, sizeof(said), "%s", term_char_refused(ch));
			lost |= masked;
			beep();
			continue;
		}
		/* As in the fields: several lines are not one value; a masked value pasted over is replaced. */
		size_t lines = k == TERM_KEY_PASTE && paste ? input_lines(paste->data, paste->len) : 0;
		bool replaced = false, tab = path && k == TERM_KEY_CHAR && ch == '\t';
		int edited = -1;
		if (tab) {
			char why[sizeof(said) - 6] = "";
			wizard_complete_path(&in, why, sizeof(why));
			snprintf(said, sizeof(said), "%s%s", *why ? "note: " : "", why);
		} else if (lines > 1)
			snprintf(said, sizeof(said), "not pasted: %zu lines; paste one line", lines);
		else if (k == TERM_KEY_PASTE && masked && *input_text(&in) &&
		         (replaced = input_replace(&in, (const char *)paste->data, paste->len, false)))
			snprintf(said, sizeof(said), "note: the pasted value replaced the one there");
		else
			edited = wizard_edit_key(&in, k, ch, paste, false);
		/* A slip is about the value before: gone once it changes (a note stays: a new store's path). */
		lost &= !replaced && input_text(&in)[0] != '\0'; /* a paste over the value is whole */
		if (edited == 1 && strncmp(said, "note: ", 6) != 0 && !lost)
			snprintf(said, sizeof(said), "%s", note);
		secbuf_free(paste);
		if (tab || lines > 1 || replaced || edited >= 0 || k != TERM_KEY_CHAR)
			continue;
		if (ch == 27 || ch == 3) {
			errno = ECANCELED;
			break;
		}
		if ((ch == '\r' || ch == '\n') && lost) {
			snprintf(said, sizeof(said), WIZARD_LOST_MSG);
			beep();
		} else if (ch == '\r' || ch == '\n') {
			out = secbuf_dup(in.buf->data, in.buf->len);
			break;
		}
	}
	input_free(&in);
	curs_set(0);
	return out;
}

struct secbuf *dialog_secret(void *user, const char *prompt, size_t max)
{
	struct wizard *w = user;

	/* What the core said before asking again (a wrong passphrase) shows above the prompt. */
	w->status[0] = '\0';
	w->busy[0] = '\0'; /* asked again: the store is not being opened now */
	wizard_take_messages(w);
	/* A new store's note (nothing can recover its passphrase) stays under a slip when asked again. */
	if (strncmp(w->status, "note: ", 6) == 0) {
		snprintf(w->ask_note, sizeof(w->ask_note), "%s", w->status);
		snprintf(w->ask_note_for, sizeof(w->ask_note_for), "%s", prompt);
	} else if (*w->status && *w->ask_note && strcmp(prompt, w->ask_note_for) == 0) {
		size_t len = strlen(w->status);
		snprintf(w->status + len, sizeof(w->status) - len, "\n\n%s", w->ask_note);
	}
	struct secbuf *out = dialog_input(w, "Secret store", prompt, max, true, false, NULL);
	if (out) {
		snprintf(w->busy, sizeof(w->busy), "opening the secret store...");
		wizard_draw(w);
	}
	return out;
}

/* The box starts with the path in out: asked again, what was typed stays to be mended. */
bool dialog_path(struct wizard *w, const char *title, const char *prompt, char *out, size_t outlen)
{
	struct secbuf *b = dialog_input(w, title, prompt, outlen - 1, false, true, out);

	if (!b)
		return false;
	snprintf(out, outlen, "%s", (const char *)b->data);
	secbuf_free(b);
	return true;
}
