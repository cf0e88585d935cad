/* SPDX-License-Identifier: GPL-2.0 */
/*
 * log.h - slotd logs to stderr, one line per event
 *
 * Under systemd each line goes to the journal with the priority of its
 * "<N>" prefix (SyslogLevelPrefix=); elsewhere the prefix is left out.
 */
#ifndef SD_LOG_H
#define SD_LOG_H

#include <syslog.h>

void sd_log_init(void);
/* The program's name before each line off the journal ("slotd"). */
void sd_log_name(const char *name);
void sd_log(int prio, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define sd_err(...)	sd_log(LOG_ERR, __VA_ARGS__)
#define sd_warn(...)	sd_log(LOG_WARNING, __VA_ARGS__)
#define sd_info(...)	sd_log(LOG_INFO, __VA_ARGS__)

#endif /* SD_LOG_H */
