#include <config.h>

#include <stdbool.h>

#include <curses.h>
#include <ncursesw/term.h>

#include "term_type.h"

enum term_type term_type_judge(const char *name, int fd)
{
	int err = 0;

	if (setupterm(name, fd, &err) != OK)
		return TERM_TYPE_UNKNOWN;
	const char *cup = tigetstr("cup");
	bool moves = cup && cup != (char *)-1;
	del_curterm(cur_term);
	return moves ? TERM_TYPE_OK : TERM_TYPE_NO_CUP;
}
