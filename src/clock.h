/* The monotonic clock in milliseconds, for deadlines and durations. */
#ifndef AZ_CLOCK_H
#define AZ_CLOCK_H

/* CLOCK_MONOTONIC in ms: only differences between two values mean anything. */
long long clock_ms(void);

#endif
