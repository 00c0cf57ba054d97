/* One hexadecimal digit's value (0-15), or -1: for %XX escapes and pkt-line lengths. */
#ifndef AZ_HEX_H
#define AZ_HEX_H

static inline int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

#endif
